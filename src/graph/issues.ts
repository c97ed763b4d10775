/**
 * Problems found in a graph document. Every message names the node, port or parameter at fault,
 * so the CLI can print it as is and the editor can pin it to a node card.
 */
import { printable } from '../formats/printable';

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

/** "node 'noise1' (perlin-noise)": how every message refers to a node. */
export function describeNode(nodeId: string | undefined, type: string): string {
  return nodeId === undefined ? `node type '${printable(type)}'` : `node '${printable(nodeId)}' (${printable(type)})`;
}
