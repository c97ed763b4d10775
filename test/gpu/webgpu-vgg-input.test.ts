// VGG's input as one WebGPU program (MganVggInput), on Mesa lavapipe, against the tfjs-op form on the
// cpu backend: both pixel ranges, both channel orders, the mirror pair, and the gradient.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vggInput } from '../../src/method/vgg/vgg19';
import type { VggConvention } from '../../src/formats/decoder-meta';
import { startLavapipeWebGpu } from '../support/requirements';
import { startCounting } from '../../bench/kernel-counter';

beforeAll(async () => {
  await startLavapipeWebGpu();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const values = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 0.5 + 0.5);

type Options = { input?: 'unit' | 'signed'; mirror?: boolean };
async function run(backend: 'cpu' | 'webgpu', convention: VggConvention, options: Options, batch = 1) {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(batch * 4 * 5 * 3), [batch, 4, 5, 3]);
  const counts = startCounting();
  const y = vggInput(x, convention, options);
  const programs = counts().programs;
  const weight = tf.tensor(values(y.size).map((v) => v - 0.3), y.shape);
  const dx = options.mirror ? undefined : tf.grad((t: tf.Tensor) => tf.sum(tf.mul(vggInput(t as tf.Tensor4D, convention, options), weight)))(x);
  const out = { y: (await y.data()) as Float32Array, shape: y.shape, dx: dx ? ((await dx.data()) as Float32Array) : undefined, programs };
  tf.dispose([x, y, weight, ...(dx ? [dx] : [])]);
  return out;
}

describe('MganVggInput (WebGPU)', () => {
  const cases: Array<[VggConvention, Options, number]> = [
    ['vgg19-matconvnet-rgb-mean', {}, 2],
    ['vgg19-matconvnet-rgb-mean', { input: 'signed' }, 1],
    ['vgg19-keras-caffe-bgr-mean', { input: 'signed' }, 1],
    ['vgg19-matconvnet-rgb-mean', { mirror: true }, 1],
    ['vgg19-keras-caffe-bgr-mean', { mirror: true, input: 'signed' }, 1],
  ];
  for (const [convention, options, batch] of cases) {
    it(`${convention} ${JSON.stringify(options)}: as on the cpu backend, one program`, async () => {
      const cpu = await run('cpu', convention, options, batch);
      const gpu = await run('webgpu', convention, options, batch);
      expect(gpu.shape).toEqual(cpu.shape);
      gpu.y.forEach((v, i) => expect(Math.abs(v - cpu.y[i])).toBeLessThan(1e-3));
      if (cpu.dx) gpu.dx!.forEach((v, i) => expect(Math.abs(v - cpu.dx![i])).toBeLessThan(1e-3));
      expect(gpu.programs).toBe(1);
    });
  }
});
