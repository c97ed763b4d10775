/**
 * Neural patches: k×k windows of a VGG feature map (docs/method.md, MDAN).
 *
 * Extraction is one `gather` of the map's cells (a slice per window costs a kernel call each: 225
 * windows at 256² were 15% of an MDAN iteration on WASM). The gradient is written by hand
 * (tf.customGrad): each patch's gradient is added back at its window (one unsortedSegmentSum over
 * the same cell indices) and the sum is divided by how many windows cover each cell, as the authors
 * do, so cells covered by four overlapping patches do not get four times the push of a border cell.
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

/**
 * Row indices, in a [h*w, c] view of the map, of every cell of every window: window-major (row-major
 * over the grid), then row-major inside the window. `grid` positions windows; `w` is the map's width.
 */
function windowCells(grid: PatchGrid, w: number, windows: Array<[number, number]>): Int32Array {
  const k = grid.size;
  const cells = new Int32Array(windows.length * k * k);
  let n = 0;
  for (const [r, col] of windows) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cells[n++] = (r + i) * w + col + j;
  }
  return cells;
}

function allWindows(grid: PatchGrid): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const r of grid.rowStarts) for (const col of grid.colStarts) out.push([r, col]);
  return out;
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
  const cells = windowCells(grid, w, allWindows(grid));
  const n = grid.rows * grid.cols;
  const extract = tf.customGrad<tf.Tensor4D>((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const flat = tf.reshape(args[0] as tf.Tensor, [h * w, c]);
    return {
      value: tf.reshape(tf.gather(flat, cells), [n, size, size, c]) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor4D) =>
        tf.tidy(() => {
          const summed = tf.unsortedSegmentSum(tf.reshape(dy, [n * size * size, c]), tf.tensor1d(cells, 'int32'), h * w);
          return tf.reshape(tf.div(tf.reshape(summed, [h, w, c]), coverCount(h, w, grid)), [1, h, w, c]);
        }),
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
  // One gather per map for the windows picked from it, then one gather back into the pick order.
  const picks = new Map<number, Array<[number, number]>>();
  const order: Array<[number, number]> = []; // (map, index among that map's picks) per pick
  for (let i = 0; i < count; i++) {
    const k = Math.min(total - 1, Math.floor(random() * total));
    let m = offsets.length - 1;
    while (offsets[m] > k) m--;
    const g = grids[m];
    const local = k - offsets[m];
    const list = picks.get(m) ?? [];
    order.push([m, list.length]);
    list.push([g.rowStarts[Math.floor(local / g.cols)], g.colStarts[local % g.cols]]);
    picks.set(m, list);
  }
  return tf.tidy(() => {
    const size = grids[0].size;
    const parts: tf.Tensor[] = [];
    const start = new Map<number, number>();
    let at = 0;
    for (const [m, windows] of picks) {
      const [, h, w, c] = maps[m].shape;
      if (grids[m].size !== size) throw new Error(`samplePatches: grids disagree on the patch size (${grids[m].size} vs ${size})`);
      parts.push(tf.reshape(tf.gather(tf.reshape(maps[m], [h * w, c]), windowCells(grids[m], w, windows)), [windows.length, -1]));
      start.set(m, at);
      at += windows.length;
    }
    const c = maps[0].shape[3];
    const all = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    const position = Int32Array.from(order, ([m, i]) => start.get(m)! + i);
    const inOrder = position.every((p, i) => p === i) ? all : tf.gather(all, position);
    return tf.reshape(inOrder, [count, size, size, c]) as tf.Tensor4D;
  });
}
