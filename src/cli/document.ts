/** Loading a graph document for a command and applying `--set NODE_ID.PARAM=VALUE` overrides. */
import { readFile, stat } from 'node:fs/promises';
import { printable } from '../formats/printable';
import type { GraphIssue } from '../graph/issues';
import { tooLargeMessage, type GraphLimits } from '../formats/limits';
import { coerceParam } from '../graph/params';
import type { GraphDocument, NodeTypeLookup } from '../graph/types';
import { parseDocument, validateDocument, type ValidationResult } from '../graph/validate';
import { fsErrorReason } from '../platform/node/fs-errors';
import { graphLimitsFromEnv, LimitSettingError, maxPixelsFromEnv } from '../platform/node/limits';
import { UsageError, type CliIO } from './io';

/** A text file, refused unread when it is larger than `maxBytes`. */
export async function readTextFile(path: string, what: string, maxBytes?: number): Promise<string> {
  try {
    if (maxBytes !== undefined) {
      const info = await stat(path);
      if (info.isFile() && info.size > maxBytes) throw new UsageError(`cannot read ${what} '${path}': ${tooLargeMessage(info.size, maxBytes)}`);
    }
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${what} '${path}': ${fsErrorReason(e)}`);
  }
}

/** The document limits, raised by their environment variables; a bad value of any limit variable is a usage error. */
export function cliGraphLimits(): GraphLimits {
  try {
    maxPixelsFromEnv(); // read where images are decoded; a bad setting is reported here, before any work
    return graphLimitsFromEnv();
  } catch (e) {
    if (e instanceof LimitSettingError) throw new UsageError(e.message);
    throw e;
  }
}

/** Issues of one kind printed per document; a graph with thousands of bad nodes gets a count for the rest. */
export const MAX_PRINTED_ISSUES = 50;

function printSome(io: CliIO, prefix: string, lines: string[], what: string): void {
  for (const line of lines.slice(0, MAX_PRINTED_ISSUES)) io.err(`${prefix}${line}`);
  if (lines.length > MAX_PRINTED_ISSUES) io.err(`${prefix}... and ${lines.length - MAX_PRINTED_ISSUES} more ${what}`);
}

export function printIssues(io: CliIO, file: string, result: Pick<ValidationResult, 'errors' | 'warnings' | 'migrations'>): void {
  printSome(io, `${file}: migrated: `, result.migrations, 'migrations');
  printSome(io, `${file}: warning: `, result.warnings.map((w) => w.message), 'warnings');
  printSome(io, `${file}: error: `, result.errors.map((e) => e.message), 'errors');
}

/** "a, b, c and 7 more": a list for a message, however long the document's is. */
function someOf(names: string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => printable(n)).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown || 'none';
}

/** Issue codes the editor tolerates (it keeps the node) but a headless run cannot. */
const FATAL_HEADLESS = new Set(['unknown-type']);

/**
 * Reads, parses and validates; prints every issue. `document` is set only when there are no errors;
 * an unknown node type is an error here (the editor keeps such a node, the CLI cannot run it).
 */
export async function loadDocument(path: string, types: NodeTypeLookup, io: CliIO): Promise<ValidationResult> {
  const limits = cliGraphLimits();
  const parsed = parseDocument(await readTextFile(path, 'graph file', limits.maxBytes), types, { limits });
  const fatal = parsed.warnings.filter((w) => FATAL_HEADLESS.has(w.code)).map((w) => ({ ...w, severity: 'error' as const }));
  const result: ValidationResult = fatal.length
    ? { errors: [...parsed.errors, ...fatal], warnings: parsed.warnings.filter((w) => !FATAL_HEADLESS.has(w.code)), migrations: parsed.migrations }
    : parsed;
  printIssues(io, path, result);
  return result;
}

export interface ParamOverride {
  nodeId: string;
  param: string;
  text: string;
}

export function parseOverride(arg: string): ParamOverride {
  const match = /^([^.=]+)\.([^=]+)=([\s\S]*)$/.exec(arg);
  if (!match) throw new UsageError(`--set ${printable(arg, 120)}: expected NODE_ID.PARAM=VALUE`);
  return { nodeId: match[1], param: match[2], text: match[3] };
}

/**
 * Applies overrides to a copy of `doc` and validates the result again (ranges, options). Returns the
 * new document, or the issues naming the override at fault.
 */
export function applyOverrides(
  doc: GraphDocument,
  overrides: ParamOverride[],
  types: NodeTypeLookup,
): { document?: GraphDocument; errors: GraphIssue[] } {
  const errors: GraphIssue[] = [];
  const next: GraphDocument = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, params: { ...n.params } })) };
  for (const o of overrides) {
    const where = `--set ${printable(`${o.nodeId}.${o.param}=${o.text}`, 120)}`;
    const node = next.nodes.find((n) => n.id === o.nodeId);
    if (!node) {
      errors.push({ severity: 'error', code: 'set-node', message: `${where}: no node '${printable(o.nodeId)}' (nodes: ${someOf(next.nodes.map((n) => n.id))})` });
      continue;
    }
    const spec = types.get(node.type)?.params.find((p) => p.name === o.param);
    if (!spec) {
      const names = types.get(node.type)?.params.map((p) => p.name).join(', ') || 'none';
      errors.push({ severity: 'error', code: 'set-param', message: `${where}: node '${node.id}' (${node.type}) has no param '${printable(o.param)}' (its params: ${names})`, nodeId: node.id, param: o.param });
      continue;
    }
    try {
      node.params[o.param] = coerceParam(spec, o.text);
    } catch (e) {
      errors.push({ severity: 'error', code: 'set-value', message: `${where}: ${(e as Error).message}`, nodeId: node.id, param: o.param });
    }
  }
  if (errors.length) return { errors };
  const result = validateDocument(next, types);
  if (!result.document) return { errors: result.errors.map((e) => ({ ...e, message: `after --set: ${e.message}` })) };
  return { document: result.document, errors: [] };
}
