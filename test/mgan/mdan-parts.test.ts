// MDAN building blocks: patches, augmentation, discriminator, losses.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentExample, innerCropSize } from '../../src/method/image/augment';
import { contentLoss, hingeLoss, totalVariation } from '../../src/method/mdan/losses';
import { createMdanDiscriminator, MdanDiscriminator } from '../../src/method/mdan/discriminator';
import { postprocess } from '../../src/method/mdan/mdan';
import { extractPatches, patchGrid, patchSource, samplePatches, windowStarts } from '../../src/method/mdan/patches';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs `f` on the cpu backend (reference gradients) and returns its values. */
async function onCpu(f: () => tf.Tensor): Promise<Float32Array> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const t = f();
    const v = (await t.data()) as Float32Array;
    t.dispose();
    return v;
  } finally {
    await tf.setBackend(previous);
  }
}

describe('patch grid', () => {
  it('always includes a last window flush with the edge', () => {
    expect(windowStarts(10, 4, 4)).toEqual([0, 4, 6]);
    expect(windowStarts(12, 4, 4)).toEqual([0, 4, 8]);
    expect(windowStarts(8, 8, 4)).toEqual([0]);
    const g = patchGrid(16, 11, 8, 4);
    expect(g.rowStarts).toEqual([0, 4, 8]);
    expect(g.colStarts).toEqual([0, 3]);
    expect(g.rows * g.cols).toBe(6);
  });

  it('rejects a map smaller than a patch and bad sizes', () => {
    expect(() => windowStarts(5, 8, 4)).toThrow(/does not fit/);
    expect(() => windowStarts(10, 0, 4)).toThrow(/patch size/);
    expect(() => windowStarts(10, 4, 0)).toThrow(/stride/);
  });
});

describe('extractPatches', () => {
  it('returns every window, border rows/cols included, row-major', async () => {
    const x = tf.randomNormal([1, 10, 9, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const p = extractPatches(x, 4, 3);
    expect(p.shape).toEqual([9, 4, 4, 2]); // rows at 0,3,6 × cols at 0,3,5
    const last = tf.slice(x, [0, 6, 5, 0], [1, 4, 4, 2]);
    const lastPatch = tf.slice(p, [8, 0, 0, 0], [1, 4, 4, 2]);
    expect(maxAbsDiff(await last.data(), await lastPatch.data())).toBe(0);
    const second = tf.slice(x, [0, 0, 3, 0], [1, 4, 4, 2]);
    expect(maxAbsDiff(await second.data(), await tf.slice(p, [1, 0, 0, 0], [1, 4, 4, 2]).data())).toBe(0);
    tf.dispose([x, p, last, lastPatch, second]);
  });

  it('averages overlapping gradients by the cover count (vs an explicit loop)', async () => {
    const [h, w, c, size, stride] = [7, 6, 2, 3, 2];
    const x = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 5) as tf.Tensor4D;
    const grid = patchGrid(h, w, size, stride);
    const n = grid.rows * grid.cols;
    const weights = tf.randomNormal([n, size, size, c], 0, 1, 'float32', 6);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(extractPatches(v as tf.Tensor4D, size, stride), weights)))(x);
    const got = await g.data();
    const wv = await weights.data();
    const sum = new Float64Array(h * w * c);
    const count = new Float64Array(h * w);
    let k = 0;
    for (const r of grid.rowStarts) {
      for (const col of grid.colStarts) {
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            count[(r + i) * w + col + j] += 1;
            for (let ch = 0; ch < c; ch++) sum[((r + i) * w + col + j) * c + ch] += wv[((k * size + i) * size + j) * c + ch];
          }
        }
        k++;
      }
    }
    const expected = Array.from(sum, (s, idx) => s / count[Math.floor(idx / c)]);
    expect(Math.max(...count)).toBeGreaterThan(1); // the case really has overlaps
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    tf.dispose([x, weights, g]);
  });

  it('samples real patches from several maps without leaking tensors', () => {
    // A batch of two maps (ones, twos) and one more map (zeros).
    const maps = [tf.concat([tf.ones([1, 8, 8, 3]), tf.fill([1, 8, 8, 3], 2)]), tf.zeros([1, 6, 10, 3])] as tf.Tensor4D[];
    const source = patchSource(maps, 4, 2);
    expect(source.grids).toHaveLength(3);
    const before = tf.memory().numTensors;
    let i = 0;
    const seq = [0.01, 0.99, 0.5];
    const p = samplePatches(source, 3, () => seq[i++ % seq.length]);
    expect(p.shape).toEqual([3, 4, 4, 3]);
    const means = tf.tidy(() => tf.mean(p, [1, 2, 3]).arraySync() as number[]);
    expect(means[0]).toBe(1); // from the first map (ones)
    expect(means[1]).toBe(0); // from the last map (zeros)
    expect(means[2]).toBe(2); // from the batch's second map (twos): 0.5 of 9 + 9 + 8 windows
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The patch's cells are the map's window, in order.
    const ramp = tf.reshape(tf.range(0, 6 * 10, 1, 'float32'), [1, 6, 10, 1]) as tf.Tensor4D;
    const one = patchSource([ramp], 3, 3);
    const q = samplePatches(one, 1, () => 0.99);
    expect(Array.from(q.dataSync())).toEqual([37, 38, 39, 47, 48, 49, 57, 58, 59]);
    tf.dispose([q, one.cells, ramp, source.cells]);
    tf.dispose(maps);
  });
});

describe('augmentExample', () => {
  it('gives 18 variants: 3 rotations (inner crop, no fill) × 3 scales × flip', async () => {
    const example = tf.ones([40, 60, 3]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const variants = augmentExample(example, { maxSide: 60 });
    expect(variants).toHaveLength(18);
    const upright = variants.find((v) => v.angle === 0 && v.scale === 1 && !v.flip)!;
    expect(upright.image.shape).toEqual([40, 60, 3]);
    const big = variants.find((v) => v.angle === 0 && v.scale > 1 && !v.flip)!;
    expect(big.image.shape).toEqual([44, 66, 3]);
    for (const v of variants.filter((v) => v.angle !== 0)) {
      // Cropped inside the rotated image: no black corners from the rotation's fill.
      expect(tf.tidy(() => tf.min(v.image).dataSync()[0])).toBeGreaterThan(0.99);
      expect(v.image.shape[0]).toBeLessThan(40);
    }
    for (const v of variants) v.image.dispose();
    expect(tf.memory().numTensors).toBe(before);
    example.dispose();
  });

  it('shrinks the example without aliasing (a 1 px checkerboard becomes flat grey)', () => {
    const checker = tf.tidy(() => {
      const v = Array.from({ length: 64 * 64 }, (_, i) => (Math.floor(i / 64) + (i % 64)) % 2);
      return tf.tile(tf.reshape(tf.tensor1d(v), [64, 64, 1]), [1, 1, 3]);
    }) as tf.Tensor3D;
    const [small] = augmentExample(checker, { maxSide: 16, angles: [0], scales: [1], flips: [false] });
    const values = Array.from(small.image.dataSync());
    expect(small.image.shape).toEqual([16, 16, 3]);
    expect(Math.max(...values.map((x) => Math.abs(x - 0.5)))).toBeLessThan(0.05);
    tf.dispose([checker, small.image]);
  });

  it('flips horizontally and resizes to the longest side', async () => {
    const ramp = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(0, 1, 20), [1, 20, 1]), [10, 1, 3])) as tf.Tensor3D;
    const variants = augmentExample(ramp, { maxSide: 40, angles: [0], scales: [1] });
    expect(variants.map((v) => v.image.shape)).toEqual([
      [20, 40, 3],
      [20, 40, 3],
    ]);
    const plain = await variants[0].image.data();
    const flipped = await variants[1].image.data();
    expect(plain[0]).toBeLessThan(plain[3 * 39]);
    expect(flipped[0]).toBeCloseTo(plain[3 * 39], 5);
    for (const v of variants) v.image.dispose();
    ramp.dispose();
  });

  it('computes the largest inner rectangle of a rotation', () => {
    expect(innerCropSize(100, 100, 0)).toEqual({ width: 100, height: 100 });
    const r = innerCropSize(100, 100, 10);
    // A square rotated by θ keeps an inner square of side s / (cos θ + sin θ).
    const expected = 100 / (Math.cos(Math.PI / 18) + Math.sin(Math.PI / 18));
    expect(Math.abs(r.width - expected)).toBeLessThanOrEqual(1);
    expect(r.width).toBe(r.height);
  });
});

describe('losses', () => {
  it('hinge is the mean of max(0, 1 - y s)', () => {
    const s = tf.tensor1d([2, 0.5, -1]);
    expect(hingeLoss(s, 1).dataSync()[0]).toBeCloseTo((0 + 0.5 + 2) / 3, 6);
    expect(hingeLoss(s, -1).dataSync()[0]).toBeCloseTo((3 + 1.5 + 0) / 3, 6);
    s.dispose();
  });

  it('content loss is the MSE and rejects different shapes', () => {
    const a = tf.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const b = tf.tensor([1, 0, 3, 8], [1, 2, 2, 1]);
    expect(contentLoss(a, b).dataSync()[0]).toBeCloseTo((4 + 16) / 4, 6);
    expect(() => contentLoss(a, tf.zeros([1, 2, 1, 1]))).toThrow(/shapes differ/);
    tf.dispose([a, b]);
  });

  it('total variation is zero for a flat image and its gradient matches finite differences', async () => {
    expect(totalVariation(tf.fill([5, 5, 3], 0.3) as tf.Tensor3D).dataSync()[0]).toBe(0);
    const x = tf.randomUniform([4, 5, 3], 0, 1, 'float32', 2) as tf.Tensor3D;
    const g = await tf.grad((v: tf.Tensor) => totalVariation(v as tf.Tensor3D))(x).data();
    const xv = Array.from(await x.data());
    const eps = 1e-2;
    for (const idx of [0, 7, 31, 59]) {
      const plus = xv.slice();
      const minus = xv.slice();
      plus[idx] += eps;
      minus[idx] -= eps;
      const f = (v: number[]) => totalVariation(tf.tensor3d(v, [4, 5, 3])).dataSync()[0];
      expect(g[idx]).toBeCloseTo((f(plus) - f(minus)) / (2 * eps), 3);
    }
    x.dispose();
  });
});

describe('totalVariation sum', () => {
  it("is the plain sum of squared right and lower neighbour differences (the authors' MDAN form)", () => {
    // 2×3 image, one channel repeated: rows [0, 1, 3] and [2, 2, 2].
    const row = [0, 1, 3, 2, 2, 2];
    const image = tf.tensor3d(row.flatMap((v) => [v, v, v]), [2, 3, 3]);
    // right: (1-0)² + (3-1)² + 0 + 0 = 5; down: (2-0)² + (2-1)² + (2-3)² = 6; three channels.
    expect(totalVariation(image, 'sum').dataSync()[0]).toBeCloseTo(3 * 11, 5);
    // The mean form divides each direction by its count of differences (3·2·2 right, 3·1·3 down).
    expect(totalVariation(image).dataSync()[0]).toBeCloseTo((3 * 5) / 12 + (3 * 6) / 9, 5);
    image.dispose();
  });
});

describe('MDAN discriminator', () => {
  it("draws its conv weights from N(0, 0.02) like the authors', whatever the fan-in", () => {
    const d = createMdanDiscriminator({ channels: 64, patchSize: 8, seed: 4 });
    d.build(256);
    const [kernel, gamma, beta, head] = d.variables();
    for (const w of [kernel, head]) {
      const { mean, variance } = tf.moments(w);
      expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.002);
      expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(0.02, 3);
      tf.dispose([mean, variance]);
    }
    expect(Array.from(gamma.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(beta.dataSync()).every((v) => v === 0)).toBe(true);
    d.dispose();
  });


  it('scores each patch, builds for the first channel count and refuses another', () => {
    const d = createMdanDiscriminator({ channels: 8, patchSize: 4, seed: 3 });
    const p = tf.randomNormal([5, 4, 4, 6]) as tf.Tensor4D;
    const s = d.scores(p);
    expect(s.shape).toEqual([5]);
    expect(d.inputChannels).toBe(6);
    expect(d.variables()).toHaveLength(5);
    expect(() => d.scores(tf.zeros([2, 4, 4, 7]) as tf.Tensor4D)).toThrow(/6-channel/);
    expect(() => d.scores(tf.zeros([2, 5, 5, 6]) as tf.Tensor4D)).toThrow(/4×4 patches/);
    tf.dispose([p, s]);
    d.dispose();
    expect(() => d.clone()).toThrow(/disposed/);
  });

  it('round-trips through JSON and clones independently', () => {
    const d = createMdanDiscriminator({ channels: 4, depth: 2, patchSize: 3, seed: 9 });
    const p = tf.randomNormal([6, 3, 3, 5], 0, 1, 'float32', 4) as tf.Tensor4D;
    const s0 = d.scores(p).arraySync();
    const restored = MdanDiscriminator.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    expect(maxAbsDiff(restored.scores(p).dataSync(), s0)).toBeLessThan(1e-6);
    const copy = d.clone();
    copy.variables()[0].assign(tf.zerosLike(copy.variables()[0]));
    expect(maxAbsDiff(d.scores(p).dataSync(), s0)).toBe(0); // the original is untouched
    expect(() => MdanDiscriminator.fromJSON({ kind: 'x' } as never)).toThrow(/not a saved MDAN discriminator/);
    for (const x of [d, restored, copy]) x.dispose();
    p.dispose();
  });

  it('weight gradients on WASM match the cpu backend (conv filter grads, batch norm)', async () => {
    const make = () => createMdanDiscriminator({ channels: 6, depth: 1, patchSize: 4, seed: 11 });
    const values = Array.from({ length: 5 * 4 * 4 * 3 }, (_, i) => Math.sin(i * 1.7));
    const lossGrads = () =>
      tf.tidy(() => {
        const d = make();
        const p = tf.tensor4d(values, [5, 4, 4, 3]);
        const p2 = tf.mul(p, -0.5) as tf.Tensor4D;
        d.build(3);
        const { grads } = tf.variableGrads(
          () => tf.add(hingeLoss(d.scores(p), 1), hingeLoss(d.scores(p2), -1)) as tf.Scalar,
          d.variables(),
        );
        const flat = tf.concat(Object.values(grads).map((g) => tf.reshape(g, [-1])));
        d.dispose();
        return flat;
      });
    const wasm = await lossGrads().data();
    const cpu = await onCpu(lossGrads);
    expect(maxAbsDiff(wasm, cpu)).toBeLessThan(1e-3);
    expect(Math.max(...Array.from(wasm, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('validates its config', () => {
    expect(() => createMdanDiscriminator({ channels: 0 })).toThrow(/channels/);
    expect(() => createMdanDiscriminator({ slope: 1.5 })).toThrow(/slope/);
  });
});

describe('postprocess', () => {
  it('maps to [0, 1] after clipping at ±2 std', () => {
    const x = tf.tensor3d([0, 0, 0, 0, 0, 0, 0, 100, 1, 2, 3, 4], [2, 2, 3]);
    const y = postprocess(x);
    const v = y.dataSync();
    expect(Math.min(...v)).toBeCloseTo(0, 6);
    expect(Math.max(...v)).toBeCloseTo(1, 6);
    tf.dispose([x, y]);
  });
});
