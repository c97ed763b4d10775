// The mgan-trainer node's persistent checkpoints: a cancelled run resumes in a new node run (fresh
// in-memory state, a new store instance on the same folder, as in a new process).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/graph/params';
import type { ParamValue } from '../../src/graph/types';
import type { MganDecoder } from '../../src/method/mgan/decoder';
import type { MdanTargetCache } from '../../src/method/mgan/dataset';
import { CheckpointFormatError, type MganCheckpointStore } from '../../src/method/mgan/checkpoint';
import type { MganCheckpoint } from '../../src/method/mgan/training-state';
import { trainingRecordOf } from '../../src/formats/training-record';
import { mganTrainerNode } from '../../src/nodes/mgan-trainer';
import type { NodeEnv } from '../../src/nodes/types';
import { createNodeMganCheckpointStore } from '../../src/platform/node/mgan-checkpoint-store';
import { testEnv } from '../nodes/run-node';
import { testImage, testVgg } from './mgan-helpers';

/** One 32 px photo, 32 px crops: the augmented crops that fit make 2 batches of 6 per epoch. */
const TINY: Record<string, ParamValue> = {
  epochs: 3,
  batchSize: 6,
  cropSize: 32,
  stride: 32,
  loss: 'mgan',
  mdanIterations: 1,
  mdanSize: 32,
  snapshotEvery: 0,
  checkpointEvery: 2,
  seed: 1,
};

/** A store that records what the node asks of it. */
function recording(store: MganCheckpointStore) {
  const log: string[] = [];
  const wrapped: MganCheckpointStore = {
    get: (k) => (log.push('get'), store.get(k)),
    set: (k, c) => (log.push(`set ${c.step}`), store.set(k, c)),
    delete: (k) => (log.push('delete'), store.delete(k)),
  };
  return { store: wrapped, log };
}

async function runTrainer(env: NodeEnv, inputs: Record<string, unknown>, options: { params?: Record<string, ParamValue>; cancelAfterStep?: number } = {}) {
  const resolved = resolveParams(mganTrainerNode, { ...TINY, ...options.params }, 'trainer');
  expect(resolved.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const controller = new AbortController();
  const warnings: string[] = [];
  const steps: number[] = [];
  const run = mganTrainerNode.run({
    nodeId: 'trainer',
    inputs,
    params: resolved.params,
    signal: controller.signal,
    control: { checkpoint: async () => {}, paused: false },
    env,
    progress: (_, info) => {
      if (info?.iteration === undefined) return;
      steps.push(info.iteration);
      if (info.iteration === options.cancelAfterStep) controller.abort(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    },
    preview: () => {},
    warn: (m) => warnings.push(m),
    note: () => {},
  }).then((outputs) => {
    // Only the decoder matters here; the snapshot strip is the caller's to free.
    tf.dispose(outputs.snapshots as tf.Tensor);
    return outputs;
  });
  return { run, warnings, steps };
}

describe('mgan-trainer checkpoints', () => {
  let dir: string;
  let photo: tf.Tensor3D;
  let texture: tf.Tensor3D;
  let target: tf.Tensor3D;
  let baseEnv: NodeEnv;
  const envWith = (mganCheckpoints?: MganCheckpointStore): NodeEnv => ({ ...baseEnv, services: { ...baseEnv.services, mganCheckpoints } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-resume-'));
    photo = testImage(32, 32, 0);
    texture = testImage(32, 32, 0.4);
    target = tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.reverse(photo, 2), 0.6), 0.2), 0, 1) as tf.Tensor3D);
    // MDAN targets come from a stub cache (MDAN itself is tested elsewhere); the VGG from the installed weights.
    const mdanTargets: MdanTargetCache = { get: async () => tf.clone(target), set: async () => {} };
    const base = testEnv();
    baseEnv = { ...base, services: { ...base.services, vgg19: { load: () => testVgg('relu5_1') }, mdanTargets } };
    await testVgg('relu5_1');
  });
  afterAll(async () => {
    tf.dispose([photo, texture, target]);
    await rm(dir, { recursive: true, force: true });
  });

  it('saves every checkpointEvery steps and on cancel; a new run resumes from disk, finishes and deletes it', async () => {
    const before = tf.memory().numTensors;
    const inputs = { texture, photos: [photo] };

    const first = recording(createNodeMganCheckpointStore(dir));
    const cancelled = await runTrainer(envWith(first.store), inputs, { cancelAfterStep: 3 });
    await expect(cancelled.run).rejects.toMatchObject({ name: 'AbortError' });
    expect(cancelled.steps).toEqual([1, 2, 3]);
    // step 2 (checkpointEvery), then step 3 written before the run rejected (the CLI exits after that).
    expect(first.log).toEqual(['get', 'set 2', 'set 3']);
    const [folder] = await readdir(dir);
    expect(folder).toMatch(/^mgan-[0-9a-f]{16}$/);
    expect(tf.memory().numTensors).toBe(before); // checkpoint copies freed once saved

    const second = recording(createNodeMganCheckpointStore(dir));
    // snapshotEvery may change between the runs (snapshots do not change the training).
    const resumed = await runTrainer(envWith(second.store), inputs, { params: { snapshotEvery: 1 } });
    const { decoder } = (await resumed.run) as { decoder: MganDecoder };
    expect(resumed.warnings.join('\n')).toMatch(/mgan-trainer: resuming the stopped run from its checkpoint at step 3/);
    expect(resumed.steps).toEqual([4, 5, 6]);
    expect(decoder.meta.training.steps).toBe(6); // the loss history carried over
    // The training record: what it learnt from and what it cost, checked as a bundled file's would be.
    const { record, problem } = trainingRecordOf(decoder.meta);
    expect(problem).toBeUndefined();
    expect(record).toMatchObject({ photoCount: 1, steps: 6, crops: decoder.meta.training.crops, cropSize: TINY.cropSize, batchSize: TINY.batchSize });
    expect(record!.machine).toMatch(/^\d+ × .+, \d+ GB, \w+ \w+, tfjs wasm$/);
    expect(Date.parse(record!.date)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(record!.seconds).toBeGreaterThanOrEqual(0);
    expect(second.log).toEqual(['get', 'set 4', 'delete']);
    expect(existsSync(join(dir, folder))).toBe(false);

    // The same training without a stop (no store: the in-memory fallback) ends with the same losses:
    // weights, both Adam states and the position all came back from disk.
    const straight = await runTrainer(envWith(undefined), inputs);
    const { decoder: reference } = (await straight.run) as { decoder: MganDecoder };
    expect(straight.steps).toEqual([1, 2, 3, 4, 5, 6]);
    const final = decoder.meta.training.finalLosses as Record<string, number>;
    const expected = reference.meta.training.finalLosses as Record<string, number>;
    expect(Object.keys(final).sort()).toEqual(['adversarial', 'd', 'g', 'pixel']);
    for (const [name, value] of Object.entries(expected)) expect(final[name], name).toBeCloseTo(value, 4);
    reference.dispose();
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000); // three trainer runs, on two cores other test files share

  it('warns and starts over when the stored checkpoint does not fit the model (e.g. older layer shapes)', async () => {
    const before = tf.memory().numTensors;
    const log: string[] = [];
    // A readable checkpoint whose generator has the wrong layer shape.
    const misfit = (): MganCheckpoint => ({
      step: 1,
      generator: { conv1: tf.zeros([3, 3, 512, 8]) },
      discriminator: {},
      generatorOptimizer: [],
      discriminatorOptimizer: [],
      lossHistory: [{ g: 1 }],
    });
    const store: MganCheckpointStore = {
      get: async () => (log.push('get'), misfit()),
      set: async (_, c) => void log.push(`set ${c.step}`),
      delete: async () => void log.push('delete'),
    };
    const r = await runTrainer(envWith(store), { texture, photos: [photo] }, { params: { epochs: 1, checkpointEvery: 0 } });
    const { decoder } = (await r.run) as { decoder: MganDecoder };
    expect(r.warnings.join('\n')).toMatch(/ignoring the saved checkpoint and starting from step 0: the checkpoint does not fit this model: generator weights: '[\w/]+' (is missing|has shape)/);
    expect(r.steps).toEqual([1, 2]);
    expect(log).toEqual(['get', 'delete', 'delete']);
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warns and starts from step 0 when the stored checkpoint is unreadable, and deletes it', async () => {
    const before = tf.memory().numTensors;
    const log: string[] = [];
    const broken: MganCheckpointStore = {
      get: async (k) => {
        log.push('get');
        throw new CheckpointFormatError(`checkpoint '${k}' is truncated or torn: its data has 10 bytes, its metadata says 20`);
      },
      set: async (_, c) => void log.push(`set ${c.step}`),
      delete: async () => void log.push('delete'),
    };
    const r = await runTrainer(envWith(broken), { texture, photos: [photo] }, { params: { epochs: 1, checkpointEvery: 0 } });
    const { decoder } = (await r.run) as { decoder: MganDecoder };
    expect(r.warnings.join('\n')).toMatch(/ignoring the saved checkpoint and starting from step 0: checkpoint 'mgan-[0-9a-f]+' is truncated/);
    expect(r.steps).toEqual([1, 2]);
    expect(log).toEqual(['get', 'delete', 'delete']); // the bad one, then the finished run's
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
