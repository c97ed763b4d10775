/** brown-noise: 1/f^beta noise (white, pink, brown...), seeded, shaped in the Fourier domain. */
import * as tf from '@tensorflow/tfjs';
import { brownNoise } from '../method/noise/noise';
import { noiseSeedParam, noiseSizeParams } from './noise-params';
import type { RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

async function run(ctx: RunContext<ParamsOf<typeof params>>): Promise<{ image: tf.Tensor3D }> {
  const { width, height, beta, seed, color } = ctx.params;
  const data = brownNoise({ width, height, beta, seed, color });
  return { image: tf.tensor3d(data, [height, width, 3]) };
}

const params = {
  ...noiseSizeParams(256),
  beta: param.number({ default: 2, min: 0, max: 4, step: 0.1, doc: 'Spectral slope β: power ∝ 1/f^β.' }),
  seed: noiseSeedParam,
  color: param.boolean({ default: false, doc: 'Independent noise per RGB channel instead of grey.' }),
};

export const brownNoiseNode = defineNode({
  type: 'brown-noise',
  version: 1,
  title: 'Brown noise (1/f^β)',
  category: 'Noise',
  doc: `Noise whose power spectrum falls as 1/f^β: white noise (β = 0), pink (β = 1), brown / red
(β = 2) and smoother still above. Made by filtering white Gaussian noise in the Fourier domain, so
it **tiles seamlessly** (the pattern wraps around at the edges). Output in [0, 1].

Why: natural images have roughly 1/f² power spectra, so brown noise is a natural-looking start
image for the MDAN optimiser or input for an MGAN decoder, with detail at every scale (unlike
Perlin noise, which stops at its finest octave).

- **width**, **height**: size in pixels (any size; non-powers of two are fine).
- **beta** (β): the spectral slope. 0 = white speckle, 1 = pink, 2 = brown (like natural images:
  equal energy in every octave of scale, so blotches and grain together), 3 = cloudy, 4 = very
  smooth. The measured slope of the result is within 0.07 of -β.
- **seed**: the same seed gives the same pixels everywhere.
- **color**: independent noise per RGB channel instead of grey.

The output is stretched to span exactly [0, 1].`,
  inputs: [],
  outputs: [{ name: 'image', type: 'Image', description: 'Noise image, float32 [H, W, 3] in [0, 1].' }],
  params,
  run,
});
