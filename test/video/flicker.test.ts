import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FlickerMeter, meanAbsoluteChange, measureFlicker } from '../../src/method/video/flicker';
import { framesFromTensors } from '../../src/method/video/frames';
import { videoService } from '../../src/services/video';
import { nodeEnv } from './helpers';
import { requireFfmpeg } from '../support/requirements';
import { createTestDecoder } from './test-decoder';

const constant = (v: number) => tf.fill([4, 6, 3], v) as tf.Tensor3D;

describe('flicker metric', () => {
  it('is the output change over the input change between consecutive frames', () => {
    const meter = new FlickerMeter();
    const inputs = [0.1, 0.2, 0.3].map(constant);
    const outputs = [0.5, 0.3, 0.6].map(constant);
    inputs.forEach((x, i) => meter.add(x, outputs[i]));
    const r = meter.result();
    expect(r.frames).toBe(3);
    expect(r.inputChange).toBeCloseTo(0.1, 5);
    expect(r.outputChange).toBeCloseTo((0.2 + 0.3) / 2, 5);
    expect(r.flicker).toBeCloseTo(2.5, 4);
    meter.dispose();
    tf.dispose([...inputs, ...outputs]);
  });

  it('is 1 for the identity, whatever the frame sizes, and frees what it holds', async () => {
    const before = tf.memory().numTensors;
    const frames = framesFromTensors(
      function* () {
        for (let i = 0; i < 5; i++) yield tf.randomUniform([8, 8, 3], 0, 1, 'float32', i) as tf.Tensor3D;
      },
      { width: 8, height: 8, fps: 10 },
    );
    const r = await measureFlicker(frames.open(), (f) => tf.clone(f));
    expect(r.flicker).toBeCloseTo(1, 6);
    expect(r.inputChange).toBeGreaterThan(0.2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects frames of different shapes', () => {
    const a = tf.zeros([2, 2, 3]) as tf.Tensor3D;
    const b = tf.zeros([2, 3, 3]) as tf.Tensor3D;
    expect(() => meanAbsoluteChange(a, b)).toThrow(/frames differ in shape/);
    tf.dispose([a, b]);
  });
});

describe('decoding the sample video', () => {
  beforeAll(requireFfmpeg);
  it('flickers less with fixed (running) statistics than with per-frame batch statistics', async () => {
    const video = videoService(nodeEnv('out').services);
    const open = () => video.open({ kind: 'sample', name: 'coffee_pan' }, { maxSide: 64, fps: 8, start: 0, duration: 1.5 });
    const decoder = await createTestDecoder((await open()).open());
    const before = tf.memory().numTensors;
    try {
      const fixed = await measureFlicker((await open()).open(), (f) => decoder.decode(f, { normalization: 'fixed' }));
      const batch = await measureFlicker((await open()).open(), (f) => decoder.decode(f, { normalization: 'batch' }));
      expect(fixed.frames).toBe(12);
      expect(batch.frames).toBe(12);
      expect(fixed.outputChange).toBeGreaterThan(0); // the video moves, and so does its stylisation
      expect(fixed.flicker).toBeLessThan(batch.flicker);
      expect(tf.memory().numTensors).toBe(before); // decoding frame after frame keeps nothing
    } finally {
      decoder.dispose();
    }
  });
});
