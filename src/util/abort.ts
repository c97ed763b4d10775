/** The error a cancelled run throws, and how to recognise one (by name, as DOM and Node code do). */

export function abortError(message = 'cancelled'): Error {
  // DOMException exists in browsers and Node >= 17; its name is what callers test for.
  return typeof DOMException === 'function' ? new DOMException(message, 'AbortError') : Object.assign(new Error(message), { name: 'AbortError' });
}

export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/**
 * A long loop's pause point, once per iteration: waits at `checkpoint` (pause / step) and throws
 * `abortError(message)` when the run was cancelled before or during the wait.
 */
export async function pausePoint(signal: AbortSignal | undefined, checkpoint: (() => Promise<void>) | undefined, message: string): Promise<void> {
  if (signal?.aborted) throw abortError(message);
  await checkpoint?.();
  if (signal?.aborted) throw abortError(message);
}
