// Adam on WebGPU as one program per variable (MganAdam), on Mesa lavapipe, against tfjs's Adam on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer } from '../../src/method/kernels/fused-adam';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.7);
const SHAPES = [[3, 3, 4, 5], [5], [7, 11]];

/** Three Adam steps on three variables with fixed gradients; returns the parameters and the slots. */
async function adamSteps(backend: 'cpu' | 'webgpu', optimizer: () => tf.AdamOptimizer): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const vars = SHAPES.map((s, k) => tf.variable(tf.tensor(values(s.reduce((a, b) => a * b, 1), k), s)));
  const opt = optimizer();
  for (let step = 0; step < 3; step++) {
    const grads = vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(values(v.size, 10 * step + k + 5), v.shape) }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await opt.getWeights();
  const out = [...(await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>))), ...(await Promise.all(weights.slice(1).map((w) => w.tensor.data() as Promise<Float32Array>)))];
  opt.dispose();
  tf.dispose(vars);
  tf.dispose(weights.slice(0, 1).map((w) => w.tensor));
  return out;
}

describe('MganAdam (WebGPU)', () => {
  it("updates parameters and both moments like tfjs's Adam on the cpu backend", async () => {
    const cpu = await adamSteps('cpu', () => tf.train.adam(0.02, 0.5));
    const gpu = await adamSteps('webgpu', () => new FusedAdamOptimizer(0.02, 0.5, 0.999));
    expect(gpu.length).toBe(cpu.length);
    gpu.forEach((g, k) => g.forEach((v, i) => expect(Math.abs(v - cpu[k][i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu[k][i])))));
  });

  it('runs one GPU program per variable and leaves no tensors behind', async () => {
    await tf.setBackend('webgpu');
    const vars = SHAPES.map((s, k) => tf.variable(tf.tensor(values(s.reduce((a, b) => a * b, 1), k), s)));
    const opt = new FusedAdamOptimizer(0.02, 0.5, 0.999);
    const step = () => {
      const grads = vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(values(v.size, k), v.shape) }));
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    };
    step();
    const before = tf.memory().numTensors;
    const counts = startCounting();
    step();
    const c = counts();
    expect(c.programs).toBe(vars.length);
    expect(c.byKernel.MganAdam).toBe(vars.length);
    expect(tf.memory().numTensors).toBe(before);
    await vars[0].data();
    opt.dispose();
    tf.dispose(vars);
  });
});
