/**
 * Fast stride-2 4x4 transposed convolution ('same' padding, output 2H x 2W).
 *
 * Why: on the WASM backend `tf.conv2dTranspose` runs at ~1.6 GFLOP/s while plain `conv2d` runs at
 * ~11 GFLOP/s (measured; docs/benchmarks.md). A stride-2 4x4 transposed conv is four independent 2x2 convolutions,
 * one per output parity (py, px), interleaved. We run those four as ONE 2x2 'valid' conv with 4x the
 * output channels over the input padded by one pixel, cut each phase's channel group at its own
 * (py, px) offset, and interleave the phases into the 2x larger image.
 *
 * Derivation (1-D, TF's 'same' padding puts 1 pixel before): y[o] += x[i] * w[k] for o = 2i + k - 1.
 * With xp = x padded by 1 on each side:
 *   y[2m]   = xp[m] * w[3] + xp[m+1] * w[1]     (phase 0, window starts at m)
 *   y[2m+1] = xp[m+1] * w[2] + xp[m+2] * w[0]   (phase 1, window starts at m+1)
 * Reversing w gives wr = [w3, w2, w1, w0], so tap a of phase p is wr[2a + p]: one reshape/transpose
 * turns the transposed-conv filter into the fused 2x2 kernel.
 *
 * Everything here has gradients on every backend; the interleave is a kernel of its own on WASM and
 * CPU (kernels/phase-interleave.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { interleavePhases } from '../kernels/phase-interleave';

/**
 * Rearranges a `tf.conv2dTranspose` filter [4, 4, outC, inC] into the fused phase kernel
 * [2, 2, inC, 4 * outC], channel index (py * 2 + px) * outC + o.
 */
export function phaseKernel(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, outC, inC] = filter.shape;
  if (kh !== 4 || kw !== 4) throw new Error(`phaseKernel: expected a 4x4 filter, got ${kh}x${kw}`);
  return tf.tidy(() => {
    const reversed = tf.reverse(filter, [0, 1]);
    // [a, py, b, px, out, in] -> [a, b, in, py, px, out]
    const split = tf.reshape(reversed, [2, 2, 2, 2, outC, inC]);
    const ordered = tf.transpose(split, [0, 2, 5, 1, 3, 4]);
    return tf.reshape(ordered, [2, 2, inC, 4 * outC]) as tf.Tensor4D;
  });
}

/**
 * An initial transposed-conv filter [4, 4, outC, inC] that upsamples bilinearly: a random channel mix
 * `mix` [outC, inC] (normal, `std`) weighted per tap by the separable bilinear kernel [1, 3, 3, 1] / 4,
 * plus a little independent noise (`std` / 10) so the taps can diverge. Why: with independent random
 * taps the four output phases of every stride-2 layer differ, and three such layers stamp a visible
 * 8 px checkerboard that a short training never removes; bilinear taps start G smooth ("bilinear
 * initialisation" of deconvolutions, as in FCN; cf. ICNR, Aitken et al. 2017).
 */
export function bilinearDeconvFilter(inC: number, outC: number, std: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const taps = tf.tensor1d([0.25, 0.75, 0.75, 0.25]);
    const spatial = tf.reshape(tf.outerProduct(taps, taps), [4, 4, 1, 1]);
    const mix = tf.reshape(tf.randomNormal([outC, inC], 0, std, 'float32', seed), [1, 1, outC, inC]);
    const noise = tf.randomNormal([4, 4, outC, inC], 0, std / 10, 'float32', seed + 1);
    return tf.add(tf.mul(spatial, mix), noise) as tf.Tensor4D;
  });
}

/**
 * Projects a phase kernel [2, 2, inC, 4 * outC] onto the kernels whose four phases have equal tap sums
 * (per input/output channel pair): subtracts from each phase a quarter of its sum's excess over the
 * mean of the four sums (the orthogonal projection). Why: the tap sum is a phase's response to a flat
 * input, so unequal sums stamp a fixed 2 px pattern on every flat region, and three stride-2 layers
 * compound it into the 8 px grid / diagonal hatching an adversarially trained G grows early on
 * (measured). Equal sums keep every phase's response to flat input the same (as nearest-neighbour
 * upsampling + conv, "resize-convolution", Odena et al. 2016, which is a subset of these kernels)
 * and leave 13 of the 16 taps per channel pair free.
 */
export function equalPhaseSums(kernel: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, inC, c4] = kernel.shape;
  if (kh !== 2 || kw !== 2 || c4 % 4 !== 0) throw new Error(`equalPhaseSums: expected a [2, 2, in, 4*out] phase kernel, got [${kernel.shape}]`);
  return tf.tidy(() => {
    const phases = tf.reshape(kernel, [2, 2, inC, 4, c4 / 4]);
    const sums = tf.sum(phases, [0, 1], true); // [1, 1, in, 4, out]
    const excess = tf.sub(sums, tf.mean(sums, 3, true));
    return tf.reshape(tf.sub(phases, tf.div(excess, 4)), [2, 2, inC, c4]) as tf.Tensor4D;
  });
}

/**
 * The fused phase kernel [2, 2, inC, 4 * outC] of a resize-convolution: nearest-neighbour 2x upsampling
 * followed by a 3x3 'same' convolution with kernel [3, 3, inC, outC] (Odena et al. 2016). Along one
 * axis, output 2m sees the upsampled pixels 2m-1, 2m, 2m+1 = x[m-1], x[m], x[m], so its phase taps
 * over (x[m-1], x[m]) are (k0, k1 + k2); output 2m+1 sees x[m], x[m], x[m+1]: taps (k0 + k1, k2) over
 * (x[m], x[m+1]). Those are exactly the phase windows of deconvFromPhases, so a resize-convolution
 * runs on the same fast path. Both phases of every axis sum to k0 + k1 + k2: a flat input always
 * decodes flat, whatever the weights, so this upsampling cannot stamp a lattice on flat regions.
 * Differentiable (sums of the kernel's taps), so G can keep the 3x3 kernel as its weight.
 */
export function resizeConvPhases(kernel: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, inC, outC] = kernel.shape;
  if (kh !== 3 || kw !== 3) throw new Error(`resizeConvPhases: expected a 3x3 kernel, got ${kh}x${kw}`);
  return tf.tidy(() => {
    // Per phase p, the 2x3 matrix taking the three taps to the phase's two window taps.
    const tapSums = [tf.tensor2d([[1, 0, 0], [0, 1, 1]]), tf.tensor2d([[1, 1, 0], [0, 0, 1]])];
    const rows = tf.reshape(kernel, [3, 3 * inC * outC]);
    const phases: tf.Tensor4D[] = [];
    for (let py = 0; py < 2; py++) {
      const alongY = tf.reshape(tf.matMul(tapSums[py], rows), [2, 3, inC, outC]); // [ay, kx, in, out]
      const cols = tf.reshape(tf.transpose(alongY, [1, 0, 2, 3]), [3, 2 * inC * outC]);
      for (let px = 0; px < 2; px++) {
        const both = tf.reshape(tf.matMul(tapSums[px], cols), [2, 2, inC, outC]); // [ax, ay, in, out]
        phases.push(tf.transpose(both, [1, 0, 2, 3]) as tf.Tensor4D);
      }
    }
    // Channel (py * 2 + px) * outC + o, as phaseKernel lays them out.
    return tf.concat(phases, 3) as tf.Tensor4D;
  });
}

/**
 * An initial resize-convolution kernel [3, 3, inC, outC]: a random channel mix (normal, `std`) weighted
 * per tap by [1, 2, 1] / 4 in each axis (taps summing to 1, so G starts as a smooth upsampler), plus
 * a little independent noise (`std` / 10) so the taps can diverge.
 */
export function smoothResizeKernel(inC: number, outC: number, std: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const taps = tf.tensor1d([0.25, 0.5, 0.25]);
    const spatial = tf.reshape(tf.outerProduct(taps, taps), [3, 3, 1, 1]);
    const mix = tf.reshape(tf.randomNormal([inC, outC], 0, std, 'float32', seed), [1, 1, inC, outC]);
    const noise = tf.randomNormal([3, 3, inC, outC], 0, std / 10, 'float32', seed + 1);
    return tf.add(tf.mul(spatial, mix), noise) as tf.Tensor4D;
  });
}

export interface Deconv4x4Options {
  /** Use plain `tf.conv2dTranspose` instead (the slow reference). */
  plain?: boolean;
}

/**
 * The transposed conv from a fused phase kernel [2, 2, inC, 4 * outC] (see `phaseKernel`): x [B, H, W, inC]
 * -> [B, 2H, 2W, outC]. The generator keeps its weights in this form, so training and inference never
 * pay for the rearrangement (a 6-D transpose of the filter costs ~0.8 s on WASM for 4x4x256x512).
 */
export function deconvFromPhases(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const padded = tf.pad(x, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const windows = tf.conv2d(padded, kernel, 1, 'valid'); // [B, H+1, W+1, 4 outC]
    return interleavePhases(windows);
  });
}

/**
 * Same result as `tf.conv2dTranspose(x, filter, [B, 2H, 2W, outC], 2, 'same')` for a [4, 4, outC, inC]
 * filter. `plain` runs tf.conv2dTranspose itself (for comparison in benches).
 */
export function deconv4x4s2(x: tf.Tensor4D, filter: tf.Tensor4D, options: Deconv4x4Options = {}): tf.Tensor4D {
  const [b, h, w] = x.shape;
  if (options.plain) return tf.conv2dTranspose(x, filter, [b, 2 * h, 2 * w, filter.shape[2]], 2, 'same');
  return tf.tidy(() => deconvFromPhases(x, phaseKernel(filter)));
}
