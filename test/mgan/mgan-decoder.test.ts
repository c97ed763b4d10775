import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type MganDecoder, createMganDecoder, decodableSize, tileStarts } from '../../src/method/mgan/decoder';
import { MganGenerator } from '../../src/method/mgan/generator';
import type { Vgg19 } from '../../src/method/vgg/vgg19';
import { testImage, testVgg } from './mgan-helpers';
import { DECODER_FORMAT, type DecoderMeta } from '../../src/formats/decoder-meta';

function meta(vgg: Vgg19, overrides: Partial<DecoderMeta> = {}): DecoderMeta {
  return { format: DECODER_FORMAT, formatVersion: 1, name: 'test', vggConvention: vgg.convention, createdAt: '2026-01-01', training: {}, ...overrides };
}

describe('MGAN decoder', () => {
  let vgg: Vgg19;
  let decoder: MganDecoder;
  beforeAll(async () => {
    vgg = await testVgg();
    // An untrained G whose running statistics were recorded on a test image, so 'fixed' decodes vary across the image.
    const g = MganGenerator.create(1);
    tf.tidy(() => {
      const f = vgg.features(tf.expandDims(testImage(64, 96), 0) as tf.Tensor4D, ['relu4_1']).relu4_1;
      for (let i = 0; i < 10; i++) g.forward(f, { training: true });
    });
    decoder = createMganDecoder(g, meta(vgg), async () => vgg);
  });

  it('decodes 200x304 to the same size, in [0, 1], and frees its intermediates', async () => {
    const img = testImage(200, 304);
    const before = tf.memory().numTensors;
    const out = await decoder.decode(img);
    expect(out.shape).toEqual([200, 304, 3]);
    const [lo, hi] = tf.tidy(() => [tf.min(out).dataSync()[0], tf.max(out).dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi - lo).toBeGreaterThan(0.1);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    img.dispose();
  });

  it('tiled and one-piece decodes agree', async () => {
    const img = testImage(144, 304, 0.3);
    const whole = await decoder.decode(img);
    const before = tf.memory().numTensors;
    const tiled = await decoder.decode(img, { tile: 128 });
    expect(tiled.shape).toEqual(whole.shape);
    const [spread, meanDiff, maxDiff] = tf.tidy(() => {
      const diff = tf.abs(tf.sub(whole, tiled));
      return [Math.sqrt(tf.moments(whole).variance.dataSync()[0]), tf.mean(diff).dataSync()[0], tf.max(diff).dataSync()[0]];
    });
    expect(spread).toBeGreaterThan(0.05);
    expect(meanDiff).toBeLessThan(0.01 * spread);
    expect(maxDiff).toBeLessThan(0.1);
    tiled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    whole.dispose();
    img.dispose();
  });

  it('rounds sides down to a multiple of 8 and says so', async () => {
    const img = testImage(61, 75);
    const messages: string[] = [];
    const out = await decoder.decode(img, { onMessage: (m) => messages.push(m) });
    expect(out.shape).toEqual([56, 72, 3]);
    expect(messages.join()).toMatch(/75x61 is not a multiple of 8: resized to 72x56/);
    out.dispose();
    img.dispose();
    expect(() => decodableSize(7, 100)).toThrow(/too small/);
  });

  it('adds seeded low-frequency noise to the input', async () => {
    const img = testImage(64, 64);
    const a = await decoder.decode(img, { noise: 0.5, noiseSeed: 3 });
    const b = await decoder.decode(img, { noise: 0.5, noiseSeed: 3 });
    const c = await decoder.decode(img, { noise: 0.5, noiseSeed: 4 });
    const plain = await decoder.decode(img);
    const d = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.mean(tf.abs(tf.sub(x, y))).dataSync()[0]);
    expect(d(a, b)).toBe(0);
    expect(d(a, c)).toBeGreaterThan(1e-3);
    expect(d(a, plain)).toBeGreaterThan(1e-3);
    tf.dispose([a, b, c, plain, img]);
  });

  it('refuses a VGG19 of another convention, and huge untiled images, with clear messages', async () => {
    const img = testImage(64, 64);
    const other = createMganDecoder(MganGenerator.create(2), meta(vgg, { name: 'keras-one', vggConvention: 'vgg19-keras-caffe-bgr-mean' }), async () => vgg);
    await expect(other.decode(img)).rejects.toThrow(/decoder 'keras-one' was trained with VGG19 convention 'vgg19-keras-caffe-bgr-mean'/);
    other.dispose();
    await expect(decoder.decode(img, { maxUntiledPixels: 1000 })).rejects.toThrow(/too large to decode in one piece.*set 'tile'/);
    const tiled = await decoder.decode(img, { maxUntiledPixels: 1000, tile: 32 });
    expect(tiled.shape).toEqual([64, 64, 3]);
    tf.dispose([img, tiled]);
  });

  it('places tiles flush with the far edge, overlapping', () => {
    expect(tileStarts(304, 64, 16)).toEqual([0, 48, 96, 144, 192, 240]);
    expect(tileStarts(64, 64, 16)).toEqual([0]);
  });
});
