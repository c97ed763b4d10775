import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { firstFrame, framesFromTensors, framesOfImage, isFrames, mapFrames, takeFrames } from '../../src/method/video/frames';
import { collectFrames } from './helpers';

function counting(count: number) {
  const made = { n: 0 };
  const frames = framesFromTensors(
    function* () {
      for (let i = 0; i < count; i++) {
        made.n++;
        yield tf.fill([2, 3, 3], i) as tf.Tensor3D;
      }
    },
    { width: 3, height: 2, fps: 10, frameCount: count },
  );
  return { frames, made };
}

describe('lazy frame streams', () => {
  it('mapFrames decodes nothing until opened, maps every frame, and frees the inputs', async () => {
    const before = tf.memory().numTensors;
    const { frames, made } = counting(4);
    const doubled = mapFrames(frames, (f) => f.mul(2), { width: 3, height: 2 });
    expect(made.n).toBe(0);
    expect([doubled.width, doubled.height, doubled.fps, doubled.frameCount]).toEqual([3, 2, 10, 4]);
    const got = await collectFrames(doubled);
    expect(got.map((f) => f.data[0])).toEqual([0, 2, 4, 6]);
    // a second consumer gets its own pass
    expect((await collectFrames(doubled)).length).toBe(4);
    expect(made.n).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takeFrames and firstFrame stop the source early', async () => {
    const before = tf.memory().numTensors;
    const { frames, made } = counting(100);
    expect((await collectFrames(takeFrames(frames, 3))).map((f) => f.data[0])).toEqual([0, 1, 2]);
    expect(made.n).toBe(3);
    const first = await firstFrame(mapFrames(frames, (f) => f.add(1)));
    expect(first.dataSync()[0]).toBe(1);
    first.dispose();
    expect(made.n).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('framesOfImage gives each consumer a copy and frees the image on dispose', async () => {
    const before = tf.memory().numTensors;
    const frames = framesOfImage(tf.fill([2, 2, 3], 0.5) as tf.Tensor3D);
    expect(isFrames(frames)).toBe(true);
    expect(isFrames({ width: 2 })).toBe(false);
    expect((await collectFrames(frames)).length).toBe(1);
    expect((await collectFrames(frames))[0].data[0]).toBe(0.5);
    frames.dispose?.();
    expect(tf.memory().numTensors).toBe(before);
  });
});
