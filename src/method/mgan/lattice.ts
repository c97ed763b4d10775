/**
 * How much of an image's fine detail is a fixed 4-pixel lattice: the checker that three stride-2
 * transposed convolutions stamp on a decode when their output phases respond differently
 * (docs/decoders.md, "The lattice measure").
 *
 * The grey image's detail is what a 4x4 box blur removes (image minus its 4x4 mean): a pattern that
 * repeats every 4 px and averages to zero over a period is all detail, a smooth image has almost none.
 * The detail is split into the 16 classes of (y mod 4, x mod 4); the lattice energy is the part of the
 * detail's energy explained by the class means, i.e. the energy at the 4-px period and its harmonics
 * (the 2-px checker included). 1 = a pure lattice, ~16 / pixels for noise, near 0 for photos.
 */
import * as tf from '@tensorflow/tfjs';

export const LATTICE_PERIOD = 4;

/** Lattice energy in [0, 1] of an image [H, W, 3] (or [H, W, 1]) in [0, 1]; both sides at least 2 periods. */
export async function latticeEnergy(image: tf.Tensor3D): Promise<number> {
  const [h, w] = image.shape;
  const p = LATTICE_PERIOD;
  if (h < 2 * p || w < 2 * p) throw new Error(`latticeEnergy: image ${w}x${h} is smaller than ${2 * p}x${2 * p}`);
  const detail = tf.tidy(() => {
    const grey = image.shape[2] === 1 ? image : tf.mean(image, 2, true);
    const x = tf.expandDims(grey, 0) as tf.Tensor4D;
    // 'valid' 4x4 mean: output (i, j) averages rows i..i+3, columns j..j+3; compared with the pixel at (i + 2, j + 2).
    const blurred = tf.avgPool(x, p, 1, 'valid');
    const [, bh, bw] = blurred.shape;
    const centre = tf.slice(x, [0, p / 2, p / 2, 0], [1, bh, bw, 1]);
    return tf.squeeze(tf.sub(centre, blurred), [0, 3]) as tf.Tensor2D;
  });
  const [dh, dw] = detail.shape;
  const values = await detail.data();
  detail.dispose();
  // Classes by the pixel's own (y mod 4, x mod 4): the detail map starts at pixel (2, 2).
  const sum = new Float64Array(p * p);
  const count = new Float64Array(p * p);
  let total = 0;
  for (let i = 0; i < dh; i++) {
    for (let j = 0; j < dw; j++) {
      const v = values[i * dw + j];
      const c = ((i + p / 2) % p) * p + ((j + p / 2) % p);
      sum[c] += v;
      count[c]++;
      total += v * v;
    }
  }
  if (total < 1e-12) return 0;
  let explained = 0;
  for (let c = 0; c < p * p; c++) if (count[c]) explained += (sum[c] * sum[c]) / count[c];
  return explained / total;
}
