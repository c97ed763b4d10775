/** The MDAN losses (docs/method.md): hinge for D and the image, content MSE, total variation. */
import * as tf from '@tensorflow/tfjs';

/** Max-margin loss: mean over patches of max(0, 1 - y·s); y = +1 real, -1 fake. */
export function hingeLoss(scores: tf.Tensor, label: 1 | -1): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.relu(tf.sub(1, tf.mul(scores, label)))) as tf.Scalar);
}

/** Mean squared error between two tensors of the same shape (e.g. relu5_1 of image and photo). */
export function contentLoss(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  if (a.shape.join('x') !== b.shape.join('x')) {
    throw new Error(`contentLoss: shapes differ (${a.shape.join('x')} vs ${b.shape.join('x')})`);
  }
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)) as tf.Scalar);
}

/**
 * Smoothness: the squared differences to the right and lower neighbours, for an image [H, W, C] or a
 * batch [B, H, W, C], in the image's own units. `mean` (default): the mean of each direction's
 * squared differences, summed over the two directions (independent of the image size, for G's
 * output in MGAN training). `sum`: their plain sum over every pixel and channel, the authors' MDAN
 * smoothness term (each pixel's gradient then depends on its neighbours only, not on the image size).
 */
export function totalVariation(image: tf.Tensor3D | tf.Tensor4D, reduction: 'mean' | 'sum' = 'mean'): tf.Scalar {
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
    return sum;
  });
}
