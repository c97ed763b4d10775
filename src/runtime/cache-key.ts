/**
 * Cache keys: a stable hash of canonical JSON. Browser-safe (no node:crypto) and synchronous, because
 * the runtime computes every node's key up front from its type, params and its inputs' keys.
 */
import { canonicalJson } from '../util/canonical-json';

/** 64-bit string hash (two independent 32-bit multiply-xorshift lanes), as 16 hex digits. */
export function hashString(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

export function cacheKey(value: unknown): string {
  return hashString(canonicalJson(value));
}

/** What a node's result depends on; input keys already summarise everything upstream. */
export interface NodeKeyParts {
  type: string;
  version: number;
  params: Record<string, unknown>;
  bypass: boolean;
  /** port name -> "<upstream key>:<upstream port>" */
  inputs: Record<string, string>;
}

export function nodeCacheKey(parts: NodeKeyParts): string {
  return cacheKey({ t: `${parts.type}@${parts.version}`, p: parts.params, b: parts.bypass, i: parts.inputs });
}
