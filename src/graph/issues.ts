/**
 * Problems found in a graph document. Every message names the node, port or parameter at fault,
 * so the CLI can print it as is and the editor can pin it to a node card.
 */
export type IssueSeverity = 'error' | 'warning';

export interface GraphIssue {
  severity: IssueSeverity;
  /** Stable machine-readable kind ("missing-input", "cycle", "param-range", ...). */
  code: string;
  message: string;
  nodeId?: string;
  port?: string;
  param?: string;
  /** JSON path of the offending field ("nodes[2].position.x"). */
  path?: string;
}

export function graphError(code: string, message: string, where: Omit<GraphIssue, 'severity' | 'code' | 'message'> = {}): GraphIssue {
  return { severity: 'error', code, message, ...where };
}

export function graphWarning(code: string, message: string, where: Omit<GraphIssue, 'severity' | 'code' | 'message'> = {}): GraphIssue {
  return { severity: 'warning', code, message, ...where };
}

/** Characters that would break a message over lines or reorder it on screen: controls, zero-width and bidi marks. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/**
 * A string from the document as it appears in a message: at most `max` characters (a 5 MB node type
 * would otherwise become a 5 MB message) and one line, with invisible characters escaped.
 */
export function printable(text: string, max = 64): string {
  let shown = text;
  if (text.length > max) {
    const cut = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max;
    shown = `${text.slice(0, cut)}… (${text.length} characters)`;
  }
  return shown.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "node 'noise1' (perlin-noise)": how every message refers to a node. */
export function describeNode(nodeId: string | undefined, type: string): string {
  return nodeId === undefined ? `node type '${printable(type)}'` : `node '${printable(nodeId)}' (${printable(type)})`;
}
