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
 * The PyTorch side is `../shared/peers/torch_mgan.py` (the same networks with random weights), run with
 * Debian's `/usr/bin/python3` when `import torch` works there; it is a measuring tool beside the
 * project, never a part of it. What each case times:
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
import { DECODER_FORMAT, createMganDecoder } from '../src/method/mgan/decoder';
import { MganGenerator } from '../src/method/mgan/generator';
import { runMdan } from '../src/method/mdan/mdan';
import { MganDataset } from '../src/method/mgan/dataset';
import { trainMgan } from '../src/method/mgan/trainer';
import type { Vgg19Service } from '../src/method/vgg/vgg19';
import { readImageFile } from '../src/platform/node/image-io';
import { argValue, benchBackend, benchBackendInfo, benchVgg19Service, emit, median, syntheticPhoto, type Timing } from './lib';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const DEFAULT_PEER = '../shared/peers/torch_mgan.py';

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
  if (!existsSync(peer)) return `no peer script at ${peer}`;
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    await run(PYTHON, ['-c', 'import torch'], { env: peerEnv(), timeout: 60_000 });
    return undefined;
  } catch {
    return `${PYTHON} cannot import torch`;
  }
}

/** The environment minus the two OpenBLAS overrides that force a slow kernel (peers README). */
function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

async function pytorchMs(peer: string, peerCase: string, threads: number): Promise<{ ms: number | null; error?: string }> {
  try {
    const { stdout } = await run(PYTHON, [peer, String(threads), `--only=${peerCase}`], { env: peerEnv(), timeout: 600_000, maxBuffer: 1 << 20 });
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const m = JSON.parse(line) as { case?: string; ms?: number };
      if (m.case === peerCase && typeof m.ms === 'number') return { ms: m.ms };
    }
    return { ms: null, error: `the peer script printed no '${peerCase}' line` };
  } catch (e) {
    return { ms: null, error: `the peer script failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

function timing(times: number[]): Timing {
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), repeats: times.length };
}

async function decodeCase(service: Vgg19Service, size: number, repeats: number): Promise<Timing> {
  const vgg = await service.load('relu4_1');
  const decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: 1, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, (d) => service.load(d));
  const img = syntheticPhoto(size, size);
  const times: number[] = [];
  try {
    for (let r = 0; r <= repeats; r++) {
      const start = performance.now();
      const out = await decoder.decode(img, { normalization: 'batch' });
      await out.data();
      out.dispose();
      if (r > 0) times.push(performance.now() - start); // the first is warm-up
    }
  } finally {
    img.dispose();
    decoder.dispose();
  }
  return timing(times);
}

async function mdanCase(service: Vgg19Service, size: number, repeats: number): Promise<Timing> {
  const vgg = await service.load('relu3_1');
  const texture = await readImageFile('public/samples/styles/starry_night.jpg');
  const stamps: number[] = [];
  try {
    const r = await runMdan(vgg, texture, { size, iterations: repeats + 1, discriminator: { channels: 256 } }, { onIteration: () => void stamps.push(performance.now()) });
    tf.dispose(r.image);
    r.discriminator.dispose();
  } finally {
    texture.dispose();
  }
  return timing(stamps.slice(1).map((t, i) => t - stamps[i]));
}

async function mganStepCase(service: Vgg19Service, repeats: number): Promise<Timing> {
  const vgg = await service.load('relu4_1');
  const photo = syntheticPhoto(256, 256);
  const target = tf.tidy(() => tf.reverse(photo, 2) as tf.Tensor3D);
  // 81 crops of 128² without augmentation: ten full batches of 8, more than the warm-up and timed steps need.
  const data = MganDataset.build([photo], [target], { cropSize: 128, stride: 16, angles: [0], scales: [1], flips: [false] });
  const steps: number[] = [];
  // Stop after the warm-up step and the timed ones: the trainer ends a cancelled run cleanly.
  const stop = new AbortController();
  let last = performance.now();
  try {
    await trainMgan(vgg, data, { epochs: 1, batchSize: 8, loss: 'mgan', snapshotEvery: 0 }, {
      signal: stop.signal,
      onStep: () => {
        const now = performance.now();
        steps.push(now - last);
        last = now;
        if (steps.length > repeats) stop.abort();
      },
    });
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  } finally {
    data.dispose();
    tf.dispose([photo, target]);
  }
  return timing(steps.slice(1));
}

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const repeats = Number(argValue(args, 'repeats', '3'));
  const cases = argValue(args, 'cases', Object.keys(PEER_CASES).join(',')).split(',');
  const torchThreads = Number(argValue(args, 'torch-threads', String(availableParallelism())));
  const peer = resolve(argValue(args, 'peer', DEFAULT_PEER));
  const unavailable = await pytorchUnavailable(peer);
  const service = benchVgg19Service(args);
  const threads = benchBackendInfo()?.threads ?? 1;

  for (const name of cases) {
    const peerCase = PEER_CASES[name];
    if (!peerCase) throw new Error(`unknown case '${name}' (expected one of ${Object.keys(PEER_CASES).join(', ')})`);
    const [kind, arg] = name.split('/');
    const t =
      kind === 'decode' ? await decodeCase(service, Number(arg), repeats) : kind === 'mdan' ? await mdanCase(service, Number(arg), repeats) : await mganStepCase(service, repeats);
    const peerResult = unavailable ? { ms: null, error: unavailable } : await pytorchMs(peer, peerCase, torchThreads);
    emit({
      bench: 'compare',
      case: name,
      backend,
      threads,
      ...t,
      pytorchMs: peerResult.ms,
      ...(peerResult.ms ? { pytorchThreads: torchThreads, ratio: Math.round((t.ms / peerResult.ms) * 100) / 100 } : { pytorch: peerResult.error }),
    });
  }
}
