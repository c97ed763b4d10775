/**
 * The gradient of MDAN's patch extraction (mdan/patches.ts) as one WebGPU program: each feature cell
 * sums the gradients of the windows that cover it and divides by how many do. tfjs's form is an
 * UnsortedSegmentSum (4 programs on WebGPU) and a division by an uploaded count map.
 *
 * Kernel `MganPatchFold`: inputs { dy } ([windows, k, k, c], row-major over the window grid), attrs
 * { h, w, size, stride } (the map and the grid of patches.ts: starts 0, stride, 2·stride, ... and a
 * last window flush with the edge); output [1, h, w, c].
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './register';
import { type WgslKernel, dispatchWgsl } from './webgpu-dispatch';

export const PATCH_FOLD = 'MganPatchFold';

export interface PatchFoldAttrs {
  h: number;
  w: number;
  size: number;
  stride: number;
}

const FOLD_WGSL: WgslKernel = {
  name: PATCH_FOLD,
  inputs: ['dy'],
  outputs: ['dx'],
  uniforms: [
    ['n', 'u32'],
    ['w', 'u32'],
    ['c', 'u32'],
    ['k', 'u32'],
    ['stride', 'u32'],
    ['rowsRegular', 'u32'],
    ['colsRegular', 'u32'],
    ['lastRow', 'u32'],
    ['lastCol', 'u32'],
    ['cols', 'u32'],
  ],
  body: `
// The windows along one axis covering position p: regular ones j·stride (j < regular) and, when
// last ≠ 0xffffffff, the flush one at 'last' (window index regular).
fn firstRegular(p: u32) -> u32 { return select(0u, (p + 1u - u.k + u.stride - 1u) / u.stride, p + 1u > u.k); }
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let ch = i % u.c;
  let x = (i / u.c) % u.w;
  let y = i / (u.c * u.w);
  var sum = 0.0;
  var count = 0.0;
  let r1 = min(y / u.stride + 1u, u.rowsRegular);
  let c1 = min(x / u.stride + 1u, u.colsRegular);
  let hasLastRow = u.lastRow != 0xffffffffu && y >= u.lastRow && y < u.lastRow + u.k;
  let hasLastCol = u.lastCol != 0xffffffffu && x >= u.lastCol && x < u.lastCol + u.k;
  for (var rr = firstRegular(y); rr <= r1; rr = rr + 1u) {
    var r = rr;
    var rs = rr * u.stride;
    if (rr == r1) {
      if (!hasLastRow) { break; }
      r = u.rowsRegular;
      rs = u.lastRow;
    }
    for (var cc = firstRegular(x); cc <= c1; cc = cc + 1u) {
      var col = cc;
      var cs = cc * u.stride;
      if (cc == c1) {
        if (!hasLastCol) { break; }
        col = u.colsRegular;
        cs = u.lastCol;
      }
      sum = sum + dy[(((r * u.cols + col) * u.k + (y - rs)) * u.k + (x - cs)) * u.c + ch];
      count = count + 1.0;
    }
  }
  dx[i] = sum / count;
}`,
};

/** Regular window starts 0, stride, ... ≤ length - size, and the flush last start when it is not one of them (else 0xffffffff). */
function axis(length: number, size: number, stride: number): { regular: number; last: number } {
  const regular = Math.floor((length - size) / stride) + 1;
  const last = (regular - 1) * stride === length - size ? 0xffffffff : length - size;
  return { regular, last };
}

function foldKernel({ inputs, attrs }: { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> }): tf.TensorInfo {
  const a = attrs as unknown as PatchFoldAttrs;
  const c = inputs.dy.shape[3];
  const rows = axis(a.h, a.size, a.stride);
  const cols = axis(a.w, a.size, a.stride);
  const n = a.h * a.w * c;
  const values = [n, a.w, c, a.size, a.stride, rows.regular, cols.regular, rows.last, cols.last, cols.regular + (cols.last === 0xffffffff ? 0 : 1)];
  return dispatchWgsl(FOLD_WGSL, [inputs.dy], [[1, a.h, a.w, c]], values, n)[0];
}

/** Registers `MganPatchFold` for 'webgpu'. Idempotent. */
export function installWebGpuPatchFold(): void {
  registerKernels('webgpu', { [PATCH_FOLD]: foldKernel });
}
