/**
 * The MGAN discriminator (layers from the authors' code; docs/method.md): relu3_1 [B, h, w, 256] of an image ->
 * LeakyReLU -> conv 4x4 s2 256->256, BN, LReLU -> conv 4x4 s2 256->512, BN, LReLU -> conv 1x1 512->1:
 * a score map [B, h/4, w/4] of overlapping neural patches. Scores of the outer ring see zero padding,
 * so they are masked out of the loss.
 */
import * as tf from '@tensorflow/tfjs';
import { type BatchNormParams, batchNormActivation, batchNormEntries, createBatchNorm } from './batch-norm';

export const MGAN_DISCRIMINATOR_LAYER = 'relu3_1';
const LEAK = 0.2;
const INIT_STD = 0.02;

export class MganDiscriminator {
  private constructor(
    readonly conv1: tf.Variable,
    readonly bn1: BatchNormParams,
    readonly conv2: tf.Variable,
    readonly bn2: BatchNormParams,
    readonly conv3: tf.Variable,
    readonly bias3: tf.Variable,
  ) {}

  static create(seed = 0): MganDiscriminator {
    const init = (shape: number[], s: number) => tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, INIT_STD, 'float32', seed * 103 + s)));
    return new MganDiscriminator(
      init([4, 4, 256, 256], 1),
      createBatchNorm(256),
      init([4, 4, 256, 512], 2),
      createBatchNorm(512),
      init([1, 1, 512, 1], 3),
      tf.tidy(() => tf.variable(tf.zeros([1]))),
    );
  }

  namedWeights(): Array<[string, tf.Variable]> {
    return [
      ['conv1/kernel', this.conv1],
      ...batchNormEntries('bn1', this.bn1),
      ['conv2/kernel', this.conv2],
      ...batchNormEntries('bn2', this.bn2),
      ['conv3/kernel', this.conv3],
      ['conv3/bias', this.bias3],
    ];
  }

  trainableVariables(): tf.Variable[] {
    return this.namedWeights()
      .filter(([, v]) => v.trainable)
      .map(([, v]) => v);
  }

  assignFrom(tensors: Record<string, tf.Tensor>): void {
    for (const [name, v] of this.namedWeights()) {
      const t = tensors[name];
      if (!t || t.shape.join('x') !== v.shape.join('x')) throw new Error(`MGAN discriminator weights: '${name}' is missing or misshapen`);
      v.assign(t);
    }
  }

  /** relu3_1 features [B, h, w, 256] -> scores [B, ceil(h/4), ceil(w/4), 1]. Batch statistics always (as trained). */
  scores(features: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      let x = tf.leakyRelu(features, LEAK);
      x = tf.conv2d(x, this.conv1 as tf.Tensor4D, 2, 'same');
      x = batchNormActivation(x, this.bn1, 'batch', training, LEAK);
      x = tf.conv2d(x, this.conv2 as tf.Tensor4D, 2, 'same');
      x = batchNormActivation(x, this.bn2, 'batch', training, LEAK);
      return tf.add(tf.conv2d(x, this.conv3 as tf.Tensor4D, 1, 'valid'), this.bias3) as tf.Tensor4D;
    });
  }

  dispose(): void {
    for (const [, v] of this.namedWeights()) v.dispose();
  }
}

/**
 * Hinge loss over the scores inside the outer ring (the ring sees zero padding; all scores when the map
 * is too small for a ring): mean of max(0, 1 - label * s), label +1 real / -1 fake. G's adversarial
 * loss is the same with label +1 on its own scores. The inner scores are one slice and their count a
 * number, not a mask tensor built and summed on every call (a GPU program each).
 */
export function maskedHinge(scores: tf.Tensor4D, label: 1 | -1): tf.Scalar {
  return tf.tidy(() => {
    const [b, h, w] = scores.shape;
    const ring = h > 2 && w > 2;
    const inner = ring ? tf.slice(scores, [0, 1, 1, 0], [b, h - 2, w - 2, 1]) : scores;
    const margins = tf.relu(label === 1 ? tf.sub(1, inner) : tf.add(1, inner));
    return tf.div(tf.sum(margins), inner.size) as tf.Scalar;
  });
}
