import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, encodePng, readImageFile } from '../../src/platform/node/image-io';
import { createNodeEnv } from '../../src/platform/node/env';
import { SAMPLE_INDEX } from '../../src/nodes/sample-index';
import { fitSize, resizeToFit } from '../../src/method/image/image-tensor';

const tmp = mkdtempSync(join(tmpdir(), 'mgan-io-'));

function pngBytes(width: number, height: number, data: Uint8Array | Uint16Array, colorType: 0 | 2 | 4 | 6, bitDepth: 8 | 16, inputColorType: 0 | 2 | 4 | 6): Uint8Array {
  const png = new PNG({ width, height, colorType, inputColorType, bitDepth, inputHasAlpha: inputColorType === 4 || inputColorType === 6 });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType, bitDepth, inputHasAlpha: inputColorType === 4 || inputColorType === 6 }));
}

describe('PNG encode / decode', () => {
  it('round-trips an 8-bit image exactly', async () => {
    const before = tf.memory().numTensors;
    const img = tf.tidy(() => tf.randomUniform([5, 7, 3], 0, 1, 'float32', 3).mul(255).round().div(255)) as tf.Tensor3D;
    const bytes = await encodePng(img);
    const back = decodeImageBytes(bytes, 'roundtrip.png');
    expect(back.shape).toEqual([5, 7, 3]);
    const maxErr = tf.tidy(() => back.sub(img).abs().max().dataSync()[0]);
    expect(maxErr).toBeLessThan(1e-6);
    tf.dispose([img, back]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clips out-of-range values when encoding', async () => {
    const img = tf.tensor3d([-0.5, 0.5, 2], [1, 1, 3]);
    const back = decodeImageBytes(await encodePng(img), 'clip.png');
    expect(Array.from(back.dataSync()).map((v) => Math.round(v * 255))).toEqual([0, 128, 255]);
    tf.dispose([img, back]);
  });

  it('decodes grey+alpha and 16-bit RGB PNGs', () => {
    // grey + alpha (colour type 4): grey is copied to all three channels, alpha dropped.
    const ga = pngBytes(2, 1, new Uint8Array([0, 0, 0, 255, 51, 51, 51, 10]), 4, 8, 6);
    const g = decodeImageBytes(ga, 'ga.png');
    expect(Array.from(g.dataSync()).map((v) => Math.round(v * 255))).toEqual([0, 0, 0, 51, 51, 51]);
    // 16-bit: a value between two 8-bit steps keeps its precision.
    const png16 = new PNG({ width: 1, height: 1, colorType: 6, bitDepth: 16, inputHasAlpha: true });
    png16.data = Buffer.from(new Uint16Array([1000, 32768, 65535, 65535]).buffer);
    const bytes16 = new Uint8Array(PNG.sync.write(png16, { colorType: 6, bitDepth: 16, inputHasAlpha: true }));
    const d = decodeImageBytes(bytes16, 'deep.png');
    const px = d.dataSync();
    expect(px[0]).toBeCloseTo(1000 / 65535, 5);
    expect(px[1]).toBeCloseTo(32768 / 65535, 5);
    expect(px[2]).toBeCloseTo(1, 5);
    tf.dispose([g, d]);
  });

  it('decodes JPEG', () => {
    const w = 16, h = 8;
    const rgba = new Uint8Array(w * h * 4).fill(200);
    const j = jpeg.encode({ data: rgba, width: w, height: h }, 95).data;
    const img = decodeImageBytes(new Uint8Array(j), 'grey.jpg');
    expect(img.shape).toEqual([8, 16, 3]);
    const mean = tf.tidy(() => img.mean().dataSync()[0]);
    expect(mean).toBeCloseTo(200 / 255, 1);
    img.dispose();
  });

  it('names the file when the bytes are not an image, or a PNG is broken', () => {
    expect(() => decodeImageBytes(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(/'notes\.txt' is not a PNG or JPEG/);
    const good = pngBytes(1, 1, new Uint8Array([1, 2, 3, 255]), 2, 8, 6);
    expect(() => decodeImageBytes(good.slice(0, 20), 'cut.png')).toThrow(/'cut\.png' is a damaged PNG: the file is truncated/);
  });

  it('readImageFile: missing file and non-image name the path', async () => {
    await expect(readImageFile(join(tmp, 'nope.png'))).rejects.toThrow(/nope\.png': no such file/);
    const txt = join(tmp, 'fake.png');
    writeFileSync(txt, 'not an image at all');
    await expect(readImageFile(txt)).rejects.toThrow(/fake\.png' is not a PNG or JPEG/);
  });
});

describe('Node env', () => {
  const env = createNodeEnv({ outDir: tmp });

  it('lists the bundled still images and loads a sample at its catalogued size', async () => {
    expect(env.platform).toBe('node');
    expect(env.sampleNames()).toContain('starry_night');
    expect(env.sampleNames()).toContain('coffee');
    expect(env.sampleNames()).not.toContain('coffee_pan');
    const img = await env.loadImage({ kind: 'sample', name: 'chelsea' });
    expect(img.shape).toEqual([SAMPLE_INDEX.samples.chelsea.height, SAMPLE_INDEX.samples.chelsea.width, 3]);
    img.dispose();
  });

  it('loads a path and reads bytes; errors name the sample / path / asset', async () => {
    const p = join(tmp, 'one.png');
    writeFileSync(p, pngBytes(2, 2, new Uint8Array(16).fill(255), 2, 8, 6));
    const img = await env.loadImage({ kind: 'path', path: p });
    expect(img.shape).toEqual([2, 2, 3]);
    img.dispose();
    expect((await env.readBytes(p)).length).toBeGreaterThan(8);
    await expect(env.loadImage({ kind: 'sample', name: 'mona_lisa' })).rejects.toThrow(/unknown sample 'mona_lisa'.*starry_night/);
    await expect(env.loadImage({ kind: 'sample', name: 'coffee_pan' })).rejects.toThrow(/unknown sample 'coffee_pan'/);
    await expect(env.readBytes(join(tmp, 'missing.bin'))).rejects.toThrow(/missing\.bin': no such file/);
    await expect(env.loadImage({ kind: 'asset', key: 'k1' })).rejects.toThrow(/asset 'k1'.*browser/);
  });
});

describe('Node env: URLs', () => {
  it('fetches and decodes an http URL; a 404 names the URL', async () => {
    const { createServer } = await import('node:http');
    const png = pngBytes(3, 2, new Uint8Array(24).fill(128), 2, 8, 6);
    const server = createServer((req, res) => {
      if (req.url === '/a.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    try {
      const env = createNodeEnv();
      const img = await env.loadImage({ kind: 'url', url: `http://127.0.0.1:${port}/a.png` });
      expect(img.shape).toEqual([2, 3, 3]);
      img.dispose();
      await expect(env.loadImage({ kind: 'url', url: `http://127.0.0.1:${port}/b.png` })).rejects.toThrow(/b\.png': HTTP 404/);
    } finally {
      server.close();
    }
  });
});

describe('fitSize / resizeToFit', () => {
  it('limits the longer side keeping aspect, floors to multipleOf', () => {
    expect(fitSize(600, 400, 256, 1)).toEqual({ width: 256, height: 171 });
    expect(fitSize(600, 400, 256, 8)).toEqual({ width: 256, height: 168 });
    expect(fitSize(600, 400, 0, 32)).toEqual({ width: 576, height: 384 });
    expect(fitSize(100, 50, 1000, 1)).toEqual({ width: 100, height: 50 });
    expect(fitSize(10, 3, 0, 8)).toEqual({ width: 8, height: 8 });
  });

  it('returns a new tensor, resized or not, with values kept in range', () => {
    const img = tf.randomUniform([40, 60, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
    const same = resizeToFit(img, 0, 1);
    expect(same.resized).toBe(false);
    expect(same.image).not.toBe(img);
    const small = resizeToFit(img, 16, 4);
    expect(small.resized).toBe(true);
    expect(small.image.shape).toEqual([8, 16, 3]);
    const [lo, hi] = tf.tidy(() => [small.image.min().dataSync()[0], small.image.max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    // Averaging: a shrunk random image has much less variance than the original.
    const vs = tf.tidy(() => tf.moments(small.image).variance.dataSync()[0]);
    expect(vs).toBeLessThan(1 / 12 / 4);
    tf.dispose([img, same.image, small.image]);
  });
});

describe('samples folder', () => {
  it('index.json lists every bundled file with the right kind', async () => {
    const { readdirSync } = await import('node:fs');
    const root = join(__dirname, '../../public/samples');
    const files = ['styles', 'photos', 'video'].flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`));
    expect(Object.values(SAMPLE_INDEX.samples).map((s) => s.file).sort()).toEqual(files.sort());
    for (const [name, s] of Object.entries(SAMPLE_INDEX.samples)) {
      expect(s.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '')).toBe(name);
      expect(s.kind).toBe({ styles: 'style', photos: 'photo', video: 'video' }[s.file.split('/')[0]]);
    }
  });
});
