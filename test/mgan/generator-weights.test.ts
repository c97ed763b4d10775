import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MganGenerator, generatorWeightShapes } from '../../src/method/mgan/generator';

describe('generatorWeightShapes', () => {
  it('lists exactly the weights a generator holds, by name, in order, with their shapes', () => {
    const before = tf.memory().numTensors;
    const g = MganGenerator.create(3);
    const held = g.namedWeights().map(([name, v]) => [name, v.shape]);
    g.dispose();
    expect(generatorWeightShapes()).toEqual(held);
    expect(tf.memory().numTensors).toBe(before);
  });
});
