/**
 * The VGG inverter's training run on a training set, as `npm run train-inverter` runs it
 * (docs/decoders.md, "The inverter"): the train split's photos, checkpoints in OUT/checkpoints that the
 * same settings resume from, and OUT/vgg19-inverter.mgan (8-bit) at the end, or at once from the last
 * checkpoint with `exportOnly` (no training: what the run has learnt so far, as a file to bundle).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../../formats/decoder-meta';
import { resizeLongestSide } from '../../method/image/augment';
import { createMganDecoder } from '../../method/mgan/decoder';
import { INVERTER_DECODER, INVERTER_TRAIN_OPTIONS, inverterDataset, trainInverter } from '../../method/mgan/inverter';
import type { MganStepInfo } from '../../method/mgan/trainer';
import { disposeCheckpoint } from '../../method/mgan/training-state';
import type { Vgg19 } from '../../method/vgg/vgg19';
import { decoderToArtifacts, encodeDecoderFile } from '../common/decoder-store';
import { quantizeDecoderArtifacts } from '../common/decoder-quantize';
import { readImageFile } from './image-io';
import { createNodeMganCheckpointStore } from './mgan-checkpoint-store';
import { describeMachine } from './services';
import { trainingPhotoPaths } from './training-set';

export interface InverterRunOptions {
  /** A training set (npm run dataset): only its train split is read. */
  set: string;
  /** Where checkpoints/ and vgg19-inverter.mgan go. */
  out: string;
  epochs: number;
  batchSize: number;
  crop: number;
  stride: number;
  /** Photos are shrunk to this longest side first. */
  maxSide: number;
  checkpointEvery: number;
  /** Wall-clock budget in minutes (0 = none): the run stops after the batch in progress, keeping its checkpoint. */
  maxMinutes: number;
  /** Write the file from the last checkpoint without training. */
  exportOnly: boolean;
  vgg: Vgg19;
  signal?: AbortSignal;
  log: (line: string) => void;
  onStep?: (s: MganStepInfo) => void;
}

export interface InverterRunResult {
  file: string;
  steps: number;
  totalSteps: number;
}

export async function runInverterTraining(o: InverterRunOptions): Promise<InverterRunResult> {
  const started = performance.now();
  const paths = await trainingPhotoPaths(o.set);
  const photos: tf.Tensor3D[] = [];
  for (const p of paths) {
    const full = await readImageFile(p);
    photos.push(resizeLongestSide(full, Math.min(o.maxSide, Math.max(full.shape[0], full.shape[1]))));
    full.dispose();
  }
  const data = inverterDataset(photos, o.crop, o.stride);
  tf.dispose(photos);
  try {
    const options = { epochs: o.epochs, batchSize: o.batchSize, seed: 1 };
    const checkpoints = join(o.out, 'checkpoints');
    const store = createNodeMganCheckpointStore(checkpoints, 1);
    // The settings that decide the run: the same ones resume (and export) it.
    const key = `inverter-${paths.length}-photos-${o.maxSide}px-${o.crop}-${o.stride}-${options.batchSize}-${options.epochs}`;
    const resume = await store.get(key).catch((e: Error) => {
      if (o.exportOnly) throw new Error(`the checkpoint in '${checkpoints}' cannot be read (${e.message}): nothing to export`);
      o.log(`ignoring the checkpoint: ${e.message}`);
      return undefined;
    });
    if (o.exportOnly && !resume) {
      throw new Error(
        `no checkpoint of this run in '${checkpoints}' (${key}): export with the --set, --epochs, --batch, --crop, --stride and --max-side the training used`,
      );
    }
    const batches = data.batchesPerEpoch(options.batchSize);
    o.log(`${paths.length} photos, ${data.size} crops, ${batches} batches per epoch${resume ? `; ${o.exportOnly ? 'exporting' : 'resuming at'} step ${resume.step}` : ''}`);
    const totalSteps = batches * options.epochs;
    let result;
    try {
      result = await trainInverter(o.vgg, data, options, {
        resume,
        signal: o.signal,
        checkpoint: () => new Promise((r) => setImmediate(r)),
        checkpointEvery: o.exportOnly ? 0 : o.checkpointEvery,
        onCheckpoint: o.exportOnly
          ? undefined
          : async (c) => {
              await store.set(key, c);
              o.log(`checkpoint at step ${c.step} (${checkpoints})`);
            },
        stopAt: o.maxMinutes > 0 ? started + o.maxMinutes * 60_000 : undefined,
        maxSteps: o.exportOnly ? 0 : undefined,
        onStep: o.onStep,
      });
    } finally {
      // The store's copy stays on disk; the loaded one is ours.
      disposeCheckpoint(resume);
    }
    result.discriminator.dispose();
    const steps = result.lossHistory.length;
    const decoder = createMganDecoder(
      result.generator,
      {
        format: DECODER_FORMAT,
        formatVersion: DECODER_FORMAT_VERSION,
        name: INVERTER_DECODER,
        vggConvention: o.vgg.convention,
        createdAt: new Date().toISOString(),
        training: { ...INVERTER_TRAIN_OPTIONS, ...options, maxSide: o.maxSide, crop: o.crop, stride: o.stride, finalLosses: result.lossHistory[steps - 1] ?? {} },
        record: {
          texture: 'none (auto-encoder: relu4_1 -> the photo)',
          photoCount: paths.length,
          steps,
          crops: data.size,
          cropSize: o.crop,
          batchSize: options.batchSize,
          seconds: Math.round((performance.now() - started) / 1000),
          machine: `${describeMachine()}, tfjs ${tf.getBackend()}`,
          date: new Date().toISOString(),
        },
      },
      async () => o.vgg,
    );
    const file = join(o.out, `${INVERTER_DECODER}.mgan`);
    try {
      await writeFile(file, encodeDecoderFile(quantizeDecoderArtifacts(await decoderToArtifacts(decoder))));
    } finally {
      decoder.dispose();
    }
    // A run stopped early (budget, or an export) keeps its checkpoint: the same command continues from it.
    if (steps >= totalSteps) await store.delete(key);
    return { file, steps, totalSteps };
  } finally {
    data.dispose();
  }
}
