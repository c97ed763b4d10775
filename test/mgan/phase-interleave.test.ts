// The phase interleave of the stride-2 deconvolutions: its own kernel on WASM and CPU, tfjs ops elsewhere.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { interleavePhases, interleavePhasesByOps } from '../../src/method/kernels/phase-interleave';
import { installCustomKernels } from '../../src/method/kernels/custom-kernels';

// The cpu backend is started here without initBackend: install its rows of the kernel table.
installCustomKernels('cpu');

afterAll(async () => {
  await tf.setBackend('wasm');
});

const windowsOf = (b: number, h: number, w: number, c: number, seed: number) => tf.randomUniform([b, h + 1, w + 1, 4 * c], -1, 1, 'float32', seed) as tf.Tensor4D;

describe('interleavePhases', () => {
  it.each([
    ['wasm', 3],
    ['wasm', 16],
    ['cpu', 3],
    ['cpu', 17],
  ] as const)('on %s (%i channels) puts phase (py, px) of window (m + py, n + px) at pixel (2m + py, 2n + px), like the tfjs ops', async (backend, c) => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const [b, h, w] = [2, 3, 5];
    tf.tidy(() => {
      const windows = windowsOf(b, h, w, c, 7);
      const image = interleavePhases(windows);
      expect(image.shape).toEqual([b, 2 * h, 2 * w, c]);
      const got = image.arraySync() as number[][][][];
      const src = windows.arraySync() as number[][][][];
      for (let bb = 0; bb < b; bb++)
        for (let y = 0; y < 2 * h; y++)
          for (let x = 0; x < 2 * w; x++) {
            const [py, px] = [y % 2, x % 2];
            for (let k = 0; k < c; k++) expect(got[bb][y][x][k]).toBe(src[bb][(y >> 1) + py][(x >> 1) + px][(2 * py + px) * c + k]);
          }
      expect(Array.from(image.dataSync())).toEqual(Array.from(interleavePhasesByOps(windows).dataSync()));
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['wasm', 'cpu'] as const)('has the gradient of the tfjs ops on %s, zero where no pixel reads a window', async (backend) => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const windows = windowsOf(2, 4, 3, 5, 8);
      const weights = tf.randomUniform([2, 8, 6, 5], -1, 1, 'float32', 9);
      const gradOf = (f: (x: tf.Tensor4D) => tf.Tensor4D) => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor4D), weights)))(windows);
      const fast = gradOf(interleavePhases);
      expect(Array.from(fast.dataSync())).toEqual(Array.from(gradOf(interleavePhasesByOps).dataSync()));
      // Phase (0, 0) is never read from the last window row; phase (1, 1) never from the first.
      const unread = tf.concat([tf.slice(fast, [0, 4, 0, 0], [2, 1, 4, 5]), tf.slice(fast, [0, 0, 0, 15], [2, 1, 4, 5])]);
      expect(tf.max(tf.abs(unread)).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(fast)).dataSync()[0]).toBeGreaterThan(0.1);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the shape it expected for a malformed input', () => {
    tf.tidy(() => {
      expect(() => interleavePhases(tf.zeros([1, 3, 3, 6]) as tf.Tensor4D)).toThrow(/expected windows \[B, H\+1, W\+1, 4C\], got \[1,3,3,6\]/);
    });
  });
});
