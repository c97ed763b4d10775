/**
 * Cache keys: a stable hash of canonical JSON. Browser-safe (no node:crypto) and synchronous, because
 * the runtime computes every node's key up front from its type, params and its inputs' keys.
 */

/** JSON with object keys sorted, so equal values always give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    // JSON has no NaN/Infinity; give them distinct spellings so they do not collide with null.
    if (!Number.isFinite(value)) return `"#${String(value)}"`;
    return Object.is(value, -0) ? '0' : JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return `"#${value.toString()}n"`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot build a cache key from a ${typeof value}`);
}

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
