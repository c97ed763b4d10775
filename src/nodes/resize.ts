/** resize: scales an image to a size or by a factor, optionally keeping its aspect ratio. */
import * as tf from '@tensorflow/tfjs';
import { assertImage, resizeImage } from '../method/image/image-tensor';
import { ParamError, type RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

export type ResizeParams = Pick<ParamsOf<typeof params>, 'width' | 'height' | 'scale' | 'keepAspect'>;

/**
 * The output size for an input of w x h. Width and height 0: scale both by `scale`. Otherwise with
 * keepAspect: fit inside the given box (a 0 side is free); without: a 0 side keeps the input's.
 */
export function resizeTarget(w: number, h: number, p: ResizeParams): { width: number; height: number } {
  const round = (v: number) => Math.max(1, Math.round(v));
  if (!p.width && !p.height) return { width: round(w * p.scale), height: round(h * p.scale) };
  if (!p.keepAspect) return { width: p.width || w, height: p.height || h };
  const s = Math.min(p.width ? p.width / w : Infinity, p.height ? p.height / h : Infinity);
  return { width: round(w * s), height: round(h * s) };
}

async function run(ctx: RunContext<ParamsOf<typeof params>>): Promise<{ image: tf.Tensor3D }> {
  const image = ctx.inputs.image;
  assertImage(image, "resize's input 'image'");
  const p = ctx.params;
  const target = resizeTarget(image.shape[1], image.shape[0], p);
  if (target.width > 8192 || target.height > 8192) {
    throw new ParamError(undefined, p.width || p.height ? 'width' : 'scale', `result would be ${target.width}x${target.height}, over 8192 px`);
  }
  if (p.method === 'nearest') {
    return { image: tf.tidy(() => tf.image.resizeNearestNeighbor(image, [target.height, target.width], false, true)) };
  }
  return { image: resizeImage(image, target.width, target.height) };
}

const params = {
  width: param.number({ default: 0, min: 0, max: 8192, step: 1, integer: true, doc: 'Target width in pixels (0 = unset).' }),
  height: param.number({ default: 0, min: 0, max: 8192, step: 1, integer: true, doc: 'Target height in pixels (0 = unset).' }),
  scale: param.number({ default: 0.5, min: 0.01, max: 16, step: 0.01, doc: 'Factor used when width and height are both 0.' }),
  keepAspect: param.boolean({ default: true, doc: 'Fit inside width x height instead of stretching.' }),
  method: param.choice(['bilinear', 'nearest'], { default: 'bilinear', doc: 'Interpolation.' }),
};

export const resizeNode = defineNode({
  type: 'resize',
  version: 1,
  title: 'Resize',
  category: 'Image',
  doc: `Scales an image, to a given size or by a factor.

- **width**, **height**: the target size in pixels; 0 = not set. With both 0, **scale** is used.
- **scale**: factor applied to both sides when width and height are 0 (0.5 = half size).
- **keepAspect**: on: the image is fitted inside width x height (a side left at 0 follows the
  aspect ratio); off: the image is stretched to exactly width x height (a 0 side keeps its size).
- **method**: *bilinear* (smooth; shrinking by more than 2x first averages 2x2 blocks, so detail
  is not aliased) or *nearest* (blocky, keeps exact pixel values).

Why: MDAN and MGAN costs grow with the pixel count, and the paper works at fixed sizes
(e.g. 128x128 training crops); resizing here makes a graph's cost predictable.`,
  inputs: [{ name: 'image', type: 'Image', description: 'Image to resize.' }],
  outputs: [{ name: 'image', type: 'Image', description: 'The resized image.' }],
  params,
  run,
});
