/**
 * Backend choice. Browser: WebGPU, then WebGL, then WASM, then CPU, passing over a GPU that is a
 * software renderer (SwiftShader, lavapipe: 13-45x slower than WASM on the same CPU, measured).
 * Node: WASM (fast, with our training kernels registered), or CPU. An explicit choice overrides the
 * order (and takes a software GPU too).
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

/** Names software renderers appear under in WebGPU adapter info and WebGL renderer strings. */
const SOFTWARE_GPUS: Array<[RegExp, string]> = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe|lavapipe/i, 'lavapipe (llvmpipe)'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render|\bwarp\b/i, 'WARP'],
];

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The software renderer behind a WebGPU adapter ('SwiftShader', ...), or undefined for a real GPU. */
export function softwareWebGpu(adapter: { info?: AdapterInfoLike; isFallbackAdapter?: boolean }): string | undefined {
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const named = SOFTWARE_GPUS.find(([pattern]) => pattern.test(text));
  if (named) return named[1];
  return adapter.isFallbackAdapter || info.isFallbackAdapter ? 'a fallback (software) adapter' : undefined;
}

/** The software renderer behind this browser's WebGL ('SwiftShader', ...), or undefined. */
function softwareWebGl(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return undefined;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_GPUS.find(([pattern]) => pattern.test(renderer))?.[1];
}

/** Why a software GPU is passed over (the browser then takes WASM, which is faster on the same CPU). */
function softwareReason(renderer: string, name: BackendName): string {
  return `${renderer} is a software GPU, slower here than WASM on the CPU (?backend=${name} forces it)`;
}

async function tryBackend(name: BackendName, options: BackendOptions, allowSoftwareGpu = false): Promise<string | undefined> {
  try {
    if (name === 'webgl' && !allowSoftwareGpu) {
      const software = softwareWebGl();
      if (software) return softwareReason(software, name);
    }
    await registerBackend(name);
    if (name === 'wasm') await prepareWasmThreads(options.threads);
    if (name === 'webgpu') {
      const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null> } })?.gpu;
      if (!gpu) return 'navigator.gpu is not available';
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'no WebGPU adapter';
      const software = allowSoftwareGpu ? undefined : softwareWebGpu(adapter);
      if (software) return softwareReason(software, name);
    }
    let ok: boolean;
    try {
      ok = await tf.setBackend(name);
    } finally {
      if (name === 'wasm' && !wasmStarted) wasmThreading?.started?.();
    }
    if (name === 'wasm' && ok) wasmStarted = true;
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
    const why = await tryBackend(preferred, options, true);
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
