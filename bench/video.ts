/**
 * Video decoding: `npm run bench -- video [--backend wasm|cpu] [--sizes 480x320,1080x810] [--frames 3]
 * [--flicker-frames 24] [--memory-frames 300] [--memory-side 64] [--record-frames 16] [--decoder NAME]
 * [--only fps,flicker,memory]`.
 *
 * - fps: the sample video -> MGAN decoder (fixed statistics) at each size, frames per second after one
 *   warm-up frame (1080x810 frames are the sample scaled up: it is 480x320).
 * - flicker: fixed vs batch statistics on the sample (flicker = output change / input change).
 * - memory: tf.memory() before and after a long run (sample -> decoder -> video-out writing PNGs).
 *
 * The decoder is a saved one (`--decoder NAME`), else an untrained generator with running statistics
 * recorded over sample frames: decoding costs the same as with a trained one (same layers and sizes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { measureFlicker } from '../src/method/video/flicker';
import { mapFrames } from '../src/method/video/frames';
import { resizeImage } from '../src/method/image/image-tensor';
import type { Frames } from '../src/nodes/types';
import { videoService } from '../src/services/video';
import { videoOutNode } from '../src/nodes/video-out';
import { createNodeEnv } from '../src/platform/node/env';
import { createTestDecoder } from '../test/video/test-decoder';
import { argValue, benchBackend, emit } from './lib';

const BENCH = 'video';

export default async function videoBench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const only = new Set(argValue(args, 'only', 'fps,flicker,memory').split(','));
  const outDir = await mkdtemp(join(tmpdir(), 'mgan-bench-video-'));
  const env = createNodeEnv({ outDir });
  const video = videoService(env.services);
  const sample = (maxSide: number, fps = 0, duration = 0) =>
    video.open({ kind: 'sample', name: 'coffee_pan' }, { maxSide, fps, start: 0, duration });
  // Frames over which G's running statistics are recorded (fewer on slow backends: it is setup, not timed).
  const recordFrames = Number(argValue(args, 'record-frames', '16'));
  // `--decoder NAME` decodes with a saved decoder (e.g. starry_night from presets/mgan-train.json).
  const saved = argValue(args, 'decoder', '');
  const decoder = saved
    ? await env.services.decoders.load(saved)
    : await createTestDecoder((await sample(128, 8, recordFrames / 8)).open());
  try {
    if (only.has('fps')) {
      const frames = Number(argValue(args, 'frames', '3'));
      for (const size of argValue(args, 'sizes', '480x320,1080x810').split(',')) {
        const [width, height] = size.split('x').map(Number);
        const source = scaledTo(await sample(480, 0, 0), width, height);
        const times: number[] = [];
        let last = performance.now();
        for await (const frame of source.open()) {
          const out = await decoder.decode(frame, { normalization: 'fixed' });
          await out.data(); // wait for the result itself, as a consumer would
          out.dispose();
          frame.dispose();
          const now = performance.now();
          times.push(now - last);
          last = now;
          if (times.length >= frames + 1) break;
        }
        const timed = times.slice(1); // the first frame includes warm-up
        const ms = timed.reduce((a, b) => a + b, 0) / timed.length;
        emit({ bench: BENCH, case: `decode ${width}x${height}`, backend, ms, fps: 1000 / ms, frames: timed.length, warmupMs: times[0] });
      }
    }
    if (only.has('flicker')) {
      const count = Number(argValue(args, 'flicker-frames', '24'));
      for (const normalization of ['fixed', 'batch'] as const) {
        const started = performance.now();
        const r = await measureFlicker((await sample(128, 12, count / 12)).open(), (f) => decoder.decode(f, { normalization }));
        emit({ bench: BENCH, case: `flicker ${normalization} 128px`, backend, ms: (performance.now() - started) / r.frames, ...r });
      }
    }
    if (only.has('memory')) {
      const count = Number(argValue(args, 'memory-frames', '300'));
      const side = Number(argValue(args, 'memory-side', '64'));
      // the 4 s sample at count/4 fps gives `count` frames
      const source = await sample(side, count / 4, 0);
      const stylised = mapFrames(source, (f) => decoder.decode(f, { normalization: 'fixed' }), {
        width: Math.floor(source.width / 8) * 8,
        height: Math.floor(source.height / 8) * 8,
      });
      const before = tf.memory();
      const started = performance.now();
      await videoOutNode.run({
        nodeId: "video-out-bench",
        inputs: { frames: stylised },
        params: { fps: 0, maxFrames: 0, writeFrames: true, webm: false, name: 'memory' },
        signal: new AbortController().signal,
        control: { checkpoint: async () => undefined, paused: false },
        env,
        progress: () => undefined,
        preview: () => undefined,
        warn: () => undefined,
        note: () => undefined,
      });
      const after = tf.memory();
      const ms = (performance.now() - started) / count;
      emit({
        bench: BENCH,
        case: `memory ${count} frames ${stylised.width}x${stylised.height}`,
        backend,
        ms,
        numTensorsStart: before.numTensors,
        numTensorsEnd: after.numTensors,
        numBytesStart: before.numBytes,
        numBytesEnd: after.numBytes,
      });
    }
  } finally {
    decoder.dispose();
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Frames resized to exactly width x height (the sample is 480x320; larger sizes are scaled up). */
function scaledTo(frames: Frames, width: number, height: number): Frames {
  if (frames.width === width && frames.height === height) return frames;
  return mapFrames(frames, (f) => resizeImage(f, width, height), { width, height });
}
