/**
 * Every core for the WASM backend in the browser. Its threaded SIMD build needs SharedArrayBuffer,
 * which browsers only give a cross-origin isolated page: served with
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * (vite dev and preview send both, see vite.config.ts; a static host must too, docs/runtime.md).
 * Without them WASM runs on one thread and the toolbar says why.
 * The backend caps its pool at half of `navigator.hardwareConcurrency` (it assumes two hyperthreads
 * per core), one thread on a 2-core machine: while it starts, the page reports 2 × the threads asked.
 */
import { setWasmThreading, WASM_MAX_THREADS, type WasmThreading } from '../../runtime/backend';

let restore: (() => void) | undefined;

export const browserWasmThreading: WasmThreading = {
  defaultThreads: () => Math.min(WASM_MAX_THREADS, globalThis.navigator?.hardwareConcurrency || 1),

  async prepare(threads) {
    if (!globalThis.crossOriginIsolated) {
      return 'page not cross-origin isolated: no COOP/COEP headers';
    }
    const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    setThreadsCount(threads);
    const nav = globalThis.navigator;
    Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
    restore = () => {
      delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
    };
    return undefined;
  },

  started() {
    restore?.();
    restore = undefined;
  },
};

/** Lets the WASM backend use every core of this page (call before `initBackend`). */
export function installBrowserWasmThreads(): void {
  setWasmThreading(browserWasmThreading);
}
