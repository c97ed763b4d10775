/**
 * Where the time of one training step goes, per kernel: `npm run bench -- profile [--backend wasm|cpu]
 * [--cases decode/512,mdan/256,mgan-step/b8-128] [--top N] [--calls N]`.
 *
 * Each case runs a warm-up step, then one step inside `tf.profile`. One JSON line per kernel (the `top`
 * slowest, default 15): total `ms`, `count`, `share` of the step's kernel time. Kernels that run other
 * kernels (the WASM training kernels registered in src/method/kernels/wasm-kernels.ts are built from tfjs ops)
 * are listed with their own total, and their inner kernels as `inner` (not counted in `share`), so the
 * shares add up to 1. `--calls N` adds the N slowest single kernel calls with their input shapes
 * (`call: true`, `depth` 0 for a kernel the step ran itself). A last line per case gives the step's wall time and the kernel sum.
 */
import * as tf from '@tensorflow/tfjs';
import { runMdan } from '../src/method/mdan/mdan';
import { MganDataset } from '../src/method/mgan/dataset';
import { createMganDecoder } from '../src/method/mgan/decoder';
import { MganGenerator } from '../src/method/mgan/generator';
import { trainMgan } from '../src/method/mgan/trainer';
import type { Vgg19Service } from '../src/method/vgg/vgg19';
import { readImageFile } from '../src/platform/node/image-io';
import { argValue, benchBackend, benchVgg19Service, emit, syntheticPhoto } from './lib';
import { DECODER_FORMAT } from '../src/formats/decoder-meta';

interface KernelRecord {
  name: string;
  ms: number;
  depth: number;
  shapes: string;
}

/**
 * The engine pushes a kernel's record after it ran (inner kernels first) and keeps no nesting; its
 * `extraInfo` slot is free on these backends, so the nesting depth is put there.
 */
function tagKernelDepth(): () => void {
  const engine = tf.engine() as unknown as {
    profiler: { profileKernel(name: string, inputs: unknown, f: () => unknown): { extraInfo: Promise<string> } };
    state: { kernelDepth: number };
  };
  const original = engine.profiler.profileKernel.bind(engine.profiler);
  engine.profiler.profileKernel = (name, inputs, f) => {
    const depth = engine.state.kernelDepth - 1;
    const profile = original(name, inputs, f);
    profile.extraInfo = Promise.resolve(String(depth));
    return profile;
  };
  return () => {
    engine.profiler.profileKernel = original;
  };
}

/** Profiles the `index`-th call of `step` (earlier calls are warm-up) inside a run driven by `drive`. */
async function profileStep(drive: (onStep: () => Promise<void>, signal: AbortSignal) => Promise<void>, index: number): Promise<{ kernels: KernelRecord[]; wallMs: number }> {
  let calls = 0;
  let kernels: KernelRecord[] = [];
  let wallMs = 0;
  // The step to profile is the span between two callbacks: profiling starts in one and ends in the next.
  let finish: (() => void) | undefined;
  let profiled: Promise<void> | undefined;
  let started = 0;
  // The run is cancelled once the profiled step is over.
  const stop = new AbortController();
  const driven = drive(async () => {
    calls++;
    if (calls === index) {
      const untag = tagKernelDepth();
      started = performance.now();
      profiled = new Promise<void>((resolve) => {
        void tf
          .profile(() => new Promise<void>((done) => (finish = done)))
          .then((info) => {
            untag();
            kernels = info.kernels.map((k) => ({ name: k.name, ms: k.kernelTimeMs as number, depth: Number(k.extraInfo), shapes: JSON.stringify(k.inputShapes) }));
            resolve();
          });
      });
    } else if (calls === index + 1 && finish) {
      wallMs = performance.now() - started;
      finish();
      await profiled;
      stop.abort();
    }
  }, stop.signal);
  try {
    await driven;
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  }
  return { kernels, wallMs };
}

function report(caseName: string, backend: string, kernels: KernelRecord[], wallMs: number, top: number, calls: number): void {
  const outer = new Map<string, { ms: number; count: number }>();
  const inner = new Map<string, { ms: number; count: number }>();
  for (const k of kernels) {
    const into = k.depth === 0 ? outer : inner;
    const e = into.get(k.name) ?? { ms: 0, count: 0 };
    e.ms += k.ms;
    e.count++;
    into.set(k.name, e);
  }
  const total = [...outer.values()].reduce((a, e) => a + e.ms, 0);
  const rows = [...outer.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  for (const [name, e] of rows) emit({ bench: 'profile', case: caseName, backend, kernel: name, ms: e.ms, count: e.count, share: Math.round((e.ms / total) * 1000) / 1000 });
  for (const [name, e] of [...inner.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
    emit({ bench: 'profile', case: caseName, backend, kernel: name, ms: e.ms, count: e.count, inner: true });
  }
  for (const k of [...kernels].sort((a, b) => b.ms - a.ms).slice(0, calls)) {
    emit({ bench: 'profile', case: caseName, backend, kernel: k.name, ms: k.ms, call: true, depth: k.depth, shapes: k.shapes });
  }
  emit({ bench: 'profile', case: caseName, backend, kernel: '(step)', ms: wallMs, kernelMs: total, kernels: kernels.filter((k) => k.depth === 0).length });
}

async function mdanProfile(service: Vgg19Service, size: number) {
  const vgg = await service.load('relu3_1');
  const texture = await readImageFile('public/samples/styles/starry_night.jpg');
  try {
    return await profileStep(async (onStep, signal) => {
      const r = await runMdan(vgg, texture, { size, iterations: 4, discriminator: { channels: 256 } }, { onIteration: onStep, signal });
      tf.dispose(r.image);
      r.discriminator.dispose();
    }, 2);
  } finally {
    texture.dispose();
  }
}

/** One decode of a photo size² (VGG19 relu4_1 + an untrained G, batch statistics): the third of three calls. */
async function decodeProfile(service: Vgg19Service, size: number) {
  const vgg = await service.load('relu4_1');
  const decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: 1, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, (d) => service.load(d));
  const photo = syntheticPhoto(size, size);
  try {
    return await profileStep(async (onStep, signal) => {
      for (let i = 0; i < 4 && !signal.aborted; i++) {
        await onStep();
        const out = await decoder.decode(photo, { normalization: 'batch', signal });
        await out.data();
        out.dispose();
      }
    }, 3);
  } finally {
    photo.dispose();
    decoder.dispose();
  }
}

async function mganProfile(service: Vgg19Service) {
  const vgg = await service.load('relu4_1');
  const photo = syntheticPhoto(256, 256);
  const target = tf.tidy(() => tf.reverse(photo, 2) as tf.Tensor3D);
  // 25 crops: batches of 8, 8, 8, 1; the profiled step (the second) is a full one.
  const data = MganDataset.build([photo], [target], { cropSize: 128, stride: 32, angles: [0], scales: [1], flips: [false] });
  try {
    return await profileStep(async (onStep, signal) => {
      const r = await trainMgan(vgg, data, { epochs: 1, batchSize: 8, loss: 'mgan', snapshotEvery: 0 }, { onStep, signal });
      r.generator.dispose();
      r.discriminator.dispose();
    }, 1);
  } finally {
    data.dispose();
    tf.dispose([photo, target]);
  }
}

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const top = Number(argValue(args, 'top', '15'));
  const calls = Number(argValue(args, 'calls', '0'));
  const service = benchVgg19Service(args);
  for (const name of argValue(args, 'cases', 'mdan/256,mgan-step/b8-128').split(',')) {
    const [kind, arg] = name.split('/');
    const { kernels, wallMs } = kind === 'mdan' ? await mdanProfile(service, Number(arg)) : kind === 'decode' ? await decodeProfile(service, Number(arg)) : await mganProfile(service);
    report(name, backend, kernels, wallMs, top, calls);
  }
}
