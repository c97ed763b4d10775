/**
 * patch-sampler: neural patches of a feature map (Features → Patches), the units the MDAN
 * discriminator judges.
 */
import type * as tf from '@tensorflow/tfjs';
import { extractPatches, patchGrid, type PatchGrid } from '../method/mdan/patches';
import type { FeaturesValue } from '../method/vgg/vgg19';
import type { PatchSpec } from './patch-wiring';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

/** The value on a `Patches` port. */
export interface PatchesValue {
  /** [rows·cols, size, size, channels], row-major over the grid. */
  patches: tf.Tensor4D;
  grid: PatchGrid;
  layer: string;
}

export const patchSamplerNode = defineNode({
  type: 'patch-sampler',
  version: 1,
  title: 'Patch sampler',
  category: 'MDAN',
  doc: `Cuts a VGG19 feature map into **neural patches**: size×size windows (all channels) every
\`stride\` cells, plus a last row and column of windows flush with the bottom and right edges, so
the border is never left out. A texture, in the paper's Markov-random-field view, *is* the statistics
of these local patches: the MDAN discriminator scores each one as "from the example" or not.

The paper uses 8×8 patches of relu3_1 at stride 4 (each covers 32×32 pixels, overlapping by half);
its ablation (Fig. 8) pairs relu2_1/16, relu3_1/8 and relu4_1/4. Larger patches capture larger
structures but give fewer, more correlated samples.

Extraction is differentiable on every backend (slices, no stridedSlice/gather), and where windows
overlap their gradients are **averaged**, not summed, as in the authors' code.

Wire \`sampling\` into a discriminator (and that into an MDAN optimiser or MGAN trainer) and they run
with these patches: the layer of the features wired in, this size and this stride (the paper's
Fig. 2: VGG19 → neural patches → D). Only the spec travels; the optimiser samples the patches
itself, of the example's 18 augmented variants and of the image being made. \`patches\` shows them.

- **size**: patch side in feature cells.
- **stride**: step between windows in feature cells.`,
  inputs: [{ name: 'features', type: 'Features', description: 'a feature map from a VGG19 tap' }],
  outputs: [
    { name: 'patches', type: 'Patches', description: '{ patches [N, size, size, c], grid, layer }' },
    { name: 'sampling', type: 'PatchSpec', description: 'layer, size and stride, for a discriminator to judge' },
  ],
  params: {
    size: param.number({ default: 8, min: 1, max: 64, step: 1, integer: true, doc: 'Patch side, in feature-map cells.', paper: '8 on relu3_1' }),
    stride: param.number({ default: 4, min: 1, max: 64, step: 1, integer: true, doc: 'Step between patches, in cells.', paper: 4 }),
  },
  async run(ctx) {
    const features = ctx.inputs.features as FeaturesValue | undefined;
    if (!features) throw new Error("patch-sampler: input 'features' is not connected");
    const { size, stride } = ctx.params;
    const [, h, w] = features.tensor.shape;
    if (size > h || size > w) {
      throw new ParamError(undefined, 'size', `patch-sampler: ${size}×${size} patches do not fit the ${w}×${h} ${features.layer} map; lower size or use a larger image`);
    }
    const value: PatchesValue = {
      patches: extractPatches(features.tensor, size, stride),
      grid: patchGrid(h, w, size, stride),
      layer: features.layer,
    };
    const sampling: PatchSpec = { layer: features.layer, size, stride };
    return { patches: value, sampling };
  },
});
