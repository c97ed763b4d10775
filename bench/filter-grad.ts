/**
 * Conv filter gradients on a GPU backend: `npm run bench -- filter-grad --backend webgpu [--scale full]
 * [--repeats N]`. For each shape MDAN and MGAN train, the time of tfjs-webgpu's own kernel (`stock`),
 * of the im2col matmul the project registers for WebGPU (`matmul`,
 * src/method/kernels/conv-filter-grad-matmul.ts) and of the forward-conv form WASM uses (`as-conv`),
 * with each one's largest error relative to the stock result. The default scale is small enough for
 * software Vulkan (lavapipe); `--scale full` runs the training shapes (batch 8 × 128² crops, 225 MDAN
 * patches).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterByMatMul, stockWebGpuFilterGradient } from '../src/method/kernels/conv-filter-grad-matmul';
import { conv2dBackpropFilterAsConv } from '../src/method/kernels/wasm-kernels';
import { argValue, benchBackend, emit } from './lib';

type Shape4 = [number, number, number, number];
const CASES: Record<'small' | 'full', Array<{ name: string; x: Shape4; filter: Shape4; stride: number; pad: 'same' | 'valid' }>> = {
  small: [
    { name: 'mdan-D-3x3', x: [64, 8, 8, 64], filter: [3, 3, 64, 64], stride: 1, pad: 'same' },
    { name: 'G-conv1-3x3', x: [4, 16, 16, 128], filter: [3, 3, 128, 128], stride: 1, pad: 'same' },
    { name: 'G-phases-2x2', x: [4, 17, 17, 64], filter: [2, 2, 64, 128], stride: 1, pad: 'valid' },
    { name: 'mgan-D-4x4-s2', x: [4, 32, 32, 32], filter: [4, 4, 32, 64], stride: 2, pad: 'same' },
  ],
  full: [
    { name: 'mdan-D-3x3', x: [225, 8, 8, 256], filter: [3, 3, 256, 256], stride: 1, pad: 'same' },
    { name: 'G-conv1-3x3', x: [8, 16, 16, 512], filter: [3, 3, 512, 512], stride: 1, pad: 'same' },
    { name: 'G-phases-2x2', x: [8, 18, 18, 512], filter: [2, 2, 512, 1024], stride: 1, pad: 'valid' },
    { name: 'mgan-D-4x4-s2', x: [8, 32, 32, 256], filter: [4, 4, 256, 512], stride: 2, pad: 'same' },
  ],
};

async function timed(f: () => tf.Tensor, repeats: number): Promise<number> {
  const warm = f();
  await warm.data();
  warm.dispose();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) {
    const r = f();
    await r.data();
    r.dispose();
  }
  return (performance.now() - start) / repeats;
}

async function relativeError(a: tf.Tensor, reference: tf.Tensor): Promise<number> {
  const [d, m] = tf.tidy(() => [tf.max(tf.abs(tf.sub(a, reference))), tf.max(tf.abs(reference))]);
  const value = (await d.data())[0] / (await m.data())[0];
  tf.dispose([d, m]);
  return value;
}

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const repeats = Number(argValue(args, 'repeats', '3'));
  const scale = argValue(args, 'scale', 'small') === 'full' ? 'full' : 'small';
  for (const c of CASES[scale]) {
    const x = tf.randomNormal(c.x) as tf.Tensor4D;
    const outShape = tf.tidy(() => tf.conv2d(x, tf.zeros(c.filter) as tf.Tensor4D, c.stride, c.pad).shape);
    const dy = tf.randomNormal(outShape) as tf.Tensor4D;
    const variants: Record<string, () => tf.Tensor | undefined> = {
      stock: () => stockWebGpuFilterGradient(x, dy, c.filter, c.stride, c.pad),
      matmul: () => conv2dBackpropFilterByMatMul(x, dy, c.filter, c.stride, c.pad),
      'as-conv': () => conv2dBackpropFilterAsConv(x, dy, c.filter, c.stride, c.pad),
    };
    const reference = variants.stock() ?? variants.matmul()!;
    const [, outH, outW] = outShape;
    const gflop = (2 * c.x[0] * outH * outW * c.filter[0] * c.filter[1] * c.filter[2] * c.filter[3]) / 1e9;
    for (const [variant, run] of Object.entries(variants)) {
      const probe = run();
      if (!probe) {
        emit({ bench: 'filter-grad', case: c.name, backend, variant, ms: Number.NaN, note: `no stock kernel to compare on ${backend}` });
        continue;
      }
      const relErr = await relativeError(probe, reference);
      probe.dispose();
      const ms = await timed(() => run()!, repeats);
      emit({ bench: 'filter-grad', case: c.name, backend, variant, ms: Math.round(ms * 10) / 10, gflops: Math.round((gflop / (ms / 1000)) * 10) / 10, relErr });
    }
    tf.dispose([x, dy, reference]);
  }
}
