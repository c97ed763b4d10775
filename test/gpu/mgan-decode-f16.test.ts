// Decoding a photo with precision 'f16' on Mesa lavapipe's shader-f16 (the bundled starry_night
// decoder): within the stated tolerance of the cpu backend's f32 decode, in one program per layer.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLavapipeWebGpu } from '../support/requirements';
import { testVgg19 } from '../support/vgg19';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import { HALF_PRECISION_TOLERANCE, type MganDecoder, pixelDifference } from '../../src/method/mgan/decoder';
import { readImageFile } from '../../src/platform/node/image-io';
import { startCounting } from '../../bench/kernel-counter';

let dir: string;
let decoder: MganDecoder;
let photo: tf.Tensor3D;
let reference: Float32Array;

beforeAll(async () => {
  await startLavapipeWebGpu();
  // Everything starts on the cpu backend: a WebGPU tensor cannot move back to the cpu in Node (no sync reads).
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'mgan-f16-'));
  decoder = await createNodeDecoderCatalog({ cacheDir: dir, bundledDecodersDir: 'public/decoders' }, (l) => testVgg19.load(l)).load('starry_night');
  const full = await readImageFile('public/samples/photos/coffee.png');
  photo = tf.tidy(() => tf.image.resizeBilinear(full, [64, 64], true));
  full.dispose();
  reference = await decode('f32');
  await tf.setBackend('webgpu');
});
afterAll(async () => {
  decoder?.dispose();
  photo?.dispose();
  await tf.setBackend('wasm');
  await rm(dir, { recursive: true, force: true });
});

async function decode(precision: 'f32' | 'f16', messages: string[] = [], normalization: 'fixed' | 'batch' = 'fixed'): Promise<Float32Array> {
  const out = await decoder.decode(photo, { precision, tile: false, normalization, onMessage: (m) => messages.push(m) });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

describe("MGAN decode with precision 'f16' (WebGPU, lavapipe)", () => {
  it("stays within HALF_PRECISION_TOLERANCE of the cpu backend's f32 decode, one MganHalfConv per layer", async () => {
    const messages: string[] = [];
    await decode('f16', messages); // builds the f16 weights and compiles the shaders
    const counts = startCounting();
    const half = await decode('f16', messages);
    const kernels = counts().byKernel;
    expect(messages).toEqual([]);
    // VGG's 9 convs to relu4_1 and G's 4 layers; no tfjs conv, pool, batch norm or interleave.
    expect(kernels.MganHalfConv).toBe(13);
    for (const k of ['Conv2D', 'FusedConv2D', 'MaxPool', 'MganBatchNormActivation', 'MganInterleavePhases', 'Tanh']) expect(kernels).not.toHaveProperty(k);
    expect(half.length).toBe(64 * 64 * 3);
    const { maxAbs, meanAbs } = pixelDifference(half, reference);
    expect(maxAbs).toBeLessThanOrEqual(HALF_PRECISION_TOLERANCE.maxAbs);
    expect(meanAbs).toBeLessThanOrEqual(HALF_PRECISION_TOLERANCE.meanAbs);
    // A real picture, not a flat one the tolerance would pass trivially.
    const mean = reference.reduce((a, b) => a + b, 0) / reference.length;
    expect(reference.reduce((a, b) => a + (b - mean) ** 2, 0) / reference.length).toBeGreaterThan(0.005);
  });

  it("with 'batch' normalisation decodes in f32 and says so once", async () => {
    const messages: string[] = [];
    const counts = startCounting();
    await decode('f16', messages, 'batch');
    await decode('f16', messages, 'batch');
    expect(counts().byKernel).not.toHaveProperty('MganHalfConv');
    expect(messages).toEqual(["precision 'f16' is not available (it needs 'fixed' normalisation): decoding in f32"]);
  });
});
