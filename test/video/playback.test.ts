import { describe, expect, it } from 'vitest';
import { VideoFrameBus, type VideoFrameMessage } from '../../src/platform/browser/video-frame-bus';
import { FpsMeter } from '../../src/ui/video/fps-meter';
import { FrameBuffer } from '../../src/ui/video/frame-buffer';

const frame = (index: number): VideoFrameMessage => ({ width: 1, height: 1, data: new Uint8ClampedArray(4), fps: 24, index });

describe('fps meter', () => {
  it('measures the rate over the last second and forgets older frames', () => {
    const m = new FpsMeter(1000);
    expect(m.tick(0)).toBe(0);
    for (let t = 100; t <= 900; t += 100) m.tick(t);
    expect(m.rate(900)).toBeCloseTo(10, 6);
    // a stall: frames from before the window no longer count
    expect(m.tick(2500)).toBe(0);
    expect(m.tick(2540)).toBeCloseTo(25, 6);
  });
});

describe('video frame bus', () => {
  it('delivers a node\'s frames to its view only, and fallback-keyed frames to every view', () => {
    const bus = new VideoFrameBus();
    const a: number[] = [];
    const b: number[] = [];
    const offA = bus.subscribe('a', (f) => a.push(f.index));
    bus.subscribe('b', (f) => b.push(f.index));
    bus.publish('a', frame(1));
    bus.publish('b', frame(2));
    bus.publish(VideoFrameBus.FALLBACK_KEY, frame(3));
    expect(a).toEqual([1, 3]);
    expect(b).toEqual([2, 3]);
    offA();
    bus.publish('a', frame(4));
    bus.publish(VideoFrameBus.FALLBACK_KEY, frame(5));
    expect(a).toEqual([1, 3]);
    expect(b).toEqual([2, 3, 5]);
  });
});

describe('replay buffer', () => {
  const sized = (index: number, bytes: number): VideoFrameMessage => ({ width: 1, height: 1, data: new Uint8ClampedArray(bytes), fps: 12, index });

  it('keeps the latest run, restarts on a new run, ignores done markers', () => {
    const b = new FrameBuffer(1000);
    [0, 1, 2].forEach((i) => b.add(sized(i, 10)));
    b.add({ ...sized(2, 10), done: true });
    expect(b.length).toBe(3);
    expect(b.fps).toBe(12);
    b.add(sized(0, 10));
    expect(b.length).toBe(1);
  });

  it('drops the oldest frames past its byte limit, and says so', () => {
    const b = new FrameBuffer(100);
    for (let i = 0; i < 8; i++) b.add(sized(i, 30));
    expect(b.length).toBe(3);
    expect(b.at(0)?.index).toBe(5);
    expect(b.truncated).toBe(true);
  });
});

describe('video frame bus, late views', () => {
  it('shows a view that opens after a run the latest frame of its node', () => {
    const bus = new VideoFrameBus();
    bus.publish('a', frame(7));
    bus.publish('b', frame(9));
    const seen: number[] = [];
    bus.subscribe('a', (f) => seen.push(f.index));
    expect(seen).toEqual([7]);
  });
});
