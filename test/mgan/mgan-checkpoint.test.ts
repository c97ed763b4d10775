import { copyFile, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointId, deserializeCheckpoint, serializeCheckpoint } from '../../src/method/mgan/checkpoint';
import { MganGenerator } from '../../src/method/mgan/generator';
import { MganDataset } from '../../src/method/mgan/dataset';
import { MganDiscriminator } from '../../src/method/mgan/discriminator';
import { trainMgan } from '../../src/method/mgan/trainer';
import { type MganCheckpoint, disposeCheckpoint } from '../../src/method/mgan/training-state';
import { testImage, testVgg } from './mgan-helpers';
import { createNodeMganCheckpointStore } from '../../src/platform/node/mgan-checkpoint-store';

/** A small checkpoint shaped like a real one: named weights, Adam slots ['iter' (int32), m..., v...]. */
function fakeCheckpoint(step: number, scale = 1): MganCheckpoint {
  const t = (shape: number[], k: number) => tf.tidy(() => tf.mul(tf.add(tf.range(0, shape.reduce((a, b) => a * b, 1)), k), scale).reshape(shape));
  return {
    step,
    generator: { conv1: t([2, 2, 1, 3], 0), bias: t([3], 100) },
    discriminator: { conv1: t([3, 1], 200) },
    // Names out of sorted order, with numeric-looking ones: the list order must survive as is.
    generatorOptimizer: [
      { name: 'iter', tensor: tf.scalar(step, 'int32') },
      { name: '12/m', tensor: t([2, 2, 1, 3], 300) },
      { name: '3/m', tensor: t([3], 400) },
      { name: '12/v', tensor: t([2, 2, 1, 3], 500) },
      { name: '3/v', tensor: t([3], 600) },
    ],
    discriminatorOptimizer: [],
    lossHistory: [{ g: 1.5, pixel: 0.25 }, { g: 1.25, pixel: 0.125, d: 2 }],
  };
}

async function expectSameCheckpoint(a: MganCheckpoint, b: MganCheckpoint): Promise<void> {
  expect(b.step).toBe(a.step);
  expect(b.lossHistory).toEqual(a.lossHistory);
  for (const group of ['generator', 'discriminator'] as const) {
    expect(Object.keys(b[group]).sort()).toEqual(Object.keys(a[group]).sort());
    for (const [name, t] of Object.entries(a[group])) {
      expect(b[group][name].shape).toEqual(t.shape);
      expect(Array.from(await b[group][name].data())).toEqual(Array.from(await t.data()));
    }
  }
  for (const group of ['generatorOptimizer', 'discriminatorOptimizer'] as const) {
    expect(b[group].map((n) => n.name)).toEqual(a[group].map((n) => n.name));
    for (let i = 0; i < a[group].length; i++) {
      expect(b[group][i].tensor.dtype).toBe(a[group][i].tensor.dtype);
      expect(b[group][i].tensor.shape).toEqual(a[group][i].tensor.shape);
      expect(Array.from(await b[group][i].tensor.data())).toEqual(Array.from(await a[group][i].tensor.data()));
    }
  }
}

describe('MGAN checkpoint format', () => {
  it('round-trips values, dtypes, slot order, step and loss history, and names what is wrong with bad data', async () => {
    const before = tf.memory().numTensors;
    const c = fakeCheckpoint(7, 0.5);
    const { meta, data } = await serializeCheckpoint(c);
    // The meta survives JSON (it is written as checkpoint.json).
    const back = deserializeCheckpoint(JSON.parse(JSON.stringify(meta)), data);
    await expectSameCheckpoint(c, back);
    disposeCheckpoint(back);

    expect(() => deserializeCheckpoint(meta, data.slice(0, data.byteLength - 4), 'ckpt X')).toThrow(/ckpt X is truncated.*has \d+ bytes, its metadata says \d+/);
    const flipped = data.slice();
    flipped[10] ^= 0xff;
    expect(() => deserializeCheckpoint(meta, flipped)).toThrow(/corrupted: its data does not match the checksum/);
    expect(() => deserializeCheckpoint({ ...meta, format: 'other' }, data)).toThrow(/format is 'other'/);
    expect(() => deserializeCheckpoint({ ...meta, formatVersion: 99 }, data)).toThrow(/format version 99 is not supported/);
    const outside = { ...meta, tensors: { ...meta.tensors, discriminator: [{ name: 'conv1', dtype: 'float32', shape: [3, 1], offset: meta.byteLength - 4 }] } };
    expect(() => deserializeCheckpoint(outside, data)).toThrow(/lies outside the data/);
    expect(() => deserializeCheckpoint(null, data)).toThrow(/not a usable MGAN checkpoint/);
    disposeCheckpoint(c);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('turns a long run key into a short, file-name-safe id', () => {
    const key = JSON.stringify({ options: { lr: 0.002 }, photos: ['40x64-abc', '40x64-def'] });
    expect(checkpointId(key)).toMatch(/^mgan-[0-9a-f]{16}$/);
    expect(checkpointId(key)).toBe(checkpointId(key));
    expect(checkpointId(key)).not.toBe(checkpointId(key.replace('0.002', '0.02')));
  });
});

describe('trainMgan resuming', () => {
  it('refuses a checkpoint that does not fit the model, naming the layer or optimiser slot', async () => {
    const vgg = await testVgg();
    const photo = testImage(32, 32);
    const data = MganDataset.build([photo], [photo], { cropSize: 32, stride: 32, angles: [0], scales: [1], flips: [false] });
    const before = tf.memory().numTensors;
    const g = MganGenerator.create(1);
    const d = MganDiscriminator.create(1);
    const copies = (w: Array<[string, tf.Variable]>) => Object.fromEntries(w.map(([n, v]) => [n, tf.clone(v)]));
    const fits: MganCheckpoint = { step: 0, generator: copies(g.namedWeights()), discriminator: copies(d.namedWeights()), generatorOptimizer: [], discriminatorOptimizer: [], lossHistory: [] };
    const slots = g.trainableVariables().map((v) => ({ name: v.name, tensor: tf.zeros(v.shape) }));
    const cases: Array<[MganCheckpoint, RegExp]> = [
      [fakeCheckpoint(1), /does not fit this model: generator weights: '[\w/]+' is missing/],
      [{ ...fits, generatorOptimizer: [{ name: 'iter', tensor: tf.scalar(1, 'int32') }, ...slots] }, /generator optimiser has \d+ slots, expected \d+/],
      [{ ...fits, generatorOptimizer: [{ name: 'iter', tensor: tf.scalar(1, 'int32') }, ...slots, ...slots.slice().reverse()] }, /generator optimiser slot '\d+' has shape/],
      [{ ...fits, step: 99 }, /at step 99, past this run's 1 steps/],
    ];
    for (const [resume, message] of cases) {
      await expect(trainMgan(vgg, data, { epochs: 1, batchSize: 1, loss: 'pixel' }, { resume })).rejects.toThrow(message);
      await expect(trainMgan(vgg, data, { epochs: 1, batchSize: 1, loss: 'pixel' }, { resume })).rejects.toMatchObject({ name: 'CheckpointFormatError' });
    }
    disposeCheckpoint(fits);
    disposeCheckpoint(cases[0][0]);
    tf.dispose(slots.map((s) => s.tensor));
    tf.dispose([cases[1][0].generatorOptimizer[0].tensor, cases[2][0].generatorOptimizer[0].tensor]);
    g.dispose();
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    photo.dispose();
  });
});

describe('Node MGAN checkpoint store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-ckpt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a checkpoint for a new store instance (a new process), replaces and deletes it', async () => {
    const before = tf.memory().numTensors;
    const first = fakeCheckpoint(3);
    await createNodeMganCheckpointStore(dir).set('run-a', first);
    // set copies: the caller still owns (and here frees) its tensors.
    expect(first.generator.conv1.isDisposed).toBe(false);
    disposeCheckpoint(first);

    const other = createNodeMganCheckpointStore(dir);
    expect(await other.get('run-b')).toBeUndefined();
    const loaded = await other.get('run-a');
    const expected = fakeCheckpoint(3);
    await expectSameCheckpoint(expected, loaded!);
    disposeCheckpoint(loaded);
    disposeCheckpoint(expected);
    expect(await readdir(join(dir, 'run-a'))).toEqual(['checkpoint.bin', 'checkpoint.json']); // no temporary files left

    const newer = fakeCheckpoint(9, 2);
    await other.set('run-a', newer);
    const again = (await createNodeMganCheckpointStore(dir).get('run-a'))!;
    await expectSameCheckpoint(newer, again);
    disposeCheckpoint(again);
    disposeCheckpoint(newer);

    await other.delete('run-a');
    expect(await createNodeMganCheckpointStore(dir).get('run-a')).toBeUndefined();
    await other.delete('run-a'); // deleting what is gone is fine
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps only the most recently saved checkpoints', async () => {
    const pruneDir = await mkdtemp(join(tmpdir(), 'mgan-ckpt-prune-'));
    const store = createNodeMganCheckpointStore(pruneDir, 2);
    const c = fakeCheckpoint(1);
    for (const key of ['a', 'b', 'c']) {
      await store.set(key, c);
      await new Promise((r) => setTimeout(r, 20)); // distinct mtimes
    }
    expect((await readdir(pruneDir)).sort()).toEqual(['b', 'c']);
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', c); // saving again makes b the newest: c is now the oldest of three
    await store.set('a', c);
    expect((await readdir(pruneDir)).sort()).toEqual(['a', 'b']);
    disposeCheckpoint(c);
    await rm(pruneDir, { recursive: true, force: true });
  });

  it('refuses a truncated, torn or unparsable checkpoint with a message naming the folder and the problem', async () => {
    const before = tf.memory().numTensors;
    const store = createNodeMganCheckpointStore(dir);
    const old = fakeCheckpoint(2);
    await store.set('old', old);
    disposeCheckpoint(old);
    const c = fakeCheckpoint(5, 3);
    await store.set('run', c);
    disposeCheckpoint(c);
    const folder = join(dir, 'run');
    const bin = join(folder, 'checkpoint.bin');
    const good = await readFile(bin);

    await truncate(bin, good.byteLength - 100);
    await expect(store.get('run')).rejects.toThrow(new RegExp(`checkpoint '${folder}' is truncated or torn`));

    // A kill between the two renames: the new data with the previous write's meta (same size).
    await writeFile(bin, good);
    await copyFile(join(dir, 'old', 'checkpoint.json'), join(folder, 'checkpoint.json'));
    await expect(store.get('run')).rejects.toThrow(/corrupted: its data does not match the checksum/);

    await writeFile(join(folder, 'checkpoint.json'), '{"format": "mgan-studio-checkp');
    await expect(store.get('run')).rejects.toThrow(/checkpoint\.json' is not valid JSON/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('trainMgan tuning mid-run', () => {
  it('takes a new adversarial weight (and learning rate) at the next step, as the editor sends them', async () => {
    const vgg = await testVgg();
    const photo = testImage(32, 32);
    const data = MganDataset.build([photo], [photo], { cropSize: 32, stride: 32, angles: [0], scales: [1], flips: [false] });
    const before = tf.memory().numTensors;
    let steps = 0;
    const result = await trainMgan(vgg, data, { epochs: 3, batchSize: 1, advWeight: 0.01, emaDecay: 0 }, {
      // Read before each step: the first step trains as started, the later ones with the new values.
      tuning: () => (steps++ === 0 ? undefined : { advWeight: 0.5, lr: 0.001 }),
    });
    expect(steps).toBe(3);
    const [first, ...later] = result.lossHistory;
    expect(first!.g).toBeCloseTo(first!.pixel! + 0.01 * first!.adversarial!, 4);
    expect(later).toHaveLength(2);
    for (const l of later) expect(l.g).toBeCloseTo(l.pixel! + 0.5 * l.adversarial!, 4);
    result.generator.dispose();
    result.discriminator.dispose();
    photo.dispose();
    data.dispose?.();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
