/**
 * Video sources on the page: video elements and the camera exist only in a window, so the runtime
 * worker asks the page for frames (src/ui/store/worker-runtime.ts) and gets each as an
 * ImageBitmap, transferred without a copy. A file (bundled sample, URL, dropped file as a blob: URL)
 * is seeked frame by frame into a canvas; the webcam is read with requestVideoFrameCallback.
 */
import { findSample } from '../../nodes/sample-index';
import { VideoError, checkFrameSize, scaledFrameSize, type VideoOpenOptions, type VideoRef } from '../../services/video';

/** A source's frames as bitmaps: what the worker's video service turns into tensors. */
export interface BitmapFrames {
  width: number;
  height: number;
  fps: number;
  frameCount?: number;
  open(signal?: AbortSignal): AsyncGenerator<ImageBitmap>;
}

/** Where bitmap frames come from: the page's elements here, the page through messages in the worker. */
export interface BitmapVideoSource {
  open(ref: VideoRef, options: VideoOpenOptions, signal?: AbortSignal): Promise<BitmapFrames>;
}

/** Opens samples, URLs, served paths and the webcam with this window's video elements. */
export function pageVideoSource(baseUrl: string): BitmapVideoSource {
  return {
    open(ref, options, signal) {
      if (ref.kind === 'webcam') return openWebcam(options);
      return openVideoUrl(sourceUrl(ref, baseUrl), options, signal);
    },
  };
}

function sourceUrl(ref: Exclude<VideoRef, { kind: 'webcam' }>, baseUrl: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  switch (ref.kind) {
    case 'sample':
      return `${base}samples/${findSample(ref.name, ['video']).file}`;
    case 'url':
      return ref.url;
    case 'path':
      // A relative path is served by the site (e.g. "samples/video/x.webm"); disks are not reachable.
      if (/^(\/|[a-z]:\\)/i.test(ref.path)) {
        throw new VideoError(`${ref.path}: the browser cannot read files from disk by path; give a URL, or a path the site serves (e.g. samples/video/coffee_pan.webm)`);
      }
      return `${base}${ref.path}`;
  }
}

function mediaErrorMessage(url: string, video: HTMLVideoElement): string {
  const code = video.error?.code;
  if (code === 4) return `${url}: unsupported video format or codec (this browser cannot play it), or the file was not found`;
  if (code === 3) return `${url}: the file is broken (decoding failed)`;
  if (code === 2) return `${url}: network error while loading the video`;
  return `${url}: the video could not be loaded${video.error?.message ? ` (${video.error.message})` : ''}`;
}

function waitForEvent(target: HTMLVideoElement, event: string, what: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      target.removeEventListener(event, onEvent);
      target.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onEvent = () => {
      cleanup();
      resolve();
    };
    const onError = () => {
      cleanup();
      reject(new VideoError(mediaErrorMessage(what, target)));
    };
    const onAbort = () => {
      cleanup();
      reject(signal!.reason);
    };
    target.addEventListener(event, onEvent, { once: true });
    target.addEventListener('error', onError, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function loadVideoElement(url: string, signal?: AbortSignal): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.crossOrigin = 'anonymous';
  video.preload = 'auto';
  const loaded = waitForEvent(video, 'loadeddata', url, signal);
  video.src = url;
  await loaded;
  return video;
}

function frameCanvas(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new VideoError('no 2D canvas context available to read video frames');
  return ctx;
}

/** One frame at the asked size, as a bitmap that can be transferred to the runtime worker without a copy. */
function grab(ctx: CanvasRenderingContext2D, source: CanvasImageSource, width: number, height: number): Promise<ImageBitmap> {
  ctx.drawImage(source, 0, 0, width, height);
  return createImageBitmap(ctx.canvas);
}

/** A video file: each frame is reached by seeking, so every run gives the same frames at any speed. */
async function openVideoUrl(url: string, options: VideoOpenOptions, signal?: AbortSignal): Promise<BitmapFrames> {
  const probe = await loadVideoElement(url, signal);
  const size = scaledFrameSize(probe.videoWidth, probe.videoHeight, options.maxSide);
  const duration = Number.isFinite(probe.duration) ? probe.duration : undefined;
  probe.removeAttribute('src');
  probe.load();
  checkFrameSize(size.width, size.height, url);
  // The element does not expose the file's frame rate; 24 is the samples' rate.
  const fps = options.fps > 0 ? options.fps : 24;
  const end = duration === undefined ? Infinity : options.duration > 0 ? Math.min(duration, options.start + options.duration) : duration;
  if (end <= options.start) throw new VideoError(`${url}: start ${options.start}s is past the end of the video (${duration}s long)`);
  return {
    ...size,
    fps,
    frameCount: Number.isFinite(end) ? Math.max(1, Math.round((end - options.start) * fps)) : undefined,
    async *open(frameSignal?: AbortSignal): AsyncGenerator<ImageBitmap> {
      const video = await loadVideoElement(url, frameSignal);
      const ctx = frameCanvas(size.width, size.height);
      try {
        for (let i = 0; ; i++) {
          const t = options.start + i / fps;
          if (t >= end - 1e-6) break;
          frameSignal?.throwIfAborted();
          const seeked = waitForEvent(video, 'seeked', url, frameSignal);
          video.currentTime = t;
          await seeked;
          yield await grab(ctx, video, size.width, size.height);
        }
      } finally {
        video.removeAttribute('src');
        video.load();
      }
    },
  };
}

/** The camera: frames as they arrive (requestVideoFrameCallback), until `duration` or cancel. */
async function openWebcam(options: VideoOpenOptions): Promise<BitmapFrames> {
  const stream = await requestCamera();
  const settings = stream.getVideoTracks()[0]?.getSettings() ?? {};
  stream.getTracks().forEach((t) => t.stop());
  const size = scaledFrameSize(settings.width ?? 640, settings.height ?? 480, options.maxSide);
  checkFrameSize(size.width, size.height, 'webcam');
  const fps = options.fps > 0 ? options.fps : settings.frameRate ?? 30;
  return {
    ...size,
    fps,
    frameCount: options.duration > 0 ? Math.round(options.duration * fps) : undefined,
    async *open(signal?: AbortSignal): AsyncGenerator<ImageBitmap> {
      const live = await requestCamera();
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = live;
      const ctx = frameCanvas(size.width, size.height);
      try {
        await video.play();
        const started = performance.now();
        let next = started;
        for (;;) {
          signal?.throwIfAborted();
          await nextVideoFrame(video);
          const now = performance.now();
          if (options.duration > 0 && now - started >= options.duration * 1000) break;
          if (now < next) continue; // the camera runs faster than the asked rate: drop this frame
          next = Math.max(next + 1000 / fps, now);
          yield await grab(ctx, video, size.width, size.height);
        }
      } finally {
        live.getTracks().forEach((t) => t.stop());
        video.srcObject = null;
      }
    },
  };
}

async function requestCamera(): Promise<MediaStream> {
  const media = globalThis.navigator?.mediaDevices;
  if (!media?.getUserMedia) throw new VideoError('webcam: this browser (or an insecure http:// page) gives no camera access');
  try {
    return await media.getUserMedia({ video: true, audio: false });
  } catch (e) {
    const name = (e as DOMException)?.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new VideoError('webcam: permission to use the camera was refused; allow it in the browser and run again');
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
      throw new VideoError('webcam: no camera was found');
    }
    if (name === 'NotReadableError') throw new VideoError('webcam: the camera is in use by another program');
    throw new VideoError(`webcam: ${(e as Error)?.message ?? String(e)}`);
  }
}

function nextVideoFrame(video: HTMLVideoElement): Promise<void> {
  const rvfc = (video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number }).requestVideoFrameCallback;
  if (rvfc) return new Promise((resolve) => rvfc.call(video, () => resolve()));
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
