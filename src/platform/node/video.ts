/**
 * The `video` service in Node (CLI, tests, benches). Sources: a video file decoded by ffmpeg (when
 * it is on the PATH), a URL (downloaded under the access rules first, so ffmpeg never opens the
 * network itself), or a folder of PNG frames (always works); bundled samples live in
 * public/samples/video. Sink (video-out): numbered PNG frames in `<outDir>/<name>/` and, with ffmpeg,
 * `<outDir>/<name>.webm`, both put in place only when the video is complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkFileName } from '../../formats/file-name';
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
} from '../../services/video';
import { checkRead, checkReadFolder, trustedAccess, type AccessPolicy } from './access';
import { writeFileAtomic } from './fs-atomic';
import { decodeImageBytes, encodePng } from './image-io';
import { fetchUrl } from './net-fetch';
import { openOutputStage } from './output-stage';
import { DEFAULT_FFMPEG, WebmEncoder, decodeRgbFrames, ffmpegAvailable, probeVideo, type FfmpegPaths } from './ffmpeg';

/** Rate given to a folder of PNG frames when the `fps` param is 0 (a folder has no rate of its own). */
export const PNG_FOLDER_FPS = 24;

export interface NodeVideoOptions {
  outDir: string;
  projectRoot: string;
  /** What paths and URLs may be opened (default: everything). */
  access?: AccessPolicy;
  /** Where URLs are downloaded for ffmpeg (inside the cache); removed when the process exits. */
  downloadDir?: string;
  /** ffmpeg/ffprobe executables (default: looked up on the PATH). */
  ffmpeg?: FfmpegPaths;
}

export function createNodeVideoService(options: NodeVideoOptions): VideoService {
  const paths = options.ffmpeg ?? DEFAULT_FFMPEG;
  const access = options.access ?? trustedAccess();
  return {
    sampleNames: () => videoSampleNames(),
    async open(ref, openOptions, signal) {
      if (ref.kind === 'webcam') throw new VideoError('the webcam is only available in the browser editor');
      if (ref.kind === 'url') {
        if (!options.downloadDir) throw new VideoError(`cannot open '${ref.url}': no download folder in this environment`);
        const file = await download(ref.url, access, options.downloadDir, signal);
        return openVideoFile(file, ref.url, openOptions, paths, signal);
      }
      const shown = ref.kind === 'sample' ? `sample '${ref.name}'` : ref.path;
      const source =
        ref.kind === 'sample'
          ? join(options.projectRoot, 'public/samples', findSample(ref.name, ['video']).file)
          : await checkReadFolder(access, ref.path);
      const info = await stat(source).catch(() => undefined);
      if (!info) throw new VideoError(`video not found: ${shown}`);
      if (info.isDirectory()) return openPngFolder(source, shown, openOptions, access);
      return openVideoFile(source, shown, openOptions, paths, signal);
    },
    createSink: (sinkOptions) => createNodeVideoSink(options.outDir, sinkOptions, paths),
  };
}

const downloads = new Set<string>();
let cleanupRegistered = false;

/** Downloads a video URL for ffmpeg into `dir`; the file is removed when the process exits. */
async function download(url: string, access: AccessPolicy, dir: string, signal?: AbortSignal): Promise<string> {
  const bytes = await fetchUrl(url, access, signal);
  const file = join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 24)}-${process.pid}.video`);
  await writeFileAtomic(file, bytes);
  downloads.add(file);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => {
      for (const f of downloads) rmSync(f, { force: true });
    });
  }
  return file;
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

/** `source`: the file ffmpeg reads; `shown`: how messages name it (the path or URL the user gave). */
async function openVideoFile(
  source: string,
  shown: string,
  options: VideoOpenOptions,
  paths: FfmpegPaths,
  signal?: AbortSignal,
): Promise<Frames> {
  signal?.throwIfAborted();
  const probe = await probeVideo(source, paths, shown);
  const size = scaledFrameSize(probe.width, probe.height, options.maxSide);
  checkFrameSize(size.width, size.height, shown);
  const fps = options.fps > 0 ? options.fps : probe.fps;
  const available = probe.duration !== undefined ? Math.max(0, probe.duration - options.start) : undefined;
  const seconds = options.duration > 0 ? Math.min(options.duration, available ?? options.duration) : available;
  if (seconds !== undefined && seconds <= 0) {
    throw new VideoError(`${shown}: start ${options.start}s is past the end of the video (${probe.duration}s long)`);
  }
  return {
    width: size.width,
    height: size.height,
    fps,
    frameCount: seconds !== undefined ? Math.max(1, Math.round(seconds * fps)) : undefined,
    open(frameSignal?: AbortSignal): AsyncIterable<tf.Tensor3D> {
      return mapRgb(
        decodeRgbFrames(source, { ...size, fps: options.fps, start: options.start, duration: options.duration }, paths, frameSignal, shown),
        size.width,
        size.height,
      );
    },
  };
}

async function* mapRgb(frames: AsyncIterable<Uint8Array>, width: number, height: number): AsyncGenerator<tf.Tensor3D> {
  for await (const rgb of frames) yield rgbBytesToTensor(rgb, width, height);
}

/** A folder of PNG frames, read in name order (frame_00001.png, frame_00002.png, ...); `folder` is checked already. */
async function openPngFolder(folder: string, shown: string, options: VideoOpenOptions, access: AccessPolicy): Promise<Frames> {
  const names = (await readdir(folder)).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  if (names.length === 0) throw new VideoError(`${shown}: the folder holds no .png frames`);
  const fps = options.fps > 0 ? options.fps : PNG_FOLDER_FPS;
  const first = Math.max(0, Math.round(options.start * fps));
  const last = options.duration > 0 ? Math.min(names.length, first + Math.round(options.duration * fps)) : names.length;
  const selected = names.slice(first, last);
  if (selected.length === 0) {
    throw new VideoError(`${shown}: start ${options.start}s is past the last of its ${names.length} frames at ${fps} fps`);
  }
  const probe = await readPngFrame(await checkRead(access, join(folder, selected[0])), join(shown, selected[0]));
  const [h0, w0] = probe.shape;
  probe.dispose();
  const size = scaledFrameSize(w0, h0, options.maxSide);
  checkFrameSize(size.width, size.height, shown);
  return {
    width: size.width,
    height: size.height,
    fps,
    frameCount: selected.length,
    async *open(signal?: AbortSignal): AsyncGenerator<tf.Tensor3D> {
      for (const name of selected) {
        signal?.throwIfAborted();
        const file = join(shown, name);
        const frame = await readPngFrame(await checkRead(access, join(folder, name)), file);
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

async function readPngFrame(file: string, shown: string): Promise<tf.Tensor3D> {
  return decodeImageBytes(await readFile(file), shown);
}

/**
 * Headless video-out: PNG frames and, with ffmpeg, a WebM, written into a staging folder and put in
 * place together when the video is complete; an aborted video leaves the previous files as they were.
 */
async function createNodeVideoSink(outDir: string, options: VideoSinkOptions, paths: FfmpegPaths): Promise<VideoSink> {
  const name = checkFileName(options.fileName, 'video-out: output name', (m) => new VideoError(m));
  const stage = await openOutputStage(outDir);
  const frameDir = join(stage.dir, name);
  const webmFile = join(stage.dir, `${name}.webm`);
  const notes: string[] = [];
  let encoder: WebmEncoder | undefined;
  try {
    if (options.writeFrames) await mkdir(frameDir);
    if (options.webm) {
      if (await ffmpegAvailable(paths)) {
        encoder = new WebmEncoder(webmFile, options.width, options.height, options.fps, paths);
      } else {
        notes.push(`'${paths.ffmpeg}' is not on the PATH: no WebM written (frames only); install ffmpeg for ${join(stage.outDir, `${name}.webm`)}`);
      }
    }
  } catch (e) {
    await stage.discard();
    throw e;
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
      try {
        if (encoder) await encoder.finish();
        if (count > 0) await stage.commit();
        else await stage.discard();
      } catch (e) {
        await stage.discard();
        throw e;
      }
      const files: string[] = [];
      if (options.writeFrames) files.push(`${name}/`);
      if (encoder) files.push(`${name}.webm`);
      return { frames: count, files, notes };
    },
    abort() {
      encoder?.abort();
      stage.discard().catch(() => undefined);
    },
  };
}
