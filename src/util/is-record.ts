/** A JSON object: not null, not an array. Untrusted input (graphs, links, files) is checked with it before its fields are read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
