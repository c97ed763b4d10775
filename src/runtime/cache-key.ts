/**
 * Cache keys: a stable hash of canonical JSON. Browser-safe (no node:crypto) and synchronous, because
 * the runtime computes every node's key up front from its type, params and its inputs' keys.
 */
import { canonicalJson } from '../util/canonical-json';
import { hashText } from '../util/hash';

export function cacheKey(value: unknown): string {
  return hashText(canonicalJson(value));
}

/** What a node's result depends on; input keys already summarise everything upstream. */
export interface NodeKeyParts {
  type: string;
  version: number;
  params: Record<string, unknown>;
  bypass: boolean;
  /** port name -> "<upstream key>:<upstream port>" */
  inputs: Record<string, string>;
  /** Revisions of the outside things the node's params name (absent: none changed since start). */
  resources?: Record<string, number>;
}

export function nodeCacheKey(parts: NodeKeyParts): string {
  const key: Record<string, unknown> = { t: `${parts.type}@${parts.version}`, p: parts.params, b: parts.bypass, i: parts.inputs };
  if (parts.resources && Object.keys(parts.resources).length) key.r = parts.resources;
  return cacheKey(key);
}
