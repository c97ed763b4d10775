/**
 * Neural patches: k×k windows of a VGG feature map (docs/method.md, MDAN).
 *
 * Extraction is one `gather` of the map's cells (a slice per window costs a kernel call each: 225
 * windows at 256² were 15% of an MDAN iteration on WASM). The gradient is written by hand
 * (tf.customGrad): each patch's gradient is added back at its window (one unsortedSegmentSum over
 * the same cell indices; on WebGPU one program, webgpu-patch-fold.ts) and the sum is divided by how
 * many windows cover each cell, as the authors do, so cells covered by four overlapping patches do not get four times the push of a border cell.
 */
import * as tf from '@tensorflow/tfjs';
import { PATCH_FOLD } from '../kernels/webgpu-patch-fold';

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
          if (tf.getKernel(PATCH_FOLD, tf.getBackend())) return tf.engine().runKernel(PATCH_FOLD, { dy }, { h, w, size, stride }) as tf.Tensor4D;
          const summed = tf.unsortedSegmentSum(tf.reshape(dy, [n * size * size, c]), tf.tensor1d(cells, 'int32'), h * w);
          return tf.reshape(tf.div(tf.reshape(summed, [h, w, c]), coverCount(h, w, grid)), [1, h, w, c]);
        }),
    };
  });
  return extract(features) as tf.Tensor4D;
}

/**
 * Every cell of several feature maps (the example's augmented variants) in one [Σ h·w, c] tensor, and
 * where each map's windows sit: D's real batch is then one gather whichever maps it comes from.
 */
export interface PatchSource {
  /** Each map's cells, row-major, one map after another. */
  cells: tf.Tensor2D;
  /** One grid per map. */
  grids: PatchGrid[];
  /** Row of `cells` where each map starts. */
  starts: number[];
  /** Each map's width (cells per row). */
  widths: number[];
  channels: number;
}

/**
 * Joins feature maps ([b, h, w, c] each: every batch item is a map of its own) into a PatchSource
 * with `size`×`size` windows at `stride`. The maps stay the caller's; the source's tensor is new.
 */
export function patchSource(maps: tf.Tensor4D[], size: number, stride: number): PatchSource {
  const grids: PatchGrid[] = [];
  const starts: number[] = [];
  const widths: number[] = [];
  let at = 0;
  for (const m of maps) {
    const [b, h, w] = m.shape;
    const grid = patchGrid(h, w, size, stride);
    for (let i = 0; i < b; i++) {
      grids.push(grid);
      starts.push(at);
      widths.push(w);
      at += h * w;
    }
  }
  const channels = maps[0].shape[3];
  const cells = tf.tidy(() => {
    const flat = maps.map((m) => tf.reshape(m, [-1, channels]));
    return (flat.length === 1 ? tf.clone(flat[0]) : tf.concat(flat, 0)) as tf.Tensor2D;
  });
  return { cells, grids, starts, widths, channels };
}

/**
 * Forward-only: `count` windows picked uniformly (with replacement) among all windows of a source's
 * maps, for D's real batch, in one gather. `random` gives numbers in [0, 1).
 */
export function samplePatches(source: PatchSource, count: number, random: () => number): tf.Tensor4D {
  const { grids, starts, widths } = source;
  const offsets: number[] = [];
  let total = 0;
  for (const g of grids) {
    offsets.push(total);
    total += g.rows * g.cols;
  }
  const size = grids[0].size;
  const cells = new Int32Array(count * size * size);
  for (let i = 0; i < count; i++) {
    const k = Math.min(total - 1, Math.floor(random() * total));
    let m = offsets.length - 1;
    while (offsets[m] > k) m--;
    const g = grids[m];
    if (g.size !== size) throw new Error(`samplePatches: grids disagree on the patch size (${g.size} vs ${size})`);
    const local = k - offsets[m];
    const window = windowCells(g, widths[m], [[g.rowStarts[Math.floor(local / g.cols)], g.colStarts[local % g.cols]]]);
    for (let j = 0; j < window.length; j++) cells[i * size * size + j] = starts[m] + window[j];
  }
  return tf.tidy(() => tf.reshape(tf.gather(source.cells, cells), [count, size, size, source.channels]) as tf.Tensor4D);
}
