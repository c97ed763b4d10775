/** blend: mixes two images with a blend mode and an amount. */
import * as tf from '@tensorflow/tfjs';
import { assertImage, resizeImage } from '../method/image/image-tensor';
import type { RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

export const BLEND_MODES = ['normal', 'multiply', 'screen', 'add'] as const;
export type BlendMode = (typeof BLEND_MODES)[number];

/** a mixed with mode(a, b) by `amount`, clipped to [0, 1]; a and b have the same shape. */
export function blendImages(a: tf.Tensor3D, b: tf.Tensor3D, mode: BlendMode, amount: number): tf.Tensor3D {
  return tf.tidy(() => {
    const top =
      mode === 'multiply'
        ? a.mul(b)
        : mode === 'screen'
          ? tf.scalar(1).sub(tf.scalar(1).sub(a).mul(tf.scalar(1).sub(b)))
          : mode === 'add'
            ? a.add(b)
            : b;
    return a.add(top.sub(a).mul(amount)).clipByValue(0, 1) as tf.Tensor3D;
  });
}

async function run(ctx: RunContext<ParamsOf<typeof params>>): Promise<{ image: tf.Tensor3D }> {
  const { a, b } = ctx.inputs;
  assertImage(a, "blend's input 'a'");
  assertImage(b, "blend's input 'b'");
  const [h, w] = a.shape;
  const { mode, amount } = ctx.params;
  if (b.shape[0] === h && b.shape[1] === w) return { image: blendImages(a, b, mode, amount) };
  ctx.warn(`input 'b' resized from ${b.shape[1]}x${b.shape[0]} to ${w}x${h} to match 'a'`);
  const bSized = resizeImage(b, w, h);
  try {
    return { image: blendImages(a, bSized, mode, amount) };
  } finally {
    bSized.dispose();
  }
}

const params = {
  amount: param.number({ default: 0.5, min: 0, max: 1, step: 0.01, doc: 'How much of the blend to apply (0 = a, 1 = full).' }),
  mode: param.choice(BLEND_MODES, { default: 'normal', doc: 'How b combines with a.' }),
};

export const blendNode = defineNode({
  type: 'blend',
  version: 1,
  title: 'Blend',
  category: 'Image',
  doc: `Mixes image **b** over image **a**: \`result = a + amount · (mode(a, b) − a)\`, clipped to
[0, 1]. The result has a's size; b is resized to it (with a warning) when they differ.

Why: the paper adds low-frequency noise to a photo before MGAN decoding, so flat regions get some
texture instead of aliasing; blend a **Perlin noise** into the photo with a small amount (0.1-0.3).

- **amount**: 0 = a unchanged, 1 = the full effect of the mode.
- **mode**: *normal* (b replaces a: a cross-fade), *multiply* (a·b, darkens), *screen*
  (1 − (1−a)(1−b), lightens), *add* (a + b, clipped).`,
  inputs: [
    { name: 'a', type: 'Image', description: 'Base image (sets the size).' },
    { name: 'b', type: 'Image', description: 'Image mixed in.' },
  ],
  outputs: [{ name: 'image', type: 'Image', description: 'The blended image, a’s size.' }],
  params,
  run,
});
