/**
 * The contract between the runtime core and a platform for running the WASM backend on several
 * threads: the platform arranges the threads (src/platform/node/wasm-threads.ts,
 * src/platform/browser/wasm-threads.ts) and its entry point hands its `WasmThreading` to
 * `initBackend` (src/runtime/backend.ts).
 */

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
