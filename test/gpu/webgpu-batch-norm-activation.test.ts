// Batch norm + ReLU/LeakyReLU as one WebGPU kernel (forward, gradient, running statistics), on Mesa
// lavapipe, against the tfjs ops on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchNormParams, batchNormActivation } from '../../src/method/mgan/batch-norm';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number, scale = 1, offset = 0) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * scale + offset);

/** Forward output, gradients w.r.t. x, gamma and beta of sum(y · w), and the moved running statistics. */
async function run(backend: 'cpu' | 'webgpu', shape: [number, number, number, number], leak: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const c = shape[3];
  const size = shape.reduce((a, b) => a * b, 1);
  const bn: BatchNormParams = tf.tidy(() => ({
    gamma: tf.variable(tf.tensor1d(values(c, 1, 0.5, 1))),
    beta: tf.variable(tf.tensor1d(values(c, 2, 0.3))),
    movingMean: tf.variable(tf.tensor1d(values(c, 3, 0.1)), false),
    movingVariance: tf.variable(tf.tensor1d(values(c, 4, 0.1, 1)), false),
  }));
  const x = tf.tensor4d(values(size, 5, 2, 0.3), shape);
  const w = tf.tensor4d(values(size, 6), shape);
  const counts = startCounting();
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(batchNormActivation(x, bn, 'batch', true, leak), w)) as tf.Scalar, [bn.gamma, bn.beta]);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(batchNormActivation(t as tf.Tensor4D, bn, 'batch', false, leak), w)))(x);
  const y = batchNormActivation(x, bn, 'batch', false, leak);
  if (backend === 'webgpu') expect(counts().byKernel.MganBatchNormActivation).toBe(3);
  const out = await Promise.all([y, dx, grads[bn.gamma.name], grads[bn.beta.name], bn.movingMean, bn.movingVariance, value].map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([x, w, y, dx, value, ...Object.values(grads), bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]);
  return out;
}

describe('MganBatchNormActivation (WebGPU)', () => {
  it.each([
    ['ReLU', [2, 5, 3, 8], 0],
    ['LeakyReLU 0.2, more rows than a workgroup', [3, 13, 11, 4], 0.2],
  ] as const)('%s: output, gradients and running statistics match the tfjs ops on the cpu backend', async (_name, shape, leak) => {
    const cpu = await run('cpu', [...shape], leak);
    const before = tf.memory().numTensors;
    const gpu = await run('webgpu', [...shape], leak);
    expect(tf.memory().numTensors).toBe(before);
    const names = ['y', 'dx', 'dgamma', 'dbeta', 'movingMean', 'movingVariance', 'loss'];
    gpu.forEach((g, k) => {
      const scale = Math.max(1, ...Array.from(cpu[k], Math.abs));
      g.forEach((v, i) => expect(Math.abs(v - cpu[k][i]) / scale, `${names[k]}[${i}]`).toBeLessThan(2e-5));
    });
    expect(cpu[1].some((v) => v !== 0)).toBe(true);
  });
});
