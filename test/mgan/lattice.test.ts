import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { latticeEnergy } from '../../src/method/mgan/lattice';

/** [h, w, 3] from a function of (y, x) in [0, 1], the same in every channel. */
function image(h: number, w: number, f: (y: number, x: number) => number): tf.Tensor3D {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(f(y, x), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return tf.tensor3d(data, [h, w, 3]);
}

const smooth = (y: number, x: number) => 0.5 + 0.3 * Math.sin(x / 9) * Math.cos(y / 13);
/** A fixed pattern repeating every 4 px (what three stride-2 deconvolutions stamp), zero mean over a period. */
const lattice4 = (y: number, x: number) => [0.1, -0.05, 0.08, -0.13][y % 4] * [1, -0.6, 0.3, 0.2][x % 4] + 0.02 * ((x % 2) - 0.5) * ((y % 2) - 0.5);
const noise = (() => {
  let s = 7;
  return () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
})();

describe('latticeEnergy', () => {
  it('scores a pure 4-px lattice near 1 and a smooth image near 0', async () => {
    const pure = image(64, 80, (y, x) => 0.5 + lattice4(y, x));
    const flat = image(64, 80, smooth);
    expect(await latticeEnergy(pure)).toBeGreaterThan(0.99);
    expect(await latticeEnergy(flat)).toBeLessThan(0.05);
    tf.dispose([pure, flat]);
  });

  it('grows with the lattice laid over an image with detail of its own, and ignores random detail', async () => {
    const detail = Array.from({ length: 96 * 96 }, () => 0.1 * noise());
    const scores: number[] = [];
    for (const amount of [0, 0.1, 0.3, 1]) {
      const img = image(96, 96, (y, x) => smooth(y, x) + detail[y * 96 + x] + amount * lattice4(y, x));
      scores.push(await latticeEnergy(img));
      img.dispose();
    }
    expect(scores[0]).toBeLessThan(0.01); // noise: ~16 of ~8,500 values
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(scores[3]).toBeGreaterThan(0.5);
  });

  it('refuses an image smaller than two periods', async () => {
    const tiny = image(6, 20, smooth);
    await expect(latticeEnergy(tiny)).rejects.toThrow(/smaller than 8x8/);
    tiny.dispose();
  });
});
