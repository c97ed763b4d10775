/**
 * MGAN Studio next to PyTorch on the same CPU, same run: `npm run bench -- compare [--backend wasm|cpu]
 * [--cases decode/256,decode/512,mdan/128,mdan/256,mgan-step/b8-128] [--repeats N] [--torch-threads N]
 * [--peer PATH]`.
 *
 * One JSON line per case: the project's median `ms`, `pytorchMs` (null when PyTorch could not run, with
 * `pytorch` saying why) and `ratio` = ms / pytorchMs. Each case runs the project first and then the
 * PyTorch script for that case alone, so both see the machine in the same state; on a shared machine
 * compare only numbers from one run.
 *
 * Wall times on a busy machine say more about the other jobs than about either program, so each line
 * also has CPU times: `cpuMs` (ours, all threads, median per call) and `pytorchCpuMs` (the script's CPU
 * time for the case, less that of a run with no case (import, network set-up), divided by its calls:
 * a warm-up and the timed ones), and `cpuRatio`. With both programs on the same threads and cores
 * free, wall time ≈ CPU time / threads, so `cpuRatio` estimates the quiet machine's ratio.
 *
 * The PyTorch side is a timing script given by `--peer PATH` (or `$MGAN_STUDIO_TORCH_PEER`): the same
 * networks with random weights, run with Debian's `/usr/bin/python3` when `import torch` works there;
 * it is a measuring tool kept outside the project, never a part of it, so there is no default path. What each case times:
 * - `decode/S`: photo S² → VGG19 relu4_1 → G (batch-statistics BN), one image.
 * - `mdan/S`: one MDAN iteration at S² (D step + pixel step, D 256 channels on 8×8 relu3_1 patches at
 *   stride 4). Ours also adds the TV term; the example's patches come from its 18 variants.
 * - `mgan-step/b8-128`: one MGAN training step, batch 8 × 128². Ours is the whole step (photos' relu4_1,
 *   G step with pixel + adversarial loss, D step on relu3_1); the PyTorch one is a G step only (pixel +
 *   a relu3_1 term, relu4_1 precomputed), so this ratio overstates our gap.
 */
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createMganDecoder } from '../src/method/mgan/decoder';
import { MganGenerator } from '../src/method/mgan/generator';
import { runMdan } from '../src/method/mdan/mdan';
import { MganDataset } from '../src/method/mgan/dataset';
import { trainMgan } from '../src/method/mgan/trainer';
import type { Vgg19Service } from '../src/method/vgg/vgg19';
import { readImageFile } from '../src/platform/node/image-io';
import { argValue, benchBackend, benchBackendInfo, benchVgg19Service, emit, median, syntheticPhoto, type Timing } from './lib';
import { DECODER_FORMAT } from '../src/formats/decoder-meta';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
/** GNU time: the peer script's user + system CPU seconds. */
const TIME = '/usr/bin/time';

/** Calls of each case in the peer script: one warm-up + its timed runs (5, or 3 for training steps). */
const PEER_CALLS: Record<string, number> = { decode256: 6, decode512: 6, mdan_iter128: 4, mdan_iter256: 4, mgan_train_step_b8_128: 4 };

/** Our case name → the peer script's case name. */
const PEER_CASES: Record<string, string> = {
  'decode/256': 'decode256',
  'decode/512': 'decode512',
  'mdan/128': 'mdan_iter128',
  'mdan/256': 'mdan_iter256',
  'mgan-step/b8-128': 'mgan_train_step_b8_128',
};

/** Why PyTorch cannot be measured here, or undefined when it can. */
async function pytorchUnavailable(peer: string): Promise<string | undefined> {
  if (!peer) return 'no PyTorch timing script given (--peer PATH or $MGAN_STUDIO_TORCH_PEER)';
  if (!existsSync(peer)) return `no peer script at ${peer}`;
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    await run(PYTHON, ['-c', 'import torch'], { env: peerEnv(), timeout: 60_000 });
    return undefined;
  } catch {
    return `${PYTHON} cannot import torch`;
  }
}

/** The environment minus OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which force a slow generic OpenBLAS kernel on this CPU. */
function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

interface PeerRun {
  ms: number | null;
  /** The script's user + system CPU, ms (null without GNU time). */
  cpuMs: number | null;
  error?: string;
}

async function runPeer(peer: string, only: string, threads: number): Promise<{ stdout: string; cpuMs: number | null }> {
  const args = [peer, String(threads), `--only=${only}`];
  const timed = existsSync(TIME);
  const options = { env: peerEnv(), timeout: 900_000, maxBuffer: 1 << 20 };
  const { stdout, stderr } = timed ? await run(TIME, ['-f', 'cpu-seconds %U %S', PYTHON, ...args], options) : await run(PYTHON, args, options);
  const m = /cpu-seconds ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  return { stdout, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null };
}

/** CPU of the script with no case: importing torch and building the networks. */
let peerBaseCpuMs: Promise<number | null> | undefined;

async function pytorchRun(peer: string, peerCase: string, threads: number): Promise<PeerRun> {
  try {
    peerBaseCpuMs ??= runPeer(peer, 'none', threads).then((r) => r.cpuMs);
    const base = await peerBaseCpuMs;
    const { stdout, cpuMs } = await runPeer(peer, peerCase, threads);
    const perCall = cpuMs !== null && base !== null ? Math.max(0, cpuMs - base) / PEER_CALLS[peerCase] : null;
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const m = JSON.parse(line) as { case?: string; ms?: number };
      if (m.case === peerCase && typeof m.ms === 'number') return { ms: m.ms, cpuMs: perCall };
    }
    return { ms: null, cpuMs: null, error: `the peer script printed no '${peerCase}' line` };
  } catch (e) {
    return { ms: null, cpuMs: null, error: `the peer script failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** `generatorMs`: the MGAN step's G update alone (median), what the PyTorch script's step times. */
type CaseTiming = Timing & { cpuMs: number; generatorMs?: number };

function timing(times: number[], cpu: number[]): CaseTiming {
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), repeats: times.length, cpuMs: median(cpu) };
}

/** CPU time of this process (all threads) since `from`, ms. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

async function decodeCase(service: Vgg19Service, size: number, repeats: number): Promise<CaseTiming> {
  const vgg = await service.load('relu4_1');
  const decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: 1, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, (d) => service.load(d));
  const img = syntheticPhoto(size, size);
  const times: number[] = [];
  const cpu: number[] = [];
  try {
    for (let r = 0; r <= repeats; r++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      const out = await decoder.decode(img, { normalization: 'batch' });
      await out.data();
      out.dispose();
      if (r === 0) continue; // warm-up
      times.push(performance.now() - start);
      cpu.push(cpuSince(startCpu));
    }
  } finally {
    img.dispose();
    decoder.dispose();
  }
  return timing(times, cpu);
}

async function mdanCase(service: Vgg19Service, size: number, repeats: number): Promise<CaseTiming> {
  const vgg = await service.load('relu3_1');
  const texture = await readImageFile('public/samples/styles/starry_night.jpg');
  const stamps: number[] = [];
  const cpuStamps: number[] = [];
  const cpuStart = process.cpuUsage();
  try {
    const onIteration = () => {
      stamps.push(performance.now());
      cpuStamps.push(cpuSince(cpuStart));
    };
    const r = await runMdan(vgg, texture, { size, iterations: repeats + 1, discriminator: { channels: 256 } }, { onIteration });
    tf.dispose(r.image);
    r.discriminator.dispose();
  } finally {
    texture.dispose();
  }
  const between = (xs: number[]) => xs.slice(1).map((t, i) => t - xs[i]);
  return timing(between(stamps), between(cpuStamps));
}

async function mganStepCase(service: Vgg19Service, repeats: number): Promise<CaseTiming> {
  const vgg = await service.load('relu4_1');
  const photo = syntheticPhoto(256, 256);
  const target = tf.tidy(() => tf.reverse(photo, 2) as tf.Tensor3D);
  // 81 crops of 128² without augmentation: ten full batches of 8, more than the warm-up and timed steps need.
  const data = MganDataset.build([photo], [target], { cropSize: 128, stride: 16, angles: [0], scales: [1], flips: [false] });
  const steps: number[] = [];
  const cpu: number[] = [];
  const generator: number[] = [];
  // Stop after the warm-up step and the timed ones: the trainer ends a cancelled run cleanly.
  const stop = new AbortController();
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  try {
    await trainMgan(vgg, data, { epochs: 1, batchSize: 8, loss: 'mgan', snapshotEvery: 0 }, {
      signal: stop.signal,
      onStep: (info) => {
        const now = performance.now();
        steps.push(now - last);
        generator.push(info.ms.generator);
        cpu.push(cpuSince(lastCpu));
        last = now;
        lastCpu = process.cpuUsage();
        if (steps.length > repeats) stop.abort();
      },
    });
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  } finally {
    data.dispose();
    tf.dispose([photo, target]);
  }
  return { ...timing(steps.slice(1), cpu.slice(1)), generatorMs: Math.round(median(generator.slice(1))) };
}

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const repeats = Number(argValue(args, 'repeats', '3'));
  const cases = argValue(args, 'cases', Object.keys(PEER_CASES).join(',')).split(',');
  const torchThreads = Number(argValue(args, 'torch-threads', String(availableParallelism())));
  const peerArg = argValue(args, 'peer', process.env.MGAN_STUDIO_TORCH_PEER ?? '');
  const peer = peerArg ? resolve(peerArg) : '';
  const unavailable = await pytorchUnavailable(peer);
  const service = benchVgg19Service(args);
  const threads = benchBackendInfo()?.threads ?? 1;

  for (const name of cases) {
    const peerCase = PEER_CASES[name];
    if (!peerCase) throw new Error(`unknown case '${name}' (expected one of ${Object.keys(PEER_CASES).join(', ')})`);
    const [kind, arg] = name.split('/');
    const t =
      kind === 'decode' ? await decodeCase(service, Number(arg), repeats) : kind === 'mdan' ? await mdanCase(service, Number(arg), repeats) : await mganStepCase(service, repeats);
    const peerResult: PeerRun = unavailable ? { ms: null, cpuMs: null, error: unavailable } : await pytorchRun(peer, peerCase, torchThreads);
    const round2 = (v: number) => Math.round(v * 100) / 100;
    emit({
      bench: 'compare',
      case: name,
      backend,
      threads,
      ...t,
      cpuMs: Math.round(t.cpuMs),
      pytorchMs: peerResult.ms,
      ...(peerResult.ms ? { pytorchThreads: torchThreads, ratio: round2(t.ms / peerResult.ms) } : { pytorch: peerResult.error }),
      ...(peerResult.cpuMs ? { pytorchCpuMs: Math.round(peerResult.cpuMs), cpuRatio: round2(t.cpuMs / peerResult.cpuMs) } : {}),
      ...(t.generatorMs && peerResult.ms ? { generatorRatio: round2(t.generatorMs / peerResult.ms) } : {}),
    });
  }
}
