/**
 * What every backend's conv-gradient kernels share: the attributes tfjs hands them, the input rows and
 * columns a conv read (for its filter gradient), and a Conv2DBackpropFilter kernel function around a
 * filter gradient written with tfjs ops (WASM's forward-conv form, WebGPU's im2col matmul).
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel's arguments as the engine passes them. */
export type KernelArgs = { inputs: Record<string, unknown>; attrs?: Record<string, unknown> };

/** The attributes tfjs gives both conv gradient kernels. */
export type ConvGradientAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** A filter gradient written with tfjs ops: x [B, H, W, Cin], dy [B, outH, outW, Cout] -> [kh, kw, Cin, Cout]. */
export type FilterGradient = (
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
) => tf.Tensor4D;

/**
 * What a conv's filter gradient needs from its forward pass: the conv's geometry, and the input rows and
 * columns the conv read ([B, (outH-1)·sh + kh, (outW-1)·sw + kw, Cin]: padded where it read zeros, cut
 * where it never reached). Fails when dy has not the conv's output shape. Call inside a tidy.
 */
export function filterGradientInput(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): { info: tf.backend_util.Conv2DInfo; read: tf.Tensor4D } {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight: outH, outWidth: outW } = info;
  const { top, left } = info.padInfo;
  if (dy.shape[1] !== outH || dy.shape[2] !== outW) {
    throw new Error(`Conv2DBackpropFilter: dy is [${dy.shape}], expected [${info.batchSize}, ${outH}, ${outW}, ${info.outChannels}]`);
  }
  const [h, w] = [(outH - 1) * sh + kh, (outW - 1) * sw + kw];
  const [bottom, right] = [h - top - x.shape[1], w - left - x.shape[2]];
  let read: tf.Tensor4D = x;
  if (top || left || bottom > 0 || right > 0) read = tf.pad(read, [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]]);
  if (bottom < 0 || right < 0) read = tf.slice(read, [0, 0, 0, 0], [read.shape[0], h, w, read.shape[3]]);
  return { info, read };
}

/**
 * A Conv2DBackpropFilter kernel function running `gradient` on NHWC convs, and `fallback` (the stock
 * kernel) on anything else, or failing where there is none.
 */
export function filterGradientKernel(gradient: FilterGradient, fallback?: tf.KernelConfig) {
  return (args: KernelArgs): tf.Tensor | tf.TensorInfo => {
    const a = args.attrs as ConvGradientAttrs & { filterShape: [number, number, number, number] };
    const { x, dy } = args.inputs;
    if (a.dataFormat !== 'NCHW' && x instanceof tf.Tensor && dy instanceof tf.Tensor) {
      return gradient(x as tf.Tensor4D, dy as tf.Tensor4D, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    }
    if (fallback) return fallback.kernelFunc(args as never) as tf.TensorInfo;
    throw new Error('Conv2DBackpropFilter: only NHWC convs are supported here');
  };
}

