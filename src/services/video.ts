/**
 * The `video` platform service (`ctx.env.services.video`) that the video nodes use. Node files cannot
 * spawn ffmpeg or touch the DOM, so the platform implements this: src/platform/node/video.ts (ffmpeg,
 * PNG folders, files) and src/platform/browser/video.ts (HTMLVideoElement, webcam, canvas playback).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Frames } from '../method/video/frames';

/** Where a video comes from. */
export type VideoRef =
  | { kind: 'sample'; name: string }
  /** A video file, or a folder of PNG frames (sorted by name). */
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'webcam' };

export interface VideoOpenOptions {
  /** Frames are scaled down (never up) so that their longer side is at most this. */
  maxSide: number;
  /** Output frame rate; 0 keeps the source's rate (PNG folders: 24). */
  fps: number;
  /** Seconds into the source to start at. */
  start: number;
  /** Seconds to read; 0 reads to the end (the webcam: until cancelled). */
  duration: number;
}

/** Where video-out writes, or shows, its frames. */
export interface VideoSink {
  /** Takes one frame; the caller still owns (and disposes) it. */
  write(frame: tf.Tensor3D): Promise<void>;
  /** Finishes the output (e.g. encodes the WebM); returns what was written. */
  close(): Promise<VideoSinkResult>;
  /** Stops early (cancel/error): releases processes and files in progress. */
  abort(): void;
}

export interface VideoSinkResult {
  frames: number;
  /** Files written (headless), relative to the output folder: the frame folder (`name/`) and the WebM, if any. */
  files: string[];
  /** Why an optional output was skipped ("ffmpeg not found: no WebM written"). */
  notes: string[];
}

export interface VideoSinkOptions {
  /** The video-out node's id: live views in the editor subscribe by it. */
  nodeId: string;
  /** Base name of written files (`<outDir>/<fileName>/frame_00001.png`, `<outDir>/<fileName>.webm`). */
  fileName: string;
  width: number;
  height: number;
  fps: number;
  /** Write numbered PNG frames (headless). */
  writeFrames: boolean;
  /** Encode a WebM (headless: ffmpeg with libvpx, when on the PATH). */
  webm: boolean;
}

export interface VideoService {
  /** Names of the bundled sample videos (`video-source`'s `sample` param). */
  sampleNames(): string[];
  /** Probes the source (size, rate, length) and returns lazily decoded frames. Errors name the source. */
  open(ref: VideoRef, options: VideoOpenOptions, signal?: AbortSignal): Promise<Frames>;
  /** Opens the output for a video-out node. */
  createSink(options: VideoSinkOptions): Promise<VideoSink>;
}

/** A user-facing error about a video source or sink (bad file, codec, missing ffmpeg, camera). */
export class VideoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoError';
  }
}

/** Largest frame we decode: beyond this one frame alone would not fit comfortably in memory. */
export const MAX_FRAME_PIXELS = 4096 * 4096;

/** The frame size after scaling `width`x`height` down so its longer side is at most `maxSide`. */
export function scaledFrameSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = maxSide > 0 ? Math.min(1, maxSide / Math.max(width, height)) : 1;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Throws a clear error when a frame of this size cannot be held in memory. */
export function checkFrameSize(width: number, height: number, source: string): void {
  if (width * height > MAX_FRAME_PIXELS) {
    const mb = Math.round((width * height * 3 * 4) / 2 ** 20);
    throw new VideoError(
      `${source}: frames of ${width}x${height} need ${mb} MB each as float32, more than memory allows; lower maxSide`,
    );
  }
}

export function videoService(services: { video?: VideoService }): VideoService {
  const service = services.video;
  if (!service) throw new VideoError('no video service on this platform (services.video is missing)');
  return service;
}
