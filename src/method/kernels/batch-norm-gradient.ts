/**
 * The FusedBatchNorm gradient (tf.batchNorm) for every backend, with the arithmetic of tfjs's own but
 * broadcasting the per-channel 1/sqrt(variance + eps) instead of tiling it to the input's size first.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The FusedBatchNorm gradient (tf.batchNorm) with the same arithmetic as tfjs's, but broadcasting the
 * per-channel 1/sqrt(variance + eps) instead of tiling it to the input's full size first: WASM's Tile
 * is a slow loop, and the tiled copy of a D batch (225×8×8×256 at 256²) was 5% of an MDAN iteration.
 */
function batchNormGradient(dy: tf.Tensor, saved: tf.Tensor[], attrs: Record<string, unknown>): Record<string, () => tf.Tensor> {
  const { varianceEpsilon } = attrs as { varianceEpsilon: number };
  const [x, mean, variance, scale] = saved;
  const scaleValue = scale ?? tf.scalar(1);
  const axes = tf.broadcast_util.getReductionAxes(mean.shape, x.shape);
  const reduce = (t: tf.Tensor) => tf.reshape(axes.length ? tf.sum(t, axes) : t, mean.shape);
  const rsqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
  const dyTimesScale = tf.mul(dy, scaleValue);
  const xMinusMean = tf.sub(x, mean);
  return {
    x: () => tf.reshape(tf.mul(tf.mul(dy, rsqrtVariance), scaleValue), x.shape),
    mean: () => reduce(tf.mul(tf.neg(rsqrtVariance), dyTimesScale)),
    variance: () => reduce(tf.mul(tf.mul(tf.mul(tf.pow(rsqrtVariance, 3), -0.5), xMinusMean), dyTimesScale)),
    scale: () => reduce(tf.mul(dy, tf.mul(xMinusMean, rsqrtVariance))),
    offset: () => reduce(dy),
  };
}

let installed = false;
/** Replaces tfjs's FusedBatchNorm gradient (gradients are global, not per backend). Idempotent. */
export function installBatchNormGradient(): void {
  if (installed) return;
  installed = true;
  const stockBatchNorm = tf.getGradient('FusedBatchNorm');
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: stockBatchNorm?.inputsToSave ?? ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => batchNormGradient(dy as tf.Tensor, saved, attrs as unknown as Record<string, unknown>),
  });
}
