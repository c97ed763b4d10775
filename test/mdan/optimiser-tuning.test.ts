import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { pickTuning, tunedOptions } from '../../src/method/optimiser-tuning';

describe('settings an optimiser takes mid-run', () => {
  it('takes a positive learning rate and non-negative weights, keeps the rest, and hands the optimisers the new rate', () => {
    const adam = tf.train.adam(0.02);
    const running = { lr: 0.02, contentWeight: 1, tvWeight: 0.5, size: 64 };
    const next = tunedOptions(running, { lr: 0.05, contentWeight: 0, tvWeight: -1 }, [adam]);
    expect(next).toEqual({ lr: 0.05, contentWeight: 0, tvWeight: 0.5, size: 64 });
    expect(running.lr).toBe(0.02);
    expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.05);
    expect(tunedOptions(next, { lr: 0 }, [adam]).lr).toBe(0.05);
    adam.dispose();
  });

  it('passes on only the named settings', () => {
    expect(pickTuning({ lr: 1, size: 9, tvWeight: undefined } as { lr?: number; size?: number; tvWeight?: number }, ['lr', 'tvWeight'])).toEqual({ lr: 1 });
  });
});
