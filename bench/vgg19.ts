/**
 * VGG19 and training-kernel speed: `npm run bench -- vgg19 [--backend wasm|cpu] [--weights DIR] [--repeats N] [--skip-cpu] [--cpu-all] [--filter-only] [--sizes 128,256]`.
 * - `filter-grad/*`: Conv2DBackpropFilter on shapes MDAN/MGAN train, on WASM (our kernel) and on the cpu backend.
 * - `vgg/*`: VGG19 forward, and forward+backward to the pixels (MDAN's inner step), on `--backend`.
 * Weights: the installed cache (`npx mgan-studio weights`), or `--weights DIR`.
 */
import * as tf from '@tensorflow/tfjs';
import type { VggLayer } from '../src/method/vgg/vgg19';
import { argValue, benchBackend, benchVgg19Service, emit, timeIt } from './lib';

const FILTER_CASES: Array<{ name: string; x: [number, number, number, number]; k: number; out: number; stride: number; pad: 'same' | 'valid' }> = [
  { name: 'small-3x3-16x16x64to64-b4', x: [4, 16, 16, 64], k: 3, out: 64, stride: 1, pad: 'same' },
  { name: 'small-4x4-s2-32x32x32to64-b2', x: [2, 32, 32, 32], k: 4, out: 64, stride: 2, pad: 'same' },
  { name: 'mdan-D-3x3-256-patches64', x: [64, 8, 8, 256], k: 3, out: 256, stride: 1, pad: 'same' },
  { name: 'mdan-D-8x8-256to1-patches64', x: [64, 8, 8, 256], k: 8, out: 1, stride: 1, pad: 'valid' },
  { name: 'mgan-4x4-s2-64x64x128to256-b4', x: [4, 64, 64, 128], k: 4, out: 256, stride: 2, pad: 'same' },
  { name: 'conv-3x3-128x128x64to64', x: [1, 128, 128, 64], k: 3, out: 64, stride: 1, pad: 'same' },
];

/** The cpu backend's filter gradient is a plain JS loop (~0.01 GFLOP/s here): only small cases by default. */
const CPU_MAX_GFLOP = 0.2;

function caseGflop(c: (typeof FILTER_CASES)[number]): number {
  const outH = Math.ceil(c.pad === 'same' ? c.x[1] / c.stride : (c.x[1] - c.k + 1) / c.stride);
  const outW = Math.ceil(c.pad === 'same' ? c.x[2] / c.stride : (c.x[2] - c.k + 1) / c.stride);
  return (2 * c.x[0] * outH * outW * c.out * c.k * c.k * c.x[3]) / 1e9;
}

async function filterGrad(backend: 'wasm' | 'cpu', repeats: number, maxGflop = Infinity): Promise<void> {
  await tf.setBackend(backend);
  for (const c of FILTER_CASES) {
    if (caseGflop(c) > maxGflop) continue;
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
    const gflops = Math.round((caseGflop(c) / (t.ms / 1000)) * 100) / 100;
    emit({ bench: 'vgg19', case: `filter-grad/${c.name}`, backend, ...t, gflop: Math.round(caseGflop(c) * 1000) / 1000, gflops });
    tf.dispose([x, dy]);
  }
}

export default async function bench(args: string[]): Promise<void> {
  const repeats = Number(argValue(args, 'repeats', '3'));
  const backend = await benchBackend(args);
  await filterGrad('wasm', repeats);
  if (!args.includes('--skip-cpu')) await filterGrad('cpu', 1, args.includes('--cpu-all') ? Infinity : CPU_MAX_GFLOP);
  await tf.setBackend(backend);
  if (args.includes('--filter-only')) return;

  const vgg = await benchVgg19Service(args).load('relu4_1');
  for (const size of argValue(args, 'sizes', '128,256').split(',').map(Number)) {
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
