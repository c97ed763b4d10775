/**
 * Registering the project's kernels and gradients, each once: the install functions of the kernel
 * table (custom-kernels.ts) are idempotent through these.
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel function as tfjs calls it (inputs by name, attrs), with one output or several. */
export type OwnKernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> }) => tf.TensorInfo | tf.TensorInfo[];

/** Registers each named kernel for `backendName` unless that backend already has it. */
export function registerKernels(backendName: string, kernels: Record<string, OwnKernelFunc>): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
}

const gradients = new Set<string>();

/** Registers a gradient (tfjs keeps one per kernel name, for every backend) the first time only. */
export function registerGradientOnce(config: tf.GradConfig): void {
  if (gradients.has(config.kernelName)) return;
  gradients.add(config.kernelName);
  tf.registerGradient(config);
}
