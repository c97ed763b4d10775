import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { videoSourceNode } from '../../src/nodes/video-source';
import type { Frames } from '../../src/nodes/types';
import { checkFrameSize, videoService } from '../../src/services/video';
import { encodePng } from '../../src/platform/node/image-io';
import { createNodeVideoService } from '../../src/platform/node/video';
import { SAMPLE_VIDEO, collectFrames, makeContext, nodeEnv, tempDir } from './helpers';
import { requireFfmpeg } from '../support/requirements';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('source')));
afterAll(() => cleanup());

const meanAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

describe('video-source with ffmpeg', () => {
  beforeAll(requireFfmpeg);
  it('decodes the bundled sample to scaled frames at the requested rate', async () => {
    const before = tf.memory().numTensors;
    const run = makeContext(videoSourceNode, { sample: 'coffee_pan', maxSide: 48, fps: 6, duration: 1 }, nodeEnv(dir));
    const { frames } = (await videoSourceNode.run(run.ctx)) as { frames: Frames };
    expect(run.previews).toBe(1); // the first frame, decoded for the card
    // 480x320 scaled so the longer side is 48
    expect([frames.width, frames.height, frames.fps, frames.frameCount]).toEqual([48, 32, 6, 6]);
    const got = await collectFrames(frames);
    expect(got.length).toBe(6);
    for (const f of got) {
      expect(f.shape).toEqual([32, 48, 3]);
      expect(Math.min(...f.data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...f.data)).toBeLessThanOrEqual(1);
    }
    // a pan-and-zoom: consecutive frames differ, but only a little
    const change = meanAbsDiff(got[0].data, got[1].data);
    expect(change).toBeGreaterThan(0.002);
    expect(change).toBeLessThan(0.2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('honours start: frames from 2 s on match the same frames read from 0 s', async () => {
    const service = videoService(nodeEnv(dir).services);
    const all = await collectFrames(await service.open({ kind: 'path', path: SAMPLE_VIDEO }, { maxSide: 32, fps: 4, start: 0, duration: 0 }));
    expect(all.length).toBe(16); // 4 s at 4 fps
    const late = await collectFrames(await service.open({ kind: 'path', path: SAMPLE_VIDEO }, { maxSide: 32, fps: 4, start: 2, duration: 0.5 }));
    expect(late.length).toBe(2);
    expect(meanAbsDiff(late[0].data, all[8].data)).toBeLessThan(0.02);
    expect(meanAbsDiff(late[0].data, all[0].data)).toBeGreaterThan(meanAbsDiff(late[0].data, all[8].data));
  });

  it('stops ffmpeg when the consumer stops early', async () => {
    const service = videoService(nodeEnv(dir).services);
    const frames = await service.open({ kind: 'path', path: SAMPLE_VIDEO }, { maxSide: 32, fps: 0, start: 0, duration: 0 });
    expect(frames.fps).toBe(24);
    expect(frames.frameCount).toBe(96);
    expect((await collectFrames(frames, 3)).length).toBe(3);
  });

  it('reads a video from an http URL', async () => {
    const { createServer } = await import('node:http');
    const bytes = await readFile(SAMPLE_VIDEO);
    const server = createServer((req, res) => {
      if (req.url !== '/clip.webm') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'video/webm', 'Content-Length': bytes.length }).end(bytes);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const run = makeContext(videoSourceNode, { url: `http://127.0.0.1:${port}/clip.webm`, maxSide: 32, fps: 4, duration: 1 }, nodeEnv(dir));
      const { frames } = (await videoSourceNode.run(run.ctx)) as { frames: Frames };
      expect((await collectFrames(frames)).map((f) => f.shape)).toEqual(Array(4).fill([21, 32, 3]));
      const missing = makeContext(videoSourceNode, { url: `http://127.0.0.1:${port}/nope.webm` }, nodeEnv(dir));
      await expect(videoSourceNode.run(missing.ctx)).rejects.toThrow(/param 'url': cannot fetch '[^']*nope\.webm': HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('names a broken (truncated) file', async () => {
    const bytes = await readFile(SAMPLE_VIDEO);
    const file = join(dir, 'truncated.webm');
    await writeFile(file, bytes.subarray(0, 3000));
    const run = makeContext(videoSourceNode, { path: file }, nodeEnv(dir));
    await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(/truncated\.webm: the file is broken/);
  });

  it('refuses playlists that name further files or URLs (they would bypass the access rules)', async () => {
    // An HLS playlist inside an allowed folder, naming a video elsewhere and a link-local URL.
    for (const [name, target] of [['local.m3u8', `file:${SAMPLE_VIDEO}`], ['remote.m3u8', 'http://169.254.169.254/x.ts']]) {
      const file = join(dir, name);
      await writeFile(file, `#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n${target}\n#EXT-X-ENDLIST\n`);
      const run = makeContext(videoSourceNode, { path: file }, nodeEnv(dir));
      await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(
        new RegExp(`param 'path': ${file.replace(/[./]/g, '\\$&')}: not a plain video file \\(playlists and lists that name further files or URLs are not opened\\)`),
      );
    }
  });

  it('names a file that is not a video at all', async () => {
    const file = join(dir, 'garbage.mp4');
    await writeFile(file, new Uint8Array(4096).map((_, i) => (i * 37) & 255));
    const run = makeContext(videoSourceNode, { path: file }, nodeEnv(dir));
    await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(/garbage\.mp4: the file is broken or not a video/);
  });

  it('names an unsupported codec', async () => {
    // The sample with its codec id (V_VP8) replaced by one no decoder knows.
    const bytes = Buffer.from(await readFile(SAMPLE_VIDEO));
    const at = bytes.indexOf('V_VP8');
    expect(at).toBeGreaterThan(0);
    bytes.write('V_QQQ', at);
    const file = join(dir, 'unknown-codec.webm');
    await writeFile(file, bytes);
    const run = makeContext(videoSourceNode, { path: file }, nodeEnv(dir));
    await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(/unknown-codec\.webm: unsupported video codec/);
  });

  it('rejects a start past the end', async () => {
    const run = makeContext(videoSourceNode, { sample: 'coffee_pan', start: 10 }, nodeEnv(dir));
    await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(/past the end of the video/);
  });
});

describe('video-source from a folder of PNG frames', () => {
  async function writeFolder(name: string, count: number, width: number, height: number): Promise<{ folder: string; values: number[] }> {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const v = (i + 1) / (count + 1);
      values.push(v);
      const img = tf.fill([height, width, 3], v) as tf.Tensor3D;
      await writeFile(join(folder, `frame_${String(i + 1).padStart(5, '0')}.png`), await encodePng(img));
      img.dispose();
    }
    return { folder, values };
  }

  it('reads the frames in name order, scaled to maxSide, without ffmpeg', async () => {
    const { folder, values } = await writeFolder('pngs', 5, 40, 20);
    // a service whose ffmpeg does not exist: PNG folders must still work
    const service = createNodeVideoService({ outDir: dir, projectRoot: process.cwd(), ffmpeg: { ffmpeg: 'no-such-ffmpeg', ffprobe: 'no-such-ffprobe' } });
    const frames = await service.open({ kind: 'path', path: folder }, { maxSide: 20, fps: 0, start: 0, duration: 0 });
    expect([frames.width, frames.height, frames.fps, frames.frameCount]).toEqual([20, 10, 24, 5]);
    const got = await collectFrames(frames);
    expect(got.map((f) => f.shape)).toEqual(Array(5).fill([10, 20, 3]));
    got.forEach((f, i) => expect(Math.abs(f.data[0] - values[i])).toBeLessThanOrEqual(1 / 255));
  });

  it('selects frames by start and duration at the given fps', async () => {
    const { folder, values } = await writeFolder('pngs-range', 8, 8, 8);
    const env = nodeEnv(dir);
    const run = makeContext(videoSourceNode, { path: folder, fps: 4, start: 0.5, duration: 1 }, env);
    const { frames } = (await videoSourceNode.run(run.ctx)) as { frames: Frames };
    const got = await collectFrames(frames);
    expect(got.length).toBe(4); // frames 3..6
    expect(Math.abs(got[0].data[0] - values[2])).toBeLessThanOrEqual(1 / 255);
  });

  it('says when a folder holds no frames', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    const run = makeContext(videoSourceNode, { path: empty }, nodeEnv(dir));
    await expect(videoSourceNode.run(run.ctx)).rejects.toThrow(/empty: the folder holds no \.png frames/);
  });
});

describe('video-source errors without ffmpeg or a source', () => {
  it('says ffmpeg is missing for a video file', async () => {
    const service = createNodeVideoService({ outDir: dir, projectRoot: process.cwd(), ffmpeg: { ffmpeg: 'no-such-ffmpeg', ffprobe: 'no-such-ffprobe' } });
    await expect(service.open({ kind: 'path', path: SAMPLE_VIDEO }, { maxSide: 32, fps: 0, start: 0, duration: 0 })).rejects.toThrow(
      /'no-such-ffprobe' is not on the PATH.*folder of PNG frames/,
    );
  });

  it('names a missing file, an unknown sample and the webcam in Node', async () => {
    const env = nodeEnv(dir);
    await expect(videoSourceNode.run(makeContext(videoSourceNode, { path: join(dir, 'nope.webm') }, env).ctx)).rejects.toThrow(/video not found: .*nope\.webm/);
    await expect(videoSourceNode.run(makeContext(videoSourceNode, { sample: 'nope' }, env).ctx)).rejects.toThrow(/unknown video sample 'nope' \(bundled: coffee_pan\)/);
    await expect(videoSourceNode.run(makeContext(videoSourceNode, { webcam: true }, env).ctx)).rejects.toThrow(/webcam is only available in the browser/);
  });

  it('refuses frames too large for memory, naming the source', () => {
    expect(() => checkFrameSize(8192, 8192, 'big.webm')).toThrow(/big\.webm: frames of 8192x8192 need 768 MB each.*lower maxSide/);
    expect(() => checkFrameSize(4096, 4096, 'ok.webm')).not.toThrow();
  });
});
