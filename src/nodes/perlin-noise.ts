/** perlin-noise: smooth, band-limited gradient noise (fBm), seeded. */
import * as tf from '@tensorflow/tfjs';
import { effectiveOctaves, perlinNoise } from '../method/noise/noise';
import { noiseSeedParam, noiseSizeParams } from './noise-params';
import type { RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

async function run(ctx: RunContext<ParamsOf<typeof params>>): Promise<{ image: tf.Tensor3D }> {
  const { width, height, scale, octaves, seed, color } = ctx.params;
  const used = effectiveOctaves(scale, octaves);
  if (used < octaves) {
    ctx.warn(`only ${used} of ${octaves} octaves used: finer ones would have cells under 2 px at scale ${scale}`);
  }
  const data = perlinNoise({ width, height, scale, octaves, seed, color });
  return { image: tf.tensor3d(data, [height, width, 3]) };
}

const params = {
  ...noiseSizeParams(256),
  scale: param.number({ default: 64, min: 1, max: 4096, step: 1, doc: 'Size of the biggest features, in pixels.' }),
  octaves: param.number({ default: 4, min: 1, max: 12, step: 1, integer: true, doc: 'Layers of finer detail (each half the size and amplitude).' }),
  seed: noiseSeedParam,
  color: param.boolean({ default: false, doc: 'Independent noise per RGB channel instead of grey.' }),
};

export const perlinNoiseNode = defineNode({
  type: 'perlin-noise',
  version: 1,
  title: 'Perlin noise',
  category: 'Noise',
  doc: `Smooth gradient noise (Perlin), summed over octaves (fractal Brownian motion), as a float
image in [0, 1]. Its detail is **band-limited**: nothing finer than the smallest octave's cells, so
it has no pixel-level speckle.

Why: the paper decodes noise alone with a trained MGAN decoder to get unguided textures (Fig. 13),
and adds low-frequency noise to flat regions of a photo before decoding to fight aliasing. Mix it
into a photo with **Blend**, or feed it to a decoder or the MDAN optimiser as the start image.

- **width**, **height**: size in pixels.
- **scale**: the size in pixels of the biggest blobs (the coarsest octave's lattice cell). Bigger =
  smoother, larger features.
- **octaves**: how many layers of detail are added; each halves the cell size and the amplitude.
  Octaves whose cells would be under 2 px are skipped (they would alias).
- **seed**: the same seed gives the same pixels everywhere.
- **color**: three independent channels instead of grey.

The output is stretched to span exactly [0, 1].`,
  inputs: [],
  outputs: [{ name: 'image', type: 'Image', description: 'Noise image, float32 [H, W, 3] in [0, 1].' }],
  params,
  run,
});
