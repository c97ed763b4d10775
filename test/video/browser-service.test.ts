/**
 * The browser video service's parts that run without a DOM: the video-out sink (frames to the bus
 * as RGBA) and the webcam's error messages (getUserMedia stubbed the way browsers fail).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createBrowserVideoService } from '../../src/platform/browser/video';
import { VideoFrameBus, type VideoFrameMessage } from '../../src/platform/browser/video-frame-bus';

const OPEN = { maxSide: 64, fps: 0, start: 0, duration: 0 };
const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

function stubCamera(getUserMedia?: () => Promise<never>) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { mediaDevices: getUserMedia ? { getUserMedia } : undefined },
    configurable: true,
    writable: true,
  });
}

afterEach(() => {
  if (hadNavigator) Object.defineProperty(globalThis, 'navigator', hadNavigator);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

describe('browser video service', () => {
  it('video-out sink publishes each frame as RGBA pixels under the node id, then a done marker', async () => {
    const bus = new VideoFrameBus();
    const got: VideoFrameMessage[] = [];
    bus.subscribe('player', (m) => got.push(m));
    const service = createBrowserVideoService({ baseUrl: '/', bus });
    // a high rate so the pacing (one frame per 1/fps) does not slow the test
    const sink = await service.createSink({ nodeId: 'player', fileName: 'player', width: 2, height: 1, fps: 1000, writeFrames: true, webm: true });
    const frames = [0.2, 0.6].map((v) => tf.tensor3d([v, 0, 1, v, 0, 1], [1, 2, 3]));
    for (const f of frames) await sink.write(f);
    const result = await sink.close();
    tf.dispose(frames);
    expect(result).toEqual({ frames: 2, files: [], notes: [] });
    expect(got.map((m) => [m.index, !!m.done])).toEqual([[0, false], [1, false], [1, true]]);
    expect([...got[0].data]).toEqual([51, 0, 255, 255, 51, 0, 255, 255]);
    expect([...got[1].data.slice(0, 4)]).toEqual([153, 0, 255, 255]);
  });

  it.each([
    ['NotAllowedError', /permission to use the camera was refused/],
    ['NotFoundError', /no camera was found/],
    ['NotReadableError', /camera is in use by another program/],
  ])('webcam %s gives a clear message', async (name, message) => {
    stubCamera(() => Promise.reject(new DOMException('denied', name)));
    const service = createBrowserVideoService({ baseUrl: '/' });
    await expect(service.open({ kind: 'webcam' }, OPEN)).rejects.toThrow(message);
  });

  it('says when the page has no camera access at all', async () => {
    stubCamera(undefined);
    await expect(createBrowserVideoService({ baseUrl: '/' }).open({ kind: 'webcam' }, OPEN)).rejects.toThrow(/gives no camera access/);
  });

  it('refuses disk paths, which a browser cannot read', async () => {
    await expect(createBrowserVideoService({ baseUrl: '/' }).open({ kind: 'path', path: '/home/me/clip.webm' }, OPEN)).rejects.toThrow(
      /cannot read files from disk by path; give a URL/,
    );
  });
});
