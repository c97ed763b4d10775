import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { deconv4x4s2, deconvFromPhases, equalPhaseSums, resizeConvPhases } from '../../src/method/mgan/deconv';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function reference(x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w] = x.shape;
  return tf.conv2dTranspose(x, f, [b, 2 * h, 2 * w, f.shape[2]], 2, 'same');
}

describe('deconv4x4s2', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each([
    ['wasm', 3],
    ['wasm', 20],
    ['cpu', 3],
  ] as const)('matches tf.conv2dTranspose on odd, non-square sizes (%s, %i output channels)', async (backend, outC) => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([2, 5, 7, 6], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal([4, 4, outC, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
      const ref = reference(x, f);
      const fast = deconv4x4s2(x, f);
      expect(fast.shape).toEqual([2, 10, 14, outC]);
      const scale = tf.max(tf.abs(ref)).dataSync()[0];
      expect(maxAbsDiff(fast, ref)).toBeLessThan(1e-4 * scale);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  // Filter gradients need Conv2DBackpropFilter, which plain tfjs WASM lacks: compare on the cpu backend.
  it('has the same input and filter gradients as tf.conv2dTranspose (cpu backend)', async () => {
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const x = tf.randomNormal([1, 4, 5, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const f = tf.randomNormal([4, 4, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const weights = tf.randomNormal([1, 8, 10, 2], 0, 1, 'float32', 6);
      const lossOf = (op: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), weights)));
      const [gxRef, gfRef] = lossOf(reference)([x, f]);
      const [gx, gf] = lossOf((a, b) => deconv4x4s2(a, b))([x, f]);
      expect(maxAbsDiff(gx, gxRef)).toBeLessThan(1e-3);
      expect(maxAbsDiff(gf, gfRef)).toBeLessThan(1e-3);
      expect(tf.max(tf.abs(gfRef)).dataSync()[0]).toBeGreaterThan(0.1);
    });
  });
});

describe('equalPhaseSums', () => {
  it('makes a flat input come out flat (no lattice), is idempotent, and keeps most of the kernel', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const kernel = tf.randomNormal([2, 2, 3, 4 * 2], 0, 1, 'float32', 7) as tf.Tensor4D;
      const flat = tf.ones([1, 6, 6, 3]) as tf.Tensor4D;
      const interior = (k: tf.Tensor4D) => tf.slice(deconvFromPhases(flat, k), [0, 2, 2, 0], [1, 8, 8, 2]);
      // Largest spread over the image of any one output channel.
      const spread = (t: tf.Tensor) => tf.max(tf.sub(tf.max(t, [0, 1, 2]), tf.min(t, [0, 1, 2]))).dataSync()[0];
      // A random kernel stamps a 2 px pattern on the flat input; the projected one does not.
      expect(spread(interior(kernel))).toBeGreaterThan(0.5);
      const projected = equalPhaseSums(kernel);
      expect(spread(interior(projected))).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(equalPhaseSums(projected), projected))).dataSync()[0]).toBeLessThan(1e-6);
      // It removes only the phase-sum differences: 3 of 16 directions per channel pair.
      const removed = tf.sum(tf.square(tf.sub(kernel, projected))).dataSync()[0] / tf.sum(tf.square(kernel)).dataSync()[0];
      expect(removed).toBeGreaterThan(0);
      expect(removed).toBeLessThan(0.5);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('resizeConvPhases', () => {
  it('runs nearest 2x upsampling + a 3x3 conv as phases (values and kernel gradient), and decodes flat input flat', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([2, 5, 7, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
      const k = tf.randomNormal([3, 3, 4, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const reference = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(tf.image.resizeNearestNeighbor(a, [10, 14]), b, 1, 'same');
      const fast = (a: tf.Tensor4D, b: tf.Tensor4D) => deconvFromPhases(a, resizeConvPhases(b));
      expect(maxAbsDiff(fast(x, k), reference(x, k))).toBeLessThan(1e-4);
      const grad = (f: typeof fast) => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(f(x, b as tf.Tensor4D), tf.linspace(-1, 1, 2 * 10 * 14 * 3).reshape([2, 10, 14, 3]))))(k);
      expect(maxAbsDiff(grad(fast), grad(reference))).toBeLessThan(1e-3);
      // Whatever the kernel, a flat input comes out flat away from the zero-padded border.
      const flat = tf.ones([1, 6, 6, 4]) as tf.Tensor4D;
      const inner = tf.slice(fast(flat, k), [0, 2, 2, 0], [1, 8, 8, 3]);
      expect(tf.max(tf.sub(tf.max(inner, [0, 1, 2]), tf.min(inner, [0, 1, 2]))).dataSync()[0]).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
