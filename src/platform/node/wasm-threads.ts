/**
 * Every core for the WASM backend in Node. tfjs-backend-wasm 4.22 ships a threaded SIMD build
 * (Emscripten pthreads over worker_threads, XNNPACK's thread pool inside every conv and matmul) but
 * turns it off in Node, for two reasons this module works around:
 * - its pthread workers are created from `blob:` URLs and load the module script from a Blob, which
 *   Node's Worker cannot do: `Worker` is swapped, while the backend starts, for one that runs the
 *   same worker script from source (`eval`) and hands it the module's file path instead of the Blob;
 * - the pool size is capped at half the cores Emscripten reports (it assumes two hyperthreads per
 *   core), one thread on a 2-core machine: `os.cpus()` reports 2 × the threads asked while it starts.
 * Measured, and why this rather than one worker_threads backend per core: docs/benchmarks.md.
 */
import { availableParallelism } from 'node:os';
import os from 'node:os';
import { createRequire } from 'node:module';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { WASM_MAX_THREADS, type WasmThreading } from '../../services/wasm-threading';

const require = createRequire(import.meta.url);

/** The pool's threads, to notice one that died (an exit or error the backend did not ask for). */
const poolThreads = new Set<NodeWorker>();
let lostThread: string | undefined;
let backendStarting = false;

function poolWorkerClass(workerSource: string, moduleScript: string): typeof NodeWorker {
  return class PoolWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const pthread = typeof url === 'string' && url.startsWith('blob:');
      // Emscripten escapes newlines the same way for its Blob (they sit inside string literals).
      super(pthread ? workerSource.replace(/\n/g, '\\n') : url, pthread ? { eval: true } : options);
      if (!pthread) return;
      poolThreads.add(this);
      this.on('exit', (code) => {
        poolThreads.delete(this);
        if (!backendStarting) lostThread ??= `a WASM compute thread stopped (exit code ${code})`;
      });
    }

    // Emscripten refs a thread while it runs a pthread: XNNPACK's pool threads run for the backend's
    // life, and would keep the process from ever exiting. They only compute while the main thread
    // waits on them, so they never need to keep it alive.
    override ref(): void {
      super.unref();
    }

    // Emscripten reads `worker.onerror` on each 'error' event and its handler rethrows the thread's
    // error, which would end the whole process: the error is recorded instead.
    private emscriptenOnError: ((e: unknown) => void) | null = null;
    get onerror(): (e: unknown) => void {
      return (e) => {
        lostThread ??= `a WASM compute thread failed: ${(e as Error)?.message ?? String(e)}`;
        try {
          this.emscriptenOnError?.(e);
        } catch {
          // recorded above: the next node fails with the message
        }
      };
    }
    set onerror(handler: ((e: unknown) => void) | null) {
      this.emscriptenOnError = handler;
    }

    override postMessage(message: unknown, transfer?: Parameters<NodeWorker['postMessage']>[1]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      // The module script arrives as a Blob; a path lets the worker's importScripts read it from disk.
      super.postMessage(m?.cmd === 'load' && typeof m.urlOrBlob !== 'string' ? { ...m, urlOrBlob: moduleScript } : message, transfer);
    }
  } as unknown as typeof NodeWorker;
}

let restoreCpus: (() => void) | undefined;

/** Threads when none are asked for: `MGAN_STUDIO_THREADS` if set (the tests set 1), else every core. */
function defaultThreads(): number {
  const fromEnv = Number(process.env.MGAN_STUDIO_THREADS);
  return Math.min(WASM_MAX_THREADS, Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : availableParallelism());
}

/** Every core for the WASM backend in this Node process: `initBackend(name, { wasmThreading: nodeWasmThreading })`. */
export const nodeWasmThreading: WasmThreading = {
  defaultThreads,

  async prepare(threads) {
    const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    let workerSource: string;
    let moduleScript: string;
    try {
      workerSource = (require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string }).wasmWorkerContents;
      moduleScript = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
    } catch (e) {
      return `the threaded WASM build is missing from @tensorflow/tfjs-backend-wasm (${(e as Error).message})`;
    }
    const PoolWorker = poolWorkerClass(workerSource, moduleScript);
    // Emscripten assigns `global.Worker = worker_threads.Worker` when it starts: this one stays.
    Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PoolWorker, set: () => undefined });
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    const cpus = os.cpus;
    os.cpus = () => {
      const list = cpus();
      return Array.from({ length: 2 * threads }, (_, i) => list[i % list.length]);
    };
    restoreCpus = () => {
      os.cpus = cpus;
    };
    backendStarting = true;
    return undefined;
  },

  started() {
    restoreCpus?.();
    restoreCpus = undefined;
    backendStarting = false;
  },

  problem: () => lostThread,
};

/** The live threads of the WASM pool (tests: one can be stopped to see how a lost thread is reported). */
export function wasmPoolThreads(): NodeWorker[] {
  return [...poolThreads];
}
