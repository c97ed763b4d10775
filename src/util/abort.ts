/** The error a cancelled run throws, and how to recognise one (by name, as DOM and Node code do). */

export function abortError(message = 'cancelled'): Error {
  // DOMException exists in browsers and Node >= 17; its name is what callers test for.
  return typeof DOMException === 'function' ? new DOMException(message, 'AbortError') : Object.assign(new Error(message), { name: 'AbortError' });
}

export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
