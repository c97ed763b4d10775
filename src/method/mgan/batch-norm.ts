/**
 * Batch normalisation with running statistics, for G and the MGAN discriminator.
 * 'batch' normalises with the current batch's moments (as the authors' code does at test time too);
 * 'fixed' uses the running moments recorded during training (stable across video frames).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormActivation, hasFusedBatchNormActivation } from '../kernels/batch-norm-activation';

export type Normalization = 'batch' | 'fixed';

export const BN_EPSILON = 1e-5;
/** Weight of the old running value per update (Torch's 0.1 momentum). */
export const BN_MOMENTUM = 0.9;

export interface BatchNormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

// Variables stay unnamed: tfjs names are global and several G/D instances coexist.
export function createBatchNorm(channels: number): BatchNormParams {
  return tf.tidy(() => ({
    gamma: tf.variable(tf.ones([channels]), true),
    beta: tf.variable(tf.zeros([channels]), true),
    movingMean: tf.variable(tf.zeros([channels]), false),
    movingVariance: tf.variable(tf.ones([channels]), false),
  }));
}

/**
 * Normalises x [B, H, W, C]. With `update` (training) the running moments move towards this
 * batch's moments; the update is a side effect: the assigned value feeds no loss, so no gradient flows through it.
 */
export function batchNorm(
  x: tf.Tensor4D,
  bn: BatchNormParams,
  normalization: Normalization,
  update: boolean,
): tf.Tensor4D {
  if (normalization === 'fixed') {
    return tf.batchNorm(x, bn.movingMean, bn.movingVariance, bn.beta, bn.gamma, BN_EPSILON) as tf.Tensor4D;
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  if (update) {
    tf.tidy(() => {
      const m = mean;
      const v = variance;
      bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, BN_MOMENTUM), tf.mul(m, 1 - BN_MOMENTUM)));
      bn.movingVariance.assign(tf.add(tf.mul(bn.movingVariance, BN_MOMENTUM), tf.mul(v, 1 - BN_MOMENTUM)));
    });
  }
  return tf.batchNorm(x, mean, variance, bn.beta, bn.gamma, BN_EPSILON) as tf.Tensor4D;
}

/**
 * batchNorm followed by ReLU (leak 0) or LeakyReLU: with batch statistics, one fused kernel where the
 * backend has it (WebGPU), else the tfjs ops above.
 */
export function batchNormActivation(x: tf.Tensor4D, bn: BatchNormParams, normalization: Normalization, update: boolean, leak: number): tf.Tensor4D {
  if (normalization === 'batch' && x.dtype === 'float32' && hasFusedBatchNormActivation()) {
    const running = { mean: bn.movingMean as tf.Tensor1D, variance: bn.movingVariance as tf.Tensor1D };
    const out = fusedBatchNormActivation(x, bn.gamma as tf.Tensor1D, bn.beta as tf.Tensor1D, { epsilon: BN_EPSILON, leak, momentum: BN_MOMENTUM }, running);
    if (update) {
      bn.movingMean.assign(out.movingMean);
      bn.movingVariance.assign(out.movingVariance);
    }
    tf.dispose([out.movingMean, out.movingVariance]);
    return out.y;
  }
  const y = batchNorm(x, bn, normalization, update);
  return leak === 0 ? tf.relu(y) : (tf.leakyRelu(y, leak) as tf.Tensor4D);
}

/** The stored names of a batch norm's four vectors, in the order batchNormEntries lists them. */
export const BATCH_NORM_WEIGHTS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

export function batchNormEntries(prefix: string, bn: BatchNormParams): Array<[string, tf.Variable]> {
  const vectors = [bn.gamma, bn.beta, bn.movingMean, bn.movingVariance];
  return BATCH_NORM_WEIGHTS.map((name, i) => [`${prefix}/${name}`, vectors[i]]);
}
