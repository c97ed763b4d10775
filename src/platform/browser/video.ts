/**
 * The `video` service in the browser, on the runtime's side (the runtime worker, or a page that runs
 * the runtime itself). Sources: frames arrive as ImageBitmaps from a BitmapVideoSource (the page's
 * video elements and camera, src/platform/browser/video-elements.ts; in the worker, through messages)
 * and become tensors here. Sink (video-out): frames become RGBA pixels handed to `publish` (by default
 * `videoFrameBus`, which the editor's VideoOutView draws, meters and records).
 */
import type * as tf from '@tensorflow/tfjs';
import { imageTensorToRgba, rgbaToImageTensor } from '../../method/image/image-tensor';
import { SAMPLE_INDEX } from '../../nodes/sample-index';
import type { Frames } from '../../nodes/types';
import { VideoError, type VideoService, type VideoSink, type VideoSinkOptions } from '../../services/video';
import { pageVideoSource, type BitmapFrames, type BitmapVideoSource } from './video-elements';
import { VideoFrameBus, videoFrameBus, type VideoFrameMessage } from './video-frame-bus';

/** Where a video-out's frames go: the page's bus, or a message to the page from the worker. */
export type FramePublisher = (key: string, frame: VideoFrameMessage) => void;

export interface BrowserVideoOptions {
  /** Base URL of the site; samples are fetched from `<baseUrl>samples/<file>`. */
  baseUrl: string;
  bus?: VideoFrameBus;
  /** Where source frames come from (default: this window's video elements). */
  source?: BitmapVideoSource;
  /** Where video-out frames go (default: `bus`). */
  publish?: FramePublisher;
}

export function createBrowserVideoService(options: BrowserVideoOptions): VideoService {
  const bus = options.bus ?? videoFrameBus;
  const source = options.source ?? pageVideoSource(options.baseUrl);
  const publish: FramePublisher = options.publish ?? ((key, frame) => bus.publish(key, frame));
  return {
    sampleNames: () =>
      Object.entries(SAMPLE_INDEX.samples)
        .filter(([, s]) => s.kind === 'video')
        .map(([name]) => name),
    async open(ref, openOptions, signal) {
      return bitmapsToTensors(await source.open(ref, openOptions, signal));
    },
    createSink: async (sinkOptions) => createBrowserSink(sinkOptions, publish),
  };
}

/** Each bitmap drawn once into a canvas of the frame's size and read as a tensor; the bitmap is closed. */
function bitmapsToTensors(frames: BitmapFrames): Frames {
  const { width, height } = frames;
  return {
    width,
    height,
    fps: frames.fps,
    frameCount: frames.frameCount,
    async *open(signal?: AbortSignal): AsyncGenerator<tf.Tensor3D> {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new VideoError('no 2D canvas context available to read video frames');
      for await (const bitmap of frames.open(signal)) {
        try {
          ctx.drawImage(bitmap, 0, 0, width, height);
        } finally {
          bitmap.close();
        }
        yield rgbaToImageTensor(ctx.getImageData(0, 0, width, height).data, width, height);
      }
    },
  };
}

/** Publishes frames for VideoOutView, no faster than the video's rate (a raw video would race ahead). */
function createBrowserSink(options: VideoSinkOptions, publish: FramePublisher): VideoSink {
  let index = 0;
  let due = 0;
  let last: VideoFrameMessage | undefined;
  return {
    async write(frame) {
      const data = await imageTensorToRgba(frame);
      const now = performance.now();
      if (index === 0) due = now;
      if (now < due) await new Promise((r) => setTimeout(r, due - now));
      due = Math.max(due + 1000 / options.fps, performance.now() - 1000 / options.fps);
      const [height, width] = frame.shape;
      last = { width, height, data, fps: options.fps, index: index++ };
      publish(options.nodeId, last);
    },
    async close() {
      if (last) publish(options.nodeId, { ...last, done: true });
      return { frames: index, files: [], notes: [] };
    },
    abort() {
      if (last) publish(options.nodeId, { ...last, done: true });
    },
  };
}
