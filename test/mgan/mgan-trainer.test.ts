import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MganDataset, cropStarts } from '../../src/method/mgan/dataset';
import { type MganStepInfo, type MganTrainHooks, trainMgan } from '../../src/method/mgan/trainer';
import { type MganCheckpoint, disposeCheckpoint } from '../../src/method/mgan/training-state';
import { testImage, testVgg } from './mgan-helpers';

/** Two photos and their "stylised" targets: a fixed colour transform (learnable, like a palette change). */
function pairs() {
  const photos = [testImage(48, 64, 0), testImage(64, 48, 0.5)];
  const targets = photos.map((p) => tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.reverse(p, 2), 0.6), 0.2), 0, 1) as tf.Tensor3D));
  return { photos, targets };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('MGAN dataset', () => {
  it('lists crops covering the borders and shuffles them reproducibly', () => {
    expect(cropStarts(100, 32, 16)).toEqual([0, 16, 32, 48, 64, 68]);
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false, true] });
    // 48x64: 2 x 3 crops; 64x48: 3 x 2; x2 flips.
    expect(data.size).toBe(24);
    expect(data.order(1, 0)).toEqual(data.order(1, 0));
    expect(data.order(1, 0)).not.toEqual(data.order(1, 1));
    const { photos: p, targets: t } = data.batch(data.order(1, 0), 0, 5);
    expect(p.shape).toEqual([5, 32, 32, 3]);
    expect(t.shape).toEqual([5, 32, 32, 3]);
    tf.dispose([p, t, ...photos, ...targets]);
    data.dispose();
    expect(() => MganDataset.build([testImage(16, 16)], [testImage(16, 16)], { cropSize: 32, stride: 16 })).toThrow(/no 32x32 crop fits/);
  });
});

describe('MGAN trainer', () => {
  it('stops at its time budget after at least one batch and still returns the models', async () => {
    const vgg = await testVgg();
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false, true] });
    const before = tf.memory().numTensors;
    // A budget already spent: exactly one batch of the 12, then the normal ending (average, statistics).
    const spent = await trainMgan(vgg, data, { epochs: 2, batchSize: 4, loss: 'pixel', emaDecay: 0.9 }, { stopAt: performance.now() - 1 });
    expect(spent.lossHistory).toHaveLength(1);
    expect(spent.generator.namedWeights().length).toBeGreaterThan(0);
    spent.generator.dispose();
    spent.discriminator.dispose();
    // A budget that runs out during the run (set at step 3 to end now): it stops there, not at 12.
    const hooks: MganTrainHooks = {
      onStep: (s) => {
        if (s.step === 3) hooks.stopAt = performance.now();
      },
    };
    const timed = await trainMgan(vgg, data, { epochs: 2, batchSize: 4, loss: 'pixel' }, hooks);
    expect(timed.lossHistory).toHaveLength(3);
    timed.generator.dispose();
    timed.discriminator.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...photos, ...targets]);
    data.dispose();
  });

  it('lowers the pixel loss in a short run, keeps tensor memory flat, and resumes from a checkpoint', async () => {
    const vgg = await testVgg();
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false, true] });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const snapshots: number[][] = [];
    const result = await trainMgan(vgg, data, { epochs: 2, batchSize: 4, loss: 'pixel', lr: 0.005, snapshotEvery: 6 }, {
      snapshotPhoto: photos[0],
      onSnapshot: (img) => {
        snapshots.push(img.shape);
      },
      onStep: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    const pixel = result.lossHistory.map((l) => l.pixel);
        expect(pixel).toHaveLength(12);
    expect(mean(pixel.slice(-3))).toBeLessThan(0.6 * mean(pixel.slice(0, 3)));
    expect(snapshots).toEqual([[48, 64, 3], [48, 64, 3]]);
    // Optimiser slots appear at step 1 and the crops' VGG features are kept during the first epoch
    // (6 steps of 4 of the 24 crops); after that nothing accumulates.
    expect(counts[counts.length - 1]).toBe(counts[5]);
    expect(counts[5]).toBeGreaterThan(counts[1]);
    result.generator.dispose();
    result.discriminator.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // Cancel after 3 steps, then resume: the run continues at step 4.
    const controller = new AbortController();
    let saved: MganCheckpoint | undefined;
    await expect(
      trainMgan(vgg, data, { epochs: 1, batchSize: 4, loss: 'pixel' }, {
        signal: controller.signal,
        onStep: (s) => {
          if (s.step === 3) controller.abort();
        },
        onCheckpoint: (c) => {
          saved = c;
        },
      }),
    ).rejects.toThrow(/cancelled/);
    expect(saved?.step).toBe(3);
    const steps: number[] = [];
    const resumed = await trainMgan(vgg, data, { epochs: 1, batchSize: 4, loss: 'pixel' }, { resume: saved, onStep: (s) => void steps.push(s.step) });
    expect(steps).toEqual([4, 5, 6]);
    expect(resumed.lossHistory).toHaveLength(6);
    resumed.generator.dispose();
    resumed.discriminator.dispose();
    disposeCheckpoint(saved);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    tf.dispose([...photos, ...targets]);
  });

  it('keeps the crops\' VGG features within its budget, with the same losses as recomputing them', async () => {
    const vgg = await testVgg();
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 32, angles: [0], scales: [1], flips: [false] });
    expect(data.size).toBe(8);
    const before = tf.memory().numTensors;
    const run = async (cropFeatureBytes: number) => {
      const counts: number[] = [];
      const r = await trainMgan(vgg, data, { epochs: 2, batchSize: 4, loss: 'mgan', seed: 2 }, { cropFeatureBytes, onStep: () => void counts.push(tf.memory().numTensors) });
      r.generator.dispose();
      r.discriminator.dispose();
      return { losses: r.lossHistory, counts };
    };
    // Per crop of 32²: relu4_1 4x4x512 (32 KB) and relu3_1 8x8x256 (64 KB).
    const none = await run(0);
    const some = await run(3 * 96 * 1024);
    const all = await run(64 * 2 ** 20);
    expect(all.losses).toHaveLength(4);
    for (const r of [some, all]) {
      r.losses.forEach((l, i) => {
        for (const k of ['g', 'd', 'pixel', 'adversarial']) expect(Math.abs(l[k] - none.losses[i][k]), `step ${i + 1} ${k}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(none.losses[i][k])));
      });
    }
    // Without a budget nothing accumulates. With one, a tensor per kept crop and kind stays until the
    // run ends: 288 KB holds a few; 64 MB all 8 crops' two features, all kept in the first epoch.
    expect(none.counts[3]).toBe(none.counts[1]);
    const kept = (r: typeof none, step: number) => r.counts[step] - none.counts[step];
    expect(kept(some, 3)).toBeGreaterThan(0);
    expect(kept(some, 3)).toBeLessThanOrEqual((3 * 96) / 32);
    expect(kept(all, 1)).toBe(2 * 8);
    expect(kept(all, 3)).toBe(2 * 8);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    tf.dispose([...photos, ...targets]);
  }, 600_000);

  it('runs the adversarial (mgan) and neural losses with finite, non-zero D and G losses', async () => {
    const vgg = await testVgg();
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 32, angles: [0], scales: [1], flips: [false] });
    for (const loss of ['mgan', 'neural'] as const) {
      const steps: MganStepInfo[] = [];
      const r = await trainMgan(vgg, data, { epochs: 1, batchSize: 2, loss, autoencoderInit: loss === 'mgan' }, { onStep: (s) => void steps.push(s) });
      const last = r.lossHistory[r.lossHistory.length - 1];
      expect(Number.isFinite(last.g)).toBe(true);
      // Each step reports how long its G and D updates took (no D update in the auto-encoder steps).
      expect(steps.every((s) => s.ms.generator > 0)).toBe(true);
      expect(steps.map((s) => s.ms.discriminator > 0)).toEqual(steps.map((s) => s.phase === 'train' && loss === 'mgan'));
      if (loss === 'mgan') {
        expect(r.lossHistory.length).toBe(8); // 8 crops in batches of 2: 4 auto-encoder + 4 adversarial steps
        expect(last.d).toBeGreaterThan(0);
        expect(Number.isFinite(last.adversarial)).toBe(true);
      } else {
        expect(last.neural).toBeGreaterThan(0);
      }
      r.generator.dispose();
      r.discriminator.dispose();
    }
    data.dispose();
    tf.dispose([...photos, ...targets]);
  });

  it('with emaDecay returns the averaged G with re-estimated running statistics; equalPhases holds after training', async () => {
    const vgg = await testVgg();
    const { photos, targets } = pairs();
    const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false, true] });
    const before = tf.memory().numTensors;
    const options = { epochs: 1, batchSize: 4, loss: 'pixel' as const, lr: 0.005, seed: 3 };
    const plain = await trainMgan(vgg, data, options);
    const averaged = await trainMgan(vgg, data, { ...options, emaDecay: 0.9, equalPhases: true });
    const { photos: batch, targets: batchTargets } = data.batch(data.order(3, 0), 0, 4);
    const gap = (g: typeof plain.generator) =>
      tf.tidy(() => {
        const f = vgg.features(batch, ['relu4_1']).relu4_1;
        // A training batch decoded with the recorded statistics vs with its own: close when the statistics fit G.
        return tf.mean(tf.abs(tf.sub(g.forward(f, { normalization: 'fixed' }), g.forward(f, { normalization: 'batch' })))).dataSync()[0];
      });
    const weights = (g: typeof plain.generator) => new Map(g.namedWeights());
    const w1 = weights(plain.generator).get('deconv3/phases')!;
    const w2 = weights(averaged.generator).get('deconv3/phases')!;
    // Same seed and data, but the returned weights are the average, not the last step's.
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(w1, w2))).dataSync()[0])).toBeGreaterThan(1e-4);
    expect(gap(averaged.generator)).toBeLessThan(0.1);
    // Phase tap sums equal (see equalPhaseSums): per channel pair, the 4 phase sums agree.
    const spread = tf.tidy(() => {
      const sums = tf.sum(tf.reshape(w2, [2, 2, 256, 4, 128]), [0, 1]);
      return tf.max(tf.sub(tf.max(sums, 1), tf.min(sums, 1))).dataSync()[0];
    });
    expect(spread).toBeLessThan(1e-4);
    tf.dispose([batch, batchTargets]);
    for (const r of [plain, averaged]) {
      r.generator.dispose();
      r.discriminator.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    tf.dispose([...photos, ...targets]);
  });
});
