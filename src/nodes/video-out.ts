/**
 * video-out: plays (browser) or writes (headless) a stream of frames. It pulls one frame at a time
 * from its input and disposes it after writing, so memory stays flat however long the video is.
 */
import type * as tf from '@tensorflow/tfjs';
import { checkFileName } from '../formats/file-name';
import { isFrames } from '../method/video/frames';
import { ParamError, type NodeDefinition, type RunContext, type WorkEstimator } from './types';
import { VideoError, videoService, type VideoSinkResult } from '../services/video';

/** The name used for output files: the `name` param (a plain file name), else the node id. */
function outputName(ctx: RunContext): string {
  const name = String(ctx.params.name ?? '').trim();
  if (!name) return ctx.nodeId;
  return checkFileName(name, 'name', (message) => new ParamError(undefined, 'name', message));
}

/**
 * Decoding dominates a stylised video: the frames' megapixels through an mgan-decoder. Frames are
 * assumed 3:2 at the source's maxSide; their count is known before the run only from maxFrames or
 * the source's duration × fps.
 */
const estimateWork: WorkEstimator = (params, input) => {
  const decoder = input('frames');
  if (decoder?.type !== 'mgan-decoder') return [];
  const source = decoder.input('image');
  if (source?.type !== 'video-source') return [];
  const side = Number(source.params.maxSide);
  const megapixels = (side * Math.round((side * 2) / 3)) / 1e6;
  const fromSource = Number(source.params.duration) > 0 && Number(source.params.fps) > 0 ? Math.ceil(Number(source.params.duration) * Number(source.params.fps)) : undefined;
  const maxFrames = Number(params.maxFrames) > 0 ? Number(params.maxFrames) : undefined;
  const frames = maxFrames !== undefined && fromSource !== undefined ? Math.min(maxFrames, fromSource) : (maxFrames ?? fromSource);
  return [{ kind: 'decode-megapixel', perIteration: megapixels, iterations: frames, counted: true, each: 'frame', label: `${frames ?? 'every'} frame${frames === 1 ? '' : 's'} decoded at ${side} px` }];
};

async function run(ctx: RunContext): Promise<Record<string, never>> {
  const frames = ctx.inputs.frames;
  if (!isFrames(frames)) throw new VideoError("video-out: input 'frames' is not a stream of frames");
  const fps = Number(ctx.params.fps) > 0 ? Number(ctx.params.fps) : frames.fps;
  const maxFrames = Number(ctx.params.maxFrames);
  const total = maxFrames > 0 ? Math.min(maxFrames, frames.frameCount ?? maxFrames) : frames.frameCount;
  const sink = await videoService(ctx.env.services).createSink({
    nodeId: ctx.nodeId,
    fileName: outputName(ctx),
    width: frames.width,
    height: frames.height,
    fps,
    writeFrames: ctx.params.writeFrames !== false,
    webm: ctx.params.webm !== false,
  });
  let written = 0;
  const started = Date.now();
  let result: VideoSinkResult;
  try {
    for await (const frame of frames.open(ctx.signal)) {
      try {
        await ctx.control.checkpoint();
        await sink.write(frame);
        ctx.preview(frame);
      } finally {
        disposeFrame(frame);
      }
      written++;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? written / seconds : 0;
      ctx.progress(total ? Math.min(1, written / total) : 0, {
        iteration: written,
        total,
        message: `frame ${written}${total ? `/${total}` : ''} · ${rate.toFixed(1)} fps`,
      });
      if (maxFrames > 0 && written >= maxFrames) break;
    }
    result = await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
  if (result.frames === 0) throw new VideoError('video-out: the input stream gave no frames');
  for (const note of result.notes) ctx.warn(note);
  ctx.progress(1, { iteration: written, total: written, message: `${written} frames${result.files.length ? ` → ${result.files.join(', ')}` : ''}` });
  return {};
}

function disposeFrame(frame: tf.Tensor3D): void {
  if (!frame.isDisposed) frame.dispose();
}

export const videoOutNode: NodeDefinition = {
  type: 'video-out',
  version: 1,
  title: 'Video out',
  category: 'Video',
  long: true,
  doc: `Plays or saves a stream of frames.

In the editor it plays the frames live on a canvas with a frames-per-second meter; **Record**
saves what plays as a WebM file. Headless (\`mgan-studio run\`) it writes
\`<out>/<name>/frame_00001.png\`, \`frame_00002.png\`, ... and, when **ffmpeg** is on the PATH,
\`<out>/<name>.webm\` (VP8).

Frames are pulled one at a time and released after use, so a long video does not fill memory.
With an MGAN decoder in front this is the paper's Fig. 14: frame-by-frame stylisation, kept stable
by the decoder's fixed normalisation statistics and one noise field shared by all frames.

- **fps**: playback / file frame rate (0 = the input's rate).
- **maxFrames**: stop after this many frames (0 = all).
- **writeFrames**, **webm**: which files to write headless.
- **name**: file name (default: the node id).`,
  inputs: [{ name: 'frames', type: 'Frames', description: 'The frames to play or save.' }],
  outputs: [],
  params: [
    { name: 'fps', type: 'number', default: 0, min: 0, max: 120, description: 'Frame rate of the output (0 = the input rate).' },
    { name: 'maxFrames', type: 'number', default: 0, min: 0, integer: true, description: 'Stop after this many frames (0 = all).' },
    { name: 'writeFrames', type: 'boolean', default: true, description: 'Headless: write numbered PNG frames.' },
    { name: 'webm', type: 'boolean', default: true, description: 'Headless: encode a WebM with ffmpeg (if on the PATH).' },
    { name: 'name', type: 'string', default: '', resource: 'output-name', description: 'Output file name, a plain name without folders (default: the node id).' },
  ],
  estimateWork,
  run,
};
