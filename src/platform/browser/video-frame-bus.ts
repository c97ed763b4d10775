/**
 * Frames on their way from a browser video-out node to the editor's VideoOutView, as plain RGBA
 * pixels (no tensors, no TensorFlow.js import, so the UI can use it).
 */

/** One frame as plain pixels, for the UI. */
export interface VideoFrameMessage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  fps: number;
  index: number;
  /** Set on the last frame of a run. */
  done?: boolean;
}

type FrameListener = (frame: VideoFrameMessage) => void;

/**
 * Frames published by video-out sinks, keyed by the output name (the node id). The runtime does not
 * tell nodes their id yet, so a sink without one publishes under FALLBACK_KEY, which every view hears.
 */
export class VideoFrameBus {
  static readonly FALLBACK_KEY = 'video-out';
  private readonly listeners = new Map<string, Set<FrameListener>>();

  private readonly latest = new Map<string, VideoFrameMessage>();

  /** Listens for frames under `key`; a view that opens late is shown the latest frame at once. */
  subscribe(key: string, listener: FrameListener): () => void {
    const keys = key === VideoFrameBus.FALLBACK_KEY ? [key] : [key, VideoFrameBus.FALLBACK_KEY];
    for (const k of keys) {
      let set = this.listeners.get(k);
      if (!set) this.listeners.set(k, (set = new Set()));
      set.add(listener);
    }
    const last = this.latest.get(key) ?? this.latest.get(VideoFrameBus.FALLBACK_KEY);
    if (last) listener(last);
    return () => keys.forEach((k) => this.listeners.get(k)?.delete(listener));
  }

  publish(key: string, frame: VideoFrameMessage): void {
    this.latest.set(key, frame);
    this.listeners.get(key)?.forEach((l) => l(frame));
  }
}

export const videoFrameBus = new VideoFrameBus();
