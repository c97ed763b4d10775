// The inverter's run as `npm run train-inverter` drives it: a stopped run keeps its checkpoint, and
// --export-only writes the 8-bit file from that checkpoint without training (what the lead bundles
// while a long CPU run is still going).
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingRecordOf } from '../../src/formats/training-record';
import { decodeDecoderFile } from '../../src/platform/common/decoder-store';
import { encodeRgbaPng } from '../../src/platform/node/image-io';
import { runInverterTraining } from '../../src/platform/node/inverter-training';
import { buildTrainingSet, folderSource } from '../../src/platform/node/training-set';
import { testImage, testVgg } from './mgan-helpers';
import { imageTensorToRgba } from '../../src/method/image/image-tensor';

describe('train-inverter: checkpoints and --export-only', () => {
  let dir: string;
  let set: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-inverter-'));
    const src = join(dir, 'photos');
    await mkdir(src);
    await writeFile(join(src, 'copyright'), 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2026, Test\nLicense: CC0-1.0\n');
    // Photo-like pictures (noise over a smooth field, so the set's photo checks pass), 160x128 each.
    for (let i = 0; i < 3; i++) {
      const smooth = testImage(128, 160, i * 0.37);
      const noisy = tf.tidy(() => tf.clipByValue(tf.add(smooth, tf.randomUniform([128, 160, 3], -0.06, 0.06, 'float32', i + 1)), 0, 1) as tf.Tensor3D);
      await writeFile(join(src, `photo${i}.png`), encodeRgbaPng(await imageTensorToRgba(noisy), 160, 128));
      tf.dispose([smooth, noisy]);
    }
    set = join(dir, 'set');
    const { manifest } = await buildTrainingSet({ out: set, sources: [await folderSource('test', src)] });
    expect(manifest.photos.filter((p) => p.split === 'train').length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the last checkpoint without training, keeps it, and says what to do when there is none', async () => {
    const vgg = await testVgg();
    const out = join(dir, 'out');
    const base = { set, out, epochs: 2, batchSize: 2, crop: 32, stride: 64, maxSide: 64, checkpointEvery: 1, maxMinutes: 0, vgg, log: () => undefined };
    // Nothing trained yet: nothing to export.
    await expect(runInverterTraining({ ...base, exportOnly: true })).rejects.toThrow(/no checkpoint of this run in '.*checkpoints'.*export with the --set/);

    // Train 3 steps, then stop (Ctrl-C): the checkpoint holds step 3.
    const controller = new AbortController();
    await expect(
      runInverterTraining({ ...base, exportOnly: false, signal: controller.signal, onStep: (s) => void (s.step === 3 && controller.abort()) }),
    ).rejects.toThrow(/cancelled/);

    let stepsSeen = 0;
    const exported = await runInverterTraining({ ...base, exportOnly: true, onStep: () => void stepsSeen++ });
    expect(stepsSeen).toBe(0);
    expect(exported.steps).toBe(3);
    expect(exported.totalSteps).toBeGreaterThan(3);
    const artifacts = decodeDecoderFile(new Uint8Array(await readFile(exported.file)), exported.file);
    expect(artifacts.meta.name).toBe('vgg19-inverter');
    expect(trainingRecordOf(artifacts.meta).record?.steps).toBe(3);
    expect(JSON.stringify(artifacts.weightSpecs)).toMatch(/uint8/);
    // The checkpoint is still there: training goes on from step 3.
    expect((await readdir(join(out, 'checkpoints'))).length).toBe(1);
    let firstStep = 0;
    const resumed = new AbortController();
    await expect(
      runInverterTraining({ ...base, exportOnly: false, signal: resumed.signal, onStep: (s) => void ((firstStep ||= s.step), resumed.abort()) }),
    ).rejects.toThrow(/cancelled/);
    expect(firstStep).toBe(4);
  }, 600_000);
});
