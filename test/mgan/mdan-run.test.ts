// The MDAN loop with the real VGG19 (the installed weights) at tiny sizes.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MdanExampleCache, autoExampleSide, runMdan, type FeatureNet, type MdanOptions } from '../../src/method/mdan/mdan';
import { createMdanDiscriminator } from '../../src/method/mdan/discriminator';
import type { Vgg19 } from '../../src/method/vgg/vgg19';
import { loadVgg19 } from '../../src/method/vgg/vgg19-weights';
import { readImageFile } from '../../src/platform/node/image-io';
import { readTestWeightFile } from '../support/vgg19';

const SAMPLES = 'public/samples';

let vgg: Vgg19;
let texture: tf.Tensor3D;
let photo: tf.Tensor3D;

beforeAll(async () => {
  vgg = await loadVgg19(readTestWeightFile, 'relu5_1');
  const fullTexture = await readImageFile(join(SAMPLES, 'styles/starry_night.jpg'));
  const fullPhoto = await readImageFile(join(SAMPLES, 'photos/chelsea.png'));
  // Small copies keep each VGG pass cheap on two shared cores.
  texture = tf.image.resizeBilinear(fullTexture, [48, 64], true);
  photo = tf.image.resizeBilinear(fullPhoto, [40, 60], true);
  tf.dispose([fullTexture, fullPhoto]);
});

afterAll(() => {
  tf.dispose([texture, photo]);
  vgg.dispose();
});

/** Small, fast settings: 64 px example, 32-channel D, 8×8 patches of relu3_1 at stride 4. */
const tiny: Partial<MdanOptions> = {
  size: 48,
  exampleSize: 64,
  discriminator: { channels: 32 },
};

/**
 * Patch nearest-neighbour similarity on relu3_1: for each feature vector (a 4×4 px cell's 256
 * channels) of the image, the best cosine similarity to any of the example's; averaged. Cosine
 * makes it blind to the global contrast the output post-processing stretches.
 */
function textureSimilarity(image: tf.Tensor3D, example: tf.Tensor3D): number {
  return tf.tidy(() => {
    const unitRows = (x: tf.Tensor3D) => {
      const f = vgg.features(tf.expandDims(x, 0) as tf.Tensor4D, ['relu3_1']).relu3_1;
      const flat = tf.reshape(f, [-1, f.shape[3]]);
      return tf.div(flat, tf.add(tf.norm(flat, 'euclidean', 1, true), 1e-6));
    };
    const sim = tf.matMul(unitRows(image), unitRows(example), false, true);
    return tf.mean(tf.max(sim, 1)).dataSync()[0];
  });
}

/** Mean squared difference of the Gram matrices of relu2_1 and relu3_1 (a global texture distance). */
function gramDistance(a: tf.Tensor3D, b: tf.Tensor3D): number {
  return tf.tidy(() => {
    const gram = (x: tf.Tensor3D) => {
      const f = vgg.features(tf.expandDims(x, 0) as tf.Tensor4D, ['relu2_1', 'relu3_1']);
      return Object.values(f).map((m) => {
        const [, h, w, c] = m.shape;
        const flat = tf.reshape(m, [h * w, c]);
        return tf.div(tf.matMul(flat, flat, true, false), h * w * 255);
      });
    };
    const ga = gram(a);
    const gb = gram(b);
    return ga.reduce((s, g, i) => s + tf.mean(tf.squaredDifference(g, gb[i])).dataSync()[0], 0);
  });
}

describe('runMdan', () => {
  it('moves noise towards the example texture (Gram distance falls, patch similarity rises)', async () => {
    const start = tf.tidy(() => tf.clipByValue(tf.randomNormal([48, 48, 3], 0.5, 0.25, 'float32', 1), 0, 1)) as tf.Tensor3D;
    // TV nearly off: 30 steps of lr 0.02 cannot smooth this strong a noise start, and a TV weight
    // that tried would spend them on that instead of on the texture.
    const result = await runMdan(vgg, texture, { ...tiny, iterations: 30, seed: 1, tvWeight: 1e-6 }, { init: start });
    expect(result.image.shape).toEqual([48, 48, 3]);
    expect(result.losses).toHaveLength(30);
    const gramBefore = gramDistance(start, texture);
    const gramAfter = gramDistance(result.image, texture);
    const simBefore = textureSimilarity(start, texture);
    const simAfter = textureSimilarity(result.image, texture);
    console.log(`Gram distance ${gramBefore.toFixed(0)} -> ${gramAfter.toFixed(0)}; patch similarity ${simBefore.toFixed(3)} -> ${simAfter.toFixed(3)}`);
    expect(gramAfter).toBeLessThan(gramBefore * 0.7);
    expect(simAfter).toBeGreaterThan(simBefore + 0.015);
    tf.dispose([start, result.image]);
    result.discriminator.dispose();
  });

  it('a guided run stays closer to its photo than an unguided run from the same start', async () => {
    const options = { ...tiny, iterations: 15, seed: 2, contentWeight: 1e-2 };
    const guided = await runMdan(vgg, texture, options, { content: photo, init: photo });
    const unguided = await runMdan(vgg, texture, options, { init: photo });
    const distance = (img: tf.Tensor3D) =>
      tf.tidy(() => {
        const [h, w] = img.shape;
        const ref = tf.image.resizeBilinear(photo, [h, w], true);
        const f = (x: tf.Tensor3D) => vgg.features(tf.expandDims(x, 0) as tf.Tensor4D, ['relu4_1']).relu4_1;
        return tf.mean(tf.squaredDifference(f(img), f(ref))).dataSync()[0];
      });
    expect(guided.image.shape).toEqual([32, 48, 3]); // 3:2 photo, sides floored to multiples of 16
    expect(guided.losses.some((l) => l.content > 0)).toBe(true);
    expect(unguided.losses.every((l) => l.content === 0)).toBe(true);
    expect(distance(guided.image)).toBeLessThan(distance(unguided.image));
    for (const r of [guided, unguided]) {
      r.image.dispose();
      r.discriminator.dispose();
    }
  }, 300_000); // two 15-iteration runs to relu4_1: ~30 s on a quiet 2-core machine, 120 s+ under load

  it("weighs TV as the authors do: tvWeight · ½ Σ squared neighbour differences of the [-1, 1] pixels", async () => {
    const start = tf.tidy(() => tf.clipByValue(tf.randomNormal([32, 32, 3], 0.5, 0.2, 'float32', 3), 0, 1)) as tf.Tensor3D;
    const result = await runMdan(vgg, texture, { ...tiny, iterations: 1, size: 32, tvWeight: 3e-4 }, { init: start });
    // The first pixel step is taken at the starting image.
    const expected = tf.tidy(() => {
      const x = tf.sub(tf.mul(start, 2), 1);
      const right = tf.sub(tf.slice(x, [0, 1, 0], [-1, -1, -1]), tf.slice(x, [0, 0, 0], [-1, 31, -1]));
      const down = tf.sub(tf.slice(x, [1, 0, 0], [-1, -1, -1]), tf.slice(x, [0, 0, 0], [31, -1, -1]));
      return tf.mul(tf.add(tf.sum(tf.square(right)), tf.sum(tf.square(down))), 0.5 * 3e-4).dataSync()[0];
    });
    expect(result.losses[0].tv).toBeCloseTo(expected, 4);
    tf.dispose([start, result.image]);
    result.discriminator.dispose();
  });

  it('takes the example at the result size when exampleSize is 0, or the smallest that holds patches', async () => {
    // texture is 64×48: its shorter side must hold two 32 px footprints of an 8×8 relu3_1 patch.
    expect(autoExampleSide(texture, 96, 128, { layer: 'relu3_1', patchSize: 8 })).toBe(128);
    expect(autoExampleSide(texture, 32, 32, { layer: 'relu3_1', patchSize: 8 })).toBe(86);
    expect(autoExampleSide(texture, 32, 32, { layer: 'relu4_1', patchSize: 4 })).toBe(86);
    expect(autoExampleSide(texture, 32, 32, { layer: 'relu2_1', patchSize: 8 })).toBe(43);
    const dLosses = async (exampleSize: number) => {
      const r = await runMdan(vgg, texture, { ...tiny, iterations: 1, size: 32, seed: 4, exampleSize });
      r.image.dispose();
      r.discriminator.dispose();
      return r.losses.map((l) => l.image);
    };
    const auto = await dLosses(0);
    expect(auto).toEqual(await dLosses(86));
    expect(auto).not.toEqual(await dLosses(128));
  });

  it('keeps numTensors flat across 20 iterations and returns to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const counts: number[] = [];
    const scoreGrids: Array<{ rows: number; cols: number; n: number }> = [];
    const result = await runMdan(vgg, texture, { ...tiny, iterations: 20, size: 48 }, {
      onIteration: (it) => {
        counts.push(tf.memory().numTensors);
        scoreGrids.push({ rows: it.patchScores.rows, cols: it.patchScores.cols, n: it.patchScores.values.length });
        expect(it.preview.shape).toEqual([48, 48, 3]);
      },
    });
    expect(counts).toHaveLength(20);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(scoreGrids[0]).toEqual({ rows: 2, cols: 2, n: 4 }); // 12×12 relu3_1 map: windows at 0 and 4
    result.image.dispose();
    result.discriminator.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('starts from a given discriminator, trains a copy and leaves the given one as it was', async () => {
    const first = await runMdan(vgg, texture, { ...tiny, iterations: 2, size: 32 });
    const weightsBefore = first.discriminator.variables().map((v) => Array.from(v.dataSync()));
    const second = await runMdan(vgg, texture, { ...tiny, iterations: 2, size: 32 }, { discriminator: first.discriminator });
    first.discriminator.variables().forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(weightsBefore[i]));
    expect(second.discriminator).not.toBe(first.discriminator);
    expect(second.discriminator.inputChannels).toBe(256);

    // An untrained D passed in stays unbuilt; the run's copy learns (differs from its seed's init).
    const fresh = createMdanDiscriminator({ channels: 32, seed: 5 });
    const third = await runMdan(vgg, texture, { ...tiny, iterations: 2, size: 32 }, { discriminator: fresh });
    expect(fresh.inputChannels).toBeUndefined();
    const reference = createMdanDiscriminator({ channels: 32, seed: 5 });
    reference.build(256);
    const trained = third.discriminator.variables().some((v, i) => {
      const a = v.dataSync();
      const b = reference.variables()[i].dataSync();
      return a.some((x, j) => x !== b[j]);
    });
    expect(trained).toBe(true);
    for (const r of [first, second, third]) {
      r.image.dispose();
      r.discriminator.dispose();
    }
    fresh.dispose();
    reference.dispose();
  });

  it('shares the example\'s features between runs through a cache (same result), one entry per example side, freed by its owner', async () => {
    // exampleSize 0: the example's side follows the result's size (86 px here, the smallest that holds patches of this 4:3 texture).
    const options = { ...tiny, iterations: 2, size: 32, exampleSize: 0 };
    let passes = 0;
    const counting: FeatureNet = {
      features: (x, layers, options) => {
        passes++;
        return vgg.features(x, layers as Parameters<Vgg19['features']>[1], options);
      },
    };
    const passesOf = async (run: () => Promise<{ image: tf.Tensor3D; discriminator: { dispose(): void } }>) => {
      const start = passes;
      const result = await run();
      return { result, passes: passes - start };
    };
    const before = tf.memory().numTensors;
    const examples = new MdanExampleCache();
    const own = await passesOf(() => runMdan(counting, texture, options));
    const first = await passesOf(() => runMdan(counting, texture, options, { examples }));
    const second = await passesOf(() => runMdan(counting, texture, options, { examples }));
    for (const r of [first, second]) expect(Array.from(r.result.image.dataSync())).toEqual(Array.from(own.result.image.dataSync()));
    expect(first.passes).toBe(own.passes);
    // The second run sends no example variant through VGG: only the image's passes remain (one per iteration and one to start).
    expect(second.passes).toBe(options.iterations + 1);
    expect(own.passes).toBeGreaterThan(second.passes);
    // Another result size resolves exampleSize 0 to another side: a new entry, the same result as without the cache.
    const larger = { ...options, size: 96 };
    const ownLarger = await passesOf(() => runMdan(counting, texture, larger));
    const cachedLarger = await passesOf(() => runMdan(counting, texture, larger, { examples }));
    expect(cachedLarger.passes).toBe(ownLarger.passes);
    expect(Array.from(cachedLarger.result.image.dataSync())).toEqual(Array.from(ownLarger.result.image.dataSync()));
    await expect(runMdan(vgg, texture, options, { examples })).rejects.toThrow(/serves runs on one network/);
    for (const r of [own, first, second, ownLarger, cachedLarger]) {
      r.result.image.dispose();
      r.result.discriminator.dispose();
    }
    examples.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says clearly what is wrong', async () => {
    await expect(runMdan(vgg, texture, { ...tiny, iterations: 0 })).rejects.toThrow(/iterations must be .* at least 1, got 0/);
    await expect(runMdan(vgg, texture, { ...tiny, iterations: -3 })).rejects.toThrow(/iterations/);
    const small = tf.zeros([20, 20, 3]) as tf.Tensor3D;
    await expect(runMdan(vgg, small, { ...tiny, iterations: 1 })).rejects.toThrow(/texture is 20×20 px, smaller than one 8×8 patch on relu3_1 \(32×32 px\)/);
    small.dispose();
    await expect(runMdan(vgg, texture, { ...tiny, layer: 'relu9_1' })).rejects.toThrow(/unknown VGG19 layer 'relu9_1'/);
  });

  it('resizes a content image of another aspect ratio, with a warning', async () => {
    const warnings: string[] = [];
    const square = tf.image.resizeBilinear(photo, [32, 32], true);
    const result = await runMdan(vgg, texture, { ...tiny, iterations: 1, size: 48 }, { content: square, init: photo, onWarning: (m) => warnings.push(m) });
    expect(result.image.shape).toEqual([32, 48, 3]);
    expect(warnings.join('\n')).toMatch(/content image 32×32 has another aspect ratio than the output; resized to 48×32/);
    tf.dispose([square, result.image]);
    result.discriminator.dispose();
  });

  it('stops with an AbortError when its signal is aborted', async () => {
    const controller = new AbortController();
    const baseline = tf.memory().numTensors;
    const run = runMdan(vgg, texture, { ...tiny, iterations: 50, size: 32 }, {
      signal: controller.signal,
      onIteration: (it) => {
        if (it.iteration === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
