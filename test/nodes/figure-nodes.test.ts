// The pieces behind the Fig. 6 and Fig. 7 presets: the trainer's snapshot strip and the decoder-channel probe.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeChannel, strongestChannels } from '../../src/method/mgan/channel-probe';
import { decoderChannelsNode, parseChannels } from '../../src/nodes/decoder-channels';
import { SnapshotStrip, parseBatchCounts } from '../../src/nodes/snapshot-strip';
import { ParamError } from '../../src/nodes/types';
import { runNode, testEnv } from './run-node';

describe('snapshot strip', () => {
  it('reads batch counts and names a bad one', () => {
    expect(parseBatchCounts('1000, 100 300,100', 'snapshotAt', 'mgan-trainer')).toEqual([100, 300, 1000]);
    expect(parseBatchCounts('', 'snapshotAt', 'mgan-trainer')).toEqual([]);
    expect(() => parseBatchCounts('100, 0', 'snapshotAt', 'mgan-trainer')).toThrow(ParamError);
    expect(() => parseBatchCounts('100, x', 'snapshotAt', 'mgan-trainer')).toThrow(/'x'/);
  });

  it('keeps each asked count once, in a labelled strip, and says which were never reached', async () => {
    const strip = new SnapshotStrip([1, 3, 9]);
    const red = tf.tidy(() => tf.concat([tf.ones([8, 8, 1]), tf.zeros([8, 8, 2])], 2) as tf.Tensor3D);
    expect(strip.wants(2)).toBe(false);
    expect(strip.wants(3)).toBe(true);
    await strip.add(red, 1);
    await strip.add(red, 3);
    await strip.add(red, 3);
    expect(strip.wants(3)).toBe(false);
    expect(strip.size).toBe(2);
    expect(strip.missed(5)).toEqual([9]);
    const image = strip.image('decoder after');
    // Two 8 px tiles side by side, their labels wider than the tiles.
    expect(image.shape[1]).toBeGreaterThan(2 * 8);
    const pixels = image.arraySync();
    const redPixels = pixels.flat().filter(([r, g, b]) => r === 1 && g === 0 && b === 0).length;
    expect(redPixels).toBe(2 * 64);
    tf.dispose([red, image]);
  });
});

describe('decoder channels', () => {
  it('reads channel numbers and refuses ones relu4_1 does not have', () => {
    expect(parseChannels('3, 7 3')).toEqual([3, 7]);
    expect(() => parseChannels('512')).toThrow(/'512'/);
    expect(strongestChannels([0.5, 3, 0, 3, 1], 3)).toEqual([1, 3, 4]);
  });

  // G barely answers one channel at a photo's strength (its running statistics are set by 512 active
  // channels), so the probe is driven hard here and the node amplifies and stretches its tiles.
  it('decodes one active channel: the tile differs from channel to channel and from an empty input', async () => {
    const { decoder } = await testEnv().services.decoders!.open('starry_night');
    const g = decoder.generator;
    const tiles = [decodeChannel(g, 264, 20000, 4), decodeChannel(g, 12, 20000, 4), decodeChannel(g, 264, 0, 4), decodeChannel(g, 264, 20000, 4, 'fill')];
    expect(tiles[0].shape).toEqual([32, 32, 3]);
    const diff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    const diffs = [diff(tiles[0], tiles[1]), diff(tiles[0], tiles[2]), diff(tiles[0], tiles[3])];
    for (const d of diffs) expect(d, diffs.join(', ')).toBeGreaterThan(1e-3);
    expect(() => decodeChannel(g, 512, 1, 4)).toThrow(/relu4_1/);
    tf.dispose(tiles);
    decoder.dispose();
  });

  it('asks for a photo or channel numbers', async () => {
    await expect(runNode(decoderChannelsNode, {}, {}, testEnv())).rejects.toThrow(/connect a photo .* or list channels/);
  });
});
