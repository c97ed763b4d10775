// WASM's Sum and Mean over leading axes (batch-norm moments): one pass over memory, same values as the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { leadingAxes } from '../../src/method/kernels/wasm-leading-axes-reduce';
import { installCustomKernels } from '../../src/method/kernels/custom-kernels';

afterAll(async () => {
  await tf.setBackend('wasm');
});

async function on(backend: 'wasm' | 'cpu', f: (x: tf.Tensor) => tf.Tensor, values: Float32Array, shape: number[]) {
  await tf.setBackend(backend);
  if (backend === 'wasm') installCustomKernels('wasm');
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const y = f(tf.tensor(values, shape));
    return { shape: y.shape, values: Array.from(y.dataSync()) };
  });
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('Sum and Mean over leading axes on WASM', () => {
  it('tells which reductions are over the leading axes', () => {
    expect(leadingAxes([0, 1, 2], 4)).toBe(3);
    expect(leadingAxes([2, 0, -3], 4)).toBe(3);
    expect(leadingAxes(0, 2)).toBe(1);
    expect(leadingAxes([1, 2], 4)).toBe(0);
    expect(leadingAxes([0, 1, 2, 3], 4)).toBe(0);
    expect(leadingAxes([], 4)).toBe(0);
  });

  const shape = [3, 5, 7, 6];
  const values = Float32Array.from({ length: 3 * 5 * 7 * 6 }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 6));
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ['sum over [0, 1, 2]', (x) => tf.sum(x, [0, 1, 2])],
    ['mean over [0, 1, 2], keepDims', (x) => tf.mean(x, [0, 1, 2], true)],
    ['moments over [0, 1, 2]', (x) => tf.moments(x, [0, 1, 2]).variance],
    ['mean over axis 0', (x) => tf.mean(x, 0)],
    ['sum over the last axes (stock kernel)', (x) => tf.sum(x, [2, 3])],
    ['mean of everything (stock kernel)', (x) => tf.mean(x)],
  ];
  it.each(cases)('%s matches the cpu backend', async (_name, f) => {
    const wasm = await on('wasm', f, values, shape);
    const cpu = await on('cpu', f, values, shape);
    expect(wasm.shape).toEqual(cpu.shape);
    wasm.values.forEach((v, i) => expect(Math.abs(v - cpu.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu.values[i]))));
    expect(Math.max(...cpu.values.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('has tfjs gradients through the replaced kernels (batch-norm moments)', async () => {
    const grad = (x: tf.Tensor) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.moments(a, [0, 1, 2]).variance, tf.range(1, 7))))(x);
    const wasm = await on('wasm', grad, values, shape);
    const cpu = await on('cpu', grad, values, shape);
    wasm.values.forEach((v, i) => expect(Math.abs(v - cpu.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu.values[i]))));
  });
});
