/**
 * Low-frequency noise added to a decoder's input (METHOD.md, "Inference": fights aliasing in flat
 * regions; decoding noise alone gives unguided textures, Fig. 13). Seeded: same seed, same pixels,
 * whatever the tiling. Octaves of smooth value noise (random grids upsampled bilinearly), zero-mean,
 * roughly in [-1, 1], the same in all three channels.
 */
import * as tf from '@tensorflow/tfjs';

/** Cells of the coarsest octave along the longest side. */
const BASE_CELLS = 4;
const OCTAVES = 3;

export function lowFrequencyNoise(height: number, width: number, seed = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const longest = Math.max(height, width);
    let sum: tf.Tensor3D = tf.zeros([height, width, 1]);
    let amplitude = 1;
    let total = 0;
    for (let o = 0; o < OCTAVES; o++) {
      const cells = BASE_CELLS * 2 ** o;
      const gh = Math.max(2, Math.round((cells * height) / longest) + 1);
      const gw = Math.max(2, Math.round((cells * width) / longest) + 1);
      const grid = tf.randomUniform([gh, gw, 1], -1, 1, 'float32', seed * 7919 + o);
      sum = tf.add(sum, tf.mul(tf.image.resizeBilinear(grid as tf.Tensor3D, [height, width], true), amplitude));
      total += amplitude;
      amplitude /= 2;
    }
    return tf.tile(tf.div(sum, total), [1, 1, 3]) as tf.Tensor3D;
  });
}
