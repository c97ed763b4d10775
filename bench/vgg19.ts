/**
 * VGG19 and training-kernel speed: `npm run bench -- vgg19 [--backend wasm|cpu] [--weights DIR] [--repeats N] [--skip-cpu]`.
 * - `filter-grad/*`: Conv2DBackpropFilter on shapes MDAN/MGAN train, on WASM (our kernel) and on the cpu backend.
 * - `vgg/*`: VGG19 forward, and forward+backward to the pixels (MDAN's inner step), on `--backend`.
 * Weights: the project cache if installed, else `--weights` (default ../shared/weights/vgg19).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VggLayer } from '../src/mgan/vgg19';
import { defaultServicesOptions } from '../src/runtime/services-node';
import { createNodeVgg19Service, vgg19CacheDir } from '../src/runtime/weights-store-node';
import { argValue, benchBackend, emit, timeIt } from './lib';

const FILTER_CASES: Array<{ name: string; x: [number, number, number, number]; k: number; out: number; stride: number; pad: 'same' | 'valid' }> = [
  { name: 'mdan-D-3x3-256-patches64', x: [64, 8, 8, 256], k: 3, out: 256, stride: 1, pad: 'same' },
  { name: 'mdan-D-8x8-256to1-patches64', x: [64, 8, 8, 256], k: 8, out: 1, stride: 1, pad: 'valid' },
  { name: 'mgan-4x4-s2-64x64x128to256-b4', x: [4, 64, 64, 128], k: 4, out: 256, stride: 2, pad: 'same' },
  { name: 'conv-3x3-128x128x64to64', x: [1, 128, 128, 64], k: 3, out: 64, stride: 1, pad: 'same' },
];

async function filterGrad(backend: 'wasm' | 'cpu', repeats: number): Promise<void> {
  await tf.setBackend(backend);
  for (const c of FILTER_CASES) {
    const x = tf.randomNormal(c.x) as tf.Tensor4D;
    const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.out];
    const outShape = tf.tidy(() => tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape);
    const dy = tf.randomNormal(outShape) as tf.Tensor4D;
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
    const run = () => {
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
      dw.dataSync();
      dw.dispose();
    };
    const t = await timeIt(run, { warmup: 1, repeats });
    const gflop = (2 * dy.size * c.k * c.k * c.x[3]) / 1e9;
    emit({ bench: 'vgg19', case: `filter-grad/${c.name}`, backend, ...t, gflops: Math.round((gflop / (t.ms / 1000)) * 10) / 10 });
    tf.dispose([x, dy]);
  }
}

export default async function bench(args: string[]): Promise<void> {
  const repeats = Number(argValue(args, 'repeats', '3'));
  const backend = await benchBackend(args);
  await filterGrad('wasm', repeats);
  if (!args.includes('--skip-cpu')) await filterGrad('cpu', 1);
  await tf.setBackend(backend);

  const { cacheDir } = defaultServicesOptions();
  const installed = existsSync(join(vgg19CacheDir(cacheDir), 'manifest.json'));
  const service = createNodeVgg19Service({ cacheDir, weightsDir: installed ? undefined : argValue(args, 'weights', '../shared/weights/vgg19') });
  const vgg = await service.load('relu4_1');
  for (const size of [128, 256]) {
    const x = tf.randomUniform([1, size, size, 3]) as tf.Tensor4D;
    for (const layer of ['relu3_1', 'relu4_1'] as VggLayer[]) {
      // Read back inside tidy but return nothing: tidy walks whatever it returns, element by element.
      const forward = await timeIt(() => tf.tidy(() => void vgg.features(x, [layer])[layer].dataSync()), { repeats });
      emit({ bench: 'vgg19', case: `vgg/forward-${layer}-${size}`, backend, ...forward });
      if (size > 128 && backend === 'cpu') continue;
      const grad = tf.grad((img: tf.Tensor) => tf.mean(tf.square(vgg.features(img as tf.Tensor4D, [layer])[layer])));
      const both = await timeIt(() => tf.tidy(() => void grad(x).dataSync()), { repeats });
      emit({ bench: 'vgg19', case: `vgg/forward-backward-${layer}-${size}`, backend, ...both });
    }
    x.dispose();
  }
}
