// Gatys et al.'s Gram-matrix optimisation: the loss against a direct computation, and the node at a tiny size.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gramLoss, gramMatrix, runGram } from '../../src/method/gram/gram';
import { gramOptimiserNode, parseStyleLayers } from '../../src/nodes/gram-optimiser';
import { ParamError } from '../../src/nodes/types';
import { createNodeEnv } from '../../src/platform/node/env';
import { readImageFile } from '../../src/platform/node/image-io';
import { testVgg19 } from '../support/vgg19';
import { runNode } from './run-node';

/** G[a][b] = Σ over positions of F[p][a]·F[p][b], divided by the position count: written out in loops. */
function directGram(values: Float32Array, positions: number, channels: number): number[][] {
  const g = Array.from({ length: channels }, () => new Array<number>(channels).fill(0));
  for (let p = 0; p < positions; p++) {
    for (let a = 0; a < channels; a++) {
      for (let b = 0; b < channels; b++) g[a][b] += values[p * channels + a] * values[p * channels + b];
    }
  }
  return g.map((row) => row.map((v) => v / positions));
}

describe('Gram matrix and loss', () => {
  it('match a direct computation on a random feature map', () => {
    const [h, w, c] = [3, 5, 4];
    const features = tf.randomUniform([1, h, w, c], 0, 3, 'float32', 7) as tf.Tensor4D;
    const other = tf.randomUniform([1, 2, 6, c], 0, 3, 'float32', 8) as tf.Tensor4D;
    const mine = gramMatrix(features);
    const target = gramMatrix(other);
    const direct = directGram(features.dataSync() as Float32Array, h * w, c);
    const directTarget = directGram(other.dataSync() as Float32Array, 12, c);
    expect(mine.shape).toEqual([c, c]);
    const got = mine.arraySync();
    for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) expect(got[a][b]).toBeCloseTo(direct[a][b], 4);
    // ¼ · mean over the c×c entries of the squared difference.
    let sum = 0;
    for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) sum += (direct[a][b] - directTarget[a][b]) ** 2;
    const loss = gramLoss(features, target);
    expect(loss.dataSync()[0]).toBeCloseTo((0.25 * sum) / (c * c), 3);
    // The same statistics from a shuffled copy: a Gram matrix ignores where things are.
    const shuffled = tf.tidy(() => tf.reverse(features, [1, 2]) as tf.Tensor4D);
    expect(gramLoss(shuffled, mine).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([features, other, mine, target, loss, shuffled]);
  });

  it('refuses a batch', () => {
    const batch = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    expect(() => gramMatrix(batch)).toThrow(/one feature map/);
    batch.dispose();
  });

  it('reads style layers from a comma list and names an unknown one', () => {
    expect(parseStyleLayers('relu1_1, relu3_1 relu3_1')).toEqual(['relu1_1', 'relu3_1']);
    expect(() => parseStyleLayers('relu1_1, relu9_9')).toThrow(ParamError);
    expect(() => parseStyleLayers('relu1_1, relu9_9')).toThrow(/relu9_9/);
    expect(() => parseStyleLayers(' ')).toThrow(/empty/);
  });
});

describe('gram optimisation with VGG19', () => {
  let texture: tf.Tensor3D;
  let photo: tf.Tensor3D;
  beforeAll(async () => {
    const t = await readImageFile(join('public/samples/styles/starry_night.jpg'));
    const p = await readImageFile(join('public/samples/photos/chelsea.png'));
    texture = tf.image.resizeBilinear(t, [32, 48], true);
    photo = tf.image.resizeBilinear(p, [32, 48], true);
    tf.dispose([t, p]);
  });
  afterAll(() => tf.dispose([texture, photo]));

  it('lowers the Gram loss from noise, and the node returns an image at the asked size', { timeout: 120_000 }, async () => {
    const vgg = await testVgg19.load('relu3_1');
    const result = await runGram(vgg, texture, { size: 32, iterations: 6, styleLayers: ['relu1_1', 'relu2_1', 'relu3_1'], lr: 0.05 });
    const styles = result.losses.map((l) => l.style);
    expect(styles).toHaveLength(6);
    expect(styles[5]).toBeLessThan(styles[0] * 0.8);
    expect(result.losses.every((l) => l.content === 0)).toBe(true);
    result.image.dispose();

    const env = { ...createNodeEnv(), services: { vgg19: testVgg19 } };
    const before = tf.memory().numTensors;
    const { outputs } = await runNode(
      gramOptimiserNode,
      { size: 32, iterations: 2, styleLayers: 'relu2_1, relu3_1', contentLayer: 'relu3_1' },
      { texture, content: photo },
      env,
    );
    const image = outputs.image as tf.Tensor3D;
    // The photo's 3:2 aspect ratio at 32 px on the longest side, floored to multiples of 8.
    expect(image.shape).toEqual([16, 32, 3]);
    const [lo, hi] = tf.tidy(() => [tf.min(image).dataSync()[0], tf.max(image).dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    image.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
