// VGG's conv + bias + ReLU under a gradient tape on WebGPU (one fused program forward, the ReLU mask
// and the input gradient backward), on Mesa lavapipe, against conv2d + add + relu on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convBias, convBiasRelu } from '../../src/method/kernels/conv-bias-relu';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed * 0.9) * 0.5);

/** Two stacked layers' output and the input gradient of a weighted sum of it. */
async function run(backend: 'cpu' | 'webgpu'): Promise<{ y: Float32Array; dx: Float32Array; kernels: Record<string, number> }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(2 * 6 * 5 * 3, 1), [2, 6, 5, 3]);
  const f1 = tf.tensor4d(values(3 * 3 * 3 * 8, 2), [3, 3, 3, 8]);
  const b1 = tf.tensor1d(values(8, 3));
  const f2 = tf.tensor4d(values(3 * 3 * 8 * 8, 4), [3, 3, 8, 8]);
  const b2 = tf.tensor1d(values(8, 5));
  const weight = tf.tensor4d(values(2 * 6 * 5 * 8, 6), [2, 6, 5, 8]);
  const forward = (t: tf.Tensor) => convBiasRelu(convBiasRelu(t as tf.Tensor4D, f1, b1), f2, b2);
  const counts = startCounting();
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(forward(t), weight)))(x);
  const kernels = counts().byKernel;
  const y = forward(x);
  const out = { y: (await y.data()) as Float32Array, dx: (await grad.data()) as Float32Array, kernels };
  tf.dispose([x, f1, b1, f2, b2, weight, value, grad, y]);
  return out;
}

describe('convBiasRelu (WebGPU)', () => {
  it('matches conv2d + add + relu and its input gradient on the cpu backend', async () => {
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(cpu.y.some((v) => v === 0) && cpu.y.some((v) => v > 0)).toBe(true);
    gpu.y.forEach((v, i) => expect(Math.abs(v - cpu.y[i])).toBeLessThan(1e-5));
    gpu.dx.forEach((v, i) => expect(Math.abs(v - cpu.dx[i])).toBeLessThan(1e-5));
    expect(cpu.dx.some((v) => v !== 0)).toBe(true);
    // Forward: the fused conv (inside the custom gradient); backward: the ReLU mask and the input gradient.
    expect(gpu.kernels).not.toHaveProperty('Conv2D');
    expect(gpu.kernels).not.toHaveProperty('Add');
    expect(gpu.kernels).not.toHaveProperty('Relu');
    expect(gpu.kernels).not.toHaveProperty('Conv2DBackpropFilter');
    expect(gpu.kernels.MganReluGrad).toBe(2);
    expect(gpu.kernels.Conv2DBackpropInput).toBe(2);
  });
});

/** A scoring conv ('valid', as the MDAN discriminator's head): output and the gradients of x, filter and bias. */
async function scoring(backend: 'cpu' | 'webgpu'): Promise<{ out: Float32Array[]; kernels: Record<string, number> }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(3 * 4 * 4 * 5, 7), [3, 4, 4, 5]);
  const f = tf.variable(tf.tensor4d(values(4 * 4 * 5, 8), [4, 4, 5, 1]));
  const b = tf.variable(tf.tensor1d([0.3]));
  const counts = startCounting();
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(convBias(x, f as tf.Tensor4D, b as tf.Tensor1D, 'valid'))) as tf.Scalar, [f, b]);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.square(convBias(t as tf.Tensor4D, f as tf.Tensor4D, b as tf.Tensor1D, 'valid'))))(x);
  const kernels = counts().byKernel;
  const out = await Promise.all([value, grads[f.name], grads[b.name], dx].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([x, f, b, value, dx, ...Object.values(grads)]);
  return { out, kernels };
}

describe('convBias (WebGPU)', () => {
  it('matches conv2d + add and its three gradients on the cpu backend, as one kernel forward', async () => {
    const cpu = await scoring('cpu');
    const gpu = await scoring('webgpu');
    cpu.out.forEach((c, k) => gpu.out[k].forEach((v, i) => expect(Math.abs(v - c[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(c[i])))));
    expect(gpu.kernels.FusedConv2D).toBe(2);
    expect(gpu.kernels).not.toHaveProperty('Add');
    // The input-only pass computes no filter gradient.
    expect(gpu.kernels.Conv2DBackpropFilter).toBe(1);
  });
});
