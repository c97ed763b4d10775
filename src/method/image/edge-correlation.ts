/**
 * Whether a stylised picture keeps the photo's objects, not only its light and dark areas (docs/decoders.md,
 * "Quality"): the correlation of the two pictures' edge maps. Each picture is shrunk to grey thumbnails
 * (area means) whose longer side is EDGE_GRIDS cells, and at each grid the Sobel gradient magnitude of
 * one is correlated with the other's; the score is the mean over the grids.
 *
 * Why edges: the 16 x 16 layout correlation (layout-correlation.ts) stays high for a decode that keeps a
 * bright sky band over a dark lower half while every person, animal and house is gone, because big areas
 * dominate a thumbnail's variance. Edges are where the objects are: a stylisation that keeps the scene
 * keeps its outlines (strokes add edges of their own, which lowers the score but does not erase the
 * outlines), while blue mush has edges everywhere but at the objects. At 32 and 64 cells the grid is
 * coarse enough that a style's strokes (a few px at 128 to 256 px) are mostly averaged away, fine enough
 * that a person or a dog is a few cells.
 */
import type * as tf from '@tensorflow/tfjs';
import { type RgbPixels, greyCells } from '../training-set/photo-checks';
import { correlation, rgbPixelsOf } from './layout-correlation';

/** The grids compared: cells along the longer side. */
export const EDGE_GRIDS: readonly number[] = [32, 64];

/** Cells per side of a grid whose longer side has `cells` cells, keeping the picture's aspect (at least 3). */
function gridSize(width: number, height: number, cells: number): { cols: number; rows: number } {
  const short = (a: number, b: number) => Math.max(3, Math.round((cells * a) / b));
  return width >= height ? { cols: cells, rows: short(height, width) } : { cols: short(width, height), rows: cells };
}

/** Sobel gradient magnitude of a grid of grey values, inner cells only ([(rows-2) * (cols-2)]). */
export function sobelMagnitude(grey: Float64Array, cols: number, rows: number): Float64Array {
  const out = new Float64Array((cols - 2) * (rows - 2));
  for (let y = 1; y < rows - 1; y++) {
    for (let x = 1; x < cols - 1; x++) {
      const at = (dx: number, dy: number) => grey[(y + dy) * cols + x + dx];
      const gx = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1);
      const gy = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1);
      out[(y - 1) * (cols - 2) + x - 1] = Math.hypot(gx, gy);
    }
  }
  return out;
}

/** The edge correlation of two pictures as 8-bit RGB pixels (any sizes; the grid follows `photo`'s aspect). */
export function edgeCorrelationOfPixels(picture: RgbPixels, photo: RgbPixels): number {
  let sum = 0;
  for (const cells of EDGE_GRIDS) {
    const { cols, rows } = gridSize(photo.width, photo.height, cells);
    sum += correlation(sobelMagnitude(greyCells(picture, cols, rows), cols, rows), sobelMagnitude(greyCells(photo, cols, rows), cols, rows));
  }
  return sum / EDGE_GRIDS.length;
}

/** The edge correlation of a picture with the photo it was made from: 1 = the same outlines, near 0 = none of them. */
export async function edgeCorrelation(picture: tf.Tensor3D, photo: tf.Tensor3D): Promise<number> {
  const [a, b] = await Promise.all([rgbPixelsOf(picture), rgbPixelsOf(photo)]);
  return edgeCorrelationOfPixels(a, b);
}
