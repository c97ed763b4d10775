/**
 * Swaps a backend's registered kernel for one of ours that may fall back to it: `wrap` receives the
 * stock kernel and returns the new kernel function; setup and dispose stay the stock ones (the stock
 * kernel may still run). Once per kernel and backend; false when the backend has no such kernel (yet).
 */
import * as tf from '@tensorflow/tfjs';

const replaced = new Set<string>();

export function replaceKernel(kernelName: string, backendName: string, wrap: (original: tf.KernelConfig) => (args: never) => unknown): boolean {
  const key = `${backendName}/${kernelName}`;
  if (replaced.has(key)) return true;
  const original = tf.getKernel(kernelName, backendName);
  if (!original) return false;
  replaced.add(key);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: wrap(original) as unknown as tf.KernelFunc, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc });
  return true;
}
