/**
 * Seeded noise images, in plain TypeScript (no tfjs: the FFT kernels are missing on WASM), so the
 * same seed gives the same pixels on every backend and platform.
 *
 * - Perlin gradient noise summed over octaves (fBm): smooth and band-limited, the low-frequency
 *   noise the paper adds to photos before MGAN decoding and decodes alone for unguided textures.
 * - Brown (1/f^beta) noise: white noise shaped in the Fourier domain so its power spectrum falls as
 *   f^-beta (beta 0 white, 1 pink, 2 brown/red).
 *
 * Both return interleaved float32 [H, W, 3] data in [0, 1] (min-max normalised over all channels).
 */

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed, so (seed, channel, octave) streams are independent. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// FFT of any length: iterative radix-2 for powers of two, Bluestein's chirp-z for the rest.

interface FftPlan {
  /** In place; forward uses exp(-2πi kn/N); inverse is scaled by 1/N. */
  transform(re: Float64Array, im: Float64Array, inverse: boolean): void;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

function radix2Plan(n: number): FftPlan {
  const levels = Math.log2(n);
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, x = i; b < levels; b++, x >>= 1) r = (r << 1) | (x & 1);
    rev[i] = r;
  }
  return {
    transform(re, im, inverse) {
      for (let i = 0; i < n; i++) {
        const j = rev[i];
        if (j > i) {
          let t = re[i];
          re[i] = re[j];
          re[j] = t;
          t = im[i];
          im[i] = im[j];
          im[j] = t;
        }
      }
      const sign = inverse ? 1 : -1;
      for (let size = 2; size <= n; size *= 2) {
        const half = size / 2;
        const step = n / size;
        for (let start = 0; start < n; start += size) {
          for (let k = 0; k < half; k++) {
            const wr = cos[k * step];
            const wi = sign * sin[k * step];
            const a = start + k;
            const b = a + half;
            const xr = re[b] * wr - im[b] * wi;
            const xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
        }
      }
      if (inverse) {
        for (let i = 0; i < n; i++) {
          re[i] /= n;
          im[i] /= n;
        }
      }
    },
  };
}

function bluesteinPlan(n: number): FftPlan {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = radix2Plan(m);
  // Chirp w_k = exp(-iπ k²/n); k² is reduced mod 2n so large k keep their precision.
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(angle);
    wi[k] = -Math.sin(angle);
  }
  // FFT of the conjugate chirp, laid out circularly (b_k = b_{m-k}).
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0];
  bi[0] = -wi[0];
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k];
    bi[k] = bi[m - k] = -wi[k];
  }
  inner.transform(br, bi, false);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return {
    transform(re, im, inverse) {
      // The inverse is conj(FFT(conj(x))) / n.
      const s = inverse ? -1 : 1;
      ar.fill(0);
      ai.fill(0);
      for (let k = 0; k < n; k++) {
        const xr = re[k];
        const xi = s * im[k];
        ar[k] = xr * wr[k] - xi * wi[k];
        ai[k] = xr * wi[k] + xi * wr[k];
      }
      inner.transform(ar, ai, false);
      for (let k = 0; k < m; k++) {
        const r = ar[k] * br[k] - ai[k] * bi[k];
        ai[k] = ar[k] * bi[k] + ai[k] * br[k];
        ar[k] = r;
      }
      inner.transform(ar, ai, true);
      const scale = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        const yr = ar[k] * wr[k] - ai[k] * wi[k];
        const yi = ar[k] * wi[k] + ai[k] * wr[k];
        re[k] = yr * scale;
        im[k] = s * yi * scale;
      }
    },
  };
}

const plans = new Map<number, FftPlan>();
function fftPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (!plan) {
    // Bluestein costs two radix-2 FFTs of ≥ 2n; a generic mixed-radix version measured no faster.
    plan = isPowerOfTwo(n) ? radix2Plan(n) : bluesteinPlan(n);
    plans.set(n, plan);
  }
  return plan;
}

/** In-place 1-D DFT of any length n ≥ 1 (inverse scaled by 1/n). */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  if (re.length !== im.length) throw new Error('fft: re and im differ in length');
  if (re.length > 1) fftPlan(re.length).transform(re, im, inverse);
}

/** In-place 2-D DFT of a row-major height x width complex array (inverse scaled by 1/(w·h)). */
export function fft2d(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  const rowRe = new Float64Array(width);
  const rowIm = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    rowRe.set(re.subarray(y * width, (y + 1) * width));
    rowIm.set(im.subarray(y * width, (y + 1) * width));
    fft(rowRe, rowIm, inverse);
    re.set(rowRe, y * width);
    im.set(rowIm, y * width);
  }
  const colRe = new Float64Array(height);
  const colIm = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      colRe[y] = re[y * width + x];
      colIm[y] = im[y * width + x];
    }
    fft(colRe, colIm, inverse);
    for (let y = 0; y < height; y++) {
      re[y * width + x] = colRe[y];
      im[y * width + x] = colIm[y];
    }
  }
}

/** Signed frequency (cycles per pixel) of DFT bin k of n: 0, 1/n, ..., then negatives. */
export const binFrequency = (k: number, n: number): number => (k <= n / 2 ? k : k - n) / n;

// ---------------------------------------------------------------------------------------------
// Shared output handling

function checkSize(width: number, height: number): void {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 8192) throw new RangeError(`${name} must be an integer in 1..8192, got ${v}`);
  }
}

/** Min-max normalises planar channels into interleaved [H, W, 3] data in [0, 1] (grey: one plane copied). */
function interleaveNormalised(planes: Float64Array[], pixels: number): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of planes) {
    for (let i = 0; i < pixels; i++) {
      if (p[i] < lo) lo = p[i];
      if (p[i] > hi) hi = p[i];
    }
  }
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const out = new Float32Array(pixels * 3);
  for (let c = 0; c < 3; c++) {
    const p = planes[planes.length === 3 ? c : 0];
    for (let i = 0; i < pixels; i++) out[i * 3 + c] = scale ? (p[i] - lo) * scale : 0.5;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Perlin noise

export interface PerlinOptions {
  width: number;
  height: number;
  /** Size in pixels of the coarsest octave's lattice cell: the size of the biggest blobs. */
  scale: number;
  /** Octaves summed (fBm); each halves the cell size and the amplitude. */
  octaves: number;
  seed: number;
  /** Three independent channels instead of one grey one. */
  color: boolean;
  /** Amplitude ratio between successive octaves (0.5 = classic fBm). */
  persistence?: number;
}

/** Quintic fade 6t⁵ − 15t⁴ + 10t³: zero first and second derivatives at lattice points (smooth). */
const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);

/** One octave of gradient noise with cells of `cell` pixels, added into `acc` times `amp`. */
function addPerlinOctave(acc: Float64Array, width: number, height: number, cell: number, amp: number, seed: number): void {
  const random = mulberry32(seed);
  const perm = new Uint8Array(512);
  for (let i = 0; i < 256; i++) perm[i] = i;
  for (let i = 255; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  for (let i = 0; i < 256; i++) perm[256 + i] = perm[i];
  const gx = new Float64Array(256);
  const gy = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const a = random() * 2 * Math.PI;
    gx[i] = Math.cos(a);
    gy[i] = Math.sin(a);
  }
  // A random sub-cell offset, so octaves' lattices do not line up at the origin.
  const ox = random() * 256 * cell;
  const oy = random() * 256 * cell;
  for (let y = 0; y < height; y++) {
    const fy = (y + 0.5 + oy) / cell;
    const iy = Math.floor(fy);
    const ty = fy - iy;
    const v = fade(ty);
    const y0 = iy & 255;
    const y1 = (iy + 1) & 255;
    for (let x = 0; x < width; x++) {
      const fx = (x + 0.5 + ox) / cell;
      const ix = Math.floor(fx);
      const tx = fx - ix;
      const u = fade(tx);
      const px0 = perm[ix & 255];
      const px1 = perm[(ix + 1) & 255];
      const g00 = perm[px0 + y0];
      const g10 = perm[px1 + y0];
      const g01 = perm[px0 + y1];
      const g11 = perm[px1 + y1];
      const n00 = gx[g00] * tx + gy[g00] * ty;
      const n10 = gx[g10] * (tx - 1) + gy[g10] * ty;
      const n01 = gx[g01] * tx + gy[g01] * (ty - 1);
      const n11 = gx[g11] * (tx - 1) + gy[g11] * (ty - 1);
      const nx0 = n00 + u * (n10 - n00);
      const nx1 = n01 + u * (n11 - n01);
      acc[y * width + x] += amp * (nx0 + v * (nx1 - nx0));
    }
  }
}

/** The smallest lattice cell Perlin uses, in pixels: finer octaves would alias, so they are skipped. */
export const MIN_PERLIN_CELL = 2;

/** How many of `octaves` are actually summed for `scale` (octaves with cells under 2 px are dropped). */
export function effectiveOctaves(scale: number, octaves: number): number {
  let n = 0;
  for (let o = 0; o < octaves && scale / 2 ** o >= MIN_PERLIN_CELL; o++) n++;
  return Math.max(1, n);
}

/** Perlin fBm noise, interleaved float32 [H, W, 3] in [0, 1]. */
export function perlinNoise(options: PerlinOptions): Float32Array {
  const { width, height, scale, seed, color } = options;
  checkSize(width, height);
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const octaves = effectiveOctaves(scale, Math.max(1, Math.floor(options.octaves)));
  const persistence = options.persistence ?? 0.5;
  const planes: Float64Array[] = [];
  for (let c = 0; c < (color ? 3 : 1); c++) {
    const acc = new Float64Array(width * height);
    for (let o = 0; o < octaves; o++) {
      addPerlinOctave(acc, width, height, scale / 2 ** o, persistence ** o, mixSeed(seed, c, o, 0x9e71));
    }
    planes.push(acc);
  }
  return interleaveNormalised(planes, width * height);
}

// ---------------------------------------------------------------------------------------------
// 1/f^beta noise

export interface BrownOptions {
  width: number;
  height: number;
  /** Spectral exponent: power ∝ 1/f^beta (0 white, 1 pink, 2 brown). */
  beta: number;
  seed: number;
  color?: boolean;
}

/** Standard normal samples (Box-Muller) from a seeded stream. */
function gaussianPlane(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - random(); // (0, 1]: log stays finite
    const u2 = random();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * 1/f^beta noise: white Gaussian noise, 2-D FFT, amplitudes scaled by f^(-beta/2) (so power goes
 * as f^-beta; the mean is removed), inverse FFT. Periodic (tiles seamlessly). [H, W, 3] in [0, 1].
 */
export function brownNoise(options: BrownOptions): Float32Array {
  const { width, height, beta, seed } = options;
  checkSize(width, height);
  if (!Number.isFinite(beta)) throw new RangeError(`beta must be a number, got ${beta}`);
  const n = width * height;
  // The filter depends only on |f|, so it is the same for every channel: compute it once.
  const gain = new Float64Array(n);
  for (let y = 0; y < height; y++) {
    const fy = binFrequency(y, height);
    for (let x = 0; x < width; x++) {
      const fx = binFrequency(x, width);
      const f2 = fx * fx + fy * fy;
      gain[y * width + x] = f2 > 0 ? f2 ** (-beta / 4) : 0;
    }
  }
  const channels = options.color ? 3 : 1;
  const planes: Float64Array[] = [];
  // Two real channels go through one complex transform (one as the real part, one as the
  // imaginary): the gain is real and symmetric in ±f, so filtering keeps each part separate.
  for (let c = 0; c < channels; c += 2) {
    const re = gaussianPlane(n, mixSeed(seed, c, 0xb4));
    const im = c + 1 < channels ? gaussianPlane(n, mixSeed(seed, c + 1, 0xb4)) : new Float64Array(n);
    fft2d(re, im, width, height);
    for (let i = 0; i < n; i++) {
      re[i] *= gain[i];
      im[i] *= gain[i];
    }
    fft2d(re, im, width, height, true);
    planes.push(re);
    if (c + 1 < channels) planes.push(im);
  }
  return interleaveNormalised(planes, n);
}

/**
 * Radially averaged power spectrum of a grey height x width image (mean removed): for each integer
 * radius r (in bins of the shorter side, 1..min(w,h)/2) the mean |F|² at |f| ≈ r / min(w, h).
 * Used to check the noise (and for teaching views).
 */
export function radialPowerSpectrum(
  grey: ArrayLike<number>,
  width: number,
  height: number,
): { frequency: number[]; power: number[] } {
  const n = width * height;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += grey[i];
  mean /= n;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = grey[i] - mean;
  fft2d(re, im, width, height);
  const side = Math.min(width, height);
  const bins = Math.floor(side / 2);
  const sum = new Float64Array(bins + 1);
  const count = new Float64Array(bins + 1);
  for (let y = 0; y < height; y++) {
    const fy = binFrequency(y, height);
    for (let x = 0; x < width; x++) {
      const fx = binFrequency(x, width);
      const r = Math.round(Math.hypot(fx, fy) * side);
      if (r < 1 || r > bins) continue;
      const i = y * width + x;
      sum[r] += re[i] * re[i] + im[i] * im[i];
      count[r]++;
    }
  }
  const frequency: number[] = [];
  const power: number[] = [];
  for (let r = 1; r <= bins; r++) {
    if (!count[r]) continue;
    frequency.push(r / side);
    power.push(sum[r] / count[r]);
  }
  return { frequency, power };
}
