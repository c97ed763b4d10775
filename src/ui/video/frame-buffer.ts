import type { VideoFrameMessage } from '../../platform/browser/video-frame-bus';

/**
 * The frames of the latest run, kept as RGBA so the view can replay them (and record a replay from
 * the first frame). Older frames are dropped past `maxBytes`, so a long video cannot fill memory.
 */
export class FrameBuffer {
  private frames: VideoFrameMessage[] = [];
  private bytes = 0;
  /** True when frames were dropped, so a replay starts later than the video. */
  truncated = false;

  constructor(private readonly maxBytes = 256 * 2 ** 20) {}

  add(frame: VideoFrameMessage): void {
    if (frame.done) return;
    if (frame.index === 0) this.clear();
    this.frames.push(frame);
    this.bytes += frame.data.byteLength;
    while (this.bytes > this.maxBytes && this.frames.length > 1) {
      this.bytes -= this.frames.shift()!.data.byteLength;
      this.truncated = true;
    }
  }

  get length(): number {
    return this.frames.length;
  }

  get fps(): number {
    return this.frames[0]?.fps ?? 24;
  }

  at(i: number): VideoFrameMessage | undefined {
    return this.frames[i];
  }

  clear(): void {
    this.frames = [];
    this.bytes = 0;
    this.truncated = false;
  }
}
