import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { imageSourceNode, imageRefFromParams } from '../../src/nodes/image-source';
import { perlinNoiseNode } from '../../src/nodes/perlin-noise';
import { brownNoiseNode } from '../../src/nodes/brown-noise';
import { resizeNode, resizeTarget } from '../../src/nodes/resize';
import { blendNode } from '../../src/nodes/blend';
import { imageOutNode } from '../../src/nodes/image-out';
import { nodeRegistry } from '../../src/nodes/registry';
import { ParamError } from '../../src/nodes/types';
import { encodePng } from '../../src/platform/node/image-io';
import { SAMPLE_INDEX } from '../../src/nodes/sample-index';
import { runNode } from './run-node';

const tmp = mkdtempSync(join(tmpdir(), 'mgan-nodes-'));
const image = (out: Record<string, unknown>) => out.image as tf.Tensor3D;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('registry', () => {
  it('registers the six foundation nodes with docs and valid defaults', () => {
    for (const type of ['image-source', 'perlin-noise', 'brown-noise', 'resize', 'blend', 'image-out']) {
      const def = nodeRegistry.get(type);
      expect(def, type).toBeDefined();
      expect(def!.doc.length).toBeGreaterThan(200);
      for (const p of def!.params) expect(def!.doc, `${type} documents ${p.name}`).toContain(`**${p.name}**`);
    }
  });
});

describe('image-source', () => {
  it('loads a sample, limits the longer side and floors to multipleOf, with a warning', async () => {
    const before = tf.memory().numTensors;
    const { outputs, warnings } = await runNode(imageSourceNode, { sample: 'coffee', maxSide: 64, multipleOf: 8 });
    expect(image(outputs).shape).toEqual([40, 64, 3]); // 600x400 → 64x42.7 → floored to 64x40
    expect(warnings.join()).toMatch(/sample 'coffee' resized from 600x400 to 64x40/);
    const [lo, hi] = tf.tidy(() => [image(outputs).min().dataSync()[0], image(outputs).max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi - lo).toBeGreaterThan(0.3);
    image(outputs).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the size (no warning) when it already fits', async () => {
    const p = join(tmp, 'small.png');
    const src = tf.tidy(() => tf.linspace(0, 1, 6 * 4 * 3).reshape([6, 4, 3])) as tf.Tensor3D;
    writeFileSync(p, await encodePng(src));
    const { outputs, warnings } = await runNode(imageSourceNode, { sample: '', path: p, maxSide: 512 });
    expect(image(outputs).shape).toEqual([6, 4, 3]);
    expect(warnings).toEqual([]);
    const err = tf.tidy(() => image(outputs).sub(src).abs().max().dataSync()[0]);
    expect(err).toBeLessThan(1 / 255);
    tf.dispose([src, image(outputs)]);
  });

  it('path wins over sample; asset over path; url must be http(s)', () => {
    expect(imageRefFromParams({ sample: 'coffee', path: 'a.png', url: '' })).toEqual({ kind: 'path', path: 'a.png' });
    expect(imageRefFromParams({ sample: 'coffee', path: 'a.png', asset: 'k' })).toEqual({ kind: 'asset', key: 'k' });
    expect(imageRefFromParams({ sample: 'coffee', url: 'https://x/y.png' })).toEqual({ kind: 'url', url: 'https://x/y.png' });
    expect(imageRefFromParams({ sample: 'coffee' })).toEqual({ kind: 'sample', name: 'coffee' });
    expect(() => imageRefFromParams({ sample: '', url: 'ftp://x' })).toThrow(ParamError);
    expect(() => imageRefFromParams({ sample: '' })).toThrow(/no image chosen/);
  });

  it('errors name the missing file and the non-image file', async () => {
    await expect(runNode(imageSourceNode, { path: join(tmp, 'missing.png') })).rejects.toThrow(/missing\.png': no such file/);
    const txt = join(tmp, 'readme.jpg');
    writeFileSync(txt, 'plain text');
    await expect(runNode(imageSourceNode, { path: txt })).rejects.toThrow(/readme\.jpg' is not a PNG or JPEG/);
  });

  it('offers every bundled still image (and none) as sample options', () => {
    const spec = imageSourceNode.params.find((p) => p.name === 'sample');
    const stills = Object.keys(SAMPLE_INDEX.samples).filter((n) => SAMPLE_INDEX.samples[n].kind !== 'video');
    expect(spec && spec.type === 'string' ? spec.options : []).toEqual(['', ...stills]);
  });
});

describe('noise nodes', () => {
  it('perlin: requested size, same seed same pixels, other seed other pixels, grey unless color', async () => {
    const run = async (seed: number, color = false) =>
      image((await runNode(perlinNoiseNode, { width: 48, height: 32, scale: 16, octaves: 2, seed, color })).outputs);
    const [a, b, c, d] = [await run(1), await run(1), await run(2), await run(1, true)];
    expect(a.shape).toEqual([32, 48, 3]);
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    const channelGap = (t: tf.Tensor3D) => tf.tidy(() => t.slice([0, 0, 0], [-1, -1, 1]).sub(t.slice([0, 0, 1], [-1, -1, 1])).abs().mean().dataSync()[0]);
    expect(channelGap(a)).toBe(0);
    expect(channelGap(d)).toBeGreaterThan(0.02);
    tf.dispose([a, b, c, d]);
  });

  it('perlin warns when octaves would be finer than 2 px', async () => {
    const { outputs, warnings } = await runNode(perlinNoiseNode, { width: 16, height: 16, scale: 8, octaves: 6 });
    expect(warnings.join()).toMatch(/only 3 of 6 octaves used/);
    image(outputs).dispose();
  });

  it('brown: requested size and determinism', async () => {
    const run = async (seed: number) => image((await runNode(brownNoiseNode, { width: 30, height: 20, beta: 1, seed })).outputs);
    const [a, b, c] = [await run(4), await run(4), await run(5)];
    expect(a.shape).toEqual([20, 30, 3]);
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    tf.dispose([a, b, c]);
  });
});

describe('resize', () => {
  it('computes targets: scale, box fit with aspect, stretch', () => {
    expect(resizeTarget(100, 50, { width: 0, height: 0, scale: 0.5, keepAspect: true })).toEqual({ width: 50, height: 25 });
    expect(resizeTarget(100, 50, { width: 40, height: 0, scale: 1, keepAspect: true })).toEqual({ width: 40, height: 20 });
    expect(resizeTarget(100, 50, { width: 40, height: 40, scale: 1, keepAspect: true })).toEqual({ width: 40, height: 20 });
    expect(resizeTarget(100, 50, { width: 40, height: 40, scale: 1, keepAspect: false })).toEqual({ width: 40, height: 40 });
    expect(resizeTarget(100, 50, { width: 0, height: 10, scale: 1, keepAspect: false })).toEqual({ width: 100, height: 10 });
  });

  it('resizes, keeps a constant image constant, nearest keeps exact values, leaves its input alone', async () => {
    const before = tf.memory().numTensors;
    const grey = tf.fill([20, 30, 3], 0.25) as tf.Tensor3D;
    const out = image((await runNode(resizeNode, { width: 0, height: 0, scale: 0.3 }, { image: grey })).outputs);
    expect(out.shape).toEqual([6, 9, 3]);
    for (const v of values(out)) expect(v).toBeCloseTo(0.25, 5);
    const checker = tf.tidy(() => tf.tensor2d([[0, 1], [1, 0]]).expandDims(2).tile([1, 1, 3])) as tf.Tensor3D;
    const big = image((await runNode(resizeNode, { width: 4, height: 4, method: 'nearest' }, { image: checker })).outputs);
    expect(new Set(values(big))).toEqual(new Set([0, 1]));
    expect(tf.tidy(() => values(big.slice([0, 0, 0], [4, 4, 1])))).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(grey.isDisposed).toBe(false);
    tf.dispose([grey, out, checker, big]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('blend', () => {
  const a = () => tf.tensor3d([0.2, 0.4, 0.8, 0.5, 0.5, 0.5], [1, 2, 3]);
  const b = () => tf.tensor3d([0.5, 0.5, 0.5, 1, 0, 0.6], [1, 2, 3]);
  const cases: Array<[string, number, number[]]> = [
    ['normal', 0.5, [0.35, 0.45, 0.65, 0.75, 0.25, 0.55]],
    ['normal', 0, [0.2, 0.4, 0.8, 0.5, 0.5, 0.5]],
    ['multiply', 1, [0.1, 0.2, 0.4, 0.5, 0, 0.3]],
    ['screen', 1, [0.6, 0.7, 0.9, 1, 0.5, 0.8]],
    ['add', 1, [0.7, 0.9, 1, 1, 0.5, 1]],
  ];
  it.each(cases)('%s at amount %f', async (mode, amount, expected) => {
    const [x, y] = [a(), b()];
    const out = image((await runNode(blendNode, { mode, amount }, { a: x, b: y })).outputs);
    values(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    tf.dispose([x, y, out]);
  });

  it("resizes b to a's size with a warning, memory flat", async () => {
    const before = tf.memory().numTensors;
    const x = tf.zeros([4, 6, 3]) as tf.Tensor3D;
    const y = tf.ones([8, 12, 3]) as tf.Tensor3D;
    const { outputs, warnings } = await runNode(blendNode, { mode: 'normal', amount: 1 }, { a: x, b: y });
    expect(image(outputs).shape).toEqual([4, 6, 3]);
    for (const v of values(image(outputs))) expect(v).toBeCloseTo(1, 5);
    expect(warnings.join()).toMatch(/'b' resized from 12x8 to 6x4/);
    tf.dispose([x, y, image(outputs)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the port when an input is not an image', async () => {
    const x = tf.zeros([4, 6, 3]) as tf.Tensor3D;
    await expect(runNode(blendNode, {}, { a: x, b: tf.scalar(1) })).rejects.toThrow(/input 'b' must be an image/);
    x.dispose();
  });
});

describe('image-out', () => {
  it('passes a clipped copy through, never the input itself', async () => {
    const x = tf.tensor3d([-1, 0.5, 2], [1, 1, 3]);
    const { outputs } = await runNode(imageOutNode, {}, { image: x });
    expect(image(outputs)).not.toBe(x);
    expect(values(image(outputs))).toEqual([0, 0.5, 1]);
    tf.dispose([x, image(outputs)]);
  });
});
