/**
 * WASM's GatherV2 as block copies: every gathered index copies one contiguous block (the dimensions
 * after the axis) with `copyWithin`, instead of the stock kernel's per-element index arithmetic
 * (measured on patch extraction, 14,400 rows of 256 from [4096, 256]: 101 ms stock, see
 * docs/benchmarks.md). Gathers with batch dimensions run the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replace-kernel';
import { type WasmBackendLike, heapF32, heapI32, heapIndex } from './wasm-heap';

type GatherArgs = {
  inputs: { x: tf.TensorInfo; indices: tf.TensorInfo };
  attrs: { axis: number; batchDims: number };
  backend: WasmBackendLike;
};

/** out[o, j, :] = x[o, indices[j], :] for x viewed as [outer, dim, block] (4-byte elements of one heap view). */
export function gatherBlocks(heap: Float32Array, xAt: number, indices: Int32Array, outAt: number, outer: number, dim: number, block: number): void {
  const n = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const s = xAt + (o * dim + indices[j]) * block;
      const d = outAt + (o * n + j) * block;
      if (block >= 16) heap.copyWithin(d, s, s + block);
      else for (let k = 0; k < block; k++) heap[d + k] = heap[s + k];
    }
  }
}

function gatherKernel(original: tf.KernelConfig) {
  return (args: GatherArgs): tf.TensorInfo => {
    const { x, indices } = args.inputs;
    const { batchDims } = args.attrs;
    const supported = (batchDims ?? 0) === 0 && (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32';
    if (!supported) return original.kernelFunc(args as never) as tf.TensorInfo;
    const axis = tf.util.parseAxisParam(args.attrs.axis, x.shape)[0];
    const dim = x.shape[axis];
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const block = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const backend = args.backend;
    // The indices are copied out first: the output's allocation may grow (and replace) the heap.
    const count = tf.util.sizeFromShape(indices.shape);
    const at = heapIndex(backend, indices);
    const ids = heapI32(backend).slice(at, at + count);
    for (const id of ids) {
      if (id < 0 || id >= dim) throw new Error(`GatherV2: the index value ${id} is not in [0, ${dim - 1}]`);
    }
    const out = backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype as 'float32' | 'int32');
    if (outer * count * block > 0) gatherBlocks(heapF32(backend), heapIndex(backend, x), ids, heapIndex(backend, out), outer, dim, block);
    return out;
  };
}

/** Replaces WASM's GatherV2 with block copies (batchDims 0). Idempotent. */
export function replaceWasmGather(): void {
  replaceKernel('GatherV2', 'wasm', gatherKernel);
}
