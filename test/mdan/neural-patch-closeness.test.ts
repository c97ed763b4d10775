import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../src/method/image/image-tensor';
import { matchColourHistogram, neuralPatchCloseness, patchClosenessGain } from '../../src/method/mdan/neural-patch-closeness';
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

  /** The definition written out plainly: every window of both maps as a unit row, all pairs by one matMul. */
  function bruteForceCloseness(image: tf.Tensor3D, example: tf.Tensor3D, k: number): number {
    return tf.tidy(() => {
      const windows = (x: tf.Tensor3D) => {
        const f = vgg.features(tf.expandDims(x, 0) as tf.Tensor4D, ['relu3_1']).relu3_1;
        const [, h, w, c] = f.shape;
        // Window (y, x) flattened in (i, j, channel) order, built from k·k shifted copies of the map.
        const shifted: tf.Tensor[] = [];
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) shifted.push(tf.slice(f, [0, i, j, 0], [1, h - k + 1, w - k + 1, c]));
        const m = tf.reshape(tf.stack(shifted, 3), [(h - k + 1) * (w - k + 1), k * k * c]);
        return tf.div(m, tf.add(tf.norm(m, 'euclidean', 1, true), 1e-8));
      };
      return tf.mean(tf.max(tf.matMul(windows(image), windows(example), false, true), 1)).dataSync()[0];
    });
  }

  it('equals the brute-force mean best cosine match, also over several blocks of texture windows', async () => {
    // relu3_1 of 140×140 is 35×35: 33² = 1089 windows of 3×3, more than two blocks.
    const big = await image('styles/starry_night.jpg', 140, 140);
    const photo = await image('photos/chelsea.png', 72, 48);
    expect(neuralPatchCloseness(vgg, photo, big)).toBeCloseTo(bruteForceCloseness(photo, big, 3), 4);
    expect(neuralPatchCloseness(vgg, photo, big, { patchSize: 2 })).toBeCloseTo(bruteForceCloseness(photo, big, 2), 4);
    tf.dispose([big, photo]);
  });

  it('resizes the texture to textureSide first', async () => {
    const texture = await image('styles/starry_night.jpg', 160, 128);
    const at96 = resizeImage(texture, 96, 77);
    const photo = await image('photos/chelsea.png', 72, 48);
    const before = tf.memory().numTensors;
    expect(neuralPatchCloseness(vgg, photo, texture, { textureSide: 96 })).toBeCloseTo(neuralPatchCloseness(vgg, photo, at96), 5);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([texture, at96, photo]);
  });

  it('scores a piece of the texture above a photo merely tinted in its palette, and the photo below its tint', async () => {
    const texture = await image('styles/starry_night.jpg', 96, 72);
    const photo = await image('photos/chelsea.png', 72, 48);
    const strokes = tf.image.resizeBilinear(tf.slice(texture, [0, 0, 0], [64, 96, 3]) as tf.Tensor3D, [48, 72], true);
    const before = tf.memory().numTensors;
    const g = patchClosenessGain(vgg, strokes, photo, texture);
    expect(g.gain).toBeCloseTo(g.result - g.colourMatched, 10);
    expect(g.gain).toBeGreaterThan(0.1);
    // The palette alone brings the photo closer: the baseline is the tint, not the photo.
    expect(g.colourMatched).toBeGreaterThan(g.photo);
    const self = patchClosenessGain(vgg, photo, photo, texture);
    expect(self.result).toBeCloseTo(self.photo, 6);
    expect(self.gain).toBeLessThan(0);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([texture, photo, strokes]);
  });
});
