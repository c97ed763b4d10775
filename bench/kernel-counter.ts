/**
 * Counts what a piece of work costs in launches, where it happens: tfjs kernels (the engine's kernel
 * calls, outermost ones apart from those our kernels run inside), GPU programs (each WebGPU
 * `dispatchWorkgroups`, counted on the compute pass itself), queue submissions, and read-backs
 * (`backend.read`/`readSync` calls, and on WebGPU the buffers mapped for reading).
 */
import * as tf from '@tensorflow/tfjs';

export interface LaunchCounts {
  /** Kernels the engine ran, outermost only. */
  kernels: number;
  /** All kernels, those run inside our kernels included. */
  kernelsAll: number;
  /** WebGPU compute dispatches (0 on other backends). */
  programs: number;
  /** WebGPU queue submissions. */
  submits: number;
  /** Reads of tensor data to the CPU (data() / dataSync()). */
  reads: number;
  /** WebGPU buffers mapped for reading. */
  mapReads: number;
  /** Per kernel name: outermost calls. */
  byKernel: Record<string, number>;
  /** Per outermost kernel name: the GPU programs it dispatched ('(none)': outside any kernel). */
  programsByKernel: Record<string, number>;
}

const zero = (): LaunchCounts => ({ kernels: 0, kernelsAll: 0, programs: 0, submits: 0, reads: 0, mapReads: 0, byKernel: {}, programsByKernel: {} });
/** The outermost kernel running now. */
let outer: string | undefined;

let counts = zero();
let installed = false;

type Patchable = Record<string, unknown> & { prototype?: Record<string, unknown> };

function wrap(target: Record<string, unknown> | undefined, method: string, count: () => void): void {
  const original = target?.[method];
  if (!target || typeof original !== 'function') return;
  target[method] = function (this: unknown, ...args: unknown[]) {
    count();
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

/** Installs the counters on the engine, the current backend and (when present) the WebGPU classes. Once per process. */
export function installLaunchCounter(): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as unknown as { runKernelFunc(args: { kernelName?: string }): unknown; state: { kernelDepth: number } };
  const run = engine.runKernelFunc.bind(engine);
  engine.runKernelFunc = (args) => {
    counts.kernelsAll++;
    if (engine.state.kernelDepth === 0 && args.kernelName) {
      counts.kernels++;
      counts.byKernel[args.kernelName] = (counts.byKernel[args.kernelName] ?? 0) + 1;
      outer = args.kernelName;
      try {
        return run(args);
      } finally {
        outer = undefined;
      }
    }
    return run(args);
  };
  const backend = tf.backend() as unknown as Record<string, unknown>;
  wrap(backend, 'read', () => counts.reads++);
  wrap(backend, 'readSync', () => counts.reads++);
  const g = globalThis as unknown as Record<string, Patchable | undefined>;
  wrap(g.GPUComputePassEncoder?.prototype, 'dispatchWorkgroups', () => {
    counts.programs++;
    const name = outer ?? '(none)';
    counts.programsByKernel[name] = (counts.programsByKernel[name] ?? 0) + 1;
  });
  wrap(g.GPUQueue?.prototype, 'submit', () => counts.submits++);
  wrap(g.GPUBuffer?.prototype, 'mapAsync', () => counts.mapReads++);
}

/** Counts from now on; returns a function giving the counts since this call. */
export function startCounting(): () => LaunchCounts {
  installLaunchCounter();
  counts = zero();
  const mine = counts;
  return () => ({ ...mine, byKernel: { ...mine.byKernel }, programsByKernel: { ...mine.programsByKernel } });
}

/** The `n` most frequent kernels of `counts`, most frequent first. */
export function topKernels(c: LaunchCounts, n: number): Array<[string, number]> {
  return Object.entries(c.byKernel)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}
