// The gradient of MDAN's patch extraction as one WebGPU program (MganPatchFold), on Mesa lavapipe,
// against the UnsortedSegmentSum form on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPatches } from '../../src/method/mdan/patches';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed * 0.9));

async function gradient(backend: 'cpu' | 'webgpu', h: number, w: number, c: number, size: number, stride: number): Promise<{ dx: Float32Array; kernels: Record<string, number> }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(h * w * c, 1), [1, h, w, c]);
  const probe = extractPatches(x, size, stride);
  const weight = tf.tensor(values(probe.size, 2), probe.shape);
  const counts = startCounting();
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(extractPatches(t as tf.Tensor4D, size, stride), weight)))(x);
  const kernels = counts().byKernel;
  const out = { dx: (await dx.data()) as Float32Array, kernels };
  tf.dispose([x, probe, weight, dx]);
  return out;
}

describe('MganPatchFold (WebGPU)', () => {
  // Grids with and without a flush last window, overlapping and not, on both axes.
  for (const [h, w, c, size, stride] of [[16, 11, 3, 8, 4], [10, 10, 2, 4, 3], [9, 13, 5, 3, 3], [6, 6, 1, 6, 2], [12, 7, 4, 4, 1]]) {
    it(`${h}×${w}×${c}, ${size}×${size} windows at stride ${stride}: as the cpu backend's gradient`, async () => {
      const cpu = await gradient('cpu', h, w, c, size, stride);
      const gpu = await gradient('webgpu', h, w, c, size, stride);
      gpu.dx.forEach((v, i) => expect(Math.abs(v - cpu.dx[i])).toBeLessThan(1e-5));
      expect(cpu.dx.some((v) => v !== 0)).toBe(true);
      expect(gpu.kernels.MganPatchFold).toBe(1);
      expect(gpu.kernels).not.toHaveProperty('UnsortedSegmentSum');
    });
  }
});
