/**
 * Limits checked before any work on a document from elsewhere (a file, a link, a PNG chunk): its
 * size, its JSON nesting and its node and edge counts. A graph someone shares must not be able to
 * exhaust the stack, the memory or the patience of the person who opens it, so each limit is
 * checked on the text or the parsed value before anything walks it recursively.
 */

export interface GraphLimits {
  /** The longest document, in UTF-8 bytes (files) or characters (text already in memory). */
  maxBytes: number;
  /** Most nodes in one document. */
  maxNodes: number;
  /** Most edges in one document. */
  maxEdges: number;
}

/**
 * JSON nesting no graph document comes near (nodes → params is 3 levels; meta is free-form but
 * shallow). Fixed: the recursive readers after the check (validation, sorted serialisation,
 * JSON.stringify) stay far from the stack limit.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * 1000 nodes validate in ~12 ms and run (trivial nodes) in ~2 s; 4 MiB holds a 1000-node graph
 * (~430 kB) ten times over, with room for long descriptions in `meta`.
 */
export const DEFAULT_GRAPH_LIMITS: Readonly<GraphLimits> = {
  maxBytes: 4 * 1024 * 1024,
  maxNodes: 1000,
  maxEdges: 4000,
};

/** The environment variable that raises each limit on the command line (read by src/platform/node/limits.ts). */
export const LIMIT_ENV: Readonly<Record<keyof GraphLimits | 'maxPixels', string>> = {
  maxBytes: 'MGAN_STUDIO_MAX_DOCUMENT_BYTES',
  maxNodes: 'MGAN_STUDIO_MAX_NODES',
  maxEdges: 'MGAN_STUDIO_MAX_EDGES',
  maxPixels: 'MGAN_STUDIO_MAX_PIXELS',
};

/** "(limit 1000; raise it with MGAN_STUDIO_MAX_NODES=N on the command line)" */
export function raiseHint(limit: keyof typeof LIMIT_ENV, value: number): string {
  return `limit ${value}; raise it with ${LIMIT_ENV[limit]}=N on the command line`;
}

/** Where JSON text nests deeper than `maxDepth`, or undefined. Strings are skipped; malformed text is scanned as far as it goes. */
export function findDeepNesting(text: string, maxDepth = MAX_JSON_DEPTH): { offset: number; line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) {
        const before = text.slice(0, i);
        return { offset: i, line: before.split('\n').length, column: i - (before.lastIndexOf('\n') + 1) + 1 };
      }
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Whether a parsed value nests deeper than `maxDepth` (iterative: safe on any depth). */
export function nestsDeeperThan(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export const UTF8_BOM = '\uFEFF';

/** Text without a leading UTF-8 byte order mark (editors on Windows write one; JSON does not allow it). */
export function stripBom(text: string): string {
  return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
}

/** Thrown by parseLimitedJson: a one-line reason, for the caller to prefix with what was read. */
export class JsonLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonLimitError';
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${bytes} bytes`;
}

/** The size refusal, the same words for files (checked before reading) and for text. */
export function tooLargeMessage(size: number, maxBytes: number): string {
  return `the document is ${sizeText(size)}, more than the ${sizeText(maxBytes)} allowed (${raiseHint('maxBytes', maxBytes)})`;
}

export function tooDeepMessage(where?: { line: number; column: number }): string {
  const at = where ? ` at line ${where.line}, column ${where.column}` : '';
  return `the JSON nests deeper than ${MAX_JSON_DEPTH} levels${at}; no graph document needs that many`;
}

/**
 * JSON.parse with the size and depth checked first and a leading BOM accepted. Throws
 * JsonLimitError for a limit, SyntaxError (JSON.parse's) for malformed text.
 */
export function parseLimitedJson(text: string, maxBytes: number = DEFAULT_GRAPH_LIMITS.maxBytes): unknown {
  const body = stripBom(text);
  if (body.length > maxBytes) throw new JsonLimitError(tooLargeMessage(body.length, maxBytes));
  const deep = findDeepNesting(body);
  if (deep) throw new JsonLimitError(tooDeepMessage(deep));
  return JSON.parse(body) as unknown;
}
