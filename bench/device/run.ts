/**
 * One run on a lent GPU machine, Node WebGPU (Dawn over Vulkan), as stages: `info`, `check`, `bench`,
 * `train`. bench/device/run.sh runs each as its own process under a time limit; this file is bundled
 * into the payload by bench/device/build-payload.sh (docs/benchmarks.md, "GPU machine").
 *
 * Environment: OUT (results folder), DEVRUN_SCALE (`tiny` for a software-Vulkan rehearsal, else full
 * sizes), DEVRUN_DATA (folder with photos/ and styles/), MGAN_STUDIO_VGG19_DIR (the weights),
 * DEVRUN_DEADLINE_MS (epoch ms by which `train` must have written its last decoder),
 * DEVRUN_MACHINE (a line naming the machine, for the training record), DEVRUN_BACKEND (default webgpu),
 * DEVRUN_STYLE (the style `train` learns, default starry_night), DEVRUN_CHECK (the `check` cases to run; default all).
 * Every measurement is one JSON line on stdout and in OUT/results.jsonl.
 */
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { nodeWasmThreading } from '../../src/platform/node/wasm-threads';
import type { BackendName } from '../../src/runtime/types';
import { createNodeVgg19Service } from '../../src/platform/node/weights-store';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import { readImageFile, encodePng } from '../../src/platform/node/image-io';
import { type DecodePrecision, HALF_PRECISION_TOLERANCE, createMganDecoder, makeThumbnail, pixelDifference } from '../../src/method/mgan/decoder';
import { halfPrecisionProblem } from '../../src/method/kernels/webgpu-conv-f16';
import { MganGenerator } from '../../src/method/mgan/generator';
import { MganDataset, mdanTargets } from '../../src/method/mgan/dataset';
import { CropFeatureCache } from '../../src/method/mgan/crop-features';
import { extractPatches } from '../../src/method/mdan/patches';
import { type MganTrainHooks, type MganTrainOptions, recalibrateStatistics, trainMgan } from '../../src/method/mgan/trainer';
import type { MganCheckpoint } from '../../src/method/mgan/training-state';
import { disposeCheckpoint } from '../../src/method/mgan/training-state';
import { DEFAULT_MDAN_OPTIONS, postprocess, runMdan } from '../../src/method/mdan/mdan';
import { contentLoss, discriminatorHinge, hingeLoss, totalVariation } from '../../src/method/mdan/losses';
import { convBiasRelu } from '../../src/method/kernels/conv-bias-relu';
import type { MdanDiscriminator } from '../../src/method/mdan/discriminator';
import { decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { quantizeDecoderArtifacts } from '../../src/platform/common/decoder-quantize';
import { type Vgg19, vggInput } from '../../src/method/vgg/vgg19';
import { startCounting } from '../kernel-counter';
import { batchNormActivation, createBatchNorm } from '../../src/method/mgan/batch-norm';
import { createAdam } from '../../src/method/kernels/fused-adam';
import { interleavePhases } from '../../src/method/kernels/phase-interleave';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../../src/formats/decoder-meta';

const OUT = process.env.OUT ?? '.';
const TINY = process.env.DEVRUN_SCALE === 'tiny';
const DATA = process.env.DEVRUN_DATA ?? 'data';
const BACKEND = (process.env.DEVRUN_BACKEND ?? 'webgpu') as BackendName;
const MACHINE = process.env.DEVRUN_MACHINE ?? 'unknown machine';
/** The style `train` learns: a file styles/STYLE.{jpg,png} in DEVRUN_DATA; the decoder takes its name. */
const STYLE = process.env.DEVRUN_STYLE ?? 'starry_night';
/** Measurements the `train` stage plans from (written by `bench`). */
const PLAN_FILE = join(process.env.DEVRUN_TMP ?? OUT, 'plan-input.json');

function emit(line: Record<string, unknown>): void {
  const text = JSON.stringify({ t: new Date().toISOString(), ...line });
  process.stdout.write(`${text}\n`);
  appendFileSync(join(OUT, 'results.jsonl'), `${text}\n`);
}

const vggService = () => createNodeVgg19Service({ cacheDir: '.cache', weightsDir: process.env.MGAN_STUDIO_VGG19_DIR });

/** A smooth test photo [h, w, 3] in [0, 1]. */
function testPhoto(h: number, w: number): tf.Tensor3D {
  return tf.tidy(() => {
    const y = tf.reshape(tf.linspace(0, 1, h), [h, 1, 1]);
    const x = tf.reshape(tf.linspace(0, 1, w), [1, w, 1]);
    const r = tf.add(tf.mul(y, 0.8), tf.zeros([h, w, 1]));
    const g = tf.add(tf.mul(tf.sin(tf.mul(x, 20)), 0.4), tf.add(0.5, tf.zeros([h, w, 1])));
    const b = tf.mul(tf.add(tf.cos(tf.mul(tf.add(x, y), 13)), 1), 0.5);
    return tf.concat([r, g, b], 2) as tf.Tensor3D;
  });
}

async function backend(): Promise<string> {
  // On the CPU (DEVRUN_BACKEND=wasm), WASM on every core ($MGAN_STUDIO_THREADS), as the CLI runs it.
  await initBackend(BACKEND, { wasmThreading: nodeWasmThreading });
  return tf.getBackend();
}

async function info(): Promise<void> {
  const name = await backend();
  const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(o?: object): Promise<Record<string, unknown> | null> } }).gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  const adapterInfo = adapter?.info as Record<string, unknown> | undefined;
  const limits = adapter?.limits as Record<string, number> | undefined;
  const features = adapter?.features as Set<string> | undefined;
  emit({
    stage: 'info',
    backend: name,
    adapter: adapterInfo ? { vendor: adapterInfo.vendor, architecture: adapterInfo.architecture, device: adapterInfo.device, description: adapterInfo.description } : null,
    isFallbackAdapter: adapter?.isFallbackAdapter ?? adapterInfo?.isFallbackAdapter ?? null,
    features: features ? [...features].sort() : [],
    maxBufferSize: limits?.maxBufferSize,
    maxStorageBufferBindingSize: limits?.maxStorageBufferBindingSize,
    // Whether tfjs's device got shader-f16 (runtime/webgpu-device.ts): precision 'f16' decodes run.
    halfPrecision: halfPrecisionProblem() ?? 'available',
    node: process.version,
  });
}

/** The largest |a - b| and the largest |b|, for a relative error. */
async function compare(a: Float32Array, b: Float32Array): Promise<{ maxAbs: number; maxRef: number }> {
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
    maxRef = Math.max(maxRef, Math.abs(b[i]));
  }
  return { maxAbs, maxRef };
}

/** Conv forward and both gradients, a strided transposed conv, a matmul, patches and the fused training kernels, on the GPU backend and on cpu. */
async function check(): Promise<void> {
  const name = await backend();
  const cases: Record<string, () => tf.Tensor[]> = {
    conv3x3: () => {
      const x = tf.randomUniform([2, 9, 11, 5], -1, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomUniform([3, 3, 5, 7], -1, 1, 'float32', 2) as tf.Tensor4D;
      const dy = tf.randomUniform([2, 9, 11, 7], -1, 1, 'float32', 3) as tf.Tensor4D;
      const y = tf.conv2d(x, w, 1, 'same');
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))([x, w], dy);
      return [y, dx, dw];
    },
    conv8x8valid: () => {
      const x = tf.randomUniform([3, 8, 8, 16], -1, 1, 'float32', 4) as tf.Tensor4D;
      const w = tf.randomUniform([8, 8, 16, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')))([x, w]);
      return [dx, dw];
    },
    deconv4x4s2: () => {
      const x = tf.randomUniform([2, 6, 6, 8], -1, 1, 'float32', 6) as tf.Tensor4D;
      const w = tf.randomUniform([4, 4, 4, 8], -1, 1, 'float32', 7) as tf.Tensor4D;
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 12, 12, 4], 2, 'same')));
      return [tf.conv2dTranspose(x, w, [2, 12, 12, 4], 2, 'same'), ...tf.grads(f)([x, w])];
    },
    matmul: () => [tf.matMul(tf.randomUniform([33, 65], -1, 1, 'float32', 8), tf.randomUniform([65, 17], -1, 1, 'float32', 9))],
    // MDAN's 8×8 / 4 patches of a 256 px image's relu3_1 map (a 15×15 grid of windows) and their gradient.
    patches256: () => {
      const map = tf.randomUniform([1, 64, 64, 8], -1, 1, 'float32', 10) as tf.Tensor4D;
      const f = (a: tf.Tensor) => tf.sum(tf.square(extractPatches(a as tf.Tensor4D, 8, 4)));
      return [extractPatches(map, 8, 4), tf.grad(f)(map)];
    },
    // The fused training kernels of the kernel table (tfjs ops on cpu): batch norm + LeakyReLU with its
    // gradients and running statistics, two Adam steps, the deconvolutions' phase interleave, ReLU's gradient.
    batchNormLeaky: () => {
      const x = tf.randomUniform([2, 7, 5, 16], -1, 2, 'float32', 11) as tf.Tensor4D;
      const w = tf.randomUniform([2, 7, 5, 16], -1, 1, 'float32', 12);
      const bn = createBatchNorm(16);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(batchNormActivation(x, bn, 'batch', true, 0.2), w)) as tf.Scalar, [bn.gamma, bn.beta]);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(batchNormActivation(a as tf.Tensor4D, bn, 'batch', false, 0.2), w)))(x);
      return [value, dx, grads[bn.gamma.name], grads[bn.beta.name], tf.clone(bn.movingMean), tf.clone(bn.movingVariance)];
    },
    adam: () => {
      const v = tf.variable(tf.randomUniform([3, 3, 4, 8], -1, 1, 'float32', 13));
      const opt = createAdam(0.02, 0.5);
      for (let i = 0; i < 2; i++) opt.applyGradients([{ name: v.name, tensor: tf.randomUniform(v.shape, -1, 1, 'float32', 14 + i) }]);
      return [tf.clone(v)];
    },
    interleave: () => {
      const windows = tf.randomUniform([2, 5, 4, 12], -1, 1, 'float32', 16) as tf.Tensor4D;
      const w = tf.randomUniform([2, 8, 6, 3], -1, 1, 'float32', 17);
      return [interleavePhases(windows), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(interleavePhases(a as tf.Tensor4D), w)))(windows)];
    },
    reluGrad: () => {
      const x = tf.randomUniform([4, 9, 9, 3], -1, 1, 'float32', 18);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), x)))(x)];
    },
    // VGG's conv + bias + ReLU under the tape, its input (signed pixels), max-pool gradient; MDAN's losses,
    // patch fold and post-processing (each a kernel on WebGPU, tfjs ops on cpu).
    vggPixelGrad: () => {
      const x = tf.randomUniform([1, 12, 10, 3], -1, 1, 'float32', 19) as tf.Tensor4D;
      const f1 = tf.randomUniform([3, 3, 3, 8], -0.5, 0.5, 'float32', 20) as tf.Tensor4D;
      const f2 = tf.randomUniform([3, 3, 8, 8], -0.5, 0.5, 'float32', 21) as tf.Tensor4D;
      const b = tf.randomUniform([8], -0.1, 0.1, 'float32', 22) as tf.Tensor1D;
      const w = tf.randomUniform([1, 6, 5, 8], -1, 1, 'float32', 23);
      const net = (a: tf.Tensor) => tf.maxPool(convBiasRelu(convBiasRelu(vggInput(a as tf.Tensor4D, 'vgg19-matconvnet-rgb-mean', { input: 'signed' }), f1, b), f2, b), 2, 2, 'valid');
      return [net(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net(a), w)))(x)];
    },
    losses: () => {
      const a = tf.randomUniform([2, 6, 7, 3], -1, 1, 'float32', 24);
      const c = tf.randomUniform([2, 6, 7, 3], -1, 1, 'float32', 25);
      const s = tf.randomUniform([50], -2, 2, 'float32', 26);
      const loss = (x: tf.Tensor, y: tf.Tensor) => tf.addN([hingeLoss(y, 1, 0.5), discriminatorHinge(y, tf.neg(y)), contentLoss(x, c, 0.3), totalVariation(x as tf.Tensor4D, 'sum', 0.2)]);
      return [loss(a, s), ...tf.grads(loss)([a, s])];
    },
    patchFold: () => {
      const map = tf.randomUniform([1, 21, 18, 4], -1, 1, 'float32', 27) as tf.Tensor4D;
      const w = tf.randomUniform(extractPatches(map, 8, 4).shape, -1, 1, 'float32', 28);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(extractPatches(a as tf.Tensor4D, 8, 4), w)))(map)];
    },
    postprocess: () => [postprocess(tf.randomNormal([17, 23, 3], 0, 1, 'float32', 29) as tf.Tensor3D)],
  };
  // DEVRUN_CHECK="adam interleave" runs only those cases (the cpu side of patches256 takes minutes on a busy 2-core machine).
  const only = process.env.DEVRUN_CHECK?.split(/\s+/).filter(Boolean);
  if (only?.length) for (const k of Object.keys(cases)) if (!only.includes(k)) delete cases[k];
  const gpu: Record<string, Float32Array[]> = {};
  for (const [k, f] of Object.entries(cases)) {
    const ts = f();
    gpu[k] = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(ts);
  }
  await tf.setBackend('cpu');
  let ok = true;
  for (const [k, f] of Object.entries(cases)) {
    const ts = f();
    const diffs = [];
    for (let i = 0; i < ts.length; i++) {
      const d = await compare(gpu[k][i], (await ts[i].data()) as Float32Array);
      diffs.push(Number((d.maxAbs / Math.max(1e-6, d.maxRef)).toExponential(2)));
    }
    tf.dispose(ts);
    const pass = diffs.every((d) => d < 1e-3);
    ok &&= pass;
    emit({ stage: 'check', case: k, backend: name, versus: 'cpu', maxRelErrors: diffs, pass });
  }
  if (!only?.length || only.includes('decodeF16')) ok = (await checkHalfDecode(name)) && ok;
  emit({ stage: 'check', case: 'all', backend: name, pass: ok });
}

/**
 * A photo decoded with precision 'f16' on the GPU against the cpu backend's f32 decode, with the
 * bundled decoder (DATA/decoders/starry_night.mgan: an untrained G's unnormalised activations run
 * into the thousands, where f16's relative rounding is no longer small next to tanh's slope), within
 * HALF_PRECISION_TOLERANCE. Runs on cpu first: in Node a GPU tensor cannot move back to the cpu.
 * Passes (as not applicable) where the device has no shader-f16.
 */
async function checkHalfDecode(name: string): Promise<boolean> {
  await tf.setBackend(name);
  const problem = halfPrecisionProblem();
  if (problem) {
    emit({ stage: 'check', case: 'decodeF16', backend: name, available: false, reason: problem, pass: true });
    return true;
  }
  await tf.setBackend('cpu');
  const size = TINY ? 64 : 128;
  const service = vggService();
  const decoder = await createNodeDecoderCatalog({ cacheDir: '.cache', bundledDecodersDir: join(DATA, 'decoders') }, (d) => service.load(d)).load('starry_night');
  const photo = await readImageFile(join(DATA, 'photos', 'coffee.png'));
  const frame = tf.tidy(() => tf.image.resizeBilinear(photo, [size, size], true));
  photo.dispose();
  const run = async (precision: DecodePrecision) => {
    const out = await decoder.decode(frame, { normalization: 'fixed', tile: false, precision });
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  };
  const reference = await run('f32');
  await tf.setBackend(name);
  const half = await run('f16');
  const { maxAbs, meanAbs } = half.length === reference.length ? pixelDifference(half, reference) : { maxAbs: Infinity, meanAbs: Infinity };
  const pass = maxAbs <= HALF_PRECISION_TOLERANCE.maxAbs && meanAbs <= HALF_PRECISION_TOLERANCE.meanAbs;
  emit({ stage: 'check', case: 'decodeF16', backend: name, versus: 'cpu f32', decoder: 'starry_night', photo: 'coffee.png', size, maxAbs: Number(maxAbs.toExponential(2)), meanAbs: Number(meanAbs.toExponential(2)), tolerance: HALF_PRECISION_TOLERANCE, pass });
  frame.dispose();
  decoder.dispose();
  return pass;
}

interface KernelRow {
  name: string;
  ms: number;
  count: number;
}

/** Kernel time by kernel name (tf.profile; the GPU backend times each kernel when timestamps exist). */
async function kernelProfile(label: string, f: () => Promise<void>): Promise<void> {
  const start = performance.now();
  const counted = startCounting();
  const p = await tf.profile(f);
  const wall = performance.now() - start;
  const launches = counted();
  const rows = new Map<string, KernelRow>();
  let timed = 0;
  for (const k of p.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    if (ms > 0) timed++;
    const r = rows.get(k.name) ?? { name: k.name, ms: 0, count: 0 };
    r.ms += ms;
    r.count++;
    rows.set(k.name, r);
  }
  const top = [...rows.values()].sort((a, b) => b.ms - a.ms || b.count - a.count).slice(0, 15);
  const total = [...rows.values()].reduce((s, r) => s + r.ms, 0);
  emit({
    stage: 'profile',
    case: label,
    backend: tf.getBackend(),
    kernels: p.kernels.length,
    kernelsTimed: timed,
    // Counted at each dispatch and read (bench/kernel-counter.ts); under tf.profile every program is its own submission.
    programs: launches.programs,
    submits: launches.submits,
    readBacks: launches.reads,
    kernelMsTotal: Math.round(total * 10) / 10,
    wallMsProfiled: Math.round(wall),
    top: top.map((r) => ({ name: r.name, ms: Math.round(r.ms * 100) / 100, count: r.count })),
  });
}

async function timeSteps(n: number, f: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function bench(): Promise<void> {
  const name = await backend();
  const service = vggService();
  const vgg = await service.load('relu5_1');
  const plan: Record<string, number> = {};

  // Decode: VGG relu4_1 + G, fixed normalisation (as the video path), warm, several frames.
  const decodeSize = TINY ? 64 : 512;
  const decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: DECODER_FORMAT_VERSION, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, (d) => service.load(d));
  const frame = testPhoto(decodeSize, decodeSize);
  // f32, then f16 where the device has shader-f16 (decode-f16/...: same cases, precision 'f16').
  for (const precision of ['f32', 'f16'] as const) {
    if (precision === 'f16' && halfPrecisionProblem()) {
      emit({ stage: 'bench', case: `decode-f16/${decodeSize}`, backend: name, available: false, reason: halfPrecisionProblem() });
      continue;
    }
    const label = precision === 'f32' ? 'decode' : 'decode-f16';
    const decodeOnce = async () => {
      const out = await decoder.decode(frame, { normalization: 'fixed', tile: false, precision });
      await out.data();
      out.dispose();
    };
    await decodeOnce();
    await decodeOnce();
    const frames = await timeSteps(TINY ? 3 : 20, decodeOnce);
    const ms = median(frames);
    emit({ stage: 'bench', case: `${label}/${decodeSize}`, backend: name, ms: Math.round(ms * 100) / 100, min: Math.round(Math.min(...frames) * 100) / 100, fps: Math.round((1000 / ms) * 10) / 10, frames: frames.length, note: 'untrained G (same cost), read back to the CPU each frame' });
    // Frames in flight without a read-back each (a video pipeline that keeps frames on the GPU).
    {
      const n = TINY ? 3 : 20;
      const start = performance.now();
      const outs: tf.Tensor[] = [];
      for (let i = 0; i < n; i++) outs.push(await decoder.decode(frame, { normalization: 'fixed', tile: false, precision }));
      await outs[outs.length - 1].data();
      const each = (performance.now() - start) / n;
      tf.dispose(outs);
      emit({ stage: 'bench', case: `${label}-pipelined/${decodeSize}`, backend: name, ms: Math.round(each * 100) / 100, fps: Math.round((1000 / each) * 10) / 10, frames: n });
    }
    await kernelProfile(`${label}/${decodeSize}`, decodeOnce);
  }
  frame.dispose();
  decoder.dispose();

  // MGAN training step: batch 8 x 128² (tiny: 2 x 64²), the paper's loss (pixel + adversarial), G and D steps.
  const batch = TINY ? 2 : 8;
  const crop = TINY ? 64 : 128;
  {
    const photos = [testPhoto(crop * 2, crop * 2)];
    const targets = photos.map((p) => tf.tidy(() => tf.reverse(p, 2) as tf.Tensor3D));
    const data = MganDataset.build(photos, targets, { cropSize: crop, stride: crop / 2, angles: [0], scales: [1], flips: [false, true] });
    const steps: number[] = [];
    let last = performance.now();
    const wanted = TINY ? 3 : 8;
    const stepHooks: MganTrainHooks = {
      onStep: () => {
        const now = performance.now();
        steps.push(now - last);
        last = now;
        if (steps.length >= wanted) stepHooks.stopAt = 0;
      },
    };
    const r = await trainMgan(vgg, data, { epochs: 10, batchSize: batch, loss: 'mgan', snapshotEvery: 0 }, stepHooks);
    r.generator.dispose();
    r.discriminator.dispose();
    const warm = steps.slice(1);
    const stepMs = median(warm.length ? warm : steps);
    plan[`mganStepMs_b${batch}_${crop}`] = stepMs;
    writeFileSync(PLAN_FILE, JSON.stringify(plan));
    emit({ stage: 'bench', case: `mgan-step/b${batch}x${crop}`, backend: name, ms: Math.round(stepMs), first: Math.round(steps[0]), steps: steps.length, note: 'one G step + one D step' });
    await kernelProfile(`mgan-step/b${batch}x${crop}`, async () => {
      const p = await trainMgan(vgg, data, { epochs: 1, batchSize: batch, loss: 'mgan', snapshotEvery: 0 }, { stopAt: 0 });
      p.generator.dispose();
      p.discriminator.dispose();
    });
    data.dispose();
    tf.dispose([...photos, ...targets]);
  }

  // MDAN iteration at 256² (tiny: 64²) with D 256 channels, guided (content loss on relu5_1).
  const mdanSize = TINY ? 64 : 256;
  {
    const texture = await readImageFile(join(DATA, 'styles', 'starry_night.jpg'));
    const photo = testPhoto(mdanSize, mdanSize);
    const stamps: number[] = [];
    const start = performance.now();
    const iterations = TINY ? 3 : 6;
    const r = await runMdan(vgg, texture, { size: mdanSize, iterations, discriminator: { channels: 256 } }, { content: photo, onIteration: () => void stamps.push(performance.now()) });
    const per = stamps.slice(1).map((t, i) => t - stamps[i]);
    const itMs = median(per);
    plan[`mdanIterationMs_${mdanSize}`] = itMs;
    plan[`mdanSetupMs_${mdanSize}`] = Math.max(0, stamps[0] - start - itMs);
    writeFileSync(PLAN_FILE, JSON.stringify(plan));
    emit({ stage: 'bench', case: `mdan-iteration/${mdanSize}-d256`, backend: name, ms: Math.round(itMs), setupMs: Math.round(stamps[0] - start - itMs), iterations: per.length, note: 'guided, D step + pixel step' });
    r.image.dispose();
    r.discriminator.dispose();
    await kernelProfile(`mdan/${mdanSize}-d256 (setup + 2 iterations)`, async () => {
      const p = await runMdan(vgg, texture, { size: mdanSize, iterations: 2, discriminator: { channels: 256 } }, { content: photo });
      p.image.dispose();
      p.discriminator.dispose();
    });
    tf.dispose([texture, photo]);
  }
  writeFileSync(PLAN_FILE, JSON.stringify(plan));
}

/** Training photos: every image in DATA/photos except the unseen ones kept for the decodes. */
const UNSEEN = ['chelsea', 'coffee'];
const EXCLUDED = ['retina'];

function photoFiles(): string[] {
  const dir = join(DATA, 'photos');
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .filter((f) => !UNSEEN.concat(EXCLUDED).includes(f.replace(/\.[^.]+$/, '')))
    .sort()
    .map((f) => join(dir, f));
}

/** Longest side `side`, sides a multiple of 8. */
function fit(image: tf.Tensor3D, side: number): tf.Tensor3D {
  const [h, w] = image.shape;
  const s = side / Math.max(h, w);
  const nh = Math.max(8, Math.round((h * s) / 8) * 8);
  const nw = Math.max(8, Math.round((w * s) / 8) * 8);
  return tf.tidy(() => tf.image.resizeBilinear(image, [nh, nw], true));
}

function writeAtomic(file: string, bytes: Uint8Array | string): void {
  writeFileSync(`${file}.part`, bytes);
  renameSync(`${file}.part`, file);
}

async function train(): Promise<void> {
  const started = performance.now();
  const startedAt = Date.now();
  const deadline = Number(process.env.DEVRUN_DEADLINE_MS ?? Date.now() + 5 * 60_000);
  const msLeft = () => deadline - Date.now();
  const name = await backend();
  const service = vggService();
  const vgg = await service.load('relu5_1');
  const plan: Record<string, number> = existsSync(PLAN_FILE) ? JSON.parse(readFileSync(PLAN_FILE, 'utf8')) : {};
  const files = photoFiles();
  const styleFile = readdirSync(join(DATA, 'styles')).find((f) => f.replace(/\.[^.]+$/, '') === STYLE);
  if (!styleFile) throw new Error(`no styles/${STYLE}.jpg or .png in ${DATA}`);
  const texture = await readImageFile(join(DATA, 'styles', styleFile));
  const cropSize = TINY ? 32 : 128;
  const raw = await Promise.all(files.map((f) => readImageFile(f)));

  // Budget: the MDAN targets get at most 40% of the time left, the training the rest minus the final export.
  const exportReserveMs = TINY ? 20_000 : 25_000;
  const budget = msLeft() - exportReserveMs;
  // Per-iteration cost from the bench's 256² (tiny: 64²) measurement with D 256, scaled by pixels (3:2 photos).
  const benchSide = TINY ? 64 : 256;
  const benchItMs = plan[`mdanIterationMs_${benchSide}`] ?? (TINY ? 3000 : 400);
  const setupMs = plan[`mdanSetupMs_${benchSide}`] ?? (TINY ? 5000 : 3000);
  const itersFor = (side: number): number => Math.floor((0.4 * budget - raw.length * setupMs) / (raw.length * benchItMs * ((side * side * 2) / 3 / (benchSide * benchSide))));
  // The paper's targets are 384 px; a smaller side when 100 iterations (what a 128 px target needs to look painted) do not fit.
  const mdanSize = TINY ? 64 : ([384, 320, 256, 192].find((side) => itersFor(side) >= 100) ?? 192);
  const mdanIterations = TINY ? 2 : Math.max(30, Math.min(200, itersFor(mdanSize)));
  const photos = raw.map((p) => fit(p, mdanSize));
  tf.dispose(raw);
  const mdanOptions = { contentWeight: DEFAULT_MDAN_OPTIONS.contentWeight, iterations: mdanIterations, size: mdanSize, seed: 1 };
  emit({ stage: 'train', event: 'plan', backend: name, photos: files.map((f) => basename(f)), mdanOptions, benchMdanIterationMs: Math.round(benchItMs), msLeft: msLeft() });

  // One photo at a time, D carried from photo to photo (as mdanTargets does for a list), so that a slow
  // MDAN ends with the photos done so far (at least one) instead of overrunning the deadline.
  const mdanStart = performance.now();
  const mdanDeadline = mdanStart + 0.5 * budget;
  const targets: tf.Tensor3D[] = [];
  let carried: MdanDiscriminator | undefined;
  for (let i = 0; i < photos.length; i++) {
    if (i > 0 && performance.now() + (performance.now() - mdanStart) / i > mdanDeadline) break;
    const r = await mdanTargets(vgg, texture, [photos[i]], mdanOptions, { discriminator: carried });
    carried?.dispose();
    carried = r.discriminator;
    targets.push(r.targets[0]);
    emit({ stage: 'train', event: 'mdan-target', photo: i + 1, of: photos.length, seconds: Math.round((performance.now() - mdanStart) / 1000) });
  }
  carried?.dispose();
  if (targets.length < photos.length) {
    emit({ stage: 'train', event: 'mdan-targets-cut', used: targets.length, of: photos.length });
    tf.dispose(photos.splice(targets.length));
    files.splice(targets.length);
  }
  writeAtomic(join(OUT, 'target_0.png'), await encodePng(targets[0]));
  const data = MganDataset.build(photos, targets, { cropSize, stride: cropSize / 2 });
  tf.dispose(targets);

  // Batch size: 64 (the paper's) when a step of it fits ~40 steps in the time left, else smaller.
  // The bench's step (b8 x 128², tiny: b2 x 64²), scaled to this crop size.
  const stepB8 = (plan[`mganStepMs_b${TINY ? 2 : 8}_${TINY ? 64 : 128}`] ?? (TINY ? 20_000 : 300)) * (cropSize / (TINY ? 64 : 128)) ** 2;
  const trainMs = msLeft() - exportReserveMs;
  const perCropMs = stepB8 / (TINY ? 2 : 8);
  let batchSize = TINY ? 2 : 64;
  while (!TINY && batchSize > 8 && (trainMs / (perCropMs * batchSize)) < 150) batchSize /= 2;
  const stepsFit = Math.floor(trainMs / (perCropMs * batchSize));
  // Twice the steps that should fit: the time budget ends the run, and a faster GPU than planned keeps training.
  const epochs = Math.max(1, Math.min(100, Math.ceil((2 * stepsFit) / data.batchesPerEpoch(batchSize))));
  const options: Partial<MganTrainOptions> = { epochs, batchSize, lr: 0.02, beta1: 0.5, advWeight: 0.01, loss: 'mgan', tvWeight: 0, emaDecay: 0.99, equalPhases: true, snapshotEvery: 0, seed: 1 };
  emit({ stage: 'train', event: 'training-plan', crops: data.size, batchSize, epochs, batchesPerEpoch: data.batchesPerEpoch(batchSize), stepsThatFit: stepsFit, trainMs });

  const unseen = await Promise.all(UNSEEN.map((n) => readImageFile(join(DATA, 'photos', `${n}.png`)).then((p) => fit(p, TINY ? 64 : 512))));
  const thumbnail = await makeThumbnail(texture);
  let exports = 0;
  let lastExport = performance.now() - (TINY ? 0 : 30_000);
  // The first copy after 30 s (so a deadline always finds one), then every minute.
  const exportEveryMs = TINY ? 1 : 60_000;
  let stepMsSeen = perCropMs * batchSize;

  const writeDecoder = async (generator: MganGenerator, steps: number, final: boolean) => {
    const record = {
      texture: STYLE,
      photoCount: photos.length,
      photos: files.map((f) => basename(f)),
      steps,
      crops: data.size,
      cropSize,
      batchSize,
      seconds: Math.round((performance.now() - started) / 1000),
      machine: `${MACHINE}, tfjs ${name}`,
      date: new Date().toISOString(),
    };
    const decoder = createMganDecoder(generator, {
      format: DECODER_FORMAT,
      formatVersion: DECODER_FORMAT_VERSION,
      name: STYLE,
      vggConvention: vgg.convention,
      createdAt: new Date().toISOString(),
      thumbnail,
      training: { ...options, ...mdanOptions, exampleSize: DEFAULT_MDAN_OPTIONS.exampleSize, cropSize, stride: cropSize / 2, photos: photos.length, crops: data.size, steps, final },
      record,
    }, (d) => service.load(d));
    const artifacts = quantizeDecoderArtifacts(await decoderToArtifacts(decoder, STYLE), { dtype: 'uint8' });
    writeAtomic(join(OUT, `${STYLE}.mgan`), encodeDecoderFile(artifacts));
    writeAtomic(join(OUT, 'training-record.json'), `${JSON.stringify({ ...record, final, startedAt: new Date(startedAt).toISOString(), backend: name, mdanOptions, options }, null, 2)}\n`);
    for (let i = 0; i < unseen.length; i++) {
      const out = await decoder.decode(unseen[i], { normalization: 'fixed', tile: false });
      writeAtomic(join(OUT, `decode_${UNSEEN[i]}.png`), await encodePng(out));
      out.dispose();
    }
    exports++;
    emit({ stage: 'train', event: 'export', steps, final, exports, seconds: record.seconds });
  };

  // A safety copy of the decoder at checkpoints (the moving average, statistics re-estimated on a few batches).
  const fromCheckpoint = async (c: MganCheckpoint) => {
    try {
      const g = MganGenerator.create(1);
      g.assignFrom(c.averageGenerator ?? c.generator);
      await recalibrateStatistics(g, data, new CropFeatureCache(vgg, data, 0), batchSize, 1, {}, 4);
      await writeDecoder(g, c.step, false);
      g.dispose();
    } finally {
      disposeCheckpoint(c);
    }
  };

  // The final export re-estimates the statistics on up to 48 batches (forward only, ~1/4 of a step each, measured on lavapipe).
  const finalReserveMs = exportReserveMs + Math.min(48, data.batchesPerEpoch(batchSize)) * perCropMs * batchSize * 0.25;
  let lastStep = performance.now();
  const hooks = {
    stopAt: performance.now() + msLeft() - finalReserveMs,
    checkpointEvery: 1_000_000,
    onCheckpoint: fromCheckpoint,
    onStep: (s: { step: number; totalSteps: number; losses: Record<string, number> }) => {
      const now = performance.now();
      stepMsSeen = now - lastStep;
      lastStep = now;
      if (s.step <= 3 || s.step % 10 === 0) emit({ stage: 'train', event: 'step', step: s.step, of: s.totalSteps, ms: Math.round(stepMsSeen), losses: s.losses });
      // Export when a minute has passed (and before the end is near): set the checkpoint for the next step.
      // (the trainer checks `step % checkpointEvery` right after this callback).
      hooks.checkpointEvery = now - lastExport > exportEveryMs && deadline - Date.now() > finalReserveMs + 3 * stepMsSeen ? s.step : 1_000_000;
      if (hooks.checkpointEvery === s.step) lastExport = now;
      // Keep the export reserve even if steps got slower than planned.
      hooks.stopAt = Math.min(hooks.stopAt, now + (deadline - Date.now()) - finalReserveMs);
    },
  };
  let result: Awaited<ReturnType<typeof trainMgan>>;
  for (;;) {
    try {
      result = await trainMgan(vgg, data, options, hooks);
      break;
    } catch (e) {
      // A batch too large for the GPU's buffers or memory: half the batch, while time is left.
      const message = e instanceof Error ? e.message : String(e);
      if (batchSize <= 8 || msLeft() < finalReserveMs + 30_000) throw e;
      batchSize /= 2;
      options.batchSize = batchSize;
      emit({ stage: 'train', event: 'retry', error: message.slice(0, 300), batchSize });
    }
  }
  result.discriminator.dispose();
  await writeDecoder(result.generator, result.lossHistory.length, true);
  emit({ stage: 'train', event: 'done', steps: result.lossHistory.length, lastLosses: result.lossHistory[result.lossHistory.length - 1], seconds: Math.round((performance.now() - started) / 1000), msLeft: msLeft() });
  result.generator.dispose();
  data.dispose();
  tf.dispose([texture, ...photos, ...unseen]);
}

const STAGES: Record<string, () => Promise<void>> = { info, check, bench, train };

const stage = process.argv[2] ?? '';
const run = STAGES[stage];
if (!run) {
  process.stderr.write(`usage: run.mjs ${Object.keys(STAGES).join('|')}\n`);
  process.exit(2);
}
try {
  await run();
  process.exit(0);
} catch (e) {
  emit({ stage, error: e instanceof Error ? e.message : String(e) });
  if (e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}

export type { Vgg19 };
