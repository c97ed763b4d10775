/**
 * The WASM backend on several threads. tfjs-backend-wasm's threaded SIMD build needs
 * SharedArrayBuffer and workers (and, in Node, help it does not ship with): each platform has a
 * `WasmThreading` (src/platform/node/wasm-threads.ts, src/platform/browser/wasm-threads.ts) that
 * arranges them, handed to initBackend by the entry point; without one WASM runs on one thread. The count is fixed when the backend starts.
 */
import * as tf from '@tensorflow/tfjs';
import { WASM_MAX_THREADS, type WasmThreading } from '../services/wasm-threading';
import type { BackendInfo } from './types';

/** The threading the WASM backend started with (it asks it whether a thread died). */
let wasmThreading: WasmThreading | undefined;

let wasmThreadsRequested: { threads: number; reason?: string } | undefined;

/** Set once the WASM backend has started (its thread count is fixed from then on). */
let wasmStarted = false;

async function prepareWasmThreads(asked: number | undefined, threading: WasmThreading | undefined): Promise<void> {
  // Not tf.findBackend: it would start the backend before the threads are arranged.
  if (wasmStarted) return;
  wasmThreading = threading;
  const threads = Math.min(WASM_MAX_THREADS, asked ?? wasmThreading?.defaultThreads() ?? 1);
  let reason: string | undefined;
  if (threads > 1) reason = wasmThreading ? await wasmThreading.prepare(threads) : 'no thread support installed on this platform';
  else {
    // One thread: the plain SIMD build. On a cross-origin isolated page the backend would otherwise
    // take its threaded build, whose pool workers nothing has prepared (they fail to load).
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  wasmThreadsRequested = { threads, reason };
}

/**
 * Starts the (registered) WASM backend on `threads` threads, default the platform's
 * `defaultThreads()`, arranged by the platform's `threading` (without one, WASM runs on one thread);
 * true when tf.setBackend succeeded.
 */
export async function startWasmBackend(threads: number | undefined, threading: WasmThreading | undefined): Promise<boolean> {
  await prepareWasmThreads(threads, threading);
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
