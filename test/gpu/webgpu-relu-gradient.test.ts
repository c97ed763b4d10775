// ReLU's gradient as one WebGPU program, on Mesa lavapipe, against tfjs's gradient on the cpu backend.
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

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : Math.sin(i * 12.9898 + seed * 78.233)));

async function gradient(backend: 'cpu' | 'webgpu'): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(2 * 5 * 3 * 4, 1), [2, 5, 3, 4]);
  const w = tf.tensor4d(values(2 * 5 * 3 * 4, 2), [2, 5, 3, 4]);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w)))(x);
  const out = (await dx.data()) as Float32Array;
  tf.dispose([x, w, dx]);
  return out;
}

describe('MganReluGrad (WebGPU)', () => {
  it('equals tfjs’s ReLU gradient on the cpu backend (zero at and below 0), as one program', async () => {
    const cpu = await gradient('cpu');
    const counts = startCounting();
    const gpu = await gradient('webgpu');
    expect(counts().byKernel.MganReluGrad).toBe(1);
    expect(Array.from(gpu)).toEqual(Array.from(cpu));
    expect(cpu.some((v) => v !== 0) && cpu.some((v) => v === 0)).toBe(true);
  });
});
