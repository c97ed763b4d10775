/**
 * decoder-channels: what an MGAN decoder's input channels have learned (the paper's Fig. 7): each
 * tile is G's decode of a relu4_1 field in which one channel alone is active.
 */
import * as tf from '@tensorflow/tfjs';
import { composeContactSheet, type SheetTile } from '../formats/contact-sheet';
import { imageTensorToRgba, rgbaToImageTensor } from '../method/image/image-tensor';
import { PROBE_FIELDS, channelStrengths, decodeChannel, strongestChannels } from '../method/mgan/channel-probe';
import { GENERATOR_INPUT_CHANNELS, GENERATOR_INPUT_LAYER } from '../method/mgan/generator';
import { checkConvention } from '../method/mgan/decoder';
import { postprocess } from '../method/mdan/mdan';
import { resolveDecoder } from './mgan-decoder';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

/** The `channels` param: relu4_1 channel numbers, or none (then the photo's strongest are taken). */
export function parseChannels(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const channels = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isInteger(channels[i]) || channels[i] < 0 || channels[i] >= GENERATOR_INPUT_CHANNELS);
  if (bad !== undefined) throw new ParamError(undefined, 'channels', `decoder-channels: '${bad}' is not a relu4_1 channel (whole numbers 0 … ${GENERATOR_INPUT_CHANNELS - 1})`);
  return [...new Set(channels)];
}

export const decoderChannelsNode = defineNode({
  type: 'decoder-channels',
  version: 1,
  title: 'Decoder channels',
  category: 'MGAN',
  doc: `Shows what a trained MGAN decoder has learned, feature by feature (the paper's Fig. 7): for each
chosen channel of G's input (VGG19 relu4_1, 512 channels) G decodes a field of \`cells\`×\`cells\` cells
in which that channel alone is active, at the centre cell (\`field\` \`point\`, the paper's one-hot input)
or at every cell (\`fill\`), and every other channel is zero; the tiles are laid out in a grid,
labelled with the channel number. Each field is decoded with a margin of 2 cells that is cut off (G's
zero padding paints a frame along the border), and each tile's contrast is stretched (\`stretch\`:
mean removed, ±2 std to black and white) so the feature shows over G's answer to an empty input. Each tile is the patch of texture G paints for that one feature:
similar to parts of the example, not copies of it (the paper: the encoding is distributed, so
single features only approximate the texture).

Which channels and how strongly: with a **photo** connected, the \`count\` channels that fire most
strongly on it, each at \`gain\` × its strongest activation there, so the tiles show features real
photos use; \`channels\` lists channels by number
instead. Without a photo each listed channel is set to \`strength\`.
Decoding uses the decoder's running statistics (\`fixed\`): a constant field has no batch statistics.

Inputs: **decoder** (optional; else the \`decoder\` param, e.g. the bundled \`starry_night\`),
**photo** (optional).`,
  inputs: [
    { name: 'decoder', type: 'Decoder', optional: true, description: 'a trained decoder (else the decoder param)' },
    { name: 'photo', type: 'Image', optional: true, description: 'picks the channels and their strengths' },
  ],
  outputs: [{ name: 'image', type: 'Image', description: 'one decoded tile per channel, labelled' }],
  params: {
    decoder: param.string({ default: 'starry_night', widget: 'decoder', resource: 'store-or-path', doc: 'Decoder name, folder or .mgan file (when the input is unconnected).' }),
    channels: param.string({ default: '', doc: 'relu4_1 channels to show, comma-separated (empty: the photo\'s strongest).' }),
    count: param.number({ default: 16, min: 1, max: 64, step: 1, integer: true, doc: "How many of the photo's strongest channels to show (when channels is empty)." }),
    strength: param.number({ default: 20, min: 0, max: 1000, step: 1, doc: 'Activation of the chosen channel when no photo is connected.' }),
    gain: param.number({ default: 8, min: 0, max: 100, step: 0.1, doc: "With a photo: the activation as a multiple of the channel's strongest on it." }),
    stretch: param.boolean({ default: true, doc: "Stretch each tile's contrast (mean removed, ±2 std to black and white), so the pattern shows over G's response to an empty input." }),
    field: param.choice(PROBE_FIELDS, { default: 'point', doc: "'fill': the channel on in every cell; 'point': in the centre cell only." }),
    cells: param.number({ default: 8, min: 1, max: 64, step: 1, integer: true, doc: 'Side of the active field in relu4_1 cells (the tile is 8× that in px).' }),
  },
  async run(ctx) {
    const photo = ctx.inputs.photo as tf.Tensor3D | undefined;
    const p = ctx.params;
    const listed = parseChannels(p.channels);
    if (!photo && listed.length === 0) {
      throw new ParamError(undefined, 'channels', 'decoder-channels: connect a photo (its strongest channels are shown) or list channels by number');
    }
    const { decoder, owned } = await resolveDecoder(ctx, 'decoder-channels');
    try {
      let strengths: ArrayLike<number> | undefined;
      if (photo) {
        const service = ctx.env.services.vgg19;
        if (!service) throw new Error('decoder-channels: no VGG19 service in this environment (install the weights: npx mgan-studio weights --from <folder|url>)');
        const vgg = await service.load(GENERATOR_INPUT_LAYER);
        checkConvention(decoder.meta, vgg);
        strengths = channelStrengths(vgg, photo);
      }
      const channels = listed.length ? listed : strongestChannels(strengths!, p.count);
      const tiles: SheetTile[] = [];
      for (const [i, channel] of channels.entries()) {
        ctx.signal.throwIfAborted();
        const strength = strengths ? strengths[channel] * p.gain : p.strength;
        const decoded = decodeChannel(decoder.generator, channel, strength, p.cells, p.field);
        const tile = p.stretch ? postprocess(decoded) : decoded;
        if (tile !== decoded) decoded.dispose();
        try {
          tiles.push({ image: { width: tile.shape[1], height: tile.shape[0], data: await imageTensorToRgba(tile) }, label: `ch ${channel}` });
        } finally {
          tile.dispose();
        }
        ctx.progress((i + 1) / channels.length, { message: `channel ${channel} (${i + 1}/${channels.length})` });
      }
      const sheet = composeContactSheet(tiles, `${decoder.meta.name}: one relu4_1 channel each`);
      return { image: rgbaToImageTensor(sheet.data, sheet.width, sheet.height) };
    } finally {
      if (owned) decoder.dispose();
    }
  },
});
