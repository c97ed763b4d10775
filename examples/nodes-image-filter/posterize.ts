/** posterize: each channel rounded to a few levels (flat bands of colour, like a screen print). */
import * as tf from '@tensorflow/tfjs';
import { defineNode, param } from 'mgan-studio/nodes';

/** `image` [H, W, 3] in [0, 1] with each channel rounded to `levels` evenly spaced values. */
export function posterize(image: tf.Tensor3D, levels: number): tf.Tensor3D {
  return tf.tidy(() => image.mul(levels - 1).round().div(levels - 1).clipByValue(0, 1) as tf.Tensor3D);
}

export const posterizeNode = defineNode({
  type: 'posterize',
  version: 2,
  title: 'Posterize',
  category: 'Image filters',
  doc: `Rounds each colour channel to a few evenly spaced **levels**: smooth gradients become flat
bands, as in a screen print. Fewer levels give bolder bands.

- **levels**: values per channel (2 = black or full, per channel).
- **amount**: how much of the posterized image to mix over the input (1 = all of it).`,
  inputs: [{ name: 'image', type: 'Image', description: 'The image to posterize.' }],
  outputs: [{ name: 'image', type: 'Image', description: 'The posterized image, the same size.' }],
  params: {
    levels: param.number({ default: 4, min: 2, max: 64, step: 1, integer: true, doc: 'Values per channel.' }),
    amount: param.number({ default: 1, min: 0, max: 1, step: 0.05, doc: 'How much of the result to mix over the input.' }),
  },
  migrations: [
    {
      version: 2,
      why: 'levels counts values per channel (version 1 counted the steps between them, one fewer)',
      up: (params) => (typeof params.levels === 'number' ? { ...params, levels: params.levels + 1 } : params),
    },
  ],
  async run(ctx) {
    const image = ctx.inputs.image as tf.Tensor3D | undefined;
    if (!(image instanceof tf.Tensor) || image.rank !== 3) throw new Error("posterize: input 'image' is not an image");
    const { levels, amount } = ctx.params;
    const bands = posterize(image, levels);
    if (amount === 1) return { image: bands };
    const mixed = tf.tidy(() => image.add(bands.sub(image).mul(amount)) as tf.Tensor3D);
    bands.dispose();
    return { image: mixed };
  },
});
