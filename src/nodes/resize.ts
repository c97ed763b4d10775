/** resize: scales an image to a size or by a factor, optionally keeping its aspect ratio. */
import * as tf from '@tensorflow/tfjs';
import { assertImage, resizeImage } from '../method/image/image-tensor';
import { ParamError, type NodeDefinition, type RunContext } from './types';

export interface ResizeParams {
  width: number;
  height: number;
  scale: number;
  keepAspect: boolean;
}

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

async function run(ctx: RunContext): Promise<{ image: tf.Tensor3D }> {
  const image = ctx.inputs.image;
  assertImage(image, "resize's input 'image'");
  const p = ctx.params;
  const target = resizeTarget(image.shape[1], image.shape[0], {
    width: Number(p.width),
    height: Number(p.height),
    scale: Number(p.scale),
    keepAspect: p.keepAspect !== false,
  });
  if (target.width > 8192 || target.height > 8192) {
    throw new ParamError(undefined, p.width || p.height ? 'width' : 'scale', `result would be ${target.width}x${target.height}, over 8192 px`);
  }
  if (p.method === 'nearest') {
    return { image: tf.tidy(() => tf.image.resizeNearestNeighbor(image, [target.height, target.width], false, true)) };
  }
  return { image: resizeImage(image, target.width, target.height) };
}

export const resizeNode: NodeDefinition = {
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
  params: [
    { name: 'width', type: 'number', default: 0, min: 0, max: 8192, step: 1, integer: true, description: 'Target width in pixels (0 = unset).' },
    { name: 'height', type: 'number', default: 0, min: 0, max: 8192, step: 1, integer: true, description: 'Target height in pixels (0 = unset).' },
    { name: 'scale', type: 'number', default: 0.5, min: 0.01, max: 16, step: 0.01, description: 'Factor used when width and height are both 0.' },
    { name: 'keepAspect', type: 'boolean', default: true, description: 'Fit inside width x height instead of stretching.' },
    { name: 'method', type: 'string', default: 'bilinear', options: ['bilinear', 'nearest'], description: 'Interpolation.' },
  ],
  run,
};
