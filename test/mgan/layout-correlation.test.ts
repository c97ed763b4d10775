import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layoutCorrelation } from '../../src/method/image/layout-correlation';

/** [h, w, 3] from a function of (y, x) in [0, 1], the same in every channel. */
function image(h: number, w: number, f: (y: number, x: number) => number): tf.Tensor3D {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(f(y, x), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return tf.tensor3d(data, [h, w, 3]);
}

/** A scene: a bright disc on a dark-to-light ramp. */
const scene = (y: number, x: number) => ((x - 40) ** 2 + (y - 30) ** 2 < 400 ? 0.9 : 0.1 + 0.4 * (x / 96));
let s = 11;
const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;

describe('layoutCorrelation', () => {
  it('is 1 for the scene itself at another size, -1 for its negative, and stays high under fine strokes', async () => {
    const photo = image(64, 96, scene);
    const smaller = image(32, 48, (y, x) => scene(2 * y, 2 * x));
    const negative = image(64, 96, (y, x) => 1 - scene(y, x));
    // "Painted": the same layout under a fine 3-px stroke pattern and noise, as a stylisation would keep it.
    const painted = image(64, 96, (y, x) => 0.8 * scene(y, x) + 0.15 * Math.sin(x * 2.1 + y) + 0.1 * noise());
    expect(await layoutCorrelation(smaller, photo)).toBeGreaterThan(0.97);
    expect(await layoutCorrelation(negative, photo)).toBeLessThan(-0.99);
    expect(await layoutCorrelation(painted, photo)).toBeGreaterThan(0.8);
    tf.dispose([photo, smaller, negative, painted]);
  });

  it('is near 0 for a texture that ignores the scene, and 0 against a flat picture', async () => {
    const photo = image(64, 96, scene);
    const texture = image(64, 96, () => 0.5 + 0.4 * noise());
    const flat = image(64, 96, () => 0.5);
    expect(Math.abs(await layoutCorrelation(texture, photo))).toBeLessThan(0.2);
    expect(await layoutCorrelation(flat, photo)).toBe(0);
    tf.dispose([photo, texture, flat]);
  });
});
