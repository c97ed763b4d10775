/**
 * Neural patches: k×k windows of a VGG feature map (docs/method.md, MDAN).
 *
 * Extraction is built from `slice` + `stack` only, because tfjs has no gradient for stridedSlice or
 * cropAndResize and gather's gradient needs UnsortedSegmentSum, which the WASM backend lacks.
 * The gradient is written by hand (tf.customGrad): each patch's gradient is added back at its
 * window and the sum is divided by how many windows cover each cell, as the authors do, so cells
 * covered by four overlapping patches do not get four times the push of a border cell.
 */
import * as tf from '@tensorflow/tfjs';

/** Where the windows sit: `rowStarts` × `colStarts`, row-major, `rows * cols` patches. */
export interface PatchGrid {
  rows: number;
  cols: number;
  rowStarts: number[];
  colStarts: number[];
  size: number;
}

/**
 * Window start offsets along one axis: 0, stride, 2·stride, ... and always a last window flush
 * with the edge, so the last rows/columns are never left out.
 */
export function windowStarts(length: number, size: number, stride: number): number[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`patch size must be a positive integer, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`patch stride must be a positive integer, got ${stride}`);
  if (length < size) throw new Error(`a ${size}×${size} patch does not fit in a feature map side of ${length}`);
  const starts: number[] = [];
  for (let s = 0; s + size <= length; s += stride) starts.push(s);
  const last = length - size;
  if (starts[starts.length - 1] !== last) starts.push(last);
  return starts;
}

export function patchGrid(h: number, w: number, size: number, stride: number): PatchGrid {
  const rowStarts = windowStarts(h, size, stride);
  const colStarts = windowStarts(w, size, stride);
  return { rows: rowStarts.length, cols: colStarts.length, rowStarts, colStarts, size };
}

/** How many windows cover each cell of an h×w map: [h, w, 1]. */
function coverCount(h: number, w: number, grid: PatchGrid): tf.Tensor3D {
  const countAxis = (length: number, starts: number[]) => {
    const c = new Float32Array(length);
    for (const s of starts) for (let i = s; i < s + grid.size; i++) c[i] += 1;
    return c;
  };
  const rows = countAxis(h, grid.rowStarts);
  const cols = countAxis(w, grid.colStarts);
  const counts = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) counts[y * w + x] = rows[y] * cols[x];
  return tf.tensor3d(counts, [h, w, 1]);
}

/** Forward: one slice per window, stacked. [h, w, c] → [N, size, size, c]. */
function slicePatches(map: tf.Tensor3D, grid: PatchGrid): tf.Tensor4D {
  const c = map.shape[2];
  const windows: tf.Tensor3D[] = [];
  for (const r of grid.rowStarts) {
    for (const col of grid.colStarts) windows.push(tf.slice(map, [r, col, 0], [grid.size, grid.size, c]));
  }
  return tf.stack(windows) as tf.Tensor4D;
}

/**
 * Backward: adds each patch gradient back at its window (padding, summed per row strip first so the
 * work is N·size·w·c + rows·h·w·c rather than N·h·w·c), then divides by the cover count.
 */
function foldPatches(dy: tf.Tensor4D, h: number, w: number, grid: PatchGrid): tf.Tensor3D {
  const size = grid.size;
  const strips: tf.Tensor3D[] = [];
  grid.rowStarts.forEach((r, ri) => {
    const inRow: tf.Tensor3D[] = grid.colStarts.map((col, ci) => {
      const patch = tf.squeeze(tf.slice(dy, [ri * grid.cols + ci, 0, 0, 0], [1, -1, -1, -1]), [0]) as tf.Tensor3D;
      return tf.pad(patch, [[0, 0], [col, w - col - size], [0, 0]]);
    });
    const strip = inRow.length === 1 ? inRow[0] : (tf.addN(inRow) as tf.Tensor3D);
    strips.push(tf.pad(strip, [[r, h - r - size], [0, 0], [0, 0]]));
  });
  const summed = strips.length === 1 ? strips[0] : (tf.addN(strips) as tf.Tensor3D);
  return tf.div(summed, coverCount(h, w, grid));
}

/**
 * All size×size windows of a [1, h, w, c] feature map at the given stride, last row/column of
 * windows flush with the edge: [rows·cols, size, size, c], row-major over the grid.
 * Differentiable on every backend; overlapping gradients are averaged (see the file comment).
 */
export function extractPatches(features: tf.Tensor4D, size: number, stride: number): tf.Tensor4D {
  const [batch, h, w, c] = features.shape;
  if (batch !== 1) throw new Error(`extractPatches takes one feature map ([1, h, w, c]), got a batch of ${batch}`);
  const grid = patchGrid(h, w, size, stride);
  const extract = tf.customGrad<tf.Tensor4D>((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const map = tf.reshape(args[0] as tf.Tensor, [h, w, c]) as tf.Tensor3D;
    return {
      value: slicePatches(map, grid),
      gradFunc: (dy: tf.Tensor4D) => tf.reshape(foldPatches(dy, h, w, grid), [1, h, w, c]),
    };
  });
  return extract(features) as tf.Tensor4D;
}

/**
 * Forward-only: `count` windows picked uniformly (with replacement) among all windows of several
 * feature maps (the example's augmented variants), for D's real batch. `random` gives numbers in [0, 1).
 */
export function samplePatches(
  maps: tf.Tensor4D[],
  grids: PatchGrid[],
  count: number,
  random: () => number,
): tf.Tensor4D {
  const offsets: number[] = [];
  let total = 0;
  for (const g of grids) {
    offsets.push(total);
    total += g.rows * g.cols;
  }
  return tf.tidy(() => {
    const picked: tf.Tensor3D[] = [];
    for (let i = 0; i < count; i++) {
      const k = Math.min(total - 1, Math.floor(random() * total));
      let m = offsets.length - 1;
      while (offsets[m] > k) m--;
      const g = grids[m];
      const local = k - offsets[m];
      const r = g.rowStarts[Math.floor(local / g.cols)];
      const col = g.colStarts[local % g.cols];
      const c = maps[m].shape[3];
      picked.push(tf.reshape(tf.slice(maps[m], [0, r, col, 0], [1, g.size, g.size, c]), [g.size, g.size, c]));
    }
    return tf.stack(picked) as tf.Tensor4D;
  });
}
