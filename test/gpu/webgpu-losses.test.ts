// MDAN's and MGAN's losses as one WebGPU program each way (MganHingeLoss, MganSquaredError,
// MganTotalVariation), on Mesa lavapipe, against the same functions' tfjs-op form on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentLoss, discriminatorHinge, hingeLoss, totalVariation } from '../../src/method/mdan/losses';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed * 0.9) * 1.5);

type Case = { name: string; shape: number[]; loss: (x: tf.Tensor, other: tf.Tensor) => tf.Scalar };
const CASES: Case[] = [
  { name: 'hinge, real', shape: [37], loss: (x) => hingeLoss(x, 1) },
  { name: 'hinge, fake, weighted', shape: [300], loss: (x) => hingeLoss(x, -1, 0.3) },
  { name: 'content MSE, weighted', shape: [1, 4, 5, 6], loss: (x, o) => contentLoss(x, o, 0.7) },
  { name: 'smoothness, mean, batch', shape: [2, 5, 7, 3], loss: (x) => totalVariation(x as tf.Tensor4D) },
  { name: 'smoothness, sum, weighted', shape: [9, 6, 3], loss: (x) => totalVariation(x as tf.Tensor3D, 'sum', 0.25) },
  { name: 'smoothness, one row', shape: [1, 1, 8, 2], loss: (x) => totalVariation(x as tf.Tensor4D) },
];

async function lossAndGradient(backend: 'cpu' | 'webgpu', c: Case): Promise<{ loss: number; grad: Float32Array; programs: number; kernels: Record<string, number> }> {
  await tf.setBackend(backend);
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(values(n, 1), c.shape);
  const other = tf.tensor(values(n, 2), c.shape);
  const counts = startCounting();
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => c.loss(t, other))(x);
  const counted = counts();
  const out = { loss: (await value.data())[0], grad: (await grad.data()) as Float32Array, programs: counted.programs, kernels: counted.byKernel };
  tf.dispose([x, other, value, grad]);
  return out;
}

describe('fused losses (WebGPU)', () => {
  for (const c of CASES) {
    it(`${c.name}: value and gradient as on the cpu backend, one program each way`, async () => {
      const cpu = await lossAndGradient('cpu', c);
      const gpu = await lossAndGradient('webgpu', c);
      expect(cpu.grad.some((v) => v !== 0)).toBe(true);
      expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu.loss)));
      gpu.grad.forEach((v, i) => expect(Math.abs(v - cpu.grad[i])).toBeLessThan(1e-5));
      expect(gpu.programs).toBe(2);
    });
  }

  it("a discriminator's hinge on real and fake batches: value and both gradients as on cpu, one program each way", async () => {
    const run = async (backend: 'cpu' | 'webgpu') => {
      await tf.setBackend(backend);
      const real = tf.tensor1d(values(23, 3));
      const fake = tf.tensor1d(values(41, 4));
      const counts = startCounting();
      const { value, grads } = tf.valueAndGrads((r: tf.Tensor, f: tf.Tensor) => discriminatorHinge(r, f))([real, fake]);
      const programs = counts().programs;
      const out = { loss: (await value.data())[0], dr: await grads[0].data(), df: await grads[1].data(), programs };
      tf.dispose([real, fake, value, ...grads]);
      return out;
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-5);
    gpu.dr.forEach((v, i) => expect(Math.abs(v - cpu.dr[i])).toBeLessThan(1e-6));
    gpu.df.forEach((v, i) => expect(Math.abs(v - cpu.df[i])).toBeLessThan(1e-6));
    expect(cpu.dr.some((v) => v !== 0) && cpu.df.some((v) => v !== 0)).toBe(true);
    expect(gpu.programs).toBe(2);
  });

  it('hinge gradient is zero where the margin is met', async () => {
    await tf.setBackend('webgpu');
    const s = tf.tensor1d([2, 0.5, 1, -3]);
    const g = tf.grad((t: tf.Tensor) => hingeLoss(t, 1))(s);
    expect(Array.from(await g.data())).toEqual([0, -0.25, 0, -0.25]);
    tf.dispose([s, g]);
  });
});
