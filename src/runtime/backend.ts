/**
 * Backend choice. Browser: WebGPU, then WebGL, then WASM, then CPU. Node: WASM (fast, with our
 * training kernels registered), or CPU. An explicit choice overrides the order.
 *
 * WASM runs on several threads when the platform allows it (see `WasmThreading`: Node always, the
 * browser when the page is cross-origin isolated); the count is fixed when the backend starts.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName } from './types';
import { registerMissingGradients, registerWasmTrainingKernels } from '../method/kernels/wasm-kernels';

const BROWSER_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NODE_ORDER: BackendName[] = ['wasm', 'cpu'];

export const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Hooks run after a backend is registered, before it is used (e.g. extra WASM kernels). */
const backendSetupHooks: Array<(name: BackendName) => void | Promise<void>> = [];
export function onBackendSetup(hook: (name: BackendName) => void | Promise<void>): void {
  backendSetupHooks.push(hook);
}

// Training everywhere: gradients tfjs lacks on all backends, and WASM's missing filter-gradient kernels.
onBackendSetup((name) => {
  registerMissingGradients();
  if (name === 'wasm') registerWasmTrainingKernels();
});

/** The optional `webgpu` npm package (Dawn); a variable name keeps bundlers from resolving it. */
const NODE_WEBGPU_PACKAGE = 'webgpu';

interface NodeWebGpuModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

/**
 * WebGPU in Node: Dawn from the optional `webgpu` package provides `navigator.gpu` and the GPU*
 * globals tfjs-backend-webgpu expects. It must run before that backend is imported: the backend
 * registers itself only if `navigator.gpu` exists when its module loads.
 */
async function installNodeWebGpu(): Promise<void> {
  if ((globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) return;
  let mod: NodeWebGpuModule;
  try {
    mod = (await import(/* @vite-ignore */ NODE_WEBGPU_PACKAGE)) as NodeWebGpuModule;
  } catch (e) {
    throw new Error(
      `WebGPU in Node needs the optional \`webgpu\` package (npm install webgpu) and a Vulkan driver Dawn accepts ` +
        `(Mesa 25 lavapipe, VK_ICD_FILENAMES and XDG_RUNTIME_DIR set; see docs/runtime.md): ` +
        `${e instanceof Error ? e.message : String(e)}`,
    );
  }
  Object.assign(globalThis, mod.globals);
  const navigator = { ...((globalThis.navigator as object | undefined) ?? {}), gpu: mod.create([]) };
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
}

/**
 * What a platform does to run the WASM backend on several threads: tfjs-backend-wasm's threaded
 * SIMD build needs SharedArrayBuffer and workers (and, in Node, help it does not ship with).
 * `prepare` runs after the backend's module is imported and before it starts; `started` after.
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

async function prepareWasmThreads(asked: number | undefined): Promise<void> {
  if (tf.findBackend('wasm')) return; // started already: its thread count is fixed
  const threads = Math.min(WASM_MAX_THREADS, asked ?? wasmThreading?.defaultThreads() ?? 1);
  let reason: string | undefined;
  if (threads > 1) reason = wasmThreading ? await wasmThreading.prepare(threads) : 'no thread support installed on this platform';
  wasmThreadsRequested = { threads, reason };
}

/** The thread count the WASM backend runs on, and why it is less than asked. */
async function threadInfo(name: BackendName): Promise<Pick<BackendInfo, 'threads' | 'threadsReason'>> {
  if (name !== 'wasm') return {};
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const threads = Math.max(1, getThreadsCount());
  const asked = wasmThreadsRequested?.threads ?? 1;
  if (threads >= asked) return { threads };
  return { threads, threadsReason: wasmThreadsRequested?.reason ?? `${asked} threads asked, the backend started ${threads}` };
}

async function registerBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  } else if (name === 'webgpu') {
    if (isNode) await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  // webgl and cpu ship with @tensorflow/tfjs.
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<string | undefined> {
  try {
    await registerBackend(name);
    if (name === 'wasm') await prepareWasmThreads(options.threads);
    if (name === 'webgpu') {
      const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } })?.gpu;
      if (!gpu) return 'navigator.gpu is not available';
      if (!(await gpu.requestAdapter())) return 'no WebGPU adapter';
    }
    let ok: boolean;
    try {
      ok = await tf.setBackend(name);
    } finally {
      if (name === 'wasm') wasmThreading?.started?.();
    }
    if (!ok) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    for (const hook of backendSetupHooks) await hook(name);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

let current: BackendInfo | undefined;

export interface BackendOptions {
  /** WASM threads; default: the platform's `defaultThreads()` (every core). 1 = single-threaded. */
  threads?: number;
}

/** Selects and initialises a backend; `preferred` forces one (an error if it fails). */
export async function initBackend(preferred?: BackendName, options: BackendOptions = {}): Promise<BackendInfo> {
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new Error(`threads must be a whole number of at least 1, got ${options.threads}`);
  }
  if (preferred) {
    const why = await tryBackend(preferred, options);
    if (why) throw new Error(`backend '${preferred}' is not available: ${why}`);
    current = { name: preferred, ...(await threadInfo(preferred)) };
    return current;
  }
  if (current && tf.getBackend() === current.name) return current;
  const reasons: string[] = [];
  for (const name of isNode ? NODE_ORDER : BROWSER_ORDER) {
    const why = await tryBackend(name, options);
    if (!why) {
      current = { name, fallbackReason: reasons.length ? reasons.join('; ') : undefined, ...(await threadInfo(name)) };
      return current;
    }
    reasons.push(`${name}: ${why}`);
  }
  throw new Error(`no TensorFlow.js backend could start (${reasons.join('; ')})`);
}

/**
 * Why the backend cannot compute any more (a WASM compute thread died), or undefined. The runtime
 * checks it before each node, so the node fails with this message instead of waiting forever on a
 * thread that is gone.
 */
export function backendProblem(): string | undefined {
  return current?.name === 'wasm' ? wasmThreading?.problem?.() : undefined;
}
