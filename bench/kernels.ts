/**
 * Launches per unit of work: `npm run bench -- kernels [--backend webgpu] [--scale tiny|full] [--top N]`.
 *
 * One JSON line per case with tfjs kernels (outermost), GPU programs dispatched (counted at each
 * WebGPU `dispatchWorkgroups`), queue submissions and read-backs (tensor reads; buffers mapped), the
 * most frequent kernels (`top`) and the kernels that dispatched most programs (`programsTop`):
 * - `mgan-step`: one warm training step (G and D, the paper's loss), between two `onStep` calls;
 * - `mgan-run-1-step`: a whole `trainMgan` call that trains one step (setup included: what the device
 *   script's `bench` profile counts);
 * - `mdan-iteration`: one warm guided iteration (D step + pixel step) with D 256 channels;
 * - `mdan-setup-2-iterations`: a whole `runMdan` of 2 iterations;
 * - `decode`: one warm decode (VGG relu4_1 + G, fixed normalisation) read back;
 * - `decode-f16`: the same with precision 'f16' (WebGPU with shader-f16; elsewhere a line saying why not).
 * Sizes: `tiny` (default; as the device script's DEVRUN_SCALE=tiny: MGAN 2 × 64² crops, MDAN and
 * decode 64²) or `full` (8 × 128², MDAN 256², decode 512²). Counts, not times: the same on any machine
 * for a given backend. Node WebGPU needs the `webgpu` package and a Vulkan driver (docs/runtime.md).
 */
import * as tf from '@tensorflow/tfjs';
import { runMdan } from '../src/method/mdan/mdan';
import { MganDataset } from '../src/method/mgan/dataset';
import { type DecodePrecision, createMganDecoder } from '../src/method/mgan/decoder';
import { halfPrecisionProblem } from '../src/method/kernels/webgpu-conv-f16';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../src/formats/decoder-meta';
import { MganGenerator } from '../src/method/mgan/generator';
import { trainMgan } from '../src/method/mgan/trainer';
import type { Vgg19 } from '../src/method/vgg/vgg19';
import { readImageFile } from '../src/platform/node/image-io';
import { argValue, benchBackend, benchVgg19Service, syntheticPhoto } from './lib';
import { type LaunchCounts, startCounting, topKernels } from './kernel-counter';

function line(caseName: string, backend: string, c: LaunchCounts, top: number, extra: Record<string, unknown> = {}): void {
  const { byKernel: _, programsByKernel, ...totals } = c;
  const programsTop = Object.fromEntries(Object.entries(programsByKernel).sort((a, b) => b[1] - a[1]).slice(0, top));
  process.stdout.write(`${JSON.stringify({ bench: 'kernels', case: caseName, backend, ...totals, ...extra, top: Object.fromEntries(topKernels(c, top)), programsTop })}\n`);
}

async function mganCases(vgg: Vgg19, backend: string, batch: number, crop: number, top: number): Promise<void> {
  const photo = syntheticPhoto(crop * 2, crop * 2);
  const target = tf.tidy(() => tf.reverse(photo, 2) as tf.Tensor3D);
  const data = MganDataset.build([photo], [target], { cropSize: crop, stride: crop / 2, angles: [0], scales: [1], flips: [false, true] });
  try {
    // Steps 1-2 warm up (shaders, the crop features); the step between the 3rd and 4th onStep is counted.
    let done: (() => LaunchCounts) | undefined;
    let counted: LaunchCounts | undefined;
    const hooks = {
      stopAt: undefined as number | undefined,
      onStep: (s: { step: number }) => {
        if (s.step === 3) done = startCounting();
        if (s.step === 4 && done) {
          counted = done();
          hooks.stopAt = 0;
        }
      },
    };
    const r = await trainMgan(vgg, data, { epochs: 10, batchSize: batch, loss: 'mgan', snapshotEvery: 0 }, hooks);
    r.generator.dispose();
    r.discriminator.dispose();
    if (counted) line('mgan-step', backend, counted, top, { batch, crop });
    const whole = startCounting();
    const p = await trainMgan(vgg, data, { epochs: 1, batchSize: batch, loss: 'mgan', snapshotEvery: 0 }, { stopAt: 0 });
    const c = whole();
    p.generator.dispose();
    p.discriminator.dispose();
    line('mgan-run-1-step', backend, c, top, { batch, crop });
  } finally {
    data.dispose();
    tf.dispose([photo, target]);
  }
}

async function mdanCases(vgg: Vgg19, backend: string, size: number, top: number): Promise<void> {
  const texture = await readImageFile('public/samples/styles/starry_night.jpg');
  const content = syntheticPhoto(size, size);
  const options = { size, discriminator: { channels: 256 } };
  try {
    let done: (() => LaunchCounts) | undefined;
    let counted: LaunchCounts | undefined;
    let iteration = 0;
    const r = await runMdan(vgg, texture, { ...options, iterations: 4 }, {
      content,
      onIteration: () => {
        iteration++;
        if (iteration === 2) done = startCounting();
        if (iteration === 3 && done) counted = done();
      },
    });
    tf.dispose(r.image);
    r.discriminator.dispose();
    if (counted) line('mdan-iteration', backend, counted, top, { size, discriminatorChannels: 256 });
    const whole = startCounting();
    const p = await runMdan(vgg, texture, { ...options, iterations: 2 }, { content });
    const c = whole();
    tf.dispose(p.image);
    p.discriminator.dispose();
    line('mdan-setup-2-iterations', backend, c, top, { size, discriminatorChannels: 256 });
  } finally {
    tf.dispose([texture, content]);
  }
}

async function decodeCase(vgg: Vgg19, service: ReturnType<typeof benchVgg19Service>, backend: string, size: number, top: number, precision: DecodePrecision): Promise<void> {
  const caseName = precision === 'f16' ? 'decode-f16' : 'decode';
  const problem = precision === 'f16' ? halfPrecisionProblem() : undefined;
  if (problem) {
    process.stdout.write(`${JSON.stringify({ bench: 'kernels', case: caseName, backend, size, available: false, reason: problem })}\n`);
    return;
  }
  const decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: DECODER_FORMAT_VERSION, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, (d) => service.load(d));
  const photo = syntheticPhoto(size, size);
  const once = async () => {
    const out = await decoder.decode(photo, { normalization: 'fixed', tile: false, precision });
    await out.data();
    out.dispose();
  };
  try {
    await once();
    const done = startCounting();
    await once();
    line(caseName, backend, done(), top, { size });
  } finally {
    photo.dispose();
    decoder.dispose();
  }
}

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const full = argValue(args, 'scale', 'tiny') === 'full';
  const top = Number(argValue(args, 'top', '12'));
  const cases = argValue(args, 'cases', 'mgan,mdan,decode,decode-f16').split(',');
  const service = benchVgg19Service(args);
  const vgg = await service.load('relu5_1');
  if (cases.includes('mgan')) await mganCases(vgg, backend, full ? 8 : 2, full ? 128 : 64, top);
  if (cases.includes('mdan')) await mdanCases(vgg, backend, full ? 256 : 64, top);
  if (cases.includes('decode')) await decodeCase(vgg, service, backend, full ? 512 : 64, top, 'f32');
  if (cases.includes('decode-f16')) await decodeCase(vgg, service, backend, full ? 512 : 64, top, 'f16');
}
