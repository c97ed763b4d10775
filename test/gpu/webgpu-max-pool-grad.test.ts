// VGG's 2×2 stride-2 max-pool gradient as one WebGPU program (MganMaxPool2x2Grad), on Mesa lavapipe,
// against tfjs's MaxPoolGrad on the cpu backend (ties included: the window's first maximum).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

// A third of the cells 0 (as after a ReLU), so whole windows tie.
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 || (i >> 4) % 5 === 0 ? 0 : Math.sin(i * 1.7 + seed * 0.9)));

async function gradient(backend: 'cpu' | 'webgpu', shape: [number, number, number, number], size: number, stride: number): Promise<{ dx: Float32Array; kernels: Record<string, number> }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(shape.reduce((a, b) => a * b, 1), 1), shape);
  const probe = tf.maxPool(x, size, stride, 'valid');
  const weight = tf.tensor(values(probe.size, 2).map((v) => v + 2), probe.shape);
  const counts = startCounting();
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, 'valid'), weight)))(x);
  const kernels = counts().byKernel;
  const out = { dx: (await dx.data()) as Float32Array, kernels };
  tf.dispose([x, probe, weight, dx]);
  return out;
}

describe('MganMaxPool2x2Grad (WebGPU)', () => {
  for (const shape of [[2, 6, 8, 3], [1, 5, 7, 4]] as Array<[number, number, number, number]>) {
    it(`${shape.join('×')}: as tfjs's gradient on the cpu backend, one program`, async () => {
      const cpu = await gradient('cpu', shape, 2, 2);
      const gpu = await gradient('webgpu', shape, 2, 2);
      expect(Array.from(gpu.dx)).toEqual(Array.from(cpu.dx));
      expect(cpu.dx.some((v) => v !== 0)).toBe(true);
      expect(gpu.kernels.MganMaxPool2x2Grad).toBe(1);
      expect(gpu.kernels).not.toHaveProperty('MaxPoolGrad');
    });
  }

  it('other pools keep MaxPoolGrad', async () => {
    const cpu = await gradient('cpu', [1, 7, 7, 2], 3, 2);
    const gpu = await gradient('webgpu', [1, 7, 7, 2], 3, 2);
    expect(gpu.kernels.MaxPoolGrad).toBe(1);
    expect(gpu.dx.reduce((a, b) => a + b, 0)).toBeCloseTo(cpu.dx.reduce((a, b) => a + b, 0), 4);
  });
});
