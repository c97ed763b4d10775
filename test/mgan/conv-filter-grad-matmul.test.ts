// The im2col-matmul filter gradient registered for WebGPU, checked here on WASM and cpu against tfjs's own.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2dBackpropFilterByMatMul } from '../../src/method/kernels/conv-filter-grad-matmul';

afterAll(async () => {
  await tf.setBackend('wasm');
});

type Shape4 = [number, number, number, number];
const cases: Array<[string, Shape4, Shape4, number | [number, number], 'same' | 'valid']> = [
  ['3x3 same', [3, 7, 6, 4], [3, 3, 4, 5], 1, 'same'],
  ['4x4 stride 2 same (MGAN D)', [2, 9, 8, 3], [4, 4, 3, 2], 2, 'same'],
  ['8x8 valid (MDAN D head)', [5, 8, 8, 3], [8, 8, 3, 1], 1, 'valid'],
  ['2x2 valid (G phases)', [2, 5, 5, 3], [2, 2, 3, 8], 1, 'valid'],
  ['3x3 strides 2 and 3, valid, odd sides', [1, 11, 10, 2], [3, 3, 2, 3], [2, 3], 'valid'],
];

describe('conv2dBackpropFilterByMatMul', () => {
  it.each(cases)('%s equals the conv filter gradient (cpu backend)', async (_name, xShape, filterShape, strides, pad) => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal(xShape, 0, 1, 'float32', 1) as tf.Tensor4D;
      const outShape = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, strides, pad).shape;
      const dy = tf.randomNormal(outShape, 0, 1, 'float32', 2) as tf.Tensor4D;
      const reference = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, strides, pad), dy)))(tf.zeros(filterShape));
      const ours = conv2dBackpropFilterByMatMul(x, dy, filterShape, strides, pad);
      expect(ours.shape).toEqual(filterShape);
      const scale = tf.max(tf.abs(reference)).dataSync()[0];
      expect(scale).toBeGreaterThan(0.1);
      expect(tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0]).toBeLessThan(1e-5 * scale);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same result on WASM', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
      const dy = tf.randomNormal([2, 5, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
      const reference = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'), dy)))(tf.zeros([4, 4, 3, 2]));
      const ours = conv2dBackpropFilterByMatMul(x, dy, [4, 4, 3, 2], 2, 'same');
      expect(tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0]).toBeLessThan(1e-4);
    });
  });
});
