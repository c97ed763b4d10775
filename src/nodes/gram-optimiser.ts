/**
 * gram-optimiser: Gatys et al.'s texture synthesis and style transfer by matching Gram matrices of
 * VGG19 features, the global-statistics baseline of the MGAN paper's Figs. 11, 12 and 15. Long-running
 * like the MDAN optimiser, with which it shares VGG19, Adam, the starting image and post-processing.
 */
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_GRAM_OPTIONS, GATYS_STYLE_LAYERS, gramDeepestLayer, runGram } from '../method/gram/gram';
import { MAX_MDAN_SIZE } from '../method/mdan/mdan';
import { VGG19_LAYERS, isVggLayer, type VggLayer } from '../method/vgg/vgg19';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

/** The `styleLayers` param as layer names; a ParamError naming the first unknown one. */
export function parseStyleLayers(text: string): VggLayer[] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) throw new ParamError(undefined, 'styleLayers', 'gram-optimiser: styleLayers is empty: name at least one VGG19 layer, e.g. relu3_1');
  const unknown = names.find((n) => !isVggLayer(n));
  if (unknown) {
    throw new ParamError(undefined, 'styleLayers', `gram-optimiser: styleLayers names '${unknown}', not a VGG19 layer (relu1_1 … relu5_4)`);
  }
  return [...new Set(names as VggLayer[])];
}

export const gramOptimiserNode = defineNode({
  type: 'gram-optimiser',
  version: 1,
  title: 'Gram optimiser',
  category: 'MDAN',
  long: true,
  doc: `Makes an image whose VGG19 features have the same **Gram matrices** as the example texture's: the
method of Gatys, Ecker & Bethge ("Texture synthesis using convolutional neural networks", 2015; "A
neural algorithm of artistic style", 2016), which the MGAN paper compares with in Figs. 11, 12 and 15.
A Gram matrix holds how strongly each pair of feature channels fires together, averaged over the
whole image: a global statistic, so where a stroke sits is free but what sits where is not kept
(the paper: the face in Gatys et al.'s result of Fig. 11 is not textured). MDAN's discriminator
judges each neural patch on its own instead.

Each iteration is one Adam step on the pixels: \`styleWeight\` × the mean over \`styleLayers\` of
¼·mean((G − A)²) (G, A the image's and the texture's Gram matrices FᵀF / positions), plus
\`contentWeight\` × ½·MSE of the \`contentLayer\` features to the photo's (guided only), plus
\`tvWeight\` × ½·Σ squared neighbour differences of the [-1, 1] pixels. The VGG19, the optimiser,
the starting image (init, else the photo, else noise) and the output post-processing are the MDAN
optimiser's, so the two compare step for step; VGG pools by averaging here (as Gatys et al.).
Gatys et al. optimise with L-BFGS for ~500-1000 iterations; Adam at MDAN's rate is used here.

Inputs: **texture**, **content** (optional: the photo to repaint), **init** (optional: the start).

Parameters:
- **size**, **iterations**, **lr**, **beta1**, **tvWeight**, **exampleSize**, **seed**: as the MDAN
  optimiser's.
- **styleLayers**: the layers whose Gram matrices are matched (Gatys et al.: relu1_1 … relu5_1).
- **styleWeight**: weight of the Gram term.
- **contentWeight**: weight of the photo's layout (guided only); higher keeps more of the photo.
- **contentLayer**: the guidance layer (Gatys et al.: relu4_2).
- **previewEvery**: iterations between previews.

Cost: one VGG19 forward and backward to relu5_1 per iteration, about an MDAN iteration when guided.`,
  inputs: [
    { name: 'texture', type: 'Image', description: 'the example texture' },
    { name: 'content', type: 'Image', optional: true, description: 'guide photo (style transfer)' },
    { name: 'init', type: 'Image', optional: true, description: 'starting image (default: content, else noise)' },
  ],
  outputs: [{ name: 'image', type: 'Image', description: 'the synthesised image' }],
  params: {
    size: param.number({ default: DEFAULT_GRAM_OPTIONS.size, min: 16, max: MAX_MDAN_SIZE, step: 8, integer: true, doc: 'Longest side of the result, px.' }),
    iterations: param.number({ default: DEFAULT_GRAM_OPTIONS.iterations, min: 1, max: 10000, step: 1, integer: true, doc: 'Number of Adam steps on the pixels.', paper: '~500-1000 (L-BFGS)' }),
    lr: param.number({ default: DEFAULT_GRAM_OPTIONS.lr, min: 0.0001, max: 1, step: 0.001, doc: 'Adam learning rate on the [-1, 1] pixels.' }),
    beta1: param.number({ default: DEFAULT_GRAM_OPTIONS.beta1, min: 0, max: 0.999, step: 0.01, doc: 'Adam beta1.' }),
    styleLayers: param.string({ default: GATYS_STYLE_LAYERS.join(', '), doc: 'VGG19 layers whose Gram matrices are matched, comma-separated.', paper: 'relu1_1 … relu5_1' }),
    styleWeight: param.number({ default: DEFAULT_GRAM_OPTIONS.styleWeight, min: 0, max: 1e6, step: 0.0001, doc: 'Weight of the Gram-matrix term (1e-3 against contentWeight 1: the two terms of about equal size on a photo).' }),
    contentWeight: param.number({ default: DEFAULT_GRAM_OPTIONS.contentWeight, min: 0, max: 1e6, step: 0.001, doc: "Weight of ½·MSE of the contentLayer features to the photo's (guided only)." }),
    contentLayer: param.choice(VGG19_LAYERS, { default: DEFAULT_GRAM_OPTIONS.contentLayer, doc: 'VGG19 layer of the content loss.', paper: 'relu4_2' }),
    tvWeight: param.number({ default: DEFAULT_GRAM_OPTIONS.tvWeight, min: 0, max: 100, step: 0.00001, doc: 'Weight of ½·Σ squared neighbour differences of the [-1, 1] pixels.' }),
    exampleSize: param.number({ default: DEFAULT_GRAM_OPTIONS.exampleSize, min: 0, max: 2048, step: 8, integer: true, doc: "The texture's longest side before its Gram matrices are taken, px; 0: the result's size." }),
    seed: param.seed({ default: DEFAULT_GRAM_OPTIONS.seed, doc: 'Seed of the starting noise.' }),
    previewEvery: param.number({ default: 5, min: 1, max: 1000, step: 1, integer: true, doc: 'Iterations between preview images.' }),
  },
  estimateWork({ size, iterations }) {
    // One VGG forward + backward per iteration, as an MDAN iteration; the texture's Gram matrices once.
    return [{ kind: 'mdan-iteration', perIteration: (size / 128) ** 2, iterations, counted: true, each: 'iteration', label: `${iterations} iterations at ${size} px` }];
  },
  async run(ctx) {
    const texture = ctx.inputs.texture as tf.Tensor3D | undefined;
    if (!texture) throw new Error("gram-optimiser: input 'texture' is not connected");
    const content = ctx.inputs.content as tf.Tensor3D | undefined;
    const init = ctx.inputs.init as tf.Tensor3D | undefined;
    const { previewEvery, styleLayers: layerText, ...rest } = ctx.params;
    const options = { ...rest, styleLayers: parseStyleLayers(layerText), noiseStd: DEFAULT_GRAM_OPTIONS.noiseStd };
    const service = ctx.env.services.vgg19;
    if (!service) {
      throw new Error('gram-optimiser: no VGG19 service in this environment (install the weights: npx mgan-studio weights --from <folder|url>)');
    }
    const vgg = await service.load(gramDeepestLayer(options, !!content));
    ctx.signal.throwIfAborted();
    const result = await runGram(vgg, texture, options, {
      content,
      init,
      signal: ctx.signal,
      checkpoint: () => ctx.control.checkpoint(),
      onIteration: (it) => {
        ctx.progress(it.iteration / it.total, {
          iteration: it.iteration,
          total: it.total,
          losses: { ...it.losses },
          message: `iteration ${it.iteration}/${it.total}`,
        });
        if (it.iteration % previewEvery === 0 || it.iteration === it.total || it.iteration === 1) ctx.preview(it.preview);
      },
    });
    return { image: result.image };
  },
});
