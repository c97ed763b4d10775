// Precision 'f16' where the device has no shader-f16 (lavapipe started with the feature left off):
// the decode runs in f32, gives exactly the f32 result, and says so once.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLavapipeWebGpu } from '../support/requirements';
import { testVgg19 } from '../support/vgg19';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import type { MganDecoder } from '../../src/method/mgan/decoder';
import { hasShaderF16 } from '../../src/method/kernels/webgpu-conv-f16';
import { readImageFile } from '../../src/platform/node/image-io';
import { startCounting } from '../../bench/kernel-counter';

let dir: string;
let decoder: MganDecoder;
let photo: tf.Tensor3D;

beforeAll(async () => {
  await startLavapipeWebGpu({ shaderF16: false });
  dir = await mkdtemp(join(tmpdir(), 'mgan-f16-off-'));
  decoder = await createNodeDecoderCatalog({ cacheDir: dir, bundledDecodersDir: 'public/decoders' }, (l) => testVgg19.load(l)).load('starry_night');
  const full = await readImageFile('public/samples/photos/coffee.png');
  photo = tf.tidy(() => tf.image.resizeBilinear(full, [32, 32], true));
  full.dispose();
});
afterAll(async () => {
  decoder?.dispose();
  photo?.dispose();
  await tf.setBackend('wasm');
  await rm(dir, { recursive: true, force: true });
});

describe("MGAN decode with precision 'f16' on a device without shader-f16", () => {
  it('decodes in f32 (the same values as precision f32) and says why once', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(hasShaderF16()).toBe(false);
    const messages: string[] = [];
    const run = async (precision: 'f32' | 'f16') => {
      const out = await decoder.decode(photo, { precision, tile: false, onMessage: (m) => messages.push(m) });
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    };
    const f32 = await run('f32');
    const counts = startCounting();
    const first = await run('f16');
    const second = await run('f16');
    expect(counts().byKernel).not.toHaveProperty('MganHalfConv');
    expect(Array.from(first)).toEqual(Array.from(f32));
    expect(Array.from(second)).toEqual(Array.from(f32));
    expect(messages).toEqual(["precision 'f16' is not available (this GPU adapter has no 'shader-f16'): decoding in f32"]);
  });
});
