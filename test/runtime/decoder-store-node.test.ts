import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMganDecoder } from '../../src/method/mgan/decoder';
import { MganGenerator } from '../../src/method/mgan/generator';
import { type GeneratorArchitecture, LEGACY_ARCHITECTURE } from '../../src/formats/decoder-meta';
import { createNodeDecoderStore } from '../../src/platform/node/decoder-store';
import { testImage, testVgg } from '../mgan/mgan-helpers';
import type { DecoderStore } from '../../src/services/decoder-catalog';
import { DECODER_FORMAT } from '../../src/formats/decoder-meta';

describe('Node decoder store', () => {
  let dir: string;
  let store: DecoderStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-decoders-'));
    store = createNodeDecoderStore({ dir, loadVgg: () => testVgg() });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function trainedLikeDecoder(name: string, architecture: GeneratorArchitecture = LEGACY_ARCHITECTURE) {
    const vgg = await testVgg();
    const g = MganGenerator.create(7, architecture);
    // Move the running statistics off their initial values so they are part of what must round-trip.
    tf.tidy(() => {
      const f = vgg.features(tf.expandDims(testImage(32, 32), 0) as tf.Tensor4D, ['relu4_1']).relu4_1;
      for (let i = 0; i < 3; i++) g.forward(f, { training: true });
    });
    return createMganDecoder(g, { format: DECODER_FORMAT, formatVersion: 1, name, vggConvention: vgg.convention, createdAt: '2026-11-27T00:00:00Z', thumbnail: { width: 1, height: 1, rgbBase64: 'AAAA' }, training: { epochs: 1 } }, () => testVgg());
  }

  it('saves and loads a decoder that decodes identical pixels (by name, folder, and exported file)', async () => {
    const decoder = await trainedLikeDecoder('starry');
    const img = testImage(48, 64);
    const expected = await decoder.decode(img);
    await store.save(decoder);
    expect((await store.list()).map((m) => m.name)).toEqual(['starry']);
    const before = tf.memory().numTensors;
    for (const ref of ['starry', join(dir, 'starry')]) {
      const loaded = await store.load(ref);
      expect(loaded.meta.training).toEqual({ epochs: 1 });
      const got = await loaded.decode(img);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0])).toBe(0);
      got.dispose();
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);

    const file = await store.exportFile('starry');
    const path = join(dir, 'shared.mgan');
    await writeFile(path, file);
    const fromFile = await store.load(path);
    const got = await fromFile.decode(img);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0])).toBe(0);
    tf.dispose([got, expected, img]);
    fromFile.dispose();
    decoder.dispose();

    const meta = await store.importFile(new Uint8Array(await readFile(path)), 'copy');
    expect(meta.name).toBe('copy');
    expect((await store.list()).map((m) => m.name)).toEqual(['copy', 'starry']);
    await store.remove('copy');
    expect((await store.list()).map((m) => m.name)).toEqual(['starry']);
  });

  it('gives clear errors for unknown names, bad names and files that are not decoders', async () => {
    await expect(store.load('nope')).rejects.toThrow(/no saved decoder named 'nope'.*saved: starry/);
    await expect(store.load('../etc')).rejects.toThrow(/does not exist|invalid decoder name/);
    const png = join(dir, 'image.mgan');
    await writeFile(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    await expect(store.load(png)).rejects.toThrow(/image\.mgan' is not an MGAN Studio decoder file/);
    await expect(store.importFile(new TextEncoder().encode('{"hello": 1}'))).rejects.toThrow(/is not an MGAN Studio decoder file/);
    const good = await store.exportFile('starry');
    await expect(store.importFile(good.subarray(0, good.length - 10))).rejects.toThrow(/is a damaged decoder: its weights are \d+ bytes, the generator needs \d+ \(the file is truncated\)/);
    await expect(store.remove('nope')).rejects.toThrow(/no saved decoder named 'nope'/);
  });

  it('records the generator architecture: a resize-convolution decoder round-trips, a file without a record loads as the old deconvolutions', async () => {
    const resize = await trainedLikeDecoder('resized', { upsampling: 'resize' });
    const img = testImage(32, 40);
    const expected = await resize.decode(img);
    await store.save(resize);
    const file = await store.exportFile('resized');
    const loaded = await store.load('resized');
    expect(loaded.meta.architecture).toEqual({ upsampling: 'resize' });
    expect(loaded.generator.namedWeights().map(([n]) => n)).toContain('deconv2/resize3x3');
    const got = await loaded.decode(img);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0])).toBe(0);
    tf.dispose([got, expected]);
    loaded.dispose();
    resize.dispose();
    // The same weights said to be the old architecture: refused, naming the weight.
    const header = JSON.stringify({ architecture: { upsampling: 'resize' } }).slice(1, -1);
    const relabelled = new TextDecoder('latin1').decode(file).replace(header, JSON.stringify({ architecture: { upsampling: 'deconv' } }).slice(1, -1));
    expect(relabelled).not.toBe(new TextDecoder('latin1').decode(file));
    await expect(store.importFile(Uint8Array.from(relabelled, (c) => c.charCodeAt(0)), 'wrong')).rejects.toThrow(/weight 'deconv2\/resize3x3' is not part of the MGAN generator/);
    await store.remove('resized');
    // A legacy decoder (meta without an architecture, as every file saved before) loads with the phase kernels.
    const legacy = await trainedLikeDecoder('legacy');
    await store.save(legacy);
    legacy.dispose();
    const metaPath = join(dir, 'legacy', 'meta.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    delete meta.architecture;
    await writeFile(metaPath, JSON.stringify(meta));
    const old = await store.load('legacy');
    expect(old.meta.architecture).toBeUndefined();
    expect(old.generator.architecture).toEqual(LEGACY_ARCHITECTURE);
    expect(old.generator.namedWeights().map(([n]) => n)).toContain('deconv2/phases');
    old.dispose();
    img.dispose();
    await store.remove('legacy');
  });
});
