/**
 * mgan-decoder: stylises an image in one forward pass through a trained MGAN decoder (VGG19 relu4_1
 * -> G). The decoder comes from the `decoder` input, or from the decoder store by name/path.
 * The per-image logic lives in src/method/mgan/decoder.ts (video decodes frame by frame with the same call).
 */
import * as tf from '@tensorflow/tfjs';
import { INVERTER_EXPLANATION, INVERTER_LABEL, isInverterDecoder } from '../formats/inverter-decoder';
import type { Normalization } from '../method/mgan/batch-norm';
import { DECODE_PRECISIONS, type DecodeOptions, type MganDecoder, decodableSize, isMganDecoder } from '../method/mgan/decoder';
import { firstFrame, framesOfImage, isFrames, mapFrames } from '../method/video/frames';
import { ParamError, type Frames, type RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

/**
 * The connected decoder (not ours to dispose), or one opened by the `decoder` param (ours); the node
 * notes which one runs ("decoder 'starry_night' (bundled)" or "(yours)").
 */
export async function resolveDecoder(ctx: RunContext<{ decoder: string }>, nodeType: string): Promise<{ decoder: MganDecoder; owned: boolean }> {
  const connected = ctx.inputs.decoder;
  if (connected !== undefined) {
    if (!isMganDecoder(connected)) throw new Error(`${nodeType}: input 'decoder' is not an MGAN decoder`);
    return { decoder: connected, owned: false };
  }
  const name = ctx.params.decoder.trim();
  if (!name) {
    throw new ParamError(
      undefined,
      'decoder',
      `${nodeType}: no decoder chosen: connect a Decoder (an MGAN trainer's output) or set 'decoder' to a decoder's name, ` +
        "yours or a bundled one (the editor's Decoders panel and `npx mgan-studio decoders list` show them), or to a .mgan file",
    );
  }
  const store = ctx.env.services.decoders;
  if (!store) throw new ParamError(undefined, 'decoder', `${nodeType}: no decoder store in this environment`);
  let opened: { decoder: MganDecoder; label: string };
  try {
    opened = await store.open(name);
  } catch (e) {
    throw new ParamError(undefined, 'decoder', `${nodeType}: ${(e as Error).message}`);
  }
  ctx.note(isInverterDecoder(name) ? `${opened.label}: ${INVERTER_LABEL}, ${INVERTER_EXPLANATION}` : opened.label);
  return { decoder: opened.decoder, owned: true };
}

const params = {
  decoder: param.string({ default: '', widget: 'decoder', resource: 'store-or-path', doc: 'Decoder name (yours or bundled), folder or .mgan file (when the input is unconnected).' }),
  noise: param.number({ default: 0, min: 0, max: 2, step: 0.01, doc: 'Perlin noise weight added to the input.' }),
  noiseSeed: param.seed({ default: 0, doc: 'Noise seed.' }),
  tile: param.number({ default: 0, min: 0, max: 4096, step: 8, integer: true, doc: 'Tile side in px (0 = one piece).' }),
  normalization: param.choice(['fixed', 'batch'], { default: 'fixed', doc: "'fixed' running statistics (stable) or 'batch' (the authors')." }),
  precision: param.choice(DECODE_PRECISIONS, { default: 'f32', doc: "'f16': half precision on WebGPU with shader-f16 (else f32, with a warning)." }),
};

export const mganDecoderNode = defineNode({
  type: 'mgan-decoder',
  version: 1,
  title: 'MGAN decoder',
  category: 'MGAN',
  doc: `Turns an image into the texture's style in **one forward pass** through a trained MGAN decoder
(Li & Wand, ECCV 2016): VGG19 encodes the image to relu4_1, the decoder G paints it back at 8x that
size. 2-4 orders of magnitude faster than MDAN, and linear in the pixel count. A photo gives a
painting; Perlin or brown noise gives a new texture (paper Fig. 13).

The decoder comes from the **decoder** input (an MGAN trainer), or, when that is unconnected, by the
**decoder** parameter: the name of one of yours (saved by the trainer's \`saveAs\`, or imported from a
\`.mgan\` file) or of a decoder bundled with MGAN Studio (e.g. \`starry_night\`), a decoder folder, or
a \`.mgan\` file (command line: \`npx mgan-studio decoders list\` shows both kinds). Yours wins over a
bundled one of the same name; the card says which one runs: \`decoder 'starry_night' (bundled)\` or
\`(yours)\`.

A video (Frames, e.g. from **Video source**) works too: the **frames** output decodes every frame
lazily, one at a time, with the same noise field for all frames (paper Fig. 14); connect it to
**Video out**. The **image** output then holds the first decoded frame.

Any size works: sides are floored to a multiple of 8 (a warning says so). The decoder must have been
trained with the same VGG19 weights convention as the loaded VGG19 (a clear error otherwise).

Parameters:
- **noise**: weight of low-frequency Perlin noise added to the input (0 = none). The paper adds it to
  fight aliasing in flat regions; larger values invent more texture.
- **noiseSeed**: which noise (the same seed gives the same pixels, e.g. for every video frame).
- **tile**: decode in overlapping tiles of this many pixels (0 = one piece). Memory then stays bounded
  by the tile size; each tile is decoded with 64 px of context and blended over a 16 px overlap, so
  there are no seams. Large images (over 4 MP) need tiles.
- **normalization**: \`fixed\` uses the running batch-norm statistics recorded in training (stable
  across tiles and video frames: the default); \`batch\` uses this image's statistics, as the authors
  did (can flicker between frames).
- **precision**: \`f32\` (default) or \`f16\`: half-precision arithmetic on a WebGPU GPU that offers
  \`shader-f16\` (one program per layer, half the memory traffic), within 0.01 of the f32 pixels
  (measured: about 0.0006). Elsewhere, or with \`batch\` normalisation, it decodes in f32 and warns once.`,
  inputs: [
    { name: 'decoder', type: 'Decoder', optional: true, description: 'a trained decoder (else the decoder param)' },
    { name: 'image', type: ['Image', 'Frames'], description: 'the photo or noise to stylise, or a video (Frames)' },
  ],
  outputs: [
    { name: 'image', type: 'Image', description: 'the stylised image (sides floored to multiples of 8); for a video, its first frame' },
    { name: 'frames', type: 'Frames', description: 'for a video, every frame decoded lazily (one noise field for all); for an image, that one image' },
  ],
  params,
  async run(ctx) {
    const image = ctx.inputs.image as tf.Tensor3D | undefined;
    if (!image) throw new Error("mgan-decoder: input 'image' is not connected");
    const { normalization, precision } = ctx.params;
    if (isFrames(image)) return decodeVideo(ctx, image, normalization, precision);
    const { decoder, owned } = await resolveDecoder(ctx, 'mgan-decoder');
    try {
      const { tile, noise, noiseSeed } = ctx.params;
      const out = await decoder.decode(image, {
        noise,
        noiseSeed,
        tile: tile > 0 ? tile : false,
        normalization,
        precision,
        signal: ctx.signal,
        onMessage: (m) => ctx.warn(`mgan-decoder: ${m}`),
        onProgress: (done, total) => ctx.progress(done / total, { message: `decoding tile ${done}/${total}` }),
      });
      return { image: out, frames: framesOfImage(tf.clone(out)) };
    } finally {
      if (owned) decoder.dispose();
    }
  },
});

/**
 * A video: every frame through the decoder, lazily (src/method/video/frames.ts), with one noise field for all
 * frames. The stream keeps a decoder loaded from the store until the runtime disposes the stream.
 */
async function decodeVideo(ctx: RunContext<ParamsOf<typeof params>>, video: Frames, normalization: Normalization, precision: DecodeOptions['precision']) {
  const size = decodableSize(video.height, video.width);
  if (size.message) ctx.warn(`mgan-decoder: video frames ${size.message}`);
  if (normalization === 'batch') ctx.warn("mgan-decoder: 'batch' statistics change from frame to frame, so the video flickers; 'fixed' keeps it stable");
  const { decoder, owned } = await resolveDecoder(ctx, 'mgan-decoder');
  const { tile, noise, noiseSeed } = ctx.params;
  const frames = mapFrames(
    video,
    (frame, _index, signal) =>
      decoder.decode(frame, { noise, noiseSeed, tile: tile > 0 ? tile : false, normalization, precision, signal, onMessage: (m) => ctx.warn(`mgan-decoder: ${m}`) }),
    { width: size.width, height: size.height, onDispose: owned ? () => decoder.dispose() : undefined },
  );
  try {
    return { image: await firstFrame(frames, ctx.signal), frames };
  } catch (e) {
    frames.dispose?.();
    throw e;
  }
}
