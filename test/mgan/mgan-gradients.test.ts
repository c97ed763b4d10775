// The trainer relies on tfjs gradients of conv2d (filter: our WASM kernel), pad/slice/concat/reshape/
// transpose (the fused deconv), batchNorm + moments, relu/leakyRelu/tanh. Check them on WASM against
// the cpu backend, which has every gradient natively.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { MganGenerator } from '../../src/method/mgan/generator';
import { MganDiscriminator, maskedHinge } from '../../src/method/mgan/discriminator';

async function gradsOn(backend: string, f: () => tf.Scalar, vars: tf.Variable[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const { grads } = tf.variableGrads(f, vars);
  const out = await Promise.all(vars.map(async (v) => (await grads[v.name].data()) as Float32Array));
  tf.dispose(Object.values(grads));
  return out;
}

function relError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-20));
}

describe('MGAN gradients on WASM', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it("G's and D's weight gradients match the cpu backend", async () => {
    await tf.setBackend('wasm');
    const g = MganGenerator.create(5);
    const d = MganDiscriminator.create(5);
    const features = tf.randomUniform([2, 1, 2, 512], 0, 4, 'float32', 9) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 8, 16, 3], 0, 1, 'float32', 10);
    const dInput = tf.randomNormal([2, 12, 12, 256], 0, 1, 'float32', 11) as tf.Tensor4D;
    const gLoss = () => tf.sum(tf.mul(g.forward(features, { normalization: 'batch' }), weights)) as tf.Scalar;
    const dLoss = () => maskedHinge(d.scores(dInput, false), 1);
    for (const [loss, vars] of [
      [gLoss, g.trainableVariables()],
      [dLoss, d.trainableVariables()],
    ] as const) {
      const wasm = await gradsOn('wasm', loss, vars);
      const cpu = await gradsOn('cpu', loss, vars);
      wasm.forEach((w, i) => {
        expect(relError(w, cpu[i]), `variable ${i}`).toBeLessThan(1e-3);
      });
      // Not all zero: the test would pass trivially otherwise.
      expect(cpu.some((c) => c.some((v) => Math.abs(v) > 1e-6))).toBe(true);
    }
    await tf.setBackend('wasm');
    g.dispose();
    d.dispose();
    tf.dispose([features, weights, dInput]);
  }, 600_000);
});
