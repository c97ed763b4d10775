/**
 * `npm run train-inverter -- --set DIR --out DIR [--epochs 5] [--batch 16] [--crop 128] [--stride 64]
 * [--max-side 256] [--checkpoint-every 10] [--max-minutes M] [--threads 1]` trains the VGG inverter
 * (src/method/mgan/inverter.ts) on a training set's train split (never its held-out photos), on the
 * CPU (WASM). Checkpoints go to OUT/checkpoints every N batches and on Ctrl-C; running the same command
 * again resumes from the last one (also after a --max-minutes stop). At the end, OUT/vgg19-inverter.mgan (8-bit) is written: copy it to
 * public/decoders/ and run `npx mgan-studio decoders index` to bundle it. One line per batch on stdout.
 * docs/decoders.md, "The inverter".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../src/formats/decoder-meta';
import { resizeLongestSide } from '../src/method/image/augment';
import { createMganDecoder } from '../src/method/mgan/decoder';
import { INVERTER_TRAIN_OPTIONS, inverterDataset, trainInverter } from '../src/method/mgan/inverter';
import { INVERTER_DECODER } from '../src/nodes/mgan-trainer';
import { decoderToArtifacts, encodeDecoderFile } from '../src/platform/common/decoder-store';
import { quantizeDecoderArtifacts } from '../src/platform/common/decoder-quantize';
import { readImageFile } from '../src/platform/node/image-io';
import { createNodeMganCheckpointStore } from '../src/platform/node/mgan-checkpoint-store';
import { defaultServicesOptions, describeMachine } from '../src/platform/node/services';
import { trainingPhotoPaths } from '../src/platform/node/training-set';
import { nodeWasmThreading } from '../src/platform/node/wasm-threads';
import { createNodeVgg19Service } from '../src/platform/node/weights-store';
import { initBackend } from '../src/runtime/backend';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

async function main(args: string[]): Promise<void> {
  const set = arg(args, 'set', '');
  const out = arg(args, 'out', '');
  if (!set || !out) throw new Error('usage: npm run train-inverter -- --set TRAINING_SET_DIR --out DIR [--epochs 5] [--batch 16] [--crop 128] [--stride 64] [--max-side 256]');
  const num = (name: string, fallback: number) => Number(arg(args, name, String(fallback)));
  await initBackend('wasm', { threads: num('threads', 1), wasmThreading: nodeWasmThreading });
  const started = performance.now();
  const paths = await trainingPhotoPaths(set);
  const maxSide = num('max-side', 256);
  const photos: tf.Tensor3D[] = [];
  for (const p of paths) {
    const full = await readImageFile(p);
    photos.push(resizeLongestSide(full, Math.min(maxSide, Math.max(full.shape[0], full.shape[1]))));
    full.dispose();
  }
  const data = inverterDataset(photos, num('crop', 128), num('stride', 64));
  tf.dispose(photos);
  const options = { epochs: num('epochs', 5), batchSize: num('batch', 16), seed: 1 };
  const vgg = await createNodeVgg19Service({ cacheDir: defaultServicesOptions().cacheDir }).load('relu4_1');
  const store = createNodeMganCheckpointStore(join(out, 'checkpoints'), 1);
  const key = `inverter-${paths.length}-photos-${maxSide}px-${num('crop', 128)}-${num('stride', 64)}-${options.batchSize}-${options.epochs}`;
  const resume = await store.get(key).catch((e: Error) => {
    process.stderr.write(`ignoring the checkpoint: ${e.message}\n`);
    return undefined;
  });
  process.stdout.write(`${paths.length} photos, ${data.size} crops, ${data.batchesPerEpoch(options.batchSize)} batches per epoch${resume ? `; resuming at step ${resume.step}` : ''}\n`);
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  const maxMinutes = num('max-minutes', 0);
  let totalSteps = Infinity;
  const result = await trainInverter(vgg, data, options, {
    resume,
    signal: controller.signal,
    checkpoint: () => new Promise((r) => setImmediate(r)),
    checkpointEvery: num('checkpoint-every', 10),
    onCheckpoint: async (c) => {
      await store.set(key, c);
      process.stdout.write(`checkpoint at step ${c.step} (${join(out, 'checkpoints')})\n`);
    },
    stopAt: maxMinutes > 0 ? started + maxMinutes * 60_000 : undefined,
    onStep: (s) => {
      totalSteps = s.totalSteps;
      process.stdout.write(`${new Date().toISOString()} step ${s.step}/${s.totalSteps} pixel ${s.losses.pixel?.toFixed(5)} (${Math.round(s.ms.generator)} ms)\n`);
    },
  });
  result.discriminator.dispose();
  const steps = result.lossHistory.length;
  const decoder = createMganDecoder(
    result.generator,
    {
      format: DECODER_FORMAT,
      formatVersion: DECODER_FORMAT_VERSION,
      name: INVERTER_DECODER,
      vggConvention: vgg.convention,
      createdAt: new Date().toISOString(),
      training: { ...INVERTER_TRAIN_OPTIONS, ...options, maxSide, crop: num('crop', 128), stride: num('stride', 64), finalLosses: result.lossHistory[steps - 1] ?? {} },
      record: {
        texture: 'none (auto-encoder: relu4_1 -> the photo)',
        photoCount: paths.length,
        steps,
        crops: data.size,
        cropSize: num('crop', 128),
        batchSize: options.batchSize,
        seconds: Math.round((performance.now() - started) / 1000),
        machine: `${describeMachine()}, tfjs ${tf.getBackend()}`,
        date: new Date().toISOString(),
      },
    },
    async () => vgg,
  );
  const file = join(out, `${INVERTER_DECODER}.mgan`);
  await writeFile(file, encodeDecoderFile(quantizeDecoderArtifacts(await decoderToArtifacts(decoder))));
  // A run stopped by --max-minutes keeps its last checkpoint: the same command continues from it.
  if (steps >= totalSteps) await store.delete(key);
  process.stdout.write(`wrote ${file} (${steps} of ${totalSteps} steps${steps < totalSteps ? '; run the same command again to continue' : ''})\n`);
  decoder.dispose();
  data.dispose();
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`train-inverter: ${e.name === 'AbortError' ? 'stopped; run the same command again to resume from the last checkpoint' : e.message}\n`);
  process.exit(e.name === 'AbortError' ? 130 : 1);
});
