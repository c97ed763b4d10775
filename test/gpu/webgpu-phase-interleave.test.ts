// The deconvolutions' phase interleave as one WebGPU program each way, on Mesa lavapipe, against the
// tfjs ops on the cpu backend (values and gradient).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interleavePhases, interleavePhasesByOps } from '../../src/method/kernels/phase-interleave';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233));

async function run(backend: 'cpu' | 'webgpu', f: (x: tf.Tensor4D) => tf.Tensor4D, [b, h, w, c]: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const windows = tf.tensor4d(values(b * (h + 1) * (w + 1) * 4 * c, 1), [b, h + 1, w + 1, 4 * c]);
  const weights = tf.tensor4d(values(b * 4 * h * w * c, 2), [b, 2 * h, 2 * w, c]);
  const y = f(windows);
  const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor4D), weights)))(windows);
  const out = await Promise.all([y.data() as Promise<Float32Array>, dx.data() as Promise<Float32Array>]);
  tf.dispose([windows, weights, y, dx]);
  return out;
}

describe('MganInterleavePhases (WebGPU)', () => {
  it.each([
    [2, 3, 5, 3],
    [1, 4, 4, 16],
  ])('[%i, %i+1, %i+1, 4·%i] windows: image and gradient equal the tfjs ops on the cpu backend, one program each way', async (b, h, w, c) => {
    const cpu = await run('cpu', interleavePhasesByOps, [b, h, w, c]);
    const counts = startCounting();
    const gpu = await run('webgpu', interleavePhases, [b, h, w, c]);
    expect(counts().byKernel.MganInterleavePhases).toBe(2);
    expect(counts().byKernel.MganInterleavePhasesGrad).toBe(1);
    expect(Array.from(gpu[0])).toEqual(Array.from(cpu[0]));
    expect(Array.from(gpu[1])).toEqual(Array.from(cpu[1]));
  });
});
