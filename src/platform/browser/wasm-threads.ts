/**
 * Several cores for the WASM backend in the browser (with 4 cores or more, every core but the page's). Its threaded SIMD build needs SharedArrayBuffer,
 * which browsers only give a cross-origin isolated page: served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * (vite dev and preview send both, see vite.config.ts; a static host must too, docs/runtime.md).
 * Without them WASM runs on one thread and the toolbar says why.
 * Two things the backend gets wrong once bundled, handled while it starts:
 * - it hands its pthread workers the module script as a Blob of `factory.toString()`, which after
 *   minification refers to names of the bundle the worker does not have ("e is not defined"): the
 *   workers get the package's own script file instead (its text, bundled as a string);
 * - it caps its pool at half of `navigator.hardwareConcurrency` (it assumes two hyperthreads per
 *   core), one thread on a 2-core machine: the page reports 2 × the threads asked.
 */
import { WASM_MAX_THREADS, type WasmThreading } from '../../services/wasm-threading';

let restore: (() => void) | undefined;

/** The editor's WASM threads on a machine with `cores` cores (at most the build's pool). */
export function browserDefaultThreads(cores: number): number {
  return Math.min(WASM_MAX_THREADS, Math.max(1, cores >= 4 ? cores - 1 : cores));
}

/** WASM's threads in the browser: `initBackend(name, { wasmThreading: browserWasmThreading })`. */
export const browserWasmThreading: WasmThreading = {
  // With 4 cores or more, every core but one: the page (its rendering, React, the canvas) keeps a
  // core, so compute never starves panning and typing, at a small cost in compute. With 2 or 3 cores
  // that core is a third to a half of the compute, and measured on 2 cores the page drew fewer
  // frames with one thread than with two (bench canvas); `?threads=N` asks for another count.
  defaultThreads: () => browserDefaultThreads(globalThis.navigator?.hardwareConcurrency || 1),

  async prepare(threads) {
    if (!globalThis.crossOriginIsolated) {
      return 'page not cross-origin isolated: no COOP/COEP headers';
    }
    const [{ setThreadsCount }, { default: moduleSource }] = await Promise.all([
      import('@tensorflow/tfjs-backend-wasm'),
      import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw'),
    ]);
    setThreadsCount(threads);
    const moduleScript = new Blob([moduleSource], { type: 'text/javascript' });
    const PageWorker = globalThis.Worker;
    class PoolWorker extends PageWorker {
      override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
        const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
        const fixed = m?.cmd === 'load' && m.urlOrBlob instanceof Blob ? { ...m, urlOrBlob: moduleScript } : message;
        super.postMessage(fixed, transfer as Transferable[]);
      }
    }
    globalThis.Worker = PoolWorker;
    const nav = globalThis.navigator;
    Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
    restore = () => {
      globalThis.Worker = PageWorker;
      delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
    };
    return undefined;
  },

  started() {
    restore?.();
    restore = undefined;
  },
};
