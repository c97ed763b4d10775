/**
 * WASM's Sum and Mean over the leading axes of a tensor, e.g. over [0, 1, 2] of a channels-last
 * [B, H, W, C] (batch normalisation's moments and their gradients): the stock kernels first transpose
 * the whole input so that the reduced axes come last, then reduce on one thread. Viewed as a
 * [1, rows, 1, C] image, the same reduction is one average pool over all rows, which XNNPACK runs
 * channels-last on every thread (measured on [65536, 128]: 40 ms stock, 19 ms as a JS loop, 4.8 ms
 * pooled). Every other reduction runs the stock kernel; gradients are tfjs's own.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replace-kernel';

type ReduceArgs = { inputs: { x: tf.TensorInfo }; attrs: { axis: number | number[]; keepDims: boolean } };

/** How many leading axes `axis` reduces, when it is exactly the leading ones (0 ... k-1, k < rank); otherwise 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

function leadingReduce(kernelName: 'Sum' | 'Mean', original: tf.KernelConfig) {
  return (args: ReduceArgs): tf.TensorInfo | tf.Tensor => {
    const { x } = args.inputs;
    const k = x.dtype === 'float32' && x instanceof tf.Tensor ? leadingAxes(args.attrs.axis, x.shape.length) : 0;
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    if (k === 0 || rows === 0) return original.kernelFunc(args as never) as tf.TensorInfo;
    const kept = x.shape.slice(k);
    const inner = kept.reduce((a, b) => a * b, 1);
    const outShape = args.attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept;
    return tf.tidy(() => {
      const mean = tf.avgPool(tf.reshape(x as tf.Tensor, [1, rows, 1, inner]) as tf.Tensor4D, [rows, 1], 1, 'valid');
      return tf.reshape(kernelName === 'Mean' ? mean : tf.mul(mean, rows), outShape);
    });
  };
}

/** Replaces WASM's Sum and Mean with versions that reduce leading axes by one pooling. Idempotent. */
export function replaceWasmLeadingReductions(): void {
  for (const kernelName of ['Sum', 'Mean'] as const) replaceKernel(kernelName, 'wasm', (original) => leadingReduce(kernelName, original));
}
