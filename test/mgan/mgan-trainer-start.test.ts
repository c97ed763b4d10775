// Where a style's training starts and where it ends: from the bundled VGG inverter (or random weights
// when none is bundled), and never silently under a bundled decoder's name.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../../src/formats/decoder-meta';
import { trainingRecordOf } from '../../src/formats/training-record';
import { createMganDecoder, type MganDecoder } from '../../src/method/mgan/decoder';
import { INVERTER_DECODER, inverterDataset, trainInverter } from '../../src/method/mgan/inverter';
import { trainMgan } from '../../src/method/mgan/trainer';
import { mganTrainerNode } from '../../src/nodes/mgan-trainer';
import type { NodeEnv } from '../../src/nodes/types';
import { decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { quantizeDecoderArtifacts } from '../../src/platform/common/decoder-quantize';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import { runNode, testEnv } from '../nodes/run-node';
import { testDecoderFile } from '../decoders/test-decoder-file';
import { testImage, testVgg } from './mgan-helpers';

const TINY = { epochs: 1, batchSize: 6, cropSize: 32, stride: 32, mdanIterations: 1, mdanSize: 32, snapshotEvery: 0, checkpointEvery: 0, seed: 1 };

describe('mgan-trainer: where training starts and where it saves', () => {
  let dir: string;
  let bundled: string;
  let env: NodeEnv;
  const photo = testImage(32, 32);
  const texture = testImage(32, 32, 0.5);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-start-'));
    bundled = join(dir, 'bundled');
    await mkdir(bundled);
    await writeFile(join(bundled, 'starry_night.mgan'), await testDecoderFile('starry_night', { seed: 3 }));
    const base = testEnv();
    env = { ...base, services: { ...base.services, decoders: createNodeDecoderCatalog({ cacheDir: dir, bundledDecodersDir: bundled }, () => testVgg()) } };
  });
  afterAll(async () => {
    tf.dispose([photo, texture]);
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a bundled decoder's name before training, and saves under another name with the texture in its record", async () => {
    const started = performance.now();
    await expect(runNode(mganTrainerNode, { ...TINY, saveAs: 'starry_night' }, { texture, photos: [photo] }, env)).rejects.toThrow(
      /saveAs 'starry_night' is a bundled decoder's name: saving under it would hide the bundled one\. Choose another name \(e\.g\. 'my_starry_night'\) or turn on replaceBundled/,
    );
    expect(performance.now() - started).toBeLessThan(5000); // refused up front, no MDAN or training
    expect((await env.services.decoders!.entries()).filter((e) => e.origin === 'yours')).toEqual([]);

    const { outputs, notes } = await runNode(mganTrainerNode, { ...TINY, saveAs: 'my_starry_night', textureName: 'starry_night' }, { texture, photos: [photo] }, env);
    expect(notes).toContain(`mgan-trainer: no '${INVERTER_DECODER}' decoder is bundled: G starts from random weights`);
    (outputs.decoder as MganDecoder).dispose();
    const saved = (await env.services.decoders!.list()).find((m) => m.name === 'my_starry_night')!;
    expect(trainingRecordOf(saved).record?.texture).toBe('starry_night');
    expect(saved.architecture).toEqual({ upsampling: 'resize' });
  }, 400_000);

  it('starts G from the bundled inverter (8-bit file): a lower first-batch loss than random weights', async () => {
    const vgg = await testVgg();
    // A small inverter: G taught to give the photo back from its relu4_1.
    const data = inverterDataset([photo], 32, 32);
    const trained = await trainInverter(vgg, data, { epochs: 20, batchSize: 6, lr: 0.02, emaDecay: 0 });
    trained.discriminator.dispose();
    const meta = { format: DECODER_FORMAT, formatVersion: DECODER_FORMAT_VERSION, name: INVERTER_DECODER, vggConvention: vgg.convention, createdAt: '2026-12-07T00:00:00Z', training: {} } as const;
    const inverter = createMganDecoder(trained.generator, { ...meta }, () => testVgg());
    await writeFile(join(bundled, `${INVERTER_DECODER}.mgan`), encodeDecoderFile(quantizeDecoderArtifacts(await decoderToArtifacts(inverter))));
    inverter.dispose();

    const { decoder: loaded } = await env.services.decoders!.open(INVERTER_DECODER);
    const firstLoss = async (startFrom?: MganDecoder['generator']) => {
      let loss = NaN;
      const r = await trainMgan(vgg, data, { epochs: 1, batchSize: 6, loss: 'pixel', upsampling: 'resize', lr: 0.002 }, { startFrom, stopAt: 0, onStep: (s) => void (s.step === 1 && (loss = s.losses.pixel)) });
      r.generator.dispose();
      r.discriminator.dispose();
      return loss;
    };
    const fromInverter = await firstLoss(loaded.generator);
    const fromRandom = await firstLoss();
    loaded.dispose();
    data.dispose();
    expect(fromInverter).toBeLessThan(0.7 * fromRandom);

    // The node finds it and says so.
    const { outputs, notes } = await runNode(mganTrainerNode, { ...TINY, epochs: 1 }, { texture, photos: [photo] }, env);
    expect(notes).toContain(`mgan-trainer: G starts from decoder '${INVERTER_DECODER}' (bundled)`);
    expect((outputs.decoder as MganDecoder).generator.architecture).toEqual({ upsampling: 'resize' });
    (outputs.decoder as MganDecoder).dispose();
  }, 900_000);
});
