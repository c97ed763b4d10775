/**
 * `npm run train-inverter -- --set DIR --out DIR [--epochs 5] [--batch 16] [--crop 128] [--stride 64]
 * [--max-side 256] [--checkpoint-every 10] [--max-minutes M] [--threads 1] [--export-only]` trains the
 * VGG inverter (src/method/mgan/inverter.ts) on a training set's train split (never its held-out
 * photos), on the CPU (WASM). Checkpoints go to OUT/checkpoints every N batches and on Ctrl-C; running
 * the same command again resumes from the last one (also after a --max-minutes stop). At the end,
 * OUT/vgg19-inverter.mgan (8-bit) is written: copy it to public/decoders/ and run `npx mgan-studio
 * decoders index` to bundle it. `--export-only` writes that file from the last checkpoint at once,
 * without training (the same settings find it; the checkpoint stays, so training can go on after).
 * One line per batch on stdout. docs/decoders.md, "The inverter".
 */
import * as tf from '@tensorflow/tfjs';
import { runInverterTraining } from '../src/platform/node/inverter-training';
import { defaultServicesOptions } from '../src/platform/node/services';
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
  if (!set || !out) {
    throw new Error('usage: npm run train-inverter -- --set TRAINING_SET_DIR --out DIR [--epochs 5] [--batch 16] [--crop 128] [--stride 64] [--max-side 256] [--export-only]');
  }
  const num = (name: string, fallback: number) => Number(arg(args, name, String(fallback)));
  await initBackend('wasm', { threads: num('threads', 1), wasmThreading: nodeWasmThreading });
  const vgg = await createNodeVgg19Service({ cacheDir: defaultServicesOptions().cacheDir }).load('relu4_1');
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  const { file, steps, totalSteps } = await runInverterTraining({
    set,
    out,
    epochs: num('epochs', 5),
    batchSize: num('batch', 16),
    crop: num('crop', 128),
    stride: num('stride', 64),
    maxSide: num('max-side', 256),
    checkpointEvery: num('checkpoint-every', 10),
    maxMinutes: num('max-minutes', 0),
    exportOnly: args.includes('--export-only'),
    vgg,
    signal: controller.signal,
    log: (line) => process.stdout.write(`${line}\n`),
    onStep: (s) => process.stdout.write(`${new Date().toISOString()} step ${s.step}/${s.totalSteps} pixel ${s.losses.pixel?.toFixed(5)} (${Math.round(s.ms.generator)} ms)\n`),
  });
  process.stdout.write(`wrote ${file} (${steps} of ${totalSteps} steps${steps < totalSteps ? '; run the same command again to continue' : ''}; tfjs ${tf.getBackend()})\n`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`train-inverter: ${e.name === 'AbortError' ? 'stopped; run the same command again to resume from the last checkpoint' : e.message}\n`);
  process.exit(e.name === 'AbortError' ? 130 : 1);
});
