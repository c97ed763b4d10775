/** perlin-noise: smooth, band-limited gradient noise (fBm), seeded. */
import * as tf from '@tensorflow/tfjs';
import { effectiveOctaves, perlinNoise } from '../method/noise/noise';
import { noiseSeedParam, noiseSizeParams } from './noise-params';
import type { NodeDefinition, RunContext } from './types';

async function run(ctx: RunContext): Promise<{ image: tf.Tensor3D }> {
  const p = ctx.params;
  const width = Number(p.width);
  const height = Number(p.height);
  const used = effectiveOctaves(Number(p.scale), Number(p.octaves));
  if (used < Number(p.octaves)) {
    ctx.warn(`only ${used} of ${p.octaves} octaves used: finer ones would have cells under 2 px at scale ${p.scale}`);
  }
  const data = perlinNoise({
    width,
    height,
    scale: Number(p.scale),
    octaves: Number(p.octaves),
    seed: Number(p.seed),
    color: p.color === true,
  });
  return { image: tf.tensor3d(data, [height, width, 3]) };
}

export const perlinNoiseNode: NodeDefinition = {
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
  params: [
    ...noiseSizeParams(256),
    { name: 'scale', type: 'number', default: 64, min: 1, max: 4096, step: 1, description: 'Size of the biggest features, in pixels.' },
    { name: 'octaves', type: 'number', default: 4, min: 1, max: 12, step: 1, integer: true, description: 'Layers of finer detail (each half the size and amplitude).' },
    noiseSeedParam,
    { name: 'color', type: 'boolean', default: false, description: 'Independent noise per RGB channel instead of grey.' },
  ],
  run,
};
