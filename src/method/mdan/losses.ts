/**
 * The MDAN losses (docs/method.md): hinge for D and the image, content MSE, total variation. Each is
 * one kernel forward and one backward where the backend has them (WebGPU: webgpu-losses.ts), else
 * tfjs ops (cpu and WASM results stay those of the ops).
 */
import * as tf from '@tensorflow/tfjs';
import { HINGE_LOSS, HINGE_PAIR, SQUARED_ERROR, TOTAL_VARIATION, hasFusedLosses } from '../kernels/webgpu-losses';

const fused = (t: tf.Tensor) => t.dtype === 'float32' && hasFusedLosses();
const run = (kernel: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number>) =>
  tf.engine().runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Scalar;
const weighted = (loss: tf.Scalar, weight: number) => (weight === 1 ? loss : (tf.mul(loss, weight) as tf.Scalar));

/** Max-margin loss: mean over patches of max(0, 1 - y·s); y = +1 real, -1 fake; times `weight`. */
export function hingeLoss(scores: tf.Tensor, label: 1 | -1, weight = 1): tf.Scalar {
  if (fused(scores)) return run(HINGE_LOSS, { s: scores }, { label, weight });
  return tf.tidy(() => weighted(tf.mean(tf.relu(tf.sub(1, tf.mul(scores, label)))) as tf.Scalar, weight));
}

/** A discriminator's loss on its real and fake batches: hinge(real, +1) + hinge(fake, -1). */
export function discriminatorHinge(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  if (fused(real)) return run(HINGE_PAIR, { real, fake }, {});
  return tf.tidy(() => tf.add(hingeLoss(real, 1), hingeLoss(fake, -1)) as tf.Scalar);
}

/** Mean squared error between two tensors of the same shape (e.g. relu5_1 of image and photo), times `weight`. */
export function contentLoss(a: tf.Tensor, b: tf.Tensor, weight = 1): tf.Scalar {
  if (a.shape.join('x') !== b.shape.join('x')) {
    throw new Error(`contentLoss: shapes differ (${a.shape.join('x')} vs ${b.shape.join('x')})`);
  }
  if (fused(a)) return run(SQUARED_ERROR, { a, b }, { weight });
  return tf.tidy(() => weighted(tf.mean(tf.squaredDifference(a, b)) as tf.Scalar, weight));
}

/**
 * Smoothness: the squared differences to the right and lower neighbours, for an image [H, W, C] or a
 * batch [B, H, W, C], in the image's own units. `mean` (default): the mean of each direction's
 * squared differences, summed over the two directions (independent of the image size, for G's
 * output in MGAN training). `sum`: their plain sum over every pixel and channel, the authors' MDAN
 * smoothness term (each pixel's gradient then depends on its neighbours only, not on the image size).
 */
export function totalVariation(image: tf.Tensor3D | tf.Tensor4D, reduction: 'mean' | 'sum' = 'mean', weight = 1): tf.Scalar {
  if (fused(image)) {
    const [b, h, w, c] = (image.rank === 3 ? [1, ...image.shape] : image.shape) as [number, number, number, number];
    // The mean of each direction's squared differences: their count folds into the factor.
    const per = (count: number) => (reduction === 'sum' || count === 0 ? weight : weight / count);
    return run(TOTAL_VARIATION, { x: image }, { down: per(b * (h - 1) * w * c), right: per(b * h * (w - 1) * c) });
  }
  return tf.tidy(() => {
    const x = (image.rank === 3 ? tf.expandDims(image, 0) : image) as tf.Tensor4D;
    const [, h, w] = x.shape;
    const reduce = (d: tf.Tensor) => (reduction === 'sum' ? tf.sum(tf.square(d)) : tf.mean(tf.square(d)));
    let sum: tf.Scalar = tf.scalar(0);
    if (h > 1) {
      const down = tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - 1, -1, -1]));
      sum = tf.add(sum, reduce(down));
    }
    if (w > 1) {
      const right = tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, w - 1, -1]));
      sum = tf.add(sum, reduce(right));
    }
    return weighted(sum, weight);
  });
}
