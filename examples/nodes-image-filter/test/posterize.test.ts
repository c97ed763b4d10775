/** The example package's own tests: the filter, the node run as the runtime runs it, its migration. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nodes } from '../index';
import { posterize, posterizeNode } from '../posterize';

/** Runs the node the way MGAN Studio's runtime does: validated params, defaults filled in. */
async function runPosterize(image: tf.Tensor3D, params: { levels: number; amount: number }) {
  const outputs = await posterizeNode.run({
    nodeId: 'p',
    inputs: { image },
    params,
    signal: new AbortController().signal,
    control: { checkpoint: async () => {}, paused: false },
    env: {} as never,
    progress: () => {},
    preview: () => {},
    warn: () => {},
    note: () => {},
  });
  return outputs.image as tf.Tensor3D;
}

describe('posterize', () => {
  it('rounds each channel to evenly spaced levels', async () => {
    const image = tf.tensor3d([0, 0.2, 0.4, 0.6, 0.8, 1], [1, 2, 3]);
    const out = posterize(image, 3);
    expect(Array.from(await out.data())).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    tf.dispose([image, out]);
  });

  it('runs as a node: levels and amount from its params, the input untouched, no tensor left behind', async () => {
    const image = tf.tensor3d([0.1, 0.3, 0.9], [1, 1, 3]);
    const before = tf.memory().numTensors;
    const full = await runPosterize(image, { levels: 2, amount: 1 });
    expect(Array.from(await full.data())).toEqual([0, 0, 1]);
    const half = await runPosterize(image, { levels: 2, amount: 0.5 });
    const values = Array.from(await half.data());
    [0.05, 0.15, 0.95].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 6));
    expect(Array.from(await image.data()).map((v) => +v.toFixed(6))).toEqual([0.1, 0.3, 0.9]);
    tf.dispose([full, half]);
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('declares its params and migrates a version 1 node (levels counted steps then)', () => {
    expect(nodes).toEqual([posterizeNode]);
    expect(posterizeNode.params.map((p) => [p.name, p.default])).toEqual([
      ['levels', 4],
      ['amount', 1],
    ]);
    expect(posterizeNode.migrate!({ levels: 3 }, 1)).toEqual({ levels: 4 });
    expect(posterizeNode.migrate!({ levels: 3 }, 2)).toEqual({ levels: 3 });
  });
});
