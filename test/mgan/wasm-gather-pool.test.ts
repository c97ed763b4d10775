// WASM's GatherV2 and MaxPoolGrad, replaced by loops over memory: the same values as the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { installCustomKernels } from '../../src/method/kernels/custom-kernels';

afterAll(async () => {
  await tf.setBackend('wasm');
});

async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  if (backend === 'wasm') installCustomKernels('wasm');
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => [f()].flat().map((y) => ({ shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) })));
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

async function expectSameOnBoth(f: () => tf.Tensor | tf.Tensor[]) {
  const wasm = await on('wasm', f);
  const cpu = await on('cpu', f);
  expect(wasm.map((t) => [t.shape, t.dtype])).toEqual(cpu.map((t) => [t.shape, t.dtype]));
  // Equal values (+0 and -0 alike: the cpu backend multiplies gradients by 0 where ours writes 0).
  wasm.forEach((t, k) => t.values.forEach((v, i) => expect(Math.abs(v - cpu[k].values[i])).toBeLessThan(1e-6)));
  expect(cpu.some((t) => t.values.some((v) => v !== 0))).toBe(true);
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 4);

describe('gather on WASM (block copies)', () => {
  it.each([
    ['rows of a matrix, repeated and out of order', () => tf.gather(tf.tensor(values(40 * 20, 1), [40, 20]), tf.tensor1d([3, 0, 39, 3, 17], 'int32'))],
    ['an inner axis, small blocks', () => tf.gather(tf.tensor(values(2 * 6 * 3, 2), [2, 6, 3]), tf.tensor1d([5, 1, 1], 'int32'), 1)],
    ['the last axis, 2-D indices', () => tf.gather(tf.tensor(values(4 * 7, 3), [4, 7]), tf.tensor2d([[6, 0], [2, 2]], [2, 2], 'int32'), -1)],
    ['int32 values', () => tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([2, 0], 'int32'))],
    ['with its gradient (a segment sum)', () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d([1, 1, 4], 'int32')), tf.tensor(values(3 * 16, 5), [3, 16]))))(tf.tensor(values(5 * 16, 4), [5, 16]))],
  ] as const)('%s matches the cpu backend', async (_name, f) => {
    await expectSameOnBoth(f);
  });

  it('refuses an index out of range, naming it', async () => {
    await tf.setBackend('wasm');
    installCustomKernels('wasm');
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 20]), tf.tensor1d([1, 3], 'int32')))).toThrow(/index value 3 is not in \[0, 2\]/);
  });
});

describe('max-pool gradient on WASM', () => {
  const relu = (shape: number[], seed: number) => tf.relu(tf.tensor4d(values(shape.reduce((a, b) => a * b, 1), seed), shape as [number, number, number, number]));
  it.each([
    ['2x2 stride 2, many tied zeros after a ReLU', [2, 6, 8, 5], 2, 2],
    ['2x2 stride 2, odd sides (last row and column unused)', [1, 7, 9, 20], 2, 2],
    ['3x3 stride 2 (overlapping windows)', [1, 9, 9, 3], 3, 2],
  ] as const)('%s matches the cpu backend', async (_name, shape, size, stride) => {
    await expectSameOnBoth(() => {
      const x = relu([...shape], 7);
      const outShape = tf.tidy(() => tf.maxPool(x, size, stride, 'valid').shape);
      const w = tf.tensor(values(outShape.reduce((a, b) => a * b, 1), 8), outShape);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, 'valid'), w)))(x);
    });
  });
  // Without ties: where several inputs of a padded window tie, the cpu backend's choice depends on its padding loop.
  it('padded windows (the stock WASM kernel lost part of their gradient) match the cpu backend', async () => {
    await expectSameOnBoth(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 3, 2, 'same'), 2)))(tf.tensor4d(values(50, 9), [1, 5, 5, 2])));
    const [dx] = await on('wasm', () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 3, 2, 'same'), 2)))(tf.tensor4d(values(50, 9), [1, 5, 5, 2])));
    // Every window's gradient reaches one input: 3 x 3 windows x 2 channels x 2.
    expect(dx.values.reduce((a, b) => a + b, 0)).toBeCloseTo(36, 5);
  });
});
