// VGG19 with the real 8-bit weights (the installed cache).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VGG19_CONV_LAYERS,
  VGG19_LAYERS,
  createVgg19,
  preprocessForVgg,
  vggDownsampling,
  type Vgg19,
} from '../../src/method/vgg/vgg19';
import { loadVgg19, loadVgg19Weights } from '../../src/method/vgg/vgg19-weights';
import { TEST_VGG19_DIR, readTestWeightFile } from '../support/vgg19';


function decodePng(path: string): { width: number; height: number; rgba: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, rgba: png.data };
}

/** Crop of a PNG as an [1, h, w, 3] tensor in [0, 1], plus its raw RGB bytes. */
function crop(image: ReturnType<typeof decodePng>, x0: number, y0: number, w: number, h: number) {
  const bytes = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) bytes[(y * w + x) * 3 + c] = image.rgba[((y0 + y) * image.width + x0 + x) * 4 + c];
  return { bytes, tensor: tf.tidy(() => tf.div(tf.tensor4d(bytes, [1, h, w, 3], 'int32'), 255)) as tf.Tensor4D };
}

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19(readTestWeightFile, 'relu3_1');
});
afterAll(() => vgg.dispose());

describe('VGG19 layers', () => {
  it('lists 16 convs and their 16 ReLUs; pooling halves the size per block', () => {
    expect(VGG19_CONV_LAYERS).toHaveLength(16);
    expect(VGG19_LAYERS[0]).toBe('relu1_1');
    expect(VGG19_LAYERS[15]).toBe('relu5_4');
    expect(vggDownsampling('relu1_2')).toBe(1);
    expect(vggDownsampling('relu2_1')).toBe(2);
    expect(vggDownsampling('relu3_1')).toBe(4);
    expect(vggDownsampling('relu4_4')).toBe(8);
    expect(vggDownsampling('relu5_1')).toBe(16);
  });
});

describe('VGG19 with real weights', () => {
  it('relu1_1 matches conv1_1 computed with plain loops over the decoded bytes of a photo crop', () => {
    const photo = decodePng('public/samples/photos/coffee.png');
    const [w, h] = [9, 7];
    const { bytes, tensor } = crop(photo, 300, 200, w, h);
    // conv1_1 straight from the files: q * scale + min; stored kernel index is [x][y][in][out] (MatConvNet).
    const manifest = JSON.parse(readFileSync(join(TEST_VGG19_DIR, 'manifest.json'), 'utf8')).weights;
    const kq = readFileSync(join(TEST_VGG19_DIR, 'conv1_1_kernel'));
    const bq = readFileSync(join(TEST_VGG19_DIR, 'conv1_1_bias'));
    const k = manifest['conv1_1/kernel'].quantization;
    const b = manifest['conv1_1/bias'].quantization;
    const mean = [123.68, 116.779, 103.939];
    const expected = new Float32Array(h * w * 64);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let o = 0; o < 64; o++) {
          let sum = bq[o] * b.scale + b.min_value;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const [yy, xx] = [y + dy, x + dx];
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue; // 'same' zero padding (after mean subtraction)
              for (let c = 0; c < 3; c++) {
                const weight = kq[(((dx + 1) * 3 + (dy + 1)) * 3 + c) * 64 + o] * k.scale + k.min_value;
                sum += (bytes[(yy * w + xx) * 3 + c] - mean[c]) * weight;
              }
            }
          expected[(y * w + x) * 64 + o] = Math.max(0, sum);
        }
    const got = tf.tidy(() => vgg.features(tensor, ['relu1_1']).relu1_1.dataSync());
    tensor.dispose();
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected[i]));
      largest = Math.max(largest, expected[i]);
    }
    expect(largest).toBeGreaterThan(10);
    expect(worst / largest).toBeLessThan(1e-4);
  });

  it('a natural photo and noise give clearly different relu3_1 statistics (two noises do not)', () => {
    const photo = decodePng('public/samples/photos/coffee.png');
    const gram = (x: tf.Tensor4D) =>
      tf.tidy(() => {
        const f = vgg.features(x, ['relu3_1']).relu3_1;
        const flat = tf.reshape(f, [-1, f.shape[3]]);
        return tf.div(tf.matMul(flat, flat, true, false), flat.shape[0]);
      });
    const distance = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(a).dataSync()[0]);
    const before = tf.memory().numTensors;
    const { tensor: photoCrop } = crop(photo, 250, 120, 64, 64);
    const noiseA = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const noiseB = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const [gPhoto, gA, gB] = [gram(photoCrop), gram(noiseA), gram(noiseB)];
    const photoVsNoise = distance(gPhoto, gA);
    const noiseVsNoise = distance(gA, gB);
    // Measured: photo vs noise 3.1, noise vs noise 0.15 (Gram distance relative to the first's norm).
    expect(photoVsNoise).toBeGreaterThan(1);
    expect(noiseVsNoise).toBeLessThan(0.3);
    expect(photoVsNoise).toBeGreaterThan(8 * noiseVsNoise);
    // Sparsity differs too: the photo leaves many more relu3_1 units off than noise does.
    const zeros = (x: tf.Tensor4D) => tf.tidy(() => tf.mean(tf.cast(tf.equal(vgg.features(x, ['relu3_1']).relu3_1, 0), 'float32')).dataSync()[0]);
    expect(Math.abs(zeros(photoCrop) - zeros(noiseA))).toBeGreaterThan(0.05);
    tf.dispose([photoCrop, noiseA, noiseB, gPhoto, gA, gB]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('returns only the asked layers, at 1/2^pools of the size, with no leaked intermediates', () => {
    const x = tf.randomUniform([2, 20, 24, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const out = vgg.features(x, ['relu1_2', 'relu3_1']);
    expect(Object.keys(out).sort()).toEqual(['relu1_2', 'relu3_1']);
    expect(out.relu1_2.shape).toEqual([2, 20, 24, 64]);
    expect(out.relu3_1.shape).toEqual([2, 5, 6, 256]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, out.relu1_2, out.relu3_1]);
  });

  it('is differentiable w.r.t. the image; asking deeper than loaded is an error naming the layer', () => {
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const g = tf.grad((img: tf.Tensor) => tf.mean(vgg.features(img as tf.Tensor4D, ['relu3_1']).relu3_1))(x);
    const values = g.dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => vgg.features(x, ['relu4_1'])).toThrow(/relu4_1 is deeper than the loaded VGG19 weights \(up to relu3_1\)/);
    expect(() => vgg.features(x, ['pool3' as never])).toThrow(/'pool3' is not a VGG19 layer/);
    x.dispose();
  });

  it('loads only the layers needed, and preprocesses per convention (Keras caffe is BGR)', async () => {
    const weights = await loadVgg19Weights(readTestWeightFile, 'relu2_1');
    expect(Object.keys(weights.layers)).toEqual(['conv1_1', 'conv1_2', 'conv2_1']);
    expect(weights.layers.conv2_1!.kernel.shape).toEqual([3, 3, 64, 128]);
    const shallow = createVgg19(weights);
    expect(shallow.deepest).toBe('relu2_1');
    expect(shallow.convention).toBe('vgg19-matconvnet-rgb-mean');
    shallow.dispose();
    tf.tidy(() => {
      const px = tf.tensor4d([1, 0.5, 0], [1, 1, 1, 3]);
      const rgb = preprocessForVgg(px).dataSync();
      const bgr = preprocessForVgg(px, 'vgg19-keras-caffe-bgr-mean').dataSync();
      [255 - 123.68, 127.5 - 116.779, -103.939].forEach((v, c) => expect(rgb[c]).toBeCloseTo(v, 3));
      [-103.939, 127.5 - 116.779, 255 - 123.68].forEach((v, c) => expect(bgr[c]).toBeCloseTo(v, 3));
    });
  });
});
