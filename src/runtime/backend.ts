/**
 * Backend choice. Browser: WebGPU, then WebGL, then WASM, then CPU, passing over a GPU that is a
 * software renderer (software-gpu.ts). Node: WASM (fast), or CPU. Each backend gets its rows of the
 * custom kernel table as it starts. WebGPU computes on a device requested here (webgpu-device.ts:
 * tfjs's features and limits, plus shader-f16). An explicit choice overrides the order (and takes a software GPU
 * too). WASM runs on several threads where the platform allows it (wasm-threading.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName } from './types';
import type { WasmThreading } from '../services/wasm-threading';
import { softwareGpuReason, softwareWebGl, softwareWebGpu, type WebGpuAdapterLike } from './software-gpu';
import { startWasmBackend, wasmThreadInfo, wasmThreadsProblem } from './wasm-threading';
import { installCustomKernels } from '../method/kernels/custom-kernels';
import { registerWebGpuDevice } from './webgpu-device';

const BROWSER_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NODE_ORDER: BackendName[] = ['wasm', 'cpu'];

export const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Hooks run after a backend is registered, before it is used (e.g. extra WASM kernels). */
const backendSetupHooks: Array<(name: BackendName) => void | Promise<void>> = [];
export function onBackendSetup(hook: (name: BackendName) => void | Promise<void>): void {
  backendSetupHooks.push(hook);
}

// The backend's rows of the custom kernel table (src/method/kernels/custom-kernels.ts).
onBackendSetup((name) => {
  installCustomKernels(name);
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

async function registerBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  } else if (name === 'webgpu') {
    if (isNode) await installNodeWebGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  // webgl and cpu ship with @tensorflow/tfjs.
}

async function tryBackend(name: BackendName, options: BackendOptions, allowSoftwareGpu = false): Promise<string | undefined> {
  try {
    const softwareGl = name === 'webgl' && !allowSoftwareGpu ? softwareWebGl() : undefined;
    if (softwareGl) return softwareGpuReason(softwareGl, name);
    await registerBackend(name);
    if (name === 'webgpu') {
      type Adapter = WebGpuAdapterLike & Parameters<typeof registerWebGpuDevice>[0];
      const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(o: object): Promise<Adapter | null> } })?.gpu;
      if (!gpu) return 'navigator.gpu is not available';
      // The adapter tfjs's own factory would take.
      const adapter = await gpu.requestAdapter({ powerPreference: tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance' });
      if (!adapter) return 'no WebGPU adapter';
      const software = allowSoftwareGpu ? undefined : softwareWebGpu(adapter);
      if (software) return softwareGpuReason(software, name);
      await registerWebGpuDevice(adapter, options.shaderF16 !== false);
    }
    const ok = name === 'wasm' ? await startWasmBackend(options.threads, options.wasmThreading) : await tf.setBackend(name);
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
  /** How this platform runs WASM on several threads (each platform's wasm-threads.ts); without it, one thread. */
  wasmThreading?: WasmThreading;
  /**
   * WebGPU: ask for `shader-f16` where the adapter has it (default true; half-precision decoding
   * needs it). false leaves it off: the f32 path on the same adapter (tests, benchmarks).
   */
  shaderF16?: boolean;
}

/** Selects and initialises a backend; `preferred` forces one (an error if it fails). */
export async function initBackend(preferred?: BackendName, options: BackendOptions = {}): Promise<BackendInfo> {
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new Error(`threads must be a whole number of at least 1, got ${options.threads}`);
  }
  if (preferred) {
    const why = await tryBackend(preferred, options, true);
    if (why) throw new Error(`backend '${preferred}' is not available: ${why}`);
    current = { name: preferred, ...(preferred === 'wasm' ? await wasmThreadInfo() : {}) };
    return current;
  }
  if (current && tf.getBackend() === current.name) return current;
  const reasons: string[] = [];
  for (const name of isNode ? NODE_ORDER : BROWSER_ORDER) {
    const why = await tryBackend(name, options);
    if (!why) {
      current = { name, fallbackReason: reasons.length ? reasons.join('; ') : undefined, ...(name === 'wasm' ? await wasmThreadInfo() : {}) };
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
  return current?.name === 'wasm' ? wasmThreadsProblem() : undefined;
}
