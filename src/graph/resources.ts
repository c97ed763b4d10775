/**
 * What a graph reaches outside itself: the files and URLs its params name (string params marked with
 * a `resource`), and the rule for the names it writes. The CLI checks these before a run, the editor
 * lists them before a graph from someone else may run (docs/security.md). Pure: no file system here.
 */
import { isDataUrl } from './embedded-images';
import type { GraphDocument, NodeTypeLookup, ParamSpec } from './types';

/** File extension of a shared decoder file: a store reference ending in it is a path, not a name. */
const SHARED_FILE_EXTENSIONS = ['.mgan'];

/** Whether a `store-or-path` value names a file or folder (else it is a saved entry's name). */
export function storeRefIsPath(text: string): boolean {
  return /[\\/]/.test(text) || SHARED_FILE_EXTENSIONS.some((ext) => text.toLowerCase().endsWith(ext));
}

export interface ExternalReference {
  nodeId: string;
  nodeType: string;
  param: string;
  /** A URL fetched, or a local file or folder read. */
  kind: 'url' | 'path';
  value: string;
}

/** The items of a `path-list` value. */
export function splitPathList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function referencesOf(spec: ParamSpec, value: unknown): Array<{ kind: 'url' | 'path'; value: string }> {
  if (spec.type !== 'string' || typeof value !== 'string' || !spec.resource) return [];
  const text = value.trim();
  if (!text) return [];
  switch (spec.resource) {
    case 'url':
      // An image embedded in the graph (data:, where the param allows it) is read from the graph itself: nothing is fetched.
      return spec.embedsImage && isDataUrl(text) ? [] : [{ kind: 'url', value: text }];
    case 'path':
      return [{ kind: 'path', value: text }];
    case 'path-list':
      return splitPathList(text).map((p) => ({ kind: 'path' as const, value: p }));
    case 'store-or-path':
      return storeRefIsPath(text) ? [{ kind: 'path', value: text }] : [];
    case 'output-name':
    // A key into the storage of the browser the file was dropped in: it reads nothing from outside.
    case 'browser-asset':
      return [];
  }
}

/**
 * Every URL and local path the document's params name, in node order (bypassed nodes included: a
 * bypass can be switched off), then those the values of the sweep `meta.sweep` names would set
 * (each value is a run). Nodes of unknown types are skipped: they cannot run.
 */
export function externalReferences(doc: GraphDocument, types: NodeTypeLookup): ExternalReference[] {
  const found: ExternalReference[] = [];
  for (const node of doc.nodes) {
    const spec = types.get(node.type);
    if (!spec) continue;
    for (const param of spec.params) {
      for (const ref of referencesOf(param, node.params[param.name] ?? param.default)) {
        found.push({ nodeId: node.id, nodeType: node.type, param: param.name, ...ref });
      }
    }
  }
  // Read loosely: whatever a sweep could set is listed, even when the sweep itself is malformed.
  const sweep = doc.meta.sweep as { node?: unknown; param?: unknown; values?: unknown } | undefined;
  const swept = sweep && typeof sweep === 'object' ? doc.nodes.find((n) => n.id === sweep.node) : undefined;
  const param = swept && types.get(swept.type)?.params.find((p) => p.name === sweep!.param);
  if (swept && param && Array.isArray(sweep!.values)) {
    const seen = new Set(found.map((r) => `${r.nodeId}\u0000${r.param}\u0000${r.value}`));
    for (const value of sweep!.values) {
      for (const ref of referencesOf(param, value)) {
        const key = `${swept.id}\u0000${param.name}\u0000${ref.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ nodeId: swept.id, nodeType: swept.type, param: param.name, ...ref });
      }
    }
  }
  return found;
}
