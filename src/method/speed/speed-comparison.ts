/**
 * The speed comparison of the paper's Fig. 15, measured on this machine: seconds per image for MDAN,
 * Gram-matrix optimisation (Gatys et al.) and MGAN decoding at several image sizes. The optimisers
 * are timed for a few iterations and extrapolated to the iterations an image takes (their setup
 * counted once); the decoder is timed whole, after a warm-up decode at the same size.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeImage } from '../image/image-tensor';
import { runGram, type GramOptions } from '../gram/gram';
import { runMdan, type MdanOptions } from '../mdan/mdan';
import type { MganDecoder } from '../mgan/decoder';
import type { Vgg19 } from '../vgg/vgg19';

export type SpeedMethod = 'mdan' | 'gram' | 'mgan';

/**
 * The paper's figures, seconds per image by side in px. MGAN: stated (10 ms at 256², 40 ms at 512²,
 * 160 ms at 1024², on a 2016 GPU). Gram and MDAN: derived from the stated speed-ups (MGAN is ~500×
 * faster than Gatys et al. and ~25,000× faster than MDAN).
 */
export const PAPER_SECONDS: Record<SpeedMethod, Record<number, number>> = {
  mgan: { 256: 0.01, 512: 0.04, 1024: 0.16 },
  gram: { 256: 5, 512: 20, 1024: 80 },
  mdan: { 256: 250, 512: 1000, 1024: 4000 },
};

export interface SpeedSettings {
  /** Image sides to time, px (square images). */
  sizes: number[];
  /** Iterations actually run per optimiser and size (at least 2: the first carries the setup). */
  timedIterations: number;
  /** Iterations an image takes, to extrapolate to (paper: ~125 for MDAN; Gatys et al. ~500). */
  mdanIterations: number;
  gramIterations: number;
  /** Timed decodes per size (the median is kept). */
  decodeRepeats: number;
  /** MDAN's and Gram's settings besides size and iterations. */
  mdan: Partial<MdanOptions>;
  gram: Partial<GramOptions>;
}

export interface SpeedRow {
  size: number;
  /** Seconds per image, by method (MDAN and Gram extrapolated). */
  seconds: Record<SpeedMethod, number>;
  /** Seconds per optimiser iteration, as measured. */
  perIteration: { mdan: number; gram: number };
}

export interface SpeedHooks {
  signal?: AbortSignal;
  checkpoint?: () => Promise<void>;
  onStage?(message: string, done: number, total: number): void;
  /** Every row as it is measured. */
  onRow?(row: SpeedRow): void;
}

/** Setup and per-iteration seconds from the time each iteration ended. */
export function extrapolate(started: number, ends: number[], iterations: number): { perIteration: number; perImage: number } {
  if (ends.length < 2) throw new Error('timing needs at least 2 iterations');
  const perIteration = (ends[ends.length - 1] - ends[0]) / (ends.length - 1);
  const setup = Math.max(0, ends[0] - started - perIteration);
  return { perIteration, perImage: setup + perIteration * iterations };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const seconds = () => performance.now() / 1000;

export async function measureSpeeds(
  vgg: Vgg19,
  decoder: MganDecoder,
  texture: tf.Tensor3D,
  photo: tf.Tensor3D,
  s: SpeedSettings,
  hooks: SpeedHooks = {},
): Promise<SpeedRow[]> {
  if (!Number.isInteger(s.timedIterations) || s.timedIterations < 2) throw new Error(`timedIterations must be at least 2, got ${s.timedIterations}`);
  const rows: SpeedRow[] = [];
  const total = s.sizes.length * 3;
  let done = 0;
  const stage = (m: string) => hooks.onStage?.(m, done++, total);
  for (const size of s.sizes) {
    const square = resizeImage(photo, size, size);
    try {
      const common = { signal: hooks.signal, checkpoint: hooks.checkpoint, content: square };
      stage(`MDAN at ${size} px`);
      let ends: number[] = [];
      let started = seconds();
      const m = await runMdan(vgg, texture, { ...s.mdan, size, iterations: s.timedIterations }, { ...common, readEvery: 1, onIteration: () => void ends.push(seconds()) });
      tf.dispose(m.image);
      m.discriminator.dispose();
      const mdan = extrapolate(started, ends, s.mdanIterations);

      stage(`Gram optimisation at ${size} px`);
      ends = [];
      started = seconds();
      const g = await runGram(vgg, texture, { ...s.gram, size, iterations: s.timedIterations }, { ...common, onIteration: () => void ends.push(seconds()) });
      g.image.dispose();
      const gram = extrapolate(started, ends, s.gramIterations);

      stage(`MGAN decoding at ${size} px`);
      const times: number[] = [];
      for (let r = 0; r <= s.decodeRepeats; r++) {
        await hooks.checkpoint?.();
        const t0 = seconds();
        const out = await decoder.decode(square, { signal: hooks.signal });
        await out.data();
        out.dispose();
        // The first decode at a size warms up (kernels, buffers) and is not counted.
        if (r > 0) times.push(seconds() - t0);
      }
      const row: SpeedRow = { size, seconds: { mdan: mdan.perImage, gram: gram.perImage, mgan: median(times) }, perIteration: { mdan: mdan.perIteration, gram: gram.perIteration } };
      rows.push(row);
      hooks.onRow?.(row);
    } finally {
      square.dispose();
    }
  }
  return rows;
}

/** A duration for an axis or a table: "12 ms", "3.4 s", "25 min", "2.1 h". */
export function formatSeconds(v: number): string {
  if (v < 1) return `${Number((v * 1000).toPrecision(2))} ms`;
  if (v < 120) return `${Number(v.toPrecision(2))} s`;
  if (v < 7200) return `${Number((v / 60).toPrecision(2))} min`;
  return `${Number((v / 3600).toPrecision(2))} h`;
}
