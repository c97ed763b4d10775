/**
 * Low-frequency noise added to a decoder's input (the paper's remedy for aliasing in flat
 * regions; decoding noise alone gives unguided textures, Fig. 13). Perlin fBm from noise.ts (the
 * perlin-noise node's generator), grey, blobs about 1/4 of the longest side, zero-mean in [-1, 1].
 * Seeded and generated for the whole image, so tiles agree.
 */
import * as tf from '@tensorflow/tfjs';
import { perlinNoise } from '../noise/noise';

const SCALE_FRACTION = 0.25;
const OCTAVES = 3;

export function lowFrequencyNoise(height: number, width: number, seed = 0): tf.Tensor3D {
  const pixels = perlinNoise({ width, height, scale: Math.max(4, Math.max(width, height) * SCALE_FRACTION), octaves: OCTAVES, seed, color: false });
  return tf.tidy(() => tf.sub(tf.mul(tf.tensor3d(pixels, [height, width, 3]), 2), 1) as tf.Tensor3D);
}
