/**
 * video-source: a video as a lazily decoded stream of frames (Frames). Nothing is decoded until a
 * consumer (video-out, a decoder's frames output) opens the stream; the node itself only probes the
 * source and decodes its first frame for the preview, so a broken file fails here, at the source.
 */
import type { ParamValue } from '../graph/types';
import { SAMPLE_INDEX } from './sample-index';
import { ParamError, aboutParam, type Frames, type NodeDefinition, type RunContext } from './types';
import { VideoError, videoService, type VideoOpenOptions, type VideoRef } from '../services/video';

const VIDEO_SAMPLES = Object.entries(SAMPLE_INDEX.samples)
  .filter(([, s]) => s.kind === 'video')
  .map(([name]) => name);

/** Which source the params select: webcam, then url, then path, then the bundled sample. */
export function videoRefFromParams(params: Record<string, ParamValue>, nodeId?: string): VideoRef {
  if (params.webcam === true) return { kind: 'webcam' };
  const url = String(params.url ?? '').trim();
  if (url) {
    if (!/^(https?:|blob:|data:)/i.test(url)) throw new ParamError(nodeId, 'url', `url must start with http(s):, blob: or data:, got '${url}'`);
    return { kind: 'url', url };
  }
  const path = String(params.path ?? '').trim();
  if (path) return { kind: 'path', path };
  const sample = String(params.sample ?? '');
  if (!VIDEO_SAMPLES.includes(sample)) {
    throw new ParamError(nodeId, 'sample', `unknown video sample '${sample}' (bundled: ${VIDEO_SAMPLES.join(', ')})`);
  }
  return { kind: 'sample', name: sample };
}

function openOptions(params: Record<string, ParamValue>): VideoOpenOptions {
  return {
    maxSide: Number(params.maxSide),
    fps: Number(params.fps),
    start: Number(params.start),
    duration: Number(params.duration),
  };
}

function describeRef(ref: VideoRef): string {
  switch (ref.kind) {
    case 'sample':
      return `sample '${ref.name}'`;
    case 'path':
      return ref.path;
    case 'url':
      return ref.url;
    case 'webcam':
      return 'webcam';
  }
}

async function run(ctx: RunContext): Promise<{ frames: Frames }> {
  const ref = videoRefFromParams(ctx.params);
  const service = videoService(ctx.env.services);
  const frames = await service.open(ref, openOptions(ctx.params), ctx.signal).catch((e: unknown) => {
    throw aboutParam(ref.kind, e);
  });
  if (ref.kind !== 'webcam') await previewFirstFrame(ctx, frames, describeRef(ref));
  return { frames };
}

/** Decodes the first frame for the node's preview; a file that yields none is an error here. */
async function previewFirstFrame(ctx: RunContext, frames: Frames, what: string): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const frame of frames.open(stop.signal)) {
      ctx.preview(frame);
      frame.dispose();
      return; // leaving the loop stops the decoder
    }
    throw new VideoError(`${what}: no frames in the requested range (check start and duration)`);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

export const videoSourceNode: NodeDefinition = {
  type: 'video-source',
  version: 1,
  title: 'Video source',
  category: 'Video',
  doc: `A video as a stream of frames: a bundled sample, a video file (or a folder of PNG frames) on
disk, a URL, or the webcam (browser only).

Frames are decoded lazily, one at a time, as the nodes downstream ask for them, so a long video
never has to fit in memory; each frame is a float RGB image in [0, 1]. Headless, video files are
decoded with **ffmpeg** (it must be on the PATH; a folder of PNG frames works without it).

The paper (Fig. 14) decodes a 1080x810 video frame by frame with a trained MGAN decoder: connect
this node to **MGAN decoder**'s input and its *frames* output to **Video out**.

- **sample**: bundled video used when neither path, url nor webcam is set.
- **path**: a video file or a folder of \`.png\` frames (sorted by name); in the browser, a path
  the site serves (e.g. \`samples/video/coffee_pan.webm\`).
- **url**: an http(s) URL of a video.
- **webcam**: use the camera (browser; asks for permission).
- **maxSide**: frames are scaled down so their longer side is at most this many pixels (speed and
  memory grow with the pixel count).
- **fps**: frames per second to take (0 = the source's rate; PNG folders: 24).
- **start**, **duration**: the part of the video to use, in seconds (duration 0 = to the end).`,
  inputs: [],
  outputs: [{ name: 'frames', type: 'Frames', description: 'The decoded frames, [H, W, 3] in [0, 1], opened lazily.' }],
  params: [
    {
      name: 'sample',
      type: 'string',
      default: VIDEO_SAMPLES[0] ?? 'coffee_pan',
      options: VIDEO_SAMPLES,
      description: 'Bundled sample video (used when path, url and webcam are unset).',
    },
    { name: 'path', type: 'string', default: '', widget: 'path', resource: 'path', description: 'Video file or folder of PNG frames.' },
    { name: 'url', type: 'string', default: '', widget: 'url', resource: 'url', description: 'URL of a video file.' },
    { name: 'webcam', type: 'boolean', default: false, description: 'Use the camera (browser only).' },
    {
      name: 'maxSide',
      type: 'number',
      default: 480,
      min: 16,
      max: 4096,
      step: 16,
      integer: true,
      description: 'Longest frame side in pixels; larger frames are scaled down.',
    },
    { name: 'fps', type: 'number', default: 0, min: 0, max: 120, description: 'Frame rate to take (0 = the source rate).' },
    { name: 'start', type: 'number', default: 0, min: 0, step: 0.1, description: 'Start time in seconds.' },
    { name: 'duration', type: 'number', default: 0, min: 0, step: 0.1, description: 'Seconds to take (0 = to the end).' },
  ],
  run,
};
