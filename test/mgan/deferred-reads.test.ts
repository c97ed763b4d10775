// Per-step results read back in batches: values in step order, one read per N steps, nothing left behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DeferredReads } from '../../src/method/kernels/deferred-reads';
import { startCounting } from '../../bench/kernel-counter';

describe('DeferredReads', () => {
  it('reads every N steps with one read, in step order, and settles the rest', async () => {
    const before = tf.memory().numTensors;
    const got: Array<[number, number, number[]]> = [];
    const reads = new DeferredReads(3, (key, v) => got.push([key, v.loss[0], Array.from(v.scores)]));
    const counts = startCounting();
    for (let step = 0; step < 7; step++) reads.add(step, { loss: tf.scalar(step * 1.5), scores: tf.tensor1d([step, -step]) });
    // Two full batches started (steps 0-2, 3-5); step 6 waits for settle().
    expect(counts().reads).toBe(2);
    await reads.settle();
    expect(counts().reads).toBe(3);
    expect(got).toEqual(Array.from({ length: 7 }, (_, s) => [s, s * 1.5, [s, -s]]));
    reads.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees what was never read when disposed', () => {
    const before = tf.memory().numTensors;
    const reads = new DeferredReads(5, () => {
      throw new Error('not read');
    });
    reads.add(0, { loss: tf.scalar(1) });
    reads.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a read interval that is not a whole number of steps', () => {
    expect(() => new DeferredReads(0, () => {})).toThrow(/whole number/);
  });
});
