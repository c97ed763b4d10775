/**
 * WASM's MaxPoolGrad as a JS loop over memory that routes each window's gradient to its largest input
 * (the first in row-major order on ties, as the cpu backend). The stock WASM kernel took 108 ms for
 * VGG's [1, 256, 256, 64] pool in an MDAN iteration (docs/benchmarks.md), and loses part of the
 * gradient of padded windows (tfjs 4.22: 32 of 36 in test/mgan/wasm-gather-pool.test.ts). Dilated
 * pools run the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replace-kernel';
import { type WasmBackendLike, heapF32, heapIndex } from './wasm-heap';

type PoolGradArgs = {
  inputs: { dy: tf.TensorInfo; input: tf.TensorInfo };
  attrs: { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  backend: WasmBackendLike;
};

export interface PoolShape {
  batch: number;
  height: number;
  width: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** dx (zeroed by the caller) += dy at each window's first largest input inside the image; NHWC. */
export function maxPoolGradInto(heap: Float32Array, xAt: number, dyAt: number, dxAt: number, p: PoolShape): void {
  const { width: w, channels: c } = p;
  for (let b = 0; b < p.batch; b++) {
    for (let oy = 0; oy < p.outHeight; oy++) {
      // The window's rows and columns that lie inside the image (padding holds no input).
      const y0 = Math.max(0, oy * p.strideHeight - p.padTop);
      const y1 = Math.min(p.height, oy * p.strideHeight - p.padTop + p.filterHeight);
      for (let ox = 0; ox < p.outWidth; ox++) {
        const x0 = Math.max(0, ox * p.strideWidth - p.padLeft);
        const x1 = Math.min(w, ox * p.strideWidth - p.padLeft + p.filterWidth);
        if (y0 >= y1 || x0 >= x1) continue;
        const g = dyAt + ((b * p.outHeight + oy) * p.outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -1;
          let max = -Infinity;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const at = ((b * p.height + y) * w + x) * c + ch;
              const v = heap[xAt + at];
              if (v > max || best < 0) {
                max = v;
                best = at;
              }
            }
          }
          heap[dxAt + best] += heap[g + ch];
        }
      }
    }
  }
}

function maxPoolGradKernel(original: tf.KernelConfig) {
  return (args: PoolGradArgs): tf.TensorInfo => {
    const { dy, input } = args.inputs;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const dilated = info.dilationHeight !== 1 || info.dilationWidth !== 1;
    if (dilated || input.dtype !== 'float32' || dy.dtype !== 'float32') return original.kernelFunc(args as never) as tf.TensorInfo;
    const backend = args.backend;
    const dx = backend.makeOutput(input.shape, 'float32');
    const heap = heapF32(backend);
    const dxAt = heapIndex(backend, dx);
    heap.fill(0, dxAt, dxAt + tf.util.sizeFromShape(input.shape));
    maxPoolGradInto(heap, heapIndex(backend, input), heapIndex(backend, dy), dxAt, {
      batch: info.batchSize,
      height: info.inHeight,
      width: info.inWidth,
      channels: info.inChannels,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    });
    return dx;
  };
}

/** Replaces WASM's MaxPoolGrad (undilated pools). Idempotent. */
export function replaceWasmMaxPoolGrad(): void {
  replaceKernel('MaxPoolGrad', 'wasm', maxPoolGradKernel);
}
