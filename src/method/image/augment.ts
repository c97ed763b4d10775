/**
 * The example texture's 18 variants (docs/method.md, "Real patches"): rotations -10, 0, +10 degrees
 * (cropped to the largest upright rectangle inside the rotated image, so no fill colour leaks into
 * the patches) × scales 1.1^-1, 1, 1.1 × a horizontal flip.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeImage } from './image-tensor';

export interface AugmentOptions {
  /** The example is first resized so its longest side is this (default 384, the authors'). */
  maxSide?: number;
  angles?: number[];
  scales?: number[];
  flips?: boolean[];
}

export const DEFAULT_ANGLES = [-10, 0, 10];
export const DEFAULT_SCALES = [1 / 1.1, 1, 1.1];
export const DEFAULT_FLIPS = [false, true];
export const DEFAULT_EXAMPLE_SIDE = 384;

export interface AugmentVariant {
  image: tf.Tensor3D;
  angle: number;
  scale: number;
  flip: boolean;
}

/**
 * Width and height of the largest axis-aligned rectangle inside a w×h image rotated by `degrees`
 * (the classic "largest rotated rectangle" construction).
 */
export function innerCropSize(w: number, h: number, degrees: number): { width: number; height: number } {
  const a = Math.abs((degrees * Math.PI) / 180);
  if (a < 1e-9) return { width: w, height: h };
  const sin = Math.sin(a);
  const cos = Math.cos(a);
  const long = Math.max(w, h);
  const short = Math.min(w, h);
  let cw: number;
  let ch: number;
  if (short <= 2 * sin * cos * long || Math.abs(sin - cos) < 1e-10) {
    // Half-constrained: two corners of the crop touch the longer side.
    const x = 0.5 * short;
    if (w >= h) {
      cw = x / sin;
      ch = x / cos;
    } else {
      cw = x / cos;
      ch = x / sin;
    }
  } else {
    const cos2 = cos * cos - sin * sin;
    cw = (w * cos - h * sin) / cos2;
    ch = (h * cos - w * sin) / cos2;
  }
  return { width: Math.min(w, Math.max(1, Math.floor(cw))), height: Math.min(h, Math.max(1, Math.floor(ch))) };
}

/**
 * Resizes so the longest side is `maxSide` (up or down), without aliasing when shrinking: a texture
 * shrunk by plain bilinear sampling gains high-frequency patterns of its own, which D then learns as
 * part of the texture.
 */
export function resizeLongestSide(image: tf.Tensor3D, maxSide: number): tf.Tensor3D {
  const [h, w] = image.shape;
  const k = maxSide / Math.max(h, w);
  const size: [number, number] = [Math.max(1, Math.round(h * k)), Math.max(1, Math.round(w * k))];
  if (size[0] === h && size[1] === w) return tf.clone(image);
  return resizeImage(image, size[1], size[0]);
}

function rotateAndCrop(image: tf.Tensor3D, degrees: number): tf.Tensor3D {
  if (degrees === 0) return tf.clone(image);
  return tf.tidy(() => {
    const [h, w] = image.shape;
    const rotated = tf.image.rotateWithOffset(tf.expandDims(image, 0) as tf.Tensor4D, (degrees * Math.PI) / 180, 0);
    const crop = innerCropSize(w, h, degrees);
    // One pixel of margin: the rotation samples nearest neighbours at the boundary.
    const cw = Math.max(1, crop.width - 2);
    const ch = Math.max(1, crop.height - 2);
    const top = Math.floor((h - ch) / 2);
    const left = Math.floor((w - cw) / 2);
    return tf.reshape(tf.slice(rotated, [0, top, left, 0], [1, ch, cw, 3]), [ch, cw, 3]) as tf.Tensor3D;
  });
}

/**
 * The example's variants (18 by default). The caller owns every returned image. Forward only:
 * no gradient flows into the example.
 */
export function augmentExample(example: tf.Tensor3D, options: AugmentOptions = {}): AugmentVariant[] {
  const maxSide = options.maxSide ?? DEFAULT_EXAMPLE_SIDE;
  const angles = options.angles ?? DEFAULT_ANGLES;
  const scales = options.scales ?? DEFAULT_SCALES;
  const flips = options.flips ?? DEFAULT_FLIPS;
  const base = resizeLongestSide(example, maxSide);
  const variants: AugmentVariant[] = [];
  try {
    for (const angle of angles) {
      const rotated = rotateAndCrop(base, angle);
      for (const scale of scales) {
        const [h, w] = rotated.shape;
        const scaled =
          scale === 1
            ? tf.clone(rotated)
            : tf.image.resizeBilinear(rotated, [Math.max(1, Math.round(h * scale)), Math.max(1, Math.round(w * scale))], true);
        for (const flip of flips) {
          variants.push({ image: flip ? (tf.reverse(scaled, 1) as tf.Tensor3D) : tf.clone(scaled), angle, scale, flip });
        }
        scaled.dispose();
      }
      rotated.dispose();
    }
  } finally {
    base.dispose();
  }
  return variants;
}
