import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createMdanDiscriminator } from '../../src/method/mdan/discriminator';
import { type MdanTargetCache, mdanTargetKey, mdanTargets } from '../../src/method/mgan/dataset';
import { createNodeMdanTargetCache } from '../../src/platform/node/mdan-target-cache';
import { testImage, testVgg } from './mgan-helpers';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('MDAN targets for MGAN training', () => {
  it('keys differ by photo, texture and options', async () => {
    const a = testImage(32, 32, 0);
    const b = testImage(32, 32, 0.5);
    expect(await mdanTargetKey(a, b, { iterations: 2 })).toBe(await mdanTargetKey(a, b, { iterations: 2 }));
    expect(await mdanTargetKey(a, b, { iterations: 2 })).not.toBe(await mdanTargetKey(b, a, { iterations: 2 }));
    expect(await mdanTargetKey(a, b, { iterations: 2 })).not.toBe(await mdanTargetKey(a, b, { iterations: 3 }));
    tf.dispose([a, b]);
  });

  it('keys differ by the discriminator the targets start from', async () => {
    const a = testImage(32, 32, 0);
    const b = testImage(32, 32, 0.5);
    const narrow = createMdanDiscriminator({ channels: 4 });
    const wide = createMdanDiscriminator({ channels: 8 });
    const none = await mdanTargetKey(a, b, { iterations: 2 });
    expect(await mdanTargetKey(a, b, { iterations: 2 }, narrow)).toBe(await mdanTargetKey(a, b, { iterations: 2 }, createMdanDiscriminator({ channels: 4 })));
    expect(await mdanTargetKey(a, b, { iterations: 2 }, narrow)).not.toBe(none);
    expect(await mdanTargetKey(a, b, { iterations: 2 }, narrow)).not.toBe(await mdanTargetKey(a, b, { iterations: 2 }, wide));
    tf.dispose([a, b]);
    narrow.dispose();
    wide.dispose();
  });

  it('are computed once, then come from the file cache with identical pixels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mdan-targets-'));
    try {
      const cache: MdanTargetCache = createNodeMdanTargetCache(dir);
      const vgg = await testVgg('relu5_1');
      const texture = testImage(64, 64, 0.7);
      const photos = [testImage(32, 48, 0), testImage(48, 32, 0.3)];
      const options = { iterations: 2, size: 48, exampleSize: 64, discriminator: { channels: 8 } };
      const seen: boolean[] = [];
      const first = await mdanTargets(vgg, texture, photos, options, { cache, onPhoto: (_i, _n, cached) => void seen.push(cached) });
      expect(seen).toEqual([false, false]);
      // One D is carried across photos: the trained one comes back.
      expect(first.discriminator).toBeDefined();
      first.discriminator!.dispose();
      const before = tf.memory().numTensors;
      const second = await mdanTargets(vgg, texture, photos, options, { cache, onPhoto: (_i, _n, cached) => void seen.push(cached) });
      expect(seen).toEqual([false, false, true, true]);
      expect(second.discriminator).toBeUndefined();
      expect(second.targets.map((t) => t.shape)).toEqual(first.targets.map((t) => t.shape));
      second.targets.forEach((t, i) => expect(maxDiff(t, first.targets[i])).toBe(0));
      tf.dispose(second.targets);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...first.targets, texture, ...photos]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
