/**
 * The WASM backend on several threads. tfjs-backend-wasm's threaded SIMD build needs
 * SharedArrayBuffer and workers (and, in Node, help it does not ship with): each platform installs a
 * `WasmThreading` (src/platform/node/wasm-threads.ts, src/platform/browser/wasm-threads.ts) that
 * arranges them; without one WASM runs on one thread. The count is fixed when the backend starts.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from './types';

/**
 * What a platform does to run the WASM backend on several threads. `prepare` runs after the
 * backend's module is imported and before it starts; `started` after.
 */
export interface WasmThreading {
  /** Threads to use when none are asked for (the platform's cores, at most WASM_MAX_THREADS). */
  defaultThreads(): number;
  /** Arranges `threads` (> 1) threads; returns why it cannot (then WASM runs on one). */
  prepare(threads: number): Promise<string | undefined>;
  started?(): void;
  /** Why the threads cannot compute any more (one died), or undefined. */
  problem?(): string | undefined;
}

/** The threaded build starts a pool of 8 workers; XNNPACK's thread pool is taken from it. */
export const WASM_MAX_THREADS = 8;

let wasmThreading: WasmThreading | undefined;
/** How this platform runs WASM threads (Node and browser entry points install theirs). Without one, WASM runs on one thread. */
export function setWasmThreading(threading: WasmThreading | undefined): void {
  wasmThreading = threading;
}

let wasmThreadsRequested: { threads: number; reason?: string } | undefined;

/** Set once the WASM backend has started (its thread count is fixed from then on). */
let wasmStarted = false;

async function prepareWasmThreads(asked: number | undefined): Promise<void> {
  // Not tf.findBackend: it would start the backend before the threads are arranged.
  if (wasmStarted) return;
  const threads = Math.min(WASM_MAX_THREADS, asked ?? wasmThreading?.defaultThreads() ?? 1);
  let reason: string | undefined;
  if (threads > 1) reason = wasmThreading ? await wasmThreading.prepare(threads) : 'no thread support installed on this platform';
  wasmThreadsRequested = { threads, reason };
}

/**
 * Starts the (registered) WASM backend on `threads` threads, default the platform's
 * `defaultThreads()`; true when tf.setBackend succeeded.
 */
export async function startWasmBackend(threads: number | undefined): Promise<boolean> {
  await prepareWasmThreads(threads);
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } finally {
    if (!wasmStarted) wasmThreading?.started?.();
  }
  if (ok) wasmStarted = true;
  return ok;
}

/** The thread count the started WASM backend runs on, and why it is less than asked. */
export async function wasmThreadInfo(): Promise<Pick<BackendInfo, 'threads' | 'threadsReason'>> {
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const threads = Math.max(1, getThreadsCount());
  const asked = wasmThreadsRequested?.threads ?? 1;
  if (threads >= asked) return { threads };
  return { threads, threadsReason: wasmThreadsRequested?.reason ?? `${asked} threads asked, the backend started ${threads}` };
}

/** Why the WASM threads cannot compute any more (one died), or undefined. */
export function wasmThreadsProblem(): string | undefined {
  return wasmThreading?.problem?.();
}
