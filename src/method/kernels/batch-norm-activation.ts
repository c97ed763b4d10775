/**
 * Batch normalisation with the batch's statistics, then ReLU (leak 0) or LeakyReLU, as one kernel where
 * the backend has one (`MganBatchNormActivation`, WebGPU: webgpu-batch-norm-activation.ts). Callers
 * keep their tfjs-op form for every other backend, so WASM and cpu results do not change.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_ACTIVATION, type BatchNormActivationAttrs } from './webgpu-batch-norm-activation';

export interface FusedBatchNormActivation {
  y: tf.Tensor4D;
  /** The running statistics moved towards this batch's (old · momentum + batch · (1 - momentum)). */
  movingMean: tf.Tensor1D;
  movingVariance: tf.Tensor1D;
}

const placeholders = new Map<string, tf.Tensor1D>();

/**
 * Running statistics for a layer that keeps none: a constant [C] per backend and size, never on a
 * gradient's path (the kernel's moved copies of it are thrown away). Uploaded once, no GPU program.
 */
function placeholderStatistics(channels: number): tf.Tensor1D {
  const key = `${tf.getBackend()}/${channels}`;
  let t = placeholders.get(key);
  if (!t || t.isDisposed) {
    t = tf.keep(tf.tensor1d(new Float32Array(channels)));
    placeholders.set(key, t);
  }
  return t;
}

/** True when the current backend runs the fused kernel (for float32 inputs). */
export function hasFusedBatchNormActivation(): boolean {
  return !!tf.getKernel(BATCH_NORM_ACTIVATION, tf.getBackend());
}

/**
 * act(batchNorm(x, batch mean, batch variance, beta, gamma, epsilon)) with act(h) = h > 0 ? h : leak·h,
 * differentiable in x, gamma and beta (through the batch moments). Without `running` (a layer that
 * keeps no running statistics) the returned moved statistics are meaningless.
 */
export function fusedBatchNormActivation(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  attrs: BatchNormActivationAttrs,
  running?: { mean: tf.Tensor1D; variance: tf.Tensor1D },
): FusedBatchNormActivation {
  const unused = running ? undefined : placeholderStatistics(gamma.shape[0]);
  running ??= { mean: unused!, variance: unused! };
  const [y, stats, movingMean, movingVariance] = tf.engine().runKernel(
    BATCH_NORM_ACTIVATION,
    { x, gamma, beta, movingMean: running.mean, movingVariance: running.variance },
    attrs as unknown as tf.NamedAttrMap,
  ) as unknown as tf.Tensor[];
  // The batch moments are only for the gradient, which keeps its own references.
  stats.dispose();
  return { y: y as tf.Tensor4D, movingMean: movingMean as tf.Tensor1D, movingVariance: movingVariance as tf.Tensor1D };
}
