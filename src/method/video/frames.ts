/**
 * Lazy operations on Frames (a stream of video frames). Nothing is decoded until a consumer opens
 * the stream; each consumer owns every frame it receives and disposes it.
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * A stream of frames (video). Each consumer opens its own iteration and owns (disposes) each
 * frame it receives. Node files see it as `Frames` from src/nodes/types.ts.
 */
export interface Frames {
  width: number;
  height: number;
  fps: number;
  frameCount?: number;
  open(signal?: AbortSignal): AsyncIterable<tf.Tensor3D>;
  dispose?(): void;
}

export interface MapFramesOptions {
  /** Output frame size, when the mapping changes it (e.g. a decoder rounds to multiples of 8). */
  width?: number;
  height?: number;
  /** Called by the mapped stream's `dispose()`: frees what `fn` needs (e.g. a decoder loaded for it). */
  onDispose?: () => void;
}

/**
 * Frames whose every frame is `fn(frame)`. `fn` must not dispose its argument and must return a new
 * tensor; the input frame is disposed here as soon as `fn` is done with it, so at most one input and
 * one output frame are alive per consumer.
 */
export function mapFrames(
  frames: Frames,
  fn: (frame: tf.Tensor3D, index: number, signal?: AbortSignal) => Promise<tf.Tensor3D> | tf.Tensor3D,
  options: MapFramesOptions = {},
): Frames {
  return {
    width: options.width ?? frames.width,
    height: options.height ?? frames.height,
    fps: frames.fps,
    frameCount: frames.frameCount,
    open(signal?: AbortSignal): AsyncIterable<tf.Tensor3D> {
      return mapIterable(frames.open(signal), fn, signal);
    },
    ...(options.onDispose ? { dispose: options.onDispose } : {}),
  };
}

async function* mapIterable(
  source: AsyncIterable<tf.Tensor3D>,
  fn: (frame: tf.Tensor3D, index: number, signal?: AbortSignal) => Promise<tf.Tensor3D> | tf.Tensor3D,
  signal?: AbortSignal,
): AsyncGenerator<tf.Tensor3D> {
  let index = 0;
  for await (const frame of source) {
    let mapped: tf.Tensor3D;
    try {
      signal?.throwIfAborted();
      mapped = await fn(frame, index, signal);
    } finally {
      frame.dispose();
    }
    index++;
    yield mapped;
  }
}

/** Frames holding at most the first `count` frames of `frames` (the source stops decoding after them). */
export function takeFrames(frames: Frames, count: number): Frames {
  return {
    width: frames.width,
    height: frames.height,
    fps: frames.fps,
    frameCount: frames.frameCount === undefined ? count : Math.min(count, frames.frameCount),
    open(signal?: AbortSignal): AsyncIterable<tf.Tensor3D> {
      return takeIterable(frames.open(signal), count);
    },
  };
}

async function* takeIterable(source: AsyncIterable<tf.Tensor3D>, count: number): AsyncGenerator<tf.Tensor3D> {
  if (count <= 0) return;
  let taken = 0;
  for await (const frame of source) {
    yield frame;
    if (++taken >= count) return;
  }
}

/** Frames made by `make`, called afresh for each consumer; it must yield new tensors the consumer will own. */
export function framesFromTensors(
  make: () => Iterable<tf.Tensor3D> | AsyncIterable<tf.Tensor3D>,
  info: { width: number; height: number; fps: number; frameCount?: number },
): Frames {
  return {
    ...info,
    open(): AsyncIterable<tf.Tensor3D> {
      return toAsync(make());
    },
  };
}

async function* toAsync(items: Iterable<tf.Tensor3D> | AsyncIterable<tf.Tensor3D>): AsyncGenerator<tf.Tensor3D> {
  yield* items;
}

/** The first frame of `frames` (the caller owns it); the stream stops decoding after it. */
export async function firstFrame(frames: Frames, signal?: AbortSignal): Promise<tf.Tensor3D> {
  for await (const frame of frames.open(signal)) return frame;
  throw new Error('the video has no frames');
}

/**
 * A one-frame stream holding `image` (taken over: `dispose()` frees it). Each consumer gets its own
 * copy, so a node that outputs an Image can offer it as Frames too.
 */
export function framesOfImage(image: tf.Tensor3D, fps = 1): Frames {
  const [height, width] = image.shape;
  return {
    width,
    height,
    fps,
    frameCount: 1,
    async *open(): AsyncGenerator<tf.Tensor3D> {
      yield image.clone();
    },
    dispose() {
      image.dispose();
    },
  };
}

export function isFrames(x: unknown): x is Frames {
  return !!x && typeof x === 'object' && typeof (x as Frames).open === 'function' && typeof (x as Frames).width === 'number';
}
