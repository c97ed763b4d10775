// Every gradient MDAN/MGAN rely on, computed on WASM (with our kernels) and on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2dBackpropFilterAsConv, conv2dBackpropInputByPhases, unsortedSegmentSumByLoop } from '../../src/method/kernels/wasm-kernels';

type Input = { shape: number[]; values: Float32Array };

function random(shape: number[], seed: number): Input {
  let s = seed >>> 0;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = s / 2 ** 32 - 0.5;
  }
  return { shape, values };
}

/** Gradients of sum(f(...xs) * w) w.r.t. every input, on one backend; w is a fixed random weighting. */
async function gradsOn(backend: 'wasm' | 'cpu', f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const result = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const outShape = tf.tidy(() => f(...xs).shape);
    const w = tf.tensor(random(outShape, 99).values, outShape);
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)));
    return g(xs).map((t) => t.dataSync() as Float32Array);
  });
  await tf.setBackend('wasm');
  return result;
}

async function expectSameGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[], tolerance = 1e-4) {
  const onWasm = await gradsOn('wasm', f, inputs);
  const onCpu = await gradsOn('cpu', f, inputs);
  onCpu.forEach((cpu, k) => {
    const wasm = onWasm[k];
    expect(wasm.length).toBe(cpu.length);
    let scale = 1e-6;
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) {
      scale = Math.max(scale, Math.abs(cpu[i]));
      worst = Math.max(worst, Math.abs(cpu[i] - wasm[i]));
    }
    expect(scale).toBeGreaterThan(1e-5); // a gradient that is all zeros would compare equal trivially
    expect(worst / scale, `input ${k}`).toBeLessThan(tolerance);
  });
}

afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('conv2d gradients on WASM match the cpu backend (input and filter)', () => {
  const cases: Array<[number, 1 | 2 | 3, 'same' | 'valid', number, number]> = [
    // kernel, stride, pad, input side, channels
    [3, 1, 'same', 9, 3],
    [3, 2, 'same', 9, 3],
    [3, 1, 'valid', 8, 4],
    [3, 2, 'valid', 9, 4],
    [4, 2, 'same', 8, 4],
    [4, 1, 'valid', 7, 2],
    [8, 1, 'valid', 8, 5], // the MDAN D's 8x8 scoring conv
    [8, 2, 'same', 12, 2],
    [1, 1, 'same', 5, 6],
    [1, 2, 'valid', 6, 3],
    [3, 3, 'same', 10, 2], // stride 3: nine input phases, some with one tap
    [5, 3, 'valid', 11, 2],
    [2, 2, 'valid', 7, 3], // odd input: the last row and column get no gradient
  ];
  for (const [k, s, pad, side, c] of cases) {
    it(`${k}x${k} stride ${s} ${pad} on ${side}x${side}x${c}`, async () => {
      await expectSameGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad), [
        random([2, side, side + 1, c], k * 10 + s),
        random([k, k, c, 3], k * 10 + s + 1),
      ]);
    });
  }
  it('different strides along height and width', async () => {
    await expectSameGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 1], 'same'), [random([2, 7, 6, 3], 50), random([3, 4, 3, 2], 51)]);
    await expectSameGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 3], 'valid'), [random([1, 5, 10, 2], 52), random([2, 3, 2, 3], 53)]);
  });
  it('the input gradient by phases equals the cpu backend\'s transposed conv, and declines a dy of the wrong shape', async () => {
    const dyIn = random([2, 5, 4, 4], 54) as { shape: [number, number, number, number]; values: Float32Array };
    const wIn = random([4, 4, 3, 4], 55) as { shape: [number, number, number, number]; values: Float32Array };
    const onWasm = tf.tidy(() => {
      const dx = conv2dBackpropInputByPhases(tf.tensor(dyIn.values, dyIn.shape) as tf.Tensor4D, tf.tensor(wIn.values, wIn.shape) as tf.Tensor4D, [2, 9, 8, 3], 2, 'same')!;
      expect(dx.shape).toEqual([2, 9, 8, 3]);
      return dx.dataSync();
    });
    await tf.setBackend('cpu');
    const onCpu = tf.tidy(() => tf.conv2dTranspose(tf.tensor(dyIn.values, dyIn.shape) as tf.Tensor4D, tf.tensor(wIn.values, wIn.shape) as tf.Tensor4D, [2, 9, 8, 3], 2, 'same').dataSync());
    await tf.setBackend('wasm');
    expect(Math.max(...Array.from(onWasm, (v, i) => Math.abs(v - onCpu[i])))).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(onCpu, Math.abs))).toBeGreaterThan(0.1);
    tf.tidy(() => {
      const w = tf.tensor(wIn.values, wIn.shape) as tf.Tensor4D;
      expect(conv2dBackpropInputByPhases(tf.zeros([2, 4, 4, 4]) as tf.Tensor4D, w, [2, 9, 8, 3], 2, 'same')).toBeNull();
    });
  });
  it('the filter gradient as a conv names the shapes when dy does not fit', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, 9, 8, 3]) as tf.Tensor4D;
      expect(() => conv2dBackpropFilterAsConv(x, tf.zeros([2, 4, 4, 4]) as tf.Tensor4D, [3, 3, 3, 4], 2, 'same')).toThrow(/dy is \[2,4,4,4\], expected \[2, 5, 4, 4\]/);
    });
  });
  it('a 3x3 same conv and a 4x4 valid head on one input (stride 1: the input gradient is one forward conv)', async () => {
    await expectSameGrads(
      (x, w, head) =>
        tf.add(
          tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))),
          tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, head as tf.Tensor4D, 1, 'valid'))),
        ),
      [random([1, 9, 7, 5], 42), random([3, 3, 5, 6], 43), random([4, 4, 5, 1], 44)],
    );
  });
  it('8x8 valid on a batch of 8x8 patches: one score per patch (the MDAN D head)', async () => {
    await expectSameGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'), [
      random([5, 8, 8, 6], 40),
      random([8, 8, 6, 1], 41),
    ]);
  });
  it('the filter gradient through a bias + relu (as a layer is trained)', async () => {
    await expectSameGrads(
      (x, w, b) => tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b)),
      [random([1, 6, 6, 3], 1), random([3, 3, 3, 4], 2), random([4], 3)],
    );
  });
});

describe('other gradients on WASM match the cpu backend', () => {
  it('conv2dTranspose 4x4 stride 2 same, and 3x3 stride 1 (the MGAN generator)', async () => {
    await expectSameGrads((x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 10, 3], 2, 'same'), [
      random([2, 4, 5, 4], 5),
      random([4, 4, 3, 4], 6),
    ]);
    await expectSameGrads((x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [1, 5, 5, 2], 1, 'same'), [
      random([1, 5, 5, 3], 7),
      random([3, 3, 2, 3], 8),
    ]);
  });
  it('batch norm from tf.moments, with scale and offset (tf.batchNorm and written out)', async () => {
    const inputs = [random([2, 4, 4, 3], 9), random([3], 10), random([3], 11)];
    // tf.batchNorm's gradient asserts mean and offset have the same rank: moments without keepDims.
    await expectSameGrads(
      (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.batchNorm(x as tf.Tensor4D, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
      },
      inputs,
      1e-3,
    );
    await expectSameGrads(
      (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2], true);
        return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
      },
      inputs,
      1e-3,
    );
  });
  it('tf.batchNorm\'s registered gradient equals autodiff of the written-out formula (same backend)', () => {
    const [xIn, gIn, bIn, dIn] = [random([3, 4, 5, 6], 60), random([6], 61), random([6], 62), random([3, 4, 5, 6], 63)];
    const grads = (written: boolean) =>
      tf.tidy(() => {
        const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
          const { mean, variance } = tf.moments(x, [0, 1, 2], written);
          const y = written
            ? tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta)
            : tf.batchNorm(x as tf.Tensor4D, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
          return tf.sum(tf.mul(y, tf.tensor(dIn.values, dIn.shape)));
        };
        return tf.grads(f)([xIn, gIn, bIn].map((i) => tf.tensor(i.values, i.shape))).map((g) => g.dataSync() as Float32Array);
      });
    const [fused, written] = [grads(false), grads(true)];
    fused.forEach((g, k) => {
      const scale = Math.max(...Array.from(written[k], Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      expect(Math.max(...Array.from(g, (v, i) => Math.abs(v - written[k][i]))) / scale, `input ${k}`).toBeLessThan(1e-4);
    });
  });
  it('leakyRelu, relu, tanh, mean', async () => {
    await expectSameGrads((x) => tf.leakyRelu(x, 0.2), [random([3, 7], 12)]);
    await expectSameGrads((x) => tf.relu(x), [random([3, 7], 13)]);
    await expectSameGrads((x) => tf.tanh(tf.mul(x, 3)), [random([3, 7], 14)]);
    await expectSameGrads((x) => tf.mean(tf.square(x), [1, 2]), [random([2, 3, 4, 2], 15)]);
  });
  it('maxPool after relu (WASM is only wrong where a window max is negative)', async () => {
    await expectSameGrads((x) => tf.maxPool(tf.relu(tf.add(x, 0.3)) as tf.Tensor4D, 2, 2, 'valid'), [random([1, 6, 8, 3], 16)]);
  });
  it('slice / concat / stack (differentiable patch extraction)', async () => {
    await expectSameGrads(
      (x) => {
        const patches = [0, 2, 4].map((o) => tf.slice(x, [0, o, o, 0], [1, 3, 3, 2]));
        return tf.concat([tf.stack(patches), tf.stack(patches.reverse())], 0);
      },
      [random([1, 8, 8, 2], 17)],
    );
  });
  it('gather (its gradient needs UnsortedSegmentSum, which WASM lacks)', async () => {
    const indices = [3, 0, 3, 1, 4, 3];
    await expectSameGrads((x) => tf.gather(x, tf.tensor1d(indices, 'int32'), 1), [random([2, 5, 3], 18)]);
  });
  it('unsortedSegmentSum drops out-of-range ids and sums repeats', () => {
    tf.tidy(() => {
      const out = unsortedSegmentSumByLoop(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 9], 'int32'), 3);
      expect(out.shape).toEqual([3, 2]);
      expect(Array.from(out.dataSync())).toEqual([3, 4, 0, 0, 6, 8]);
    });
  });
});

describe('WASM training kernels do not leak', () => {
  it('repeated filter gradients (strided, padded) leave tf.memory() where it was', () => {
    const x = tf.tensor(random([2, 9, 9, 4], 21).values, [2, 9, 9, 4]) as tf.Tensor4D;
    const w = tf.tensor(random([4, 4, 4, 3], 22).values, [4, 4, 4, 3]) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))));
    const step = () => tf.dispose(g([x, w]));
    step();
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
    tf.dispose([x, w]);
  });
});
