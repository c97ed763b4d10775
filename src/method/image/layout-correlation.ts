/**
 * Whether a stylised picture keeps the photo's scene (docs/decoders.md, "Quality"): the correlation of
 * the two pictures' grey thumbnails (16 x 16 cell means). 1 = the same light and dark layout, 0 = none
 * of it (a texture painted over the photo), negative = inverted. A painting of the scene keeps its big
 * light and dark areas even where every stroke differs, so a decoder that paints the scene scores high
 * and one that paints its texture everywhere scores near 0.
 */
import type * as tf from '@tensorflow/tfjs';
import { type RgbPixels, greyCells } from '../training-set/photo-checks';
import { imageTensorToRgba } from './image-tensor';

/** Cells per side of the thumbnails compared. */
export const LAYOUT_GRID = 16;

/** A float image [H, W, 3] in [0, 1] as 8-bit RGB pixels. */
export async function rgbPixelsOf(image: tf.Tensor3D): Promise<RgbPixels> {
  const rgba = await imageTensorToRgba(image);
  const [height, width] = image.shape;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    data[3 * p] = rgba[4 * p];
    data[3 * p + 1] = rgba[4 * p + 1];
    data[3 * p + 2] = rgba[4 * p + 2];
  }
  return { width, height, data };
}

/** Pearson correlation of two equal-length series (grey levels, 0 to 255); 0 when either is constant. */
export function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  // Constant up to rounding (area means of equal pixels over cells of different sizes differ in the
  // last bits): no pattern to correlate.
  const tiny = 1e-9 * n;
  return aa > tiny && bb > tiny ? ab / Math.sqrt(aa * bb) : 0;
}

/** The layout correlation of a picture with the photo it was made from (any sizes: thumbnails are area means). */
export async function layoutCorrelation(picture: tf.Tensor3D, photo: tf.Tensor3D): Promise<number> {
  const [a, b] = await Promise.all([rgbPixelsOf(picture), rgbPixelsOf(photo)]);
  return correlation(greyCells(a, LAYOUT_GRID, LAYOUT_GRID), greyCells(b, LAYOUT_GRID, LAYOUT_GRID));
}
