/**
 * What a decoder's channels have learned (the paper's Fig. 7): G decodes a relu4_1 input in which one
 * channel is active and all others are zero. The active channel fills a small square field of cells
 * at a strength taken from a photo (that channel's strong activations there) or given, so each
 * picture is the pattern G paints for that one feature on its own.
 */
import * as tf from '@tensorflow/tfjs';
import { GENERATOR_INPUT_CHANNELS, GENERATOR_INPUT_LAYER, GENERATOR_SCALE, type MganGenerator } from './generator';

/** Cells decoded around the field and cut off. */
export const PROBE_MARGIN = 2;
import type { Vgg19 } from '../vgg/vgg19';

/** Per channel of a photo's relu4_1: its strongest activation there (0 where it never fires). */
export function channelStrengths(vgg: Vgg19, photo: tf.Tensor3D): Float32Array {
  return tf.tidy(() => {
    const f = vgg.features(tf.expandDims(photo, 0) as tf.Tensor4D, [GENERATOR_INPUT_LAYER])[GENERATOR_INPUT_LAYER];
    return tf.max(tf.reshape(f, [-1, f.shape[3]]), 0).dataSync() as Float32Array;
  });
}

/** The `count` channels with the largest strengths, strongest first. */
export function strongestChannels(strengths: ArrayLike<number>, count: number): number[] {
  return Array.from(strengths, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, count)
    .map(([, i]) => i);
}

/** Where the channel is active: every cell of the field, or its centre cell only. */
export const PROBE_FIELDS = ['fill', 'point'] as const;
export type ProbeField = (typeof PROBE_FIELDS)[number];

/**
 * G's decode of a `cells`×`cells` relu4_1 field that is `strength` in `channel` (at every cell, or at
 * the centre one) and 0 elsewhere,
 * [8·cells, 8·cells, 3] in [0, 1]. Running statistics ('fixed'): the field is constant, so batch
 * statistics would normalise it away.
 */
export function decodeChannel(generator: MganGenerator, channel: number, strength: number, cells: number, field: ProbeField = 'point'): tf.Tensor3D {
  if (!Number.isInteger(channel) || channel < 0 || channel >= GENERATOR_INPUT_CHANNELS) {
    throw new Error(`channel ${channel} is not a relu4_1 channel (0 … ${GENERATOR_INPUT_CHANNELS - 1})`);
  }
  // The field is decoded with a margin of PROBE_MARGIN cells that is cut off again: G's zero padding
  // paints a frame along the border that would otherwise dominate small tiles.
  const side = cells + 2 * PROBE_MARGIN;
  return tf.tidy(() => {
    const oneHot = tf.mul(tf.oneHot([channel], GENERATOR_INPUT_CHANNELS), strength);
    const cell = tf.reshape(oneHot, [1, 1, 1, GENERATOR_INPUT_CHANNELS]);
    const centre = Math.floor(side / 2);
    const input = (field === 'fill' ? tf.tile(cell, [1, side, side, 1]) : tf.pad(cell, [[0, 0], [centre, side - centre - 1], [centre, side - centre - 1], [0, 0]])) as tf.Tensor4D;
    const out = tf.squeeze(generator.forward(input, { normalization: 'fixed' }), [0]) as tf.Tensor3D;
    const m = PROBE_MARGIN * GENERATOR_SCALE;
    return tf.slice(out, [m, m, 0], [cells * GENERATOR_SCALE, cells * GENERATOR_SCALE, 3]);
  });
}
