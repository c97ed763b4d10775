// The Node discriminator store: a stored D scores as the saved one did; damaged files fail in one line naming the file.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMdanDiscriminator } from '../../src/method/mdan/discriminator';
import { createNodeDiscriminatorStore } from '../../src/platform/node/discriminator-store';

const dir = mkdtempSync(join(tmpdir(), 'mgan-dstore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small trained-looking D: built for 5 channels, with its patch sampling. */
function smallD() {
  const d = createMdanDiscriminator({ channels: 4, depth: 1, patchSize: 3, seed: 7 }, { layer: 'relu2_1', patchStride: 2 });
  d.build(5);
  return d;
}

describe('node discriminator store', () => {
  it('loads a stored D that gives the same scores, config and sampling, and lists it', async () => {
    const store = createNodeDiscriminatorStore(dir);
    const d = smallD();
    const patches = tf.randomNormal([6, 3, 3, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = d.scores(patches);
    await store.save(d, 'earlier');
    expect(await store.list()).toEqual(['earlier']);
    expect(d.config).toEqual({ channels: 4, depth: 1, slope: 0.2, patchSize: 3, seed: 7 });
    const loaded = await store.load('earlier');
    const after = loaded.scores(patches);
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(loaded.config).toEqual(d.config);
    // A file's keys beyond the config's are not carried (they would change the D's cache keys).
    await writeFile(join(dir, 'extra.json'), JSON.stringify({ ...d.toJSON(), config: { ...d.config, load: 'x' } }));
    const extra = await store.load('extra');
    expect(extra.config).toEqual(d.config);
    extra.dispose();
    expect(loaded.sampling).toEqual({ layer: 'relu2_1', patchStride: 2 });
    expect(loaded.inputChannels).toBe(5);
    tf.dispose([patches, before, after]);
    d.dispose();
    loaded.dispose();
  });

  it('refuses names that are not plain file names, and says what is stored when a name is missing', async () => {
    const store = createNodeDiscriminatorStore(dir);
    const d = smallD();
    await expect(store.save(d, '../outside')).rejects.toThrow(/discriminator name '..\/outside' holds a folder separator/);
    d.dispose();
    await expect(store.load('nope')).rejects.toThrow(/no saved discriminator named 'nope' in .* \(saved: earlier, extra; save one with the mdan-optimiser node's saveDiscriminatorAs\)/);
  });

  it('refuses damaged files in one line naming the file and what to do', async () => {
    const store = createNodeDiscriminatorStore(dir);
    const d = smallD();
    const good = d.toJSON();
    d.dispose();
    const file = join(dir, 'damaged.json');
    const head = good.tensors['head/kernel']!;
    const cases: Array<[string, string, RegExp]> = [
      ['bad JSON', '{"kind": "mdan-discriminator", ', /is not valid JSON: save the discriminator again/],
      ['wrong kind', JSON.stringify({ ...good, kind: 'mgan-decoder' }), /kind is not "mdan-discriminator"/],
      ['no config', JSON.stringify({ ...good, config: null }), /its config is not/],
      ['bad config', JSON.stringify({ ...good, config: { ...good.config, channels: -3 } }), /channels must be an integer >= 1/],
      ['wrong shape', JSON.stringify({ ...good, tensors: { ...good.tensors, 'head/kernel': { ...head, shape: [3, 3, 4, 2] } } }), /tensor 'head\/kernel' has shape 3x3x4x2, expected 3x3x4x1/],
      // The declared shape is right but the data is one float short.
      ['short data', JSON.stringify({ ...good, tensors: { ...good.tensors, 'head/kernel': { ...head, data: Buffer.from(head.data, 'base64').subarray(4).toString('base64') } } }), /tensor 'head\/kernel' holds 140 bytes; its shape 3x3x4x1 needs 144/],
      ['missing tensor', JSON.stringify({ ...good, tensors: { 'head/bias': good.tensors['head/bias'] } }), /missing tensor 'block0\/kernel'/],
    ];
    const tensorsBefore = tf.memory().numTensors;
    for (const [what, text, reason] of cases) {
      writeFileSync(file, text);
      const error = await store.load('damaged').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error, what).toBeInstanceOf(Error);
      expect(error!.message, what).toMatch(reason);
      expect(error!.message, what).toContain(`'${file}'`);
      expect(error!.message, what).toMatch(/save the discriminator again/);
      expect(error!.message.split('\n'), what).toHaveLength(1);
    }
    // A refused file allocates no weights and is left as it was.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(readFileSync(file, 'utf8')).toBe(cases.at(-1)![1]);
  });

  it('lists each stored D with its file size, architecture and saving time; a damaged one with why', async () => {
    const listed = mkdtempSync(join(tmpdir(), 'mgan-dstore-list-'));
    try {
      const store = createNodeDiscriminatorStore(listed);
      expect(await store.entries()).toEqual([]);
      const d = smallD();
      const before = Date.now();
      await store.save(d, 'sampled');
      const unbuilt = createMdanDiscriminator({ channels: 2, depth: 0, patchSize: 1, seed: 1 });
      await store.save(unbuilt, 'fresh');
      // A file stored without its saving time (as before it was kept) shows its modification time.
      const older = join(listed, 'older.json');
      writeFileSync(older, JSON.stringify(d.toJSON()));
      utimesSync(older, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
      writeFileSync(join(listed, 'cut.json'), '{"kind": "mdan-discriminator", "con');
      d.dispose();
      unbuilt.dispose();

      const tensors = tf.memory().numTensors;
      const entries = await store.entries();
      expect(entries.map((e) => e.name)).toEqual(['cut', 'fresh', 'older', 'sampled']);
      const [cut, fresh, old, sampled] = entries;
      expect(sampled).toMatchObject({ config: { channels: 4, depth: 1, slope: 0.2, patchSize: 3, seed: 7 }, sampling: { layer: 'relu2_1', patchStride: 2 }, inputChannels: 5, architecture: '4 channels, depth 1, 3×3 patches, relu2_1 at stride 2 on 5-channel features' });
      expect(sampled.bytes).toBe(statSync(join(listed, 'sampled.json')).size);
      expect(Date.parse(sampled.savedAt!)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(sampled.savedAt!)).toBeLessThanOrEqual(Date.now());
      expect(fresh).toMatchObject({ config: { channels: 2, depth: 0 }, inputChannels: null, architecture: '2 channels, depth 0, 1×1 patches (never trained: no weights)' });
      expect(old.savedAt).toBe('2026-01-02T03:04:05.000Z');
      expect(cut.error).toMatch(/cut\.json' is not valid JSON/);
      expect(cut.config).toBeUndefined();
      // Listing reads no weights into tensors.
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      rmSync(listed, { recursive: true, force: true });
    }
  });

  it('removes one stored D by name and nothing else; untrusted names never reach outside the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mgan-dstore-remove-'));
    const folder = join(root, 'discriminators');
    try {
      const store = createNodeDiscriminatorStore(folder);
      const d = smallD();
      await store.save(d, 'gone');
      await store.save(d, 'kept');
      d.dispose();
      const outside = join(root, 'outside.json');
      writeFileSync(outside, 'not yours');
      symlinkSync(outside, join(folder, 'link.json'));
      mkdirSync(join(folder, 'dir.json'));

      await store.remove('gone');
      expect(await store.list()).toEqual(['dir', 'kept', 'link']);
      await expect(store.remove('gone')).rejects.toThrow(/^no saved discriminator named 'gone' in .*discriminators \(saved: dir, kept, link; save one with/);
      for (const [name, reason] of [
        ['../outside', /discriminator name '..\/outside' holds a folder separator/],
        ['..', /discriminator name '..' is a folder reference/],
        ['.hidden', /discriminator name '.hidden' may hold only/],
        ['', /discriminator name '' is empty/],
        [join(root, 'outside'), /holds a folder separator/],
      ] as const) {
        await expect(store.remove(name), name).rejects.toThrow(reason);
      }
      await expect(store.remove('dir')).rejects.toThrow(/dir\.json' is a folder, not a stored discriminator: nothing removed/);
      // A link is removed itself; what it points to stays.
      await store.remove('link');
      expect(readFileSync(outside, 'utf8')).toBe('not yours');
      expect(existsSync(join(folder, 'kept.json'))).toBe(true);
      expect(await store.list()).toEqual(['dir', 'kept']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
