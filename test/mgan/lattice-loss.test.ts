import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { latticeLoss } from '../../src/mgan/mgan-losses';
import { testImage } from './mgan-helpers';

/** The loss as a number (its tensor freed). */
function lattice(images: tf.Tensor4D): number {
  const loss = latticeLoss(images);
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

describe('latticeLoss', () => {
  it('is zero for a constant image and grows with a periodic overlay', () => {
    const flat = tf.fill([2, 32, 40, 3], 0.4) as tf.Tensor4D;
    // A fixed 4 px diagonal hatching, like the one G learned early in adversarial training.
    const hatch = tf.tidy(() => {
      const y = tf.reshape(tf.range(0, 32), [32, 1]);
      const x = tf.reshape(tf.range(0, 40), [1, 40]);
      const on = tf.equal(tf.mod(tf.add(y, x), 4), 0);
      return tf.reshape(tf.tile(tf.reshape(tf.cast(on, 'float32'), [1, 32, 40, 1]), [2, 1, 1, 3]), [2, 32, 40, 3]);
    });
    const weak = tf.add(flat, tf.mul(hatch, 0.05)) as tf.Tensor4D;
    const strong = tf.add(flat, tf.mul(hatch, 0.2)) as tf.Tensor4D;
    const [l0, l1, l2] = [flat, weak, strong].map(lattice);
    expect(l0).toBeCloseTo(0, 8);
    expect(l1).toBeGreaterThan(1e-4);
    expect(l2 / l1).toBeCloseTo(16, 3); // quadratic in the pattern's amplitude
    tf.dispose([flat, hatch, weak, strong]);
  });

  it('barely sees aperiodic image content, and its gradient flattens the pattern', () => {
    const before = tf.memory().numTensors;
    const image = tf.tidy(() => tf.expandDims(testImage(64, 64), 0) as tf.Tensor4D);
    const hatch = tf.tidy(() => tf.mul(tf.cast(tf.equal(tf.mod(tf.add(tf.reshape(tf.range(0, 64), [64, 1]), tf.reshape(tf.range(0, 64), [1, 64])), 4), 0), 'float32'), 0.2));
    const patterned = tf.tidy(() => tf.add(image, tf.reshape(hatch, [1, 64, 64, 1])) as tf.Tensor4D);
    const clean = lattice(image);
    const dirty = lattice(patterned);
    expect(dirty).toBeGreaterThan(20 * clean);
    // One gradient step on the pixels lowers the loss.
    const stepped = tf.tidy(() => tf.sub(patterned, tf.mul(tf.grad((x: tf.Tensor) => latticeLoss(x as tf.Tensor4D))(patterned), 3000)) as tf.Tensor4D);
    expect(lattice(stepped)).toBeLessThan(dirty / 2);
    tf.dispose([image, hatch, patterned, stepped]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
