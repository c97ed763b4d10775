/**
 * MDAN speed: `npm run bench -- mdan [--backend wasm|cpu] [--iterations N] [--sizes 128,256] [--d-channels 64] [--cpu]`.
 * One line per (size, unguided/guided): median milliseconds per iteration (one D step + one pixel
 * step), measured between iteration callbacks after the first (warm-up) iteration; `setupMs` is the
 * one-off cost before it (example augmentation + 18 VGG passes, content features).
 * `--cpu` adds the cpu backend at 128² only (it is 10-20× slower than WASM here).
 * Weights: the installed cache (`npx mgan-studio weights`), or `--weights DIR`.
 */
import * as tf from '@tensorflow/tfjs';
import { runMdan } from '../src/method/mdan/mdan';
import { readImageFile } from '../src/platform/node/image-io';
import type { Vgg19Service } from '../src/method/vgg/vgg19';
import { argValue, benchBackend, benchVgg19Service, emit, median } from './lib';

async function measure(backend: string, size: number, guided: boolean, iterations: number, dChannels: number, exampleSize: number, vgg19: Vgg19Service) {
  const vgg = await vgg19.load(guided ? 'relu5_1' : 'relu3_1');
  const texture = await readImageFile('public/samples/styles/starry_night.jpg');
  const photo = guided ? await readImageFile('public/samples/photos/chelsea.png') : undefined;
  const stamps: number[] = [];
  const start = performance.now();
  const result = await runMdan(
    vgg,
    texture,
    { size, iterations: iterations + 1, exampleSize, discriminator: { channels: dChannels } },
    { content: photo, onIteration: () => void stamps.push(performance.now()) },
  );
  const perIteration = stamps.slice(1).map((t, i) => t - stamps[i]);
  const t = median(perIteration);
  emit({
    bench: 'mdan',
    case: `${guided ? 'guided' : 'unguided'}/${size}`,
    backend,
    ms: t,
    min: Math.min(...perIteration),
    max: Math.max(...perIteration),
    repeats: perIteration.length,
    secondsPerIteration: Math.round(t / 10) / 100,
    setupMs: Math.round(stamps[0] - start),
    image: result.image.shape.slice(0, 2).join('x'),
    dChannels,
    exampleSize,
  });
  tf.dispose([result.image, texture, ...(photo ? [photo] : [])]);
  result.discriminator.dispose();
}

export default async function bench(args: string[]): Promise<void> {
  const iterations = Number(argValue(args, 'iterations', '4'));
  const sizes = argValue(args, 'sizes', '128,256').split(',').map(Number);
  const dChannels = Number(argValue(args, 'd-channels', '64'));
  const exampleSize = Number(argValue(args, 'example-size', '256'));
  const vgg19 = benchVgg19Service(args);
  const backend = await benchBackend(args);
  for (const size of sizes) {
    for (const guided of [false, true]) await measure(backend, size, guided, iterations, dChannels, exampleSize, vgg19);
  }
  if (args.includes('--cpu') && backend !== 'cpu') {
    await tf.setBackend('cpu');
    for (const guided of [false, true]) await measure('cpu', 128, guided, Math.min(iterations, 2), dChannels, exampleSize, vgg19);
  }
}
