/**
 * speed-comparison: the paper's Fig. 15 measured on the viewer's own machine: MDAN, Gram-matrix
 * optimisation and MGAN decoding, seconds per image by size, on a log scale beside the paper's
 * figures, drawn as an image (the card and the CLI show the same chart).
 */
import * as tf from '@tensorflow/tfjs';
import { drawLogChart, type ChartSeries } from '../formats/log-chart';
import { rgbaToImageTensor } from '../method/image/image-tensor';
import { DEFAULT_GRAM_OPTIONS } from '../method/gram/gram';
import { DEFAULT_MDAN_OPTIONS } from '../method/mdan/mdan';
import { PAPER_SECONDS, formatSeconds, measureSpeeds, type SpeedMethod, type SpeedRow } from '../method/speed/speed-comparison';
import { resolveDecoder } from './mgan-decoder';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

/** The `sizes` param as sides in px; a ParamError naming a bad entry. */
export function parseSizes(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const sizes = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isInteger(sizes[i]) || sizes[i] < 32 || sizes[i] > 2048 || sizes[i] % 16 !== 0);
  if (bad !== undefined || sizes.length === 0) {
    throw new ParamError(undefined, 'sizes', `speed-comparison: sizes must list image sides from 32 to 2048 px, multiples of 16 (e.g. 64, 128, 256)${bad ? `; '${bad}' is not one` : ''}`);
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

const COLORS: Record<SpeedMethod, readonly [number, number, number]> = {
  mdan: [58, 160, 95],
  gram: [214, 120, 40],
  mgan: [66, 110, 210],
};
const NAMES: Record<SpeedMethod, string> = { mdan: 'MDAN', gram: 'Gram (Gatys)', mgan: 'MGAN decode' };

/** The chart: measured lines solid, the paper's dashed. */
export function speedChart(rows: SpeedRow[], machine: string): tf.Tensor3D {
  const methods: SpeedMethod[] = ['mdan', 'gram', 'mgan'];
  const series: ChartSeries[] = [
    ...methods.map((m) => ({ label: `${NAMES[m]}, here`, color: COLORS[m], points: rows.map((r) => ({ x: r.size, y: r.seconds[m] })) })),
    ...methods.map((m) => ({
      label: `${NAMES[m]}, paper`,
      color: COLORS[m],
      dashed: true,
      points: Object.entries(PAPER_SECONDS[m]).map(([x, y]) => ({ x: Number(x), y })),
    })),
  ];
  const chart = drawLogChart({ title: 'Seconds per image', subtitle: `measured: ${machine}; paper: a 2016 GPU`, xLabel: 'image side, px (square images)', formatY: (v) => (v < 1 ? `${Math.round(v * 1000)} ms` : `${v} s`), series });
  return rgbaToImageTensor(chart.data, chart.width, chart.height);
}

export const speedComparisonNode = defineNode({
  type: 'speed-comparison',
  version: 1,
  title: 'Speed comparison',
  category: 'MGAN',
  long: true,
  doc: `The speed comparison of the paper's Fig. 15, **measured on this machine**: how long MDAN, Gatys et
al.'s Gram-matrix optimisation and MGAN decoding take per image, at each of \`sizes\` (square
images), on a log scale, with the paper's figures beside them (dashed).

The optimisers run \`timedIterations\` iterations at each size (guided by the photo, as in the
paper's timing) and are extrapolated to the iterations one image takes (\`mdanIterations\`,
\`gramIterations\`), their setup (the example's variants, the texture's Gram matrices) counted once.
The decoder decodes the photo \`decodeRepeats\` times after one warm-up decode; the median counts.
The paper's MGAN figures are its own (10 ms at 256², 40 ms at 512², 160 ms at 1024² on a 2016 GPU);
its Gram and MDAN figures are derived from the speed-ups it states (MGAN ~500× faster than Gatys et
al., ~25,000× faster than MDAN). The lines should be about parallel (all three scale with the pixel
count); the gaps between them are the point of the figure.

Inputs: **texture** (the optimisers' example), **photo** (resized to each size), **decoder**
(optional; else the \`decoder\` param, e.g. the bundled \`starry_night\`).
The chart is the **chart** output; each size's numbers are also noted on the card.`,
  inputs: [
    { name: 'texture', type: 'Image', description: 'the example texture' },
    { name: 'photo', type: 'Image', description: 'the photo timed (resized to each size)' },
    { name: 'decoder', type: 'Decoder', optional: true, description: 'a trained decoder (else the decoder param)' },
  ],
  outputs: [{ name: 'chart', type: 'Image', description: 'seconds per image by size, log scale, measured and the paper’s' }],
  params: {
    sizes: param.string({ default: '64, 128, 256', doc: 'Image sides to time, px (multiples of 16), comma-separated.', paper: '256, 512, 1024' }),
    timedIterations: param.number({ default: 3, min: 2, max: 100, step: 1, integer: true, doc: 'Optimiser iterations actually run per size.' }),
    mdanIterations: param.number({ default: 125, min: 1, max: 10000, step: 1, integer: true, doc: 'MDAN iterations one image takes (extrapolated to).', paper: '~125' }),
    gramIterations: param.number({ default: 500, min: 1, max: 10000, step: 1, integer: true, doc: 'Gram iterations one image takes (extrapolated to).', paper: '~500' }),
    decodeRepeats: param.number({ default: 3, min: 1, max: 100, step: 1, integer: true, doc: 'Timed decodes per size (median kept).' }),
    dChannels: param.number({ default: 256, min: 1, max: 1024, step: 1, integer: true, doc: "MDAN's discriminator width.", paper: 256 }),
    decoder: param.string({ default: 'starry_night', widget: 'decoder', resource: 'store-or-path', doc: 'Decoder name, folder or .mgan file (when the input is unconnected).' }),
  },
  estimateWork({ sizes, timedIterations }) {
    let list: number[] = [];
    try {
      list = parseSizes(sizes);
    } catch {
      list = [];
    }
    const work = list.reduce((sum, s) => sum + 2 * (s / 128) ** 2, 0);
    return [{ kind: 'mdan-iteration', perIteration: work, iterations: timedIterations, label: `${timedIterations} MDAN and Gram iterations at ${list.join(', ')} px` }];
  },
  async run(ctx) {
    const texture = ctx.inputs.texture as tf.Tensor3D | undefined;
    const photo = ctx.inputs.photo as tf.Tensor3D | undefined;
    if (!texture) throw new Error("speed-comparison: input 'texture' is not connected");
    if (!photo) throw new Error("speed-comparison: input 'photo' is not connected");
    const p = ctx.params;
    const sizes = parseSizes(p.sizes);
    const service = ctx.env.services.vgg19;
    if (!service) throw new Error('speed-comparison: no VGG19 service in this environment (install the weights: npx mgan-studio weights --from <folder|url>)');
    const vgg = await service.load('relu5_1');
    const { decoder, owned } = await resolveDecoder(ctx, 'speed-comparison');
    try {
      const rows = await measureSpeeds(
        vgg,
        decoder,
        texture,
        photo,
        {
          sizes,
          timedIterations: p.timedIterations,
          mdanIterations: p.mdanIterations,
          gramIterations: p.gramIterations,
          decodeRepeats: p.decodeRepeats,
          mdan: { ...DEFAULT_MDAN_OPTIONS, discriminator: { channels: p.dChannels } },
          gram: DEFAULT_GRAM_OPTIONS,
        },
        {
          signal: ctx.signal,
          checkpoint: () => ctx.control.checkpoint(),
          onStage: (message, done, total) => ctx.progress(done / total, { message: `timing ${message}` }),
          onRow: (r) => {
            const speedUp = (m: 'mdan' | 'gram') => Math.round(r.seconds[m] / r.seconds.mgan);
            ctx.note(
              `${r.size} px: MDAN ${formatSeconds(r.seconds.mdan)} (${formatSeconds(r.perIteration.mdan)}/iteration), ` +
                `Gram ${formatSeconds(r.seconds.gram)} (${formatSeconds(r.perIteration.gram)}/iteration), MGAN ${formatSeconds(r.seconds.mgan)}: ` +
                `decoding ${speedUp('gram')}× faster than Gram, ${speedUp('mdan')}× than MDAN`,
            );
          },
        },
      );
      // The chart's font is ASCII: "2 × AMD EPYC" is written "2 x AMD EPYC".
      const machine = `${ctx.env.services.machine ?? ctx.env.platform}, tfjs ${tf.getBackend()}`.replace(/×/g, 'x');
      return { chart: speedChart(rows, machine) };
    } finally {
      if (owned) decoder.dispose();
    }
  },
});
