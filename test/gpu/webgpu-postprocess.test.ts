// MDAN's post-processing as two WebGPU programs (MganPostprocess), on Mesa lavapipe, against the
// tfjs-op form on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postprocess } from '../../src/method/mdan/mdan';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

// Mostly small values and a few outliers, so the ±2 std clip takes effect.
const values = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 9 : Math.sin(i * 1.7) * 0.4 + 0.1));

async function run(backend: 'cpu' | 'webgpu'): Promise<{ y: Float32Array; programs: number }> {
  await tf.setBackend(backend);
  const x = tf.tensor3d(values(33 * 21 * 3), [33, 21, 3]);
  const counts = startCounting();
  const y = postprocess(x);
  const programs = counts().programs;
  const out = { y: (await y.data()) as Float32Array, programs };
  tf.dispose([x, y]);
  return out;
}

describe('MganPostprocess (WebGPU)', () => {
  it('matches the cpu backend (clipped outliers, min-max to [0, 1]) in two programs', async () => {
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    expect(Math.min(...cpu.y)).toBe(0);
    expect(Math.max(...cpu.y)).toBe(1);
    expect(cpu.y.filter((v) => v === 1).length).toBeGreaterThan(5); // the outliers, clipped together
    gpu.y.forEach((v, i) => expect(Math.abs(v - cpu.y[i])).toBeLessThan(1e-5));
    expect(gpu.programs).toBe(2);
  });
});
