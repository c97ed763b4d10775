import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../src/method/image/image-tensor';
import { readImageFile } from '../../src/platform/node/image-io';
import {
  MIN_QUANTIZED_ELEMENTS,
  bytesPerValue,
  quantizationOf,
  quantizeDecoderArtifacts,
  quantizeUint8,
  weightBytes,
} from '../../src/platform/common/decoder-quantize';
import { decodeDecoderFile, decoderFromArtifacts, decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { createTestDecoder, testDecoderArtifacts } from './test-decoder-file';
import { testVgg19 } from '../support/vgg19';

const sample = async (file: string, w: number, h: number) => {
  const full = await readImageFile(`public/samples/photos/${file}`);
  const small = resizeImage(full, w, h);
  full.dispose();
  return small;
};

describe('8-bit decoder weights', () => {
  it('quantises one tensor to uint8 within half a step of every value', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 0.05 - 0.01);
    const { data, min, scale } = quantizeUint8(values);
    expect(min).toBeCloseTo(Math.min(...values), 6);
    expect(scale).toBeCloseTo((Math.max(...values) - Math.min(...values)) / 255, 8);
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(data[i] * scale + min - values[i]));
    expect(worst).toBeLessThanOrEqual(scale / 2 + 1e-7);
    expect(data.includes(0) && data.includes(255)).toBe(true);
    // A constant tensor has no range: every value comes back exactly.
    const flat = quantizeUint8(new Float32Array([0.25, 0.25]));
    expect([...flat.data].map((q) => q * flat.scale + flat.min)).toEqual([0.25, 0.25]);
    expect(() => quantizeUint8(new Float32Array([1, NaN]))).toThrow(/NaN/);
  });

  it("stores G's large weights as uint8 (min/scale specs tf.io decodes), keeps the small ones float32, fits 6 MB", async () => {
    const float = await testDecoderArtifacts('q');
    const quantised = quantizeDecoderArtifacts(float);
    expect(quantizationOf(float.weightSpecs)).toBeUndefined();
    expect(quantizationOf(quantised.weightSpecs)).toBe('uint8');
    for (const spec of quantised.weightSpecs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      expect(spec.quantization?.dtype, spec.name).toBe(size >= MIN_QUANTIZED_ELEMENTS ? 'uint8' : undefined);
      expect(bytesPerValue(spec)).toBe(size >= MIN_QUANTIZED_ELEMENTS ? 1 : 4);
    }
    expect(quantised.weightSpecs.filter((s) => s.quantization).map((s) => s.name)).toEqual(['conv1/kernel', 'deconv2/phases', 'deconv3/phases', 'deconv4/phases']);
    expect(quantised.weightData.byteLength).toBe(weightBytes(quantised.weightSpecs));
    const file = encodeDecoderFile(quantised);
    expect(file.byteLength).toBeLessThanOrEqual(6_000_000);
    expect(file.byteLength).toBeLessThan(encodeDecoderFile(float).byteLength / 3.9);

    // tf.io.decodeWeights undoes it: every value within half its tensor's step of the float one.
    const before = tf.memory().numTensors;
    const back = tf.io.decodeWeights(decodeDecoderFile(file).weightData, quantised.weightSpecs);
    const orig = tf.io.decodeWeights(float.weightData, float.weightSpecs);
    for (const spec of quantised.weightSpecs) {
      const err = tf.tidy(() => tf.max(tf.abs(tf.sub(back[spec.name], orig[spec.name]))).dataSync()[0]);
      expect(err, spec.name).toBeLessThanOrEqual(spec.quantization ? spec.quantization.scale! / 2 + 1e-6 : 0);
    }
    tf.dispose([...Object.values(back), ...Object.values(orig)]);
    expect(tf.memory().numTensors).toBe(before);
    // Quantising twice changes nothing.
    expect(Buffer.from(quantizeDecoderArtifacts(quantised).weightData).equals(Buffer.from(quantised.weightData))).toBe(true);
  });

  it('decodes a photo within 1/255 (mean absolute pixel difference) of the float decoder', async () => {
    const photos = [await sample('astronaut.png', 128, 128), await sample('chelsea.png', 152, 96)];
    const decoder = await createTestDecoder('q', { seed: 5, photos });
    tf.dispose(photos);
    const quantised = decoderFromArtifacts(
      decodeDecoderFile(encodeDecoderFile(quantizeDecoderArtifacts(await decoderToArtifacts(decoder)))),
      (layer) => testVgg19.load(layer),
    );
    const photo = await sample('coffee.png', 240, 160);
    const before = tf.memory().numTensors;
    const a = await decoder.decode(photo);
    const b = await quantised.decode(photo);
    const diff = tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0] * 255);
    const spread = tf.tidy(() => tf.moments(a).variance.sqrt().dataSync()[0] * 255);
    console.log(`float vs 8-bit decode of coffee 240x160: mean |difference| ${diff.toFixed(3)} / 255 (output std ${spread.toFixed(1)} / 255)`);
    expect(spread).toBeGreaterThan(2); // the decode is not flat, so the comparison means something
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(1);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([photo]);
    decoder.dispose();
    quantised.dispose();
  });

  it('refuses quantisations it does not write, and a truncated quantised file, naming the problem', async () => {
    const quantised = quantizeDecoderArtifacts(await testDecoderArtifacts('q'));
    const uint16 = { ...quantised, weightSpecs: quantised.weightSpecs.map((s) => (s.quantization ? { ...s, quantization: { ...s.quantization, dtype: 'uint16' as const } } : s)) };
    expect(() => decodeDecoderFile(encodeDecoderFile(uint16), "'x.mgan'")).toThrow(/'x\.mgan' is a damaged decoder: weight 'conv1\/kernel' has quantization .*uint16.*only uint8/);
    const file = encodeDecoderFile(quantised);
    expect(() => decodeDecoderFile(file.subarray(0, file.length - 10), "'y.mgan'")).toThrow(/'y\.mgan' is a damaged decoder: its weights are \d+ bytes, the generator needs \d+ \(the file is truncated\)/);
  });
});
