import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { framesFromTensors, mapFrames } from '../../src/method/video/frames';
import { videoOutNode } from '../../src/nodes/video-out';
import { videoSourceNode } from '../../src/nodes/video-source';
import type { Frames } from '../../src/nodes/types';
import { videoService } from '../../src/services/video';
import { createNodeVideoService } from '../../src/platform/node/video';
import { collectFrames, makeContext, nodeEnv, tempDir } from './helpers';
import { requireFfmpeg } from '../support/requirements';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('out')));
afterAll(() => cleanup());

/** `count` frames of a moving gradient, each a fresh tensor. */
function gradientFrames(count: number, width: number, height: number): Frames {
  return framesFromTensors(
    function* () {
      for (let i = 0; i < count; i++) {
        yield tf.tidy(() => {
          const x = tf.linspace(0, 1, width).add(i / count).mod(1);
          return tf.stack([x.reshape([1, width]).tile([height, 1]), tf.fill([height, width], i / count), tf.zeros([height, width])], 2) as tf.Tensor3D;
        });
      }
    },
    { width, height, fps: 12, frameCount: count },
  );
}

describe('video-out headless', () => {
  it('writes numbered PNG frames that read back as the input', async () => {
    const env = nodeEnv(dir);
    const before = tf.memory().numTensors;
    const run = makeContext(videoOutNode, { name: 'pngs', webm: false }, env, { frames: gradientFrames(5, 24, 16) });
    expect(await videoOutNode.run(run.ctx)).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
    const files = (await readdir(join(dir, 'pngs'))).sort();
    expect(files).toEqual(['frame_00001.png', 'frame_00002.png', 'frame_00003.png', 'frame_00004.png', 'frame_00005.png']);
    // read them back through the PNG-folder source: same pixels to 8-bit precision
    const source = makeContext(videoSourceNode, { path: join(dir, 'pngs'), maxSide: 64 }, env);
    const { frames } = (await videoSourceNode.run(source.ctx)) as { frames: Frames };
    const back = await collectFrames(frames);
    const orig = await collectFrames(gradientFrames(5, 24, 16));
    expect(back.length).toBe(5);
    back.forEach((f, i) => f.data.forEach((v, j) => expect(Math.abs(v - orig[i].data[j])).toBeLessThanOrEqual(0.5 / 255 + 1e-6)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops after maxFrames and cleans frames of an earlier, longer run', async () => {
    const env = nodeEnv(dir);
    await videoOutNode.run(makeContext(videoOutNode, { name: 'rerun', webm: false }, env, { frames: gradientFrames(6, 8, 8) }).ctx);
    await videoOutNode.run(makeContext(videoOutNode, { name: 'rerun', webm: false, maxFrames: 2 }, env, { frames: gradientFrames(6, 8, 8) }).ctx);
    expect((await readdir(join(dir, 'rerun'))).length).toBe(2);
  });

  it('encodes a WebM with ffmpeg that ffprobe reads back', async () => {
    requireFfmpeg();
    const run = makeContext(videoOutNode, { name: 'clip', writeFrames: false }, nodeEnv(dir), { frames: gradientFrames(12, 33, 17) });
    await videoOutNode.run(run.ctx);
    expect(run.warnings).toEqual([]);
    const file = join(dir, 'clip.webm');
    expect((await stat(file)).size).toBeGreaterThan(100);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', file]);
    // odd sizes are padded to even ones for yuv420p
    expect(probe.stdout.toString().trim()).toBe('vp8,34,18,12');
  });

  it('warns, and still writes frames, when ffmpeg is missing', async () => {
    const env = nodeEnv(dir);
    env.services = { ...env.services, video: createNodeVideoService({ outDir: dir, projectRoot: process.cwd(), ffmpeg: { ffmpeg: 'no-such-ffmpeg', ffprobe: 'no-such-ffprobe' } }) };
    const run = makeContext(videoOutNode, { name: 'noffmpeg' }, env, { frames: gradientFrames(3, 8, 8) });
    await videoOutNode.run(run.ctx);
    expect(run.warnings.join()).toMatch(/'no-such-ffmpeg' is not on the PATH: no WebM written/);
    expect((await readdir(join(dir, 'noffmpeg'))).length).toBe(3);
  });

  it('stops on cancel without leaking frames', async () => {
    const ac = new AbortController();
    const before = tf.memory().numTensors;
    let seen = 0;
    const frames = mapFrames(gradientFrames(50, 8, 8), (f) => {
      if (++seen === 4) ac.abort(new Error('cancelled by test'));
      return f.mul(1);
    });
    const run = makeContext(videoOutNode, { name: 'cancel', webm: false }, nodeEnv(dir), { frames }, ac.signal);
    await expect(videoOutNode.run(run.ctx)).rejects.toThrow(/cancelled by test/);
    expect(seen).toBeLessThan(6);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('video memory over a long run', () => {
  beforeAll(requireFfmpeg);
  it('stays flat: sample video -> per-frame op -> video-out (PNGs + WebM), 288 frames', async () => {
    const env = nodeEnv(dir);
    const service = videoService(env.services);
    // the 4 s sample at 72 fps = 288 frames, tiny
    const source = await service.open({ kind: 'sample', name: 'coffee_pan' }, { maxSide: 24, fps: 72, start: 0, duration: 0 });
    const tensorsAt: number[] = [];
    const bytesAt: number[] = [];
    const stylised = mapFrames(source, (f) => {
      tensorsAt.push(tf.memory().numTensors);
      bytesAt.push(tf.memory().numBytes);
      return tf.tidy(() => f.sqrt().mul(0.9));
    });
    const before = tf.memory();
    await videoOutNode.run(makeContext(videoOutNode, { name: 'long' }, env, { frames: stylised }).ctx);
    const after = tf.memory();
    expect(tensorsAt.length).toBe(288);
    expect((await readdir(join(dir, 'long'))).length).toBe(288);
    expect((await stat(join(dir, 'long.webm'))).size).toBeGreaterThan(1000);
    // while running: one input frame alive per step, the same at frame 10 as at frame 288
    expect(tensorsAt[287]).toBe(tensorsAt[10]);
    expect(bytesAt[287]).toBe(bytesAt[10]);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});
