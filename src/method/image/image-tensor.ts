/**
 * Small pure helpers shared by the image nodes and both platform environments (Node and browser),
 * so decoding and resizing behave the same everywhere. Images are float32 [H, W, 3] in [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { fitSize } from '../../formats/fit-size';

export { fitSize };

/**
 * Interleaved pixels (RGBA, RGB, grey+alpha or grey) → float32 [H, W, 3] in [0, 1].
 * Alpha is dropped (the colour is kept as stored), as `tf.browser.fromPixels(x, 3)` does, so a
 * transparent PNG gives the same pixels in Node and the browser. `maxValue` is 255 for 8-bit data,
 * 65535 for 16-bit.
 */
export function pixelsToImageTensor(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  maxValue = 255,
): tf.Tensor3D {
  const expected = width * height * channels;
  if (data.length < expected) {
    throw new Error(`pixel buffer holds ${data.length} values, ${width}x${height}x${channels} needs ${expected}`);
  }
  const out = new Float32Array(width * height * 3);
  const scale = 1 / maxValue;
  const colour = channels >= 3;
  for (let i = 0, o = 0; i < width * height; i++, o += 3) {
    const p = i * channels;
    if (colour) {
      out[o] = data[p] * scale;
      out[o + 1] = data[p + 1] * scale;
      out[o + 2] = data[p + 2] * scale;
    } else {
      const g = data[p] * scale;
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
    }
  }
  return tf.tensor3d(out, [height, width, 3], 'float32');
}

/** RGBA 8-bit (canvas ImageData, pngjs output) → float32 [H, W, 3] in [0, 1]. */
export function rgbaToImageTensor(rgba: ArrayLike<number>, width: number, height: number): tf.Tensor3D {
  return pixelsToImageTensor(rgba, width, height, 4, 255);
}

/** Float image [H, W, 3] in [0, 1] → 8-bit RGBA (alpha 255), clipping and rounding. */
export async function imageTensorToRgba(image: tf.Tensor3D): Promise<Uint8ClampedArray> {
  assertImage(image, 'image');
  const [h, w] = image.shape;
  const data = await image.data();
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0, o = 0; i < w * h; i++, o += 4) {
    // Uint8ClampedArray clips to 0..255 and rounds half to even; NaN becomes 0.
    rgba[o] = data[i * 3] * 255;
    rgba[o + 1] = data[i * 3 + 1] * 255;
    rgba[o + 2] = data[i * 3 + 2] * 255;
    rgba[o + 3] = 255;
  }
  return rgba;
}

/** Throws a clear error unless `x` is a [H, W, 3] tensor. */
export function assertImage(x: unknown, what: string): asserts x is tf.Tensor3D {
  if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.shape[2] !== 3) {
    const got = x instanceof tf.Tensor ? `a tensor of shape [${x.shape.join(', ')}]` : typeof x;
    throw new Error(`${what} must be an image tensor [H, W, 3], got ${got}`);
  }
}

/**
 * Resizes `image` so its longer side is at most `maxSide` and its sides are multiples of
 * `multipleOf` (see fitSize). Returns a new tensor (the caller owns it; the input is untouched) and
 * whether the size changed. Downscaling uses bilinear after 2x2 average-pool halvings, so it is not aliased.
 */
export function resizeToFit(
  image: tf.Tensor3D,
  maxSide: number,
  multipleOf: number,
): { image: tf.Tensor3D; resized: boolean } {
  const [h, w] = image.shape;
  const size = fitSize(w, h, maxSide, multipleOf);
  if (size.width === w && size.height === h) return { image: tf.clone(image), resized: false };
  return { image: resizeImage(image, size.width, size.height), resized: true };
}

/**
 * Bilinear resize to exactly width x height. When shrinking by more than 2x it first halves with
 * 2x2 average pooling, so the result is not aliased (plain bilinear skips pixels).
 */
export function resizeImage(image: tf.Tensor3D, width: number, height: number): tf.Tensor3D {
  return tf.tidy(() => {
    let x = image as tf.Tensor3D;
    while (x.shape[0] >= 2 * height || x.shape[1] >= 2 * width) {
      const canH = x.shape[0] >= 2 * height;
      const canW = x.shape[1] >= 2 * width;
      x = tf.avgPool(x, [canH ? 2 : 1, canW ? 2 : 1], [canH ? 2 : 1, canW ? 2 : 1], 'valid');
    }
    if (x.shape[0] === height && x.shape[1] === width) return x.clone();
    return tf.image.resizeBilinear(x, [height, width], false, true).clipByValue(0, 1) as tf.Tensor3D;
  });
}
