/**
 * The `video` service in Node (CLI, tests, benches). Sources: a video file or URL decoded by ffmpeg
 * (when it is on the PATH), or a folder of PNG frames (always works); bundled samples live in
 * public/samples/video. Sink (video-out): numbered PNG frames in `<outDir>/<nodeId>/` and, with
 * ffmpeg, `<outDir>/<nodeId>.webm`.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { pixelsToImageTensor, resizeImage } from '../../method/image/image-tensor';
import { SAMPLE_INDEX, findSample } from '../../nodes/sample-index';
import type { Frames } from '../../nodes/types';
import {
  VideoError,
  checkFrameSize,
  scaledFrameSize,
  type VideoOpenOptions,
  type VideoService,
  type VideoSink,
  type VideoSinkOptions,
  type VideoSinkResult,
} from '../../nodes/video-types';
import { decodeImageBytes, encodePng } from './image-io';
import { DEFAULT_FFMPEG, WebmEncoder, decodeRgbFrames, ffmpegAvailable, probeVideo, type FfmpegPaths } from './ffmpeg';

/** Rate given to a folder of PNG frames when the `fps` param is 0 (a folder has no rate of its own). */
export const PNG_FOLDER_FPS = 24;

export interface NodeVideoOptions {
  outDir: string;
  projectRoot: string;
  /** ffmpeg/ffprobe executables (default: looked up on the PATH). */
  ffmpeg?: FfmpegPaths;
}

export function createNodeVideoService(options: NodeVideoOptions): VideoService {
  const paths = options.ffmpeg ?? DEFAULT_FFMPEG;
  return {
    sampleNames: () => videoSampleNames(),
    async open(ref, openOptions, signal) {
      if (ref.kind === 'webcam') throw new VideoError('the webcam is only available in the browser editor');
      const source =
        ref.kind === 'sample'
          ? join(options.projectRoot, 'public/samples', findSample(ref.name, ['video']).file)
          : ref.kind === 'path'
            ? ref.path
            : ref.url;
      if (ref.kind !== 'url') {
        const info = await stat(source).catch(() => undefined);
        if (!info) throw new VideoError(`video not found: ${source}`);
        if (info.isDirectory()) return openPngFolder(source, openOptions);
      }
      return openVideoFile(source, openOptions, paths, signal);
    },
    createSink: (sinkOptions) => createNodeVideoSink(options.outDir, sinkOptions, paths),
  };
}

export function videoSampleNames(): string[] {
  return Object.entries(SAMPLE_INDEX.samples)
    .filter(([, s]) => s.kind === 'video')
    .map(([name]) => name);
}

/** RGB24 bytes → float32 [H, W, 3] in [0, 1]. */
export function rgbBytesToTensor(rgb: Uint8Array, width: number, height: number): tf.Tensor3D {
  return pixelsToImageTensor(rgb, width, height, 3, 255);
}

/** Float image [H, W, 3] in [0, 1] → RGB24 bytes (clipped, rounded). */
export async function tensorToRgbBytes(image: tf.Tensor3D): Promise<Uint8Array> {
  const data = await image.data();
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, data[i] || 0)) * 255);
  return out;
}

async function openVideoFile(
  source: string,
  options: VideoOpenOptions,
  paths: FfmpegPaths,
  signal?: AbortSignal,
): Promise<Frames> {
  signal?.throwIfAborted();
  const probe = await probeVideo(source, paths);
  const size = scaledFrameSize(probe.width, probe.height, options.maxSide);
  checkFrameSize(size.width, size.height, source);
  const fps = options.fps > 0 ? options.fps : probe.fps;
  const available = probe.duration !== undefined ? Math.max(0, probe.duration - options.start) : undefined;
  const seconds = options.duration > 0 ? Math.min(options.duration, available ?? options.duration) : available;
  if (seconds !== undefined && seconds <= 0) {
    throw new VideoError(`${source}: start ${options.start}s is past the end of the video (${probe.duration}s long)`);
  }
  return {
    width: size.width,
    height: size.height,
    fps,
    frameCount: seconds !== undefined ? Math.max(1, Math.round(seconds * fps)) : undefined,
    open(frameSignal?: AbortSignal): AsyncIterable<tf.Tensor3D> {
      return mapRgb(
        decodeRgbFrames(source, { ...size, fps: options.fps, start: options.start, duration: options.duration }, paths, frameSignal),
        size.width,
        size.height,
      );
    },
  };
}

async function* mapRgb(frames: AsyncIterable<Uint8Array>, width: number, height: number): AsyncGenerator<tf.Tensor3D> {
  for await (const rgb of frames) yield rgbBytesToTensor(rgb, width, height);
}

/** A folder of PNG frames, read in name order (frame_00001.png, frame_00002.png, ...). */
async function openPngFolder(folder: string, options: VideoOpenOptions): Promise<Frames> {
  const names = (await readdir(folder)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  if (names.length === 0) throw new VideoError(`${folder}: the folder holds no .png frames`);
  const fps = options.fps > 0 ? options.fps : PNG_FOLDER_FPS;
  const first = Math.max(0, Math.round(options.start * fps));
  const last = options.duration > 0 ? Math.min(names.length, first + Math.round(options.duration * fps)) : names.length;
  const selected = names.slice(first, last);
  if (selected.length === 0) {
    throw new VideoError(`${folder}: start ${options.start}s is past the last of its ${names.length} frames at ${fps} fps`);
  }
  const probe = await readPngFrame(join(folder, selected[0]));
  const [h0, w0] = probe.shape;
  probe.dispose();
  const size = scaledFrameSize(w0, h0, options.maxSide);
  checkFrameSize(size.width, size.height, folder);
  return {
    width: size.width,
    height: size.height,
    fps,
    frameCount: selected.length,
    async *open(signal?: AbortSignal): AsyncGenerator<tf.Tensor3D> {
      for (const name of selected) {
        signal?.throwIfAborted();
        const file = join(folder, name);
        const frame = await readPngFrame(file);
        const [h, w] = frame.shape;
        if (w !== w0 || h !== h0) {
          frame.dispose();
          throw new VideoError(`${file}: frame is ${w}x${h}, but the folder's first frame is ${w0}x${h0}`);
        }
        if (w === size.width && h === size.height) {
          yield frame;
        } else {
          const scaled = resizeImage(frame, size.width, size.height);
          frame.dispose();
          yield scaled;
        }
      }
    },
  };
}

async function readPngFrame(file: string): Promise<tf.Tensor3D> {
  return decodeImageBytes(await readFile(file), file);
}

/** Headless video-out: PNG frames and, with ffmpeg, a WebM. */
async function createNodeVideoSink(outDir: string, options: VideoSinkOptions, paths: FfmpegPaths): Promise<VideoSink> {
  const frameDir = join(outDir, options.fileName);
  const webmFile = join(outDir, `${options.fileName}.webm`);
  const notes: string[] = [];
  await mkdir(outDir, { recursive: true });
  if (options.writeFrames) {
    // Old frames from a longer earlier run would otherwise mix with this run's.
    await rm(frameDir, { recursive: true, force: true });
    await mkdir(frameDir, { recursive: true });
  }
  let encoder: WebmEncoder | undefined;
  if (options.webm) {
    if (await ffmpegAvailable(paths)) {
      encoder = new WebmEncoder(webmFile, options.width, options.height, options.fps, paths);
    } else {
      notes.push(`'${paths.ffmpeg}' is not on the PATH: no WebM written (frames only); install ffmpeg for ${webmFile}`);
    }
  }
  let count = 0;
  return {
    async write(frame) {
      const [h, w] = frame.shape;
      if (w !== options.width || h !== options.height) {
        throw new VideoError(`frame ${count + 1} is ${w}x${h}, but the video is ${options.width}x${options.height}`);
      }
      count++;
      if (options.writeFrames) {
        await writeFile(join(frameDir, `frame_${String(count).padStart(5, '0')}.png`), await encodePng(frame));
      }
      if (encoder) await encoder.write(await tensorToRgbBytes(frame));
    },
    async close(): Promise<VideoSinkResult> {
      const files: string[] = [];
      if (options.writeFrames) files.push(frameDir);
      if (encoder) {
        await encoder.finish();
        files.push(webmFile);
      }
      return { frames: count, files, notes };
    },
    abort() {
      encoder?.abort();
    },
  };
}
