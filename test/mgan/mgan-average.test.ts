// The moving average of G's weights (trainer option emaDecay) and its place in checkpoints.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, serializeCheckpoint } from '../../src/method/mgan/checkpoint';
import { MganGenerator } from '../../src/method/mgan/generator';
import { updateAverage } from '../../src/method/mgan/trainer';
import { type MganCheckpoint, disposeCheckpoint } from '../../src/method/mgan/training-state';

describe('moving average of G', () => {
  it('mixes trainable weights by the decay and copies BN running statistics', () => {
    const before = tf.memory().numTensors;
    const average = MganGenerator.create(1);
    const g = MganGenerator.create(2);
    const weights = new Map(g.namedWeights());
    // Give G distinct running statistics so the copy is visible.
    tf.tidy(() => weights.get('bn1/moving_mean')!.assign(tf.fill([512], 3)));
    const old = new Map(average.namedWeights().map(([n, v]) => [n, tf.clone(v)]));
    updateAverage(average, g, 0.75);
    for (const [name, v] of average.namedWeights()) {
      const diff = tf.tidy(() => {
        const w = weights.get(name)!;
        const expected = w.trainable ? tf.add(tf.mul(old.get(name)!, 0.75), tf.mul(w, 0.25)) : w;
        return tf.max(tf.abs(tf.sub(v, expected))).dataSync()[0];
      });
      expect(diff, name).toBeLessThan(1e-6);
    }
    expect(Array.from(new Map(average.namedWeights()).get('bn1/moving_mean')!.dataSync().slice(0, 3))).toEqual([3, 3, 3]);
    tf.dispose([...old.values()]);
    average.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('travels in checkpoints, and checkpoints without it still load', async () => {
    const t = (k: number) => tf.fill([2, 3], k);
    const base = { step: 4, discriminator: { d: t(2) }, generatorOptimizer: [], discriminatorOptimizer: [], lossHistory: [{ g: 1 }] };
    const withAverage: MganCheckpoint = { ...base, generator: { w: t(1) }, averageGenerator: { w: t(0.5) } };
    const { meta, data } = await serializeCheckpoint(withAverage);
    const back = deserializeCheckpoint(meta, data);
    expect(Array.from(back.averageGenerator!.w.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(back.generator.w.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    // A checkpoint written before the average existed has no 'averageGenerator' list at all.
    const older = JSON.parse(JSON.stringify(meta));
    delete older.tensors.averageGenerator;
    const without = await serializeCheckpoint({ ...base, generator: { w: t(1) } });
    const olderMeta = { ...without.meta, tensors: { ...without.meta.tensors } } as Record<string, unknown> & { tensors: Record<string, unknown> };
    delete olderMeta.tensors.averageGenerator;
    const plain = deserializeCheckpoint(olderMeta, without.data);
    expect(plain.averageGenerator).toBeUndefined();
    for (const c of [withAverage, back, plain]) disposeCheckpoint(c);
    disposeCheckpoint({ ...base, generator: {} } as MganCheckpoint);
  });
});

describe('generatorLoss tvWeight', () => {
  it('adds weight x total variation of the output to the total, and reports it', async () => {
    const { generatorLoss } = await import('../../src/method/mgan/losses');
    const { totalVariation } = await import('../../src/method/mdan/losses');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const output = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const target = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
      const plain = generatorLoss({ kind: 'pixel', output, target });
      const withTv = generatorLoss({ kind: 'pixel', output, target, tvWeight: 3 });
      expect(plain.tv).toBeUndefined();
      const tv = totalVariation(output).dataSync()[0];
      expect(tv).toBeGreaterThan(0.01);
      expect(withTv.tv!.dataSync()[0]).toBeCloseTo(tv, 6);
      expect(withTv.total.dataSync()[0]).toBeCloseTo(plain.total.dataSync()[0] + 3 * tv, 5);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
