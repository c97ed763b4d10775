/**
 * Helpers every benchmark uses: one JSON line per measurement on stdout, medians of repeated runs,
 * and the backend chosen from `--backend NAME` (default wasm, as the CLI).
 */
import * as tf from '@tensorflow/tfjs';
import type { Vgg19Service } from '../src/method/vgg/vgg19';
import { initBackend } from '../src/runtime/backend';
import { defaultServicesOptions } from '../src/platform/node/services';
import type { BackendInfo, BackendName } from '../src/runtime/types';
import { createNodeVgg19Service } from '../src/platform/node/weights-store';
import { nodeWasmThreading } from '../src/platform/node/wasm-threads';

export interface Measurement {
  bench: string;
  case: string;
  backend: string;
  ms: number;
  [extra: string]: unknown;
}

const TIME_FIELDS = new Set(['ms', 'min', 'max']);
const round2 = (v: number) => Math.round(v * 100) / 100;

/** Prints one measurement as a JSON line (times rounded to 0.01 ms). */
export function emit(m: Measurement): void {
  const line: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) line[k] = TIME_FIELDS.has(k) && typeof v === 'number' ? round2(v) : v;
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export interface TimeItOptions {
  /** Untimed runs first (JIT, kernel compilation, caches); default 1. */
  warmup?: number;
  /** Timed runs; default 5. */
  repeats?: number;
}

export interface Timing {
  /** Median over the repeats. */
  ms: number;
  min: number;
  max: number;
  repeats: number;
}

export function median(values: number[]): number {
  if (!values.length) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Times `fn` (awaited) `repeats` times after `warmup` untimed runs; returns the median and spread. */
export async function timeIt(fn: () => unknown | Promise<unknown>, options: TimeItOptions = {}): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const repeats = options.repeats ?? 5;
  if (repeats < 1) throw new Error('timeIt needs at least one repeat');
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), repeats };
}

/** `--name value` from a bench's args, or the fallback. */
export function argValue(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/**
 * Starts the backend named by `--backend` (default wasm) on `--threads N` WASM threads (default every
 * core) and returns its name for `emit`.
 */
export async function benchBackend(args: string[]): Promise<string> {
  const threads = args.includes('--threads') ? Number(argValue(args, 'threads', '1')) : undefined;
  const info = await initBackend(argValue(args, 'backend', 'wasm') as BackendName, { threads, wasmThreading: nodeWasmThreading });
  started = info;
  return info.name ?? tf.getBackend();
}

let started: BackendInfo | undefined;
/** What `benchBackend` started (its name, WASM threads). */
export function benchBackendInfo(): BackendInfo | undefined {
  return started;
}

/**
 * VGG19 for the benches: the installed weights (`npx mgan-studio weights`), or the folder named by
 * `--weights DIR`. Missing weights are the service's own error, which says how to install them.
 */
export function benchVgg19Service(args: string[]): Vgg19Service {
  const weightsDir = args.includes('--weights') ? argValue(args, 'weights', '') : undefined;
  return createNodeVgg19Service({ cacheDir: defaultServicesOptions().cacheDir, weightsDir });
}

/** A smooth synthetic RGB image in [0, 1] (gradients and waves): the same input in every run, no files needed. */
export function syntheticPhoto(h: number, w: number): tf.Tensor3D {
  return tf.tidy(() => {
    const y = tf.reshape(tf.linspace(0, 1, h), [h, 1, 1]);
    const x = tf.reshape(tf.linspace(0, 1, w), [1, w, 1]);
    return tf.concat([tf.add(tf.mul(y, 0.8), tf.zeros([h, w, 1])), tf.add(tf.mul(tf.sin(tf.mul(x, 20)), 0.4), tf.add(0.5, tf.zeros([h, w, 1]))), tf.mul(tf.add(tf.cos(tf.mul(tf.add(x, y), 13)), 1), 0.5)], 2) as tf.Tensor3D;
  });
}
