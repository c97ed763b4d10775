// The half-precision decode layers (MganHalfConv) on Mesa lavapipe's shader-f16, against the same
// layers built from tfjs ops in f32 on the cpu backend: a 3x3 conv from f32 input, a chain through an
// f16 activation with the next conv reading it through a 2x2 max-pool, and G's stride-2 layer to 3
// channels with the image mapping.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLavapipeWebGpu } from '../support/requirements';
import { type HalfConvAttrs, halfConv, hasShaderF16, halfPrecisionProblem, packHalf, paddedChannels } from '../../src/method/kernels/webgpu-conv-f16';
import { deconvFromPhases } from '../../src/method/mgan/deconv';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number, seed: number, scale = 0.5) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + seed * 0.7) * scale);
const tensor = (shape: number[], seed: number, scale?: number) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed, scale), shape);

/** Per-channel [scale, shift], padded to whole vec4s as the kernel reads them. */
function affine(scale: number[], shift: number[]): tf.Tensor {
  const pad = paddedChannels(scale.length) - scale.length;
  return tf.tensor1d([...scale, ...Array(pad).fill(0), ...shift, ...Array(pad).fill(0)]);
}

const base: Omit<HalfConvAttrs, 'mode' | 'inChannels' | 'outChannels'> = { input: 'f32', output: 'f32', pool: false, activation: 'leaky', leak: 0 };

async function maxDifference(a: tf.Tensor, b: Float32Array): Promise<number> {
  const av = (await a.data()) as Float32Array;
  expect(av.length).toBe(b.length);
  return av.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('MganHalfConv (WebGPU shader-f16)', () => {
  it('runs on lavapipe: the device was requested with shader-f16', () => {
    expect(hasShaderF16()).toBe(true);
    expect(halfPrecisionProblem()).toBeUndefined();
  });

  it('3x3 conv + bias + ReLU from f32 input (3 channels) matches the cpu backend within f16 rounding', async () => {
    const x = tensor([1, 5, 6, 3], 1, 1);
    const k = tensor([3, 3, 3, 8], 2);
    const b = Array.from(values(8, 3));
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'), b)));
    const expected = (await ref.data()) as Float32Array;
    await tf.setBackend('webgpu');
    const got = tf.tidy(() => halfConv(x as tf.Tensor4D, packHalf(k), affine(Array(8).fill(1), b), { ...base, mode: 'conv3x3', inChannels: 3, outChannels: 8 }));
    expect(expected.some((v) => v === 0) && expected.some((v) => v > 1)).toBe(true);
    expect(await maxDifference(got, expected)).toBeLessThan(5e-3);
    tf.dispose([x, k, ref, got]);
  });

  it('an f16 activation read by the next conv through a 2x2 max-pool matches conv, maxPool, conv on the cpu backend', async () => {
    const x = tensor([2, 6, 8, 8], 4, 1);
    const k1 = tensor([3, 3, 8, 8], 5, 0.3);
    const k2 = tensor([3, 3, 8, 4], 6, 0.3);
    const b2 = Array.from(values(4, 7));
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => {
      const h = tf.relu(tf.conv2d(x as tf.Tensor4D, k1 as tf.Tensor4D, 1, 'same'));
      return tf.add(tf.conv2d(tf.maxPool(h, 2, 2, 'valid'), k2 as tf.Tensor4D, 1, 'same'), b2);
    });
    const expected = (await ref.data()) as Float32Array;
    await tf.setBackend('webgpu');
    const counts = startCounting();
    const got = tf.tidy(() => {
      const h = halfConv(x as tf.Tensor4D, packHalf(k1), affine(Array(8).fill(1), Array(8).fill(0)), { ...base, mode: 'conv3x3', inChannels: 8, outChannels: 8, output: 'f16' });
      expect(h.shape).toEqual([2, 6, 8, 4]); // two halves per element
      return halfConv(h, packHalf(k2), affine(Array(4).fill(1), b2), { ...base, mode: 'conv3x3', inChannels: 8, outChannels: 4, input: 'f16', pool: true, leak: 1 });
    });
    expect(got.shape).toEqual([2, 3, 4, 4]);
    expect(counts().byKernel).toEqual({ MganHalfPack: 2, MganHalfConv: 2 });
    expect(expected.some((v) => v < -0.5)).toBe(true);
    expect(await maxDifference(got, expected)).toBeLessThan(2e-2);
    tf.dispose([x, k1, k2, ref, got]);
  });

  it("G's stride-2 layer to 3 channels with the image mapping matches deconvFromPhases + bias + tanh on the cpu backend", async () => {
    const x = tensor([1, 3, 4, 8], 8, 1);
    const phases = tensor([2, 2, 8, 12], 9, 0.4);
    const bias = [0.1, -0.2, 0.3];
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => tf.add(tf.mul(tf.tanh(tf.add(deconvFromPhases(x as tf.Tensor4D, phases as tf.Tensor4D), bias)), 0.5), 0.5));
    const expected = (await ref.data()) as Float32Array;
    await tf.setBackend('webgpu');
    const got = tf.tidy(() => {
      // Rows [phase][ky][kx][in][out padded to 4], as half-decode.ts lays them out.
      const rows = tf.reshape(tf.transpose(tf.reshape(phases, [2, 2, 8, 4, 3]), [3, 0, 1, 2, 4]), [16 * 8, 3]);
      const attrs: HalfConvAttrs = { ...base, mode: 'up2x', inChannels: 8, outChannels: 3, activation: 'tanh01', leak: 1 };
      return halfConv(x as tf.Tensor4D, packHalf(tf.pad(rows, [[0, 0], [0, 1]])), affine([1, 1, 1], bias), attrs);
    });
    expect(got.shape).toEqual([1, 6, 8, 3]);
    expect(await maxDifference(got, expected)).toBeLessThan(2e-3);
    tf.dispose([x, phases, ref, got]);
  });
});
