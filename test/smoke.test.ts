import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';

describe('backend', () => {
  it('runs tests on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
    const s = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).arraySync());
    expect(s).toBe(3);
  });
});
