import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../src/method/image/image-tensor';
import { matchColourHistogram, neuralPatchCloseness } from '../../src/method/mdan/neural-patch-closeness';
import type { Vgg19 } from '../../src/method/vgg/vgg19';
import { readImageFile } from '../../src/platform/node/image-io';
import { PROJECT_ROOT } from '../../src/platform/node/services';
import { testVgg19 } from '../support/vgg19';

let vgg: Vgg19;
const image = async (file: string, w: number, h: number) => {
  const full = await readImageFile(join(PROJECT_ROOT, 'public', 'samples', file));
  const small = resizeImage(full, w, h);
  full.dispose();
  return small;
};

beforeAll(async () => {
  vgg = await testVgg19.load('relu3_1');
});

describe('neural patch closeness', () => {
  it('is 1 for the texture itself, high for a piece of it, lower for a photo or a flat image', async () => {
    const texture = await image('styles/starry_night.jpg', 160, 128);
    const piece = tf.slice(texture, [32, 48, 0], [64, 64, 3]) as tf.Tensor3D;
    const photo = await image('photos/coffee.png', 96, 64);
    const grey = tf.fill([64, 64, 3], 0.5) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const self = neuralPatchCloseness(vgg, texture, texture);
    const ofPiece = neuralPatchCloseness(vgg, piece, texture);
    const ofPhoto = neuralPatchCloseness(vgg, photo, texture);
    const ofGrey = neuralPatchCloseness(vgg, grey, texture);
    expect(tf.memory().numTensors).toBe(before);
    expect(self).toBeGreaterThan(0.999);
    expect(self).toBeLessThanOrEqual(1.0001);
    expect(ofPiece).toBeGreaterThan(0.85);
    expect(ofPhoto).toBeGreaterThan(0);
    expect(ofPhoto).toBeLessThan(ofPiece - 0.05);
    expect(ofGrey).toBeLessThan(ofPiece - 0.05);
    // A 2x2 window on relu2_1 is another measure of the same kind.
    expect(neuralPatchCloseness(vgg, texture, texture, { layer: 'relu2_1', patchSize: 2 })).toBeGreaterThan(0.999);
    expect(() => neuralPatchCloseness(vgg, tf.zeros([8, 8, 3]) as tf.Tensor3D, texture)).toThrow(/image \(8x8 px\) is too small for a 3x3 window of relu3_1/);
    expect(() => neuralPatchCloseness(vgg, photo, texture, { patchSize: 0 })).toThrow(/patchSize must be a positive integer/);
    tf.dispose([texture, piece, photo, grey]);
  });

  it('colour matching gives the photo the reference palette, keeping its order of brightness', () => {
    const src = tf.tensor3d([0.1, 0.9, 0.5, 0.4, 0.2, 0.0, 0.8, 0.3, 0.9, 0.2, 0.6, 0.1], [2, 2, 3]);
    const ref = tf.tensor3d([0.0, 1.0, 0.3, 0.25, 0.5, 0.6, 1.0, 0.75, 0.9, 0.5, 0.0, 0.1], [2, 2, 3]);
    const out = matchColourHistogram(src, ref);
    const s = src.arraySync().flat();
    const r = ref.arraySync().flat();
    const o = out.arraySync().flat();
    for (let c = 0; c < 3; c++) {
      const channel = (px: number[][]) => px.map((p) => p[c]);
      // Same number of pixels: the channel takes exactly the reference's values...
      expect([...channel(o)].sort()).toEqual([...channel(r)].sort());
      // ...in the photo's order.
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (s[a][c] < s[b][c]) expect(o[a][c]).toBeLessThanOrEqual(o[b][c]);
    }
    expect(() => matchColourHistogram(tf.zeros([2, 2, 1]) as tf.Tensor3D, ref)).toThrow(/two RGB images/);
    tf.dispose([src, ref, out]);
  });
});
