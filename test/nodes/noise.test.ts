import { describe, expect, it } from 'vitest';
import {
  brownNoise,
  effectiveOctaves,
  fft,
  fft2d,
  mulberry32,
  perlinNoise,
  radialPowerSpectrum,
} from '../../src/method/noise/noise';

/** Channel 0 of interleaved [H, W, 3] data. */
const red = (data: Float32Array) => Float64Array.from({ length: data.length / 3 }, (_, i) => data[i * 3]);

function naiveDft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return [outRe, outIm];
}

/** Least-squares slope of log(power) against log(frequency). */
function logLogSlope(freq: number[], power: number[]): number {
  const xs = freq.map(Math.log);
  const ys = power.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

describe('fft', () => {
  it.each([1, 2, 6, 8, 13, 30, 64, 97, 120, 202])('matches a naive DFT for n = %i, and inverts', (n) => {
    const random = mulberry32(n);
    const re = Array.from({ length: n }, () => random() - 0.5);
    const im = Array.from({ length: n }, () => random() - 0.5);
    const [er, ei] = naiveDft(re, im);
    const r = Float64Array.from(re);
    const i = Float64Array.from(im);
    fft(r, i);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(er[k], 9);
      expect(i[k]).toBeCloseTo(ei[k], 9);
    }
    fft(r, i, true);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(re[k], 9);
      expect(i[k]).toBeCloseTo(im[k], 9);
    }
  });

  it('2-D transform of a non-power-of-two image round-trips and puts a plane wave in one bin', () => {
    const w = 12;
    const h = 10;
    const re = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) re[y * w + x] = Math.cos(2 * Math.PI * ((3 * x) / w + (2 * y) / h));
    const orig = re.slice();
    const im = new Float64Array(w * h);
    fft2d(re, im, w, h);
    const mag = (x: number, y: number) => Math.hypot(re[y * w + x], im[y * w + x]);
    expect(mag(3, 2)).toBeCloseTo((w * h) / 2, 6);
    expect(mag(w - 3, h - 2)).toBeCloseTo((w * h) / 2, 6);
    expect(mag(1, 1)).toBeLessThan(1e-6);
    fft2d(re, im, w, h, true);
    for (let i = 0; i < w * h; i++) expect(re[i]).toBeCloseTo(orig[i], 9);
  });
});

describe('perlinNoise', () => {
  const base = { width: 64, height: 48, scale: 16, octaves: 3, seed: 7, color: false };

  it('is in [0, 1], grey when color is off, and deterministic per seed', () => {
    const a = perlinNoise(base);
    expect(a.length).toBe(64 * 48 * 3);
    expect(Math.min(...a)).toBe(0);
    expect(Math.max(...a)).toBe(1);
    for (let i = 0; i < a.length; i += 3) expect(a[i + 1]).toBe(a[i]);
    expect(perlinNoise(base)).toEqual(a);
    const other = perlinNoise({ ...base, seed: 8 });
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - other[i]);
    expect(diff / a.length).toBeGreaterThan(0.05);
  });

  it('colour has three different channels', () => {
    const c = perlinNoise({ ...base, color: true });
    let d01 = 0;
    for (let i = 0; i < c.length; i += 3) d01 += Math.abs(c[i] - c[i + 1]);
    expect(d01 / (c.length / 3)).toBeGreaterThan(0.05);
  });

  it('is smooth: neighbouring pixels differ far less than random pixels do', () => {
    const g = red(perlinNoise({ ...base, octaves: 1, width: 64, height: 64 }));
    let neighbour = 0;
    let far = 0;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 63; x++) {
        neighbour += Math.abs(g[y * 64 + x + 1] - g[y * 64 + x]);
        far += Math.abs(g[((y * 37 + 11) % 64) * 64 + ((x * 23 + 5) % 64)] - g[y * 64 + x]);
      }
    }
    expect(neighbour / far).toBeLessThan(0.2);
    const maxStep = Math.max(...g.slice(1).map((v, i) => (i % 64 === 63 ? 0 : Math.abs(v - g[i]))));
    expect(maxStep).toBeLessThan(0.15);
  });

  it('is band-limited: most power lies below the finest octave frequency, and scale moves it', () => {
    const size = 128;
    const share = (scale: number, octaves: number, cutoff: number) => {
      const g = red(perlinNoise({ width: size, height: size, scale, octaves, seed: 3, color: false }));
      const { frequency, power } = radialPowerSpectrum(g, size, size);
      const total = power.reduce((a, b, i) => a + b * frequency[i], 0); // ∝ energy in a ring of radius f
      const below = power.reduce((a, b, i) => a + (frequency[i] <= cutoff ? b * frequency[i] : 0), 0);
      return below / total;
    };
    // Octaves 32, 16, 8 px: their frequencies are ≤ 1/8 cycles/px; almost nothing beyond 2x that.
    expect(share(32, 3, 2 / 8)).toBeGreaterThan(0.97);
    // A single 32 px octave has nearly everything below 2/32 cycles/px; an 8 px one does not.
    expect(share(32, 1, 2 / 32)).toBeGreaterThan(0.9);
    expect(share(8, 1, 2 / 32)).toBeLessThan(0.5);
  });

  it('drops octaves finer than 2 px (they would alias)', () => {
    expect(effectiveOctaves(16, 8)).toBe(4);
    expect(effectiveOctaves(1, 3)).toBe(1);
    expect(perlinNoise({ ...base, scale: 16, octaves: 4 })).toEqual(perlinNoise({ ...base, scale: 16, octaves: 9 }));
  });

  it('rejects bad sizes', () => {
    expect(() => perlinNoise({ ...base, width: 0 })).toThrow(/width/);
    expect(() => perlinNoise({ ...base, scale: 0 })).toThrow(/scale/);
  });
});

describe('brownNoise', () => {
  it.each([1, 2])('has a power spectrum slope close to -beta (beta = %i), any size', (beta) => {
    for (const [w, h] of [
      [128, 128],
      [96, 80],
    ]) {
      const g = red(brownNoise({ width: w, height: h, beta, seed: 11 }));
      const { frequency, power } = radialPowerSpectrum(g, w, h);
      const slope = logLogSlope(frequency, power);
      expect(slope).toBeGreaterThan(-beta - 0.25);
      expect(slope).toBeLessThan(-beta + 0.25);
    }
  });

  it('colour: every channel (two share one complex FFT) has the slope', () => {
    const [w, h] = [96, 80];
    const data = brownNoise({ width: w, height: h, beta: 2, seed: 3, color: true });
    for (let c = 0; c < 3; c++) {
      const plane = Float64Array.from({ length: w * h }, (_, i) => data[i * 3 + c]);
      const { frequency, power } = radialPowerSpectrum(plane, w, h);
      expect(Math.abs(logLogSlope(frequency, power) + 2), `channel ${c}`).toBeLessThan(0.25);
    }
  });

  it('beta 0 is white (flat spectrum)', () => {
    const g = red(brownNoise({ width: 64, height: 64, beta: 0, seed: 2 }));
    const { frequency, power } = radialPowerSpectrum(g, 64, 64);
    expect(Math.abs(logLogSlope(frequency, power))).toBeLessThan(0.25);
  });

  it('is in [0, 1] and deterministic per seed; colour channels differ', () => {
    const opts = { width: 40, height: 30, beta: 2, seed: 5 };
    const a = brownNoise(opts);
    expect(Math.min(...a)).toBe(0);
    expect(Math.max(...a)).toBe(1);
    expect(brownNoise(opts)).toEqual(a);
    const b = brownNoise({ ...opts, seed: 6 });
    expect(b).not.toEqual(a);
    const c = brownNoise({ ...opts, color: true });
    let d = 0;
    for (let i = 0; i < c.length; i += 3) d += Math.abs(c[i] - c[i + 2]);
    expect(d / (c.length / 3)).toBeGreaterThan(0.05);
  });
});
