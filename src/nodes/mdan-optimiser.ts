/**
 * mdan-optimiser: texture synthesis by MDAN (Li & Wand 2016): optimises an image's pixels against a
 * discriminator trained on the fly on neural patches of the example. Long-running: streams progress,
 * previews and D's patch scores; pauses, steps and cancels at every iteration.
 */
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_MDAN_OPTIONS, MAX_MDAN_SIZE, MdanTooSmallError, runMdan, type MdanOptions } from '../method/mdan/mdan';
import { MdanDiscriminator } from '../method/mdan/discriminator';
import { D_SCORE_LEGEND } from './score-scale';
import { VGG19_LAYERS, isVggLayer, type VggLayer } from '../method/vgg/vgg19';
import { ParamError } from './types';
import { defineNode, param } from './define-node';
import { discriminatorOverrides } from './patch-wiring';

const D_LAYERS = VGG19_LAYERS.filter((l) => l.endsWith('_1'));

function deeper(a: VggLayer, b: VggLayer): VggLayer {
  return VGG19_LAYERS.indexOf(a) >= VGG19_LAYERS.indexOf(b) ? a : b;
}

/**
 * Version 1 weighted a total variation taken as the mean squared neighbour difference of [0, 1]
 * pixels; version 2 weights ½ Σ (neighbour differences)² of the [-1, 1] pixels, the authors' form.
 * On a size×size image (N = 3·size·(size − 1) differences per direction) an old weight T gives the
 * same term as a new weight T / (2N): saved graphs are converted with it and keep the smoothness
 * they had (non-square results within a few per cent).
 */
export function tvWeightFromVersion1(tvWeight: number, size: number): number {
  const side = Math.max(2, size);
  return tvWeight / (6 * side * (side - 1));
}

export const mdanOptimiserNode = defineNode({
  type: 'mdan-optimiser',
  version: 2,
  title: 'MDAN optimiser',
  category: 'MDAN',
  long: true,
  doc: `Makes a new image whose **neural patches** (windows of a VGG19 layer) a discriminator D cannot tell
from the example texture's: the MDAN of Li & Wand, "Precomputed Real-Time Texture Synthesis with
Markovian Generative Adversarial Networks" (ECCV 2016). Unguided (only a texture): a new texture
from noise (paper Fig. 3). Guided (texture + content photo): the photo repainted in the texture,
its layout kept by a relu5_1 content loss (Fig. 4).

Each iteration: one Adam step on D (hinge loss; real patches drawn uniformly from the example's 18
variants: rotations -10/0/+10°, scales 1.1^-1/1/1.1, mirror; as many as the image has), then one
Adam step on the pixels: the same hinge with the image's own patches labelled real, plus
\`contentWeight\` × ½·MSE of the \`contentLayer\` features to the photo's, plus \`tvWeight\` × ½·Σ of
the squared neighbour differences of the [-1, 1] pixels (smoothness, the authors' form). As in the
authors' code, where patches overlap their gradients are averaged, not summed. The result is
post-processed as in the authors' code: mean subtracted, clipped to ±2 std, stretched to [0, 1].
Pixels are optimised on the authors' [-1, 1] scale, so \`lr\`, \`beta1\` and \`tvWeight\` are the
paper's numbers; VGG sees the preprocessing of its weights (0..255 RGB minus the ImageNet mean), so
the content weight is not the paper's (see docs/mdan.md).

It runs only when asked (a long node). Progress shows the losses (\`d\`: D's real+fake hinge;
\`image\`: the image's hinge; \`content\`, \`tv\`: weighted terms) and D's score for each patch of the
image as a heatmap: ${D_SCORE_LEGEND} Pause, step and cancel act at
every iteration. Cost: one VGG forward + backward and two small D passes per iteration, roughly
proportional to the pixel count (seconds per iteration measured in docs/benchmarks.md; the card
estimates the time before it runs, docs/editor.md).

Inputs:
- **texture**: the example (resized to \`exampleSize\` on its longest side first).
- **content** (optional): the photo to repaint. A photo of another aspect ratio than the output is
  resized to it (a warning says so).
- **init** (optional): the starting image (default: the content photo, else Gaussian noise). It sets
  the output's aspect ratio.
- **discriminator** (optional): a D to start from (a fresh Discriminator node, or the output of an
  earlier run); it is copied, never changed. Without it a fresh D with \`dChannels\` channels is used.
  A connected D decides its own width and patch size (\`dChannels\` and \`patchSize\` then do not
  apply), and where a patch sampler is wired into it (the paper's Fig. 2: VGG19 tap → patch sampler
  → discriminator → here) also the layer and stride (\`layer\`, \`patchStride\`): the inspector
  shows those params as set by the wire, and the card names the node each one comes from.

Parameters:
- **size**: longest side of the result in pixels (floored to a multiple of 8, or 16 when guided).
  Paper: 384.
- **iterations**: Adam steps (paper: ~125 at 384 px). More gives crisper patches.
- **lr**, **beta1**: Adam settings for both D and the pixels (paper: 0.02, 0.5).
- **contentWeight**: how strongly the photo's layout is kept (guided only). 2.5e-4 repaints the photo
  in the texture's palette and strokes and keeps its layout; higher stays nearer the photo, lower
  gives more texture and less layout.
- **tvWeight**: smoothness, on ½·Σ squared neighbour differences of the [-1, 1] pixels (paper: 1e-4).
  Raise it against high-frequency noise.
- **layer**, **patchSize**, **patchStride**: where D looks (paper: relu3_1, 8, 4; Fig. 8 compares
  relu2_1/16, relu3_1/8, relu4_1/4), unless a wired D sets them. Deeper layers / larger patches copy
  larger structures.
- **contentLayer**: the guidance layer (paper: relu5_1).
- **exampleSize**: the example's longest side before augmentation; 0 (default): the result's size,
  as in the paper (384 and 384). It fixes the scale of the copied structures relative to \`size\`:
  larger copies smaller strokes.
- **dChannels**: width of the fresh D when none is connected (paper: 256; fewer is faster).
- **seed**: noise start and patch sampling.
- **saveDiscriminatorAs**: store the trained D under this name after the run (empty: do not store),
  in the user's data folder (CLI) or this browser (editor); a Discriminator node's \`load\` opens it
  in another graph or session. Storing changes no pixel.
- **previewEvery**: iterations between previews.`,
  inputs: [
    { name: 'texture', type: 'Image', description: 'the example texture' },
    { name: 'content', type: 'Image', optional: true, description: 'guide photo (guided synthesis)' },
    { name: 'init', type: 'Image', optional: true, description: 'starting image (default: content, else noise)' },
    { name: 'discriminator', type: 'Discriminator', optional: true, description: 'a D to start from (copied)' },
  ],
  outputs: [
    { name: 'image', type: 'Image', description: 'the synthesised image' },
    { name: 'discriminator', type: 'Discriminator', description: 'the trained D (start a later run from it)' },
  ],
  params: {
    size: param.number({ default: DEFAULT_MDAN_OPTIONS.size, min: 16, max: MAX_MDAN_SIZE, step: 8, integer: true, doc: 'Longest side of the result, px.', paper: 384 }),
    iterations: param.number({ default: DEFAULT_MDAN_OPTIONS.iterations, min: 1, max: 10000, step: 1, integer: true, doc: 'Number of D + pixel Adam steps.', paper: '~125' }),
    lr: param.number({ midRun: true, default: DEFAULT_MDAN_OPTIONS.lr, min: 0.0001, max: 1, step: 0.001, doc: 'Adam learning rate for D and pixels.', paper: 0.02 }),
    beta1: param.number({ default: DEFAULT_MDAN_OPTIONS.beta1, min: 0, max: 0.999, step: 0.01, doc: 'Adam beta1.', paper: 0.5 }),
    contentWeight: param.number({ midRun: true, default: DEFAULT_MDAN_OPTIONS.contentWeight, min: 0, max: 100, step: 0.00005, doc: 'Weight of ½·MSE of the relu5_1 features to the photo\'s (guided only).' }),
    tvWeight: param.number({ midRun: true, default: DEFAULT_MDAN_OPTIONS.tvWeight, min: 0, max: 100, step: 0.00001, doc: 'Weight of ½·Σ squared neighbour differences of the [-1, 1] pixels.', paper: '1e-4' }),
    layer: param.choice(D_LAYERS, { default: DEFAULT_MDAN_OPTIONS.layer, doc: 'VGG19 layer the discriminator sees.', paper: 'relu3_1' }),
    patchSize: param.number({ default: DEFAULT_MDAN_OPTIONS.patchSize, min: 1, max: 64, step: 1, integer: true, doc: 'Neural patch side in feature cells.', paper: 8 }),
    patchStride: param.number({ default: DEFAULT_MDAN_OPTIONS.patchStride, min: 1, max: 64, step: 1, integer: true, doc: 'Step between patches in feature cells.', paper: 4 }),
    contentLayer: param.choice(D_LAYERS, { default: DEFAULT_MDAN_OPTIONS.contentLayer, doc: 'VGG19 layer of the content loss.', paper: 'relu5_1' }),
    exampleSize: param.number({ default: DEFAULT_MDAN_OPTIONS.exampleSize, min: 0, max: 2048, step: 8, integer: true, doc: "The example's longest side before augmentation, px; 0: the result's size (as the paper)." }),
    dChannels: param.number({ default: 64, min: 1, max: 1024, step: 1, integer: true, doc: 'Channels of the fresh D used when no discriminator is connected.', paper: 256 }),
    seed: param.seed({ default: DEFAULT_MDAN_OPTIONS.seed, doc: 'Seed of the starting noise and of patch sampling.' }),
    saveDiscriminatorAs: param.string({ default: '', resource: 'output-name', doc: 'Store the trained D under this name after the run (empty: do not store); a discriminator node loads it by name.' }),
    previewEvery: param.number({ default: 5, min: 1, max: 1000, step: 1, integer: true, doc: 'Iterations between preview images.' }),
  },
  estimateWork({ size, iterations, exampleSize: asked }) {
    // exampleSize 0: the example at the result's size (larger only for tiny results).
    const exampleSize = asked > 0 ? asked : size;
    // Cost follows the pixel count (VGG forward + backward dominates); a non-square result costs less than size².
    return [
      { kind: 'mdan-setup', perIteration: (exampleSize / 256) ** 2, iterations: 1, label: `setup: the example's variants at ${exampleSize} px` },
      { kind: 'mdan-iteration', perIteration: (size / 128) ** 2, iterations, counted: true, each: 'iteration', label: `${iterations} iterations at ${size} px` },
    ];
  },
  migrations: [
    {
      version: 2,
      why: "tvWeight on the authors' ½·Σ squared differences of [-1, 1] pixels (was a mean of [0, 1] ones)",
      up(params) {
        if (typeof params.tvWeight !== 'number') return params;
        const size = typeof params.size === 'number' ? params.size : DEFAULT_MDAN_OPTIONS.size;
        return { ...params, tvWeight: tvWeightFromVersion1(params.tvWeight, size) };
      },
    },
  ],
  async run(ctx) {
    const texture = ctx.inputs.texture as tf.Tensor3D | undefined;
    if (!texture) throw new Error("mdan-optimiser: input 'texture' is not connected");
    const content = ctx.inputs.content as tf.Tensor3D | undefined;
    const init = ctx.inputs.init as tf.Tensor3D | undefined;
    const given = ctx.inputs.discriminator as MdanDiscriminator | undefined;
    if (given && !(given instanceof MdanDiscriminator)) {
      throw new Error("mdan-optimiser: input 'discriminator' is not an MDAN discriminator");
    }
    // The method's options are the params (the same names and types), those a wired D sets replaced,
    // plus what the node fixes.
    const wired = discriminatorOverrides(given && { ...given.config, sampling: given.sampling });
    const { dChannels, previewEvery, saveDiscriminatorAs, ...shared } = { ...ctx.params, ...wired };
    const saveAs = saveDiscriminatorAs.trim();
    const store = ctx.env.services.discriminators;
    if (saveAs && !store) throw new ParamError(undefined, 'saveDiscriminatorAs', 'mdan-optimiser: no discriminator store in this environment');
    const options: MdanOptions = { ...shared, noiseStd: DEFAULT_MDAN_OPTIONS.noiseStd, discriminator: { channels: dChannels } };
    if (given?.sampling) ctx.note(`mdan-optimiser: D judges ${options.patchSize}×${options.patchSize} patches of ${options.layer} at stride ${options.patchStride}, as the wired discriminator says`);
    const service = ctx.env.services.vgg19;
    if (!service) {
      throw new Error('mdan-optimiser: no VGG19 service in this environment (install the weights: npx mgan-studio weights --from <folder|url>)');
    }
    const { layer } = shared;
    if (!isVggLayer(layer)) throw new Error(`mdan-optimiser: the wired discriminator judges patches of '${layer}', not a VGG19 layer`);
    const deepest = content ? deeper(layer, shared.contentLayer) : layer;
    const vgg = await service.load(deepest);
    ctx.signal.throwIfAborted();

    const result = await runMdan(vgg, texture, options, {
      content,
      init,
      discriminator: given,
      signal: ctx.signal,
      checkpoint: () => ctx.control.checkpoint(),
      tuning: () => {
        const now = ctx.tuned?.();
        return now && { lr: Number(now.lr), contentWeight: Number(now.contentWeight), tvWeight: Number(now.tvWeight) };
      },
      onWarning: (message) => ctx.warn(message),
      onIteration: (it) => {
        const { d, image, content: c, tv } = it.losses;
        ctx.progress(it.iteration / it.total, {
          iteration: it.iteration,
          total: it.total,
          losses: { d, image, content: c, tv },
          message: `iteration ${it.iteration}/${it.total}`,
          extra: { patchScores: it.patchScores },
        });
        if (it.iteration % previewEvery === 0 || it.iteration === it.total || it.iteration === 1) ctx.preview(it.preview);
      },
    }).catch((e: unknown) => {
      if (e instanceof MdanTooSmallError) throw new ParamError(undefined, 'size', `mdan-optimiser: ${e.advice('size', MAX_MDAN_SIZE)}`);
      throw e;
    });
    if (saveAs && store) {
      await store.save(result.discriminator, saveAs);
      ctx.note(`mdan-optimiser: stored the trained D as '${saveAs}' (a discriminator node's load opens it)`);
    }
    return { image: result.image, discriminator: result.discriminator };
  },
});
