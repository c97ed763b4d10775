/**
 * A conv's filter gradient as one matrix product over im2col rows, for GPU backends:
 *
 *   dW[(i, j, ci), co] = sum over output pixels p of patches[p, (i, j, ci)] * dy[p, co]
 *
 * `patches` (each output pixel's receptive field, [B·outH·outW, kh·kw·Cin]) is one gather from the
 * padded input, and the product runs as `matMul(patches, dy, transposeA)`: the tiled matmul shader the
 * forward conv also uses. Why: tfjs-webgpu 4.22's Conv2DBackpropFilter gives every filter element one
 * thread that loops over the whole batch and image with no tiling; it was over half the GPU kernel
 * time of an MGAN training step (docs/benchmarks.md, "GPU machine"). Costs kh·kw times the input's
 * memory for the patches.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replace-kernel';
import { type FilterGradient, filterGradientInput, filterGradientKernel } from './conv-gradient';

/** Flat row indices into the padded input [B·Hp·Wp] for every (output pixel, tap), in patch order. */
function patchRows(batch: number, hp: number, wp: number, outH: number, outW: number, kh: number, kw: number, sh: number, sw: number): Int32Array {
  const rows = new Int32Array(batch * outH * outW * kh * kw);
  let k = 0;
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) rows[k++] = (b * hp + oy * sh + i) * wp + ox * sw + j;
  return rows;
}

export const conv2dBackpropFilterByMatMul: FilterGradient = (x, dy, filterShape, strides, pad, dimRoundingMode) =>
  tf.tidy(() => {
    const { info, read: padded } = filterGradientInput(x, dy, filterShape, strides, pad, dimRoundingMode);
    const { batchSize: b, inChannels: cin, outChannels: cout, outHeight: outH, outWidth: outW, filterHeight: kh, filterWidth: kw } = info;
    const [, hp, wp] = padded.shape;
    const rows = tf.tensor1d(patchRows(b, hp, wp, outH, outW, kh, kw, info.strideHeight, info.strideWidth), 'int32');
    const patches = tf.reshape(tf.gather(tf.reshape(padded, [b * hp * wp, cin]), rows), [b * outH * outW, kh * kw * cin]);
    const dw = tf.matMul(patches, tf.reshape(dy, [b * outH * outW, cout]), true, false);
    return tf.reshape(dw, [kh, kw, cin, cout]) as tf.Tensor4D;
  });

let stock: tf.KernelConfig | undefined;

/** tfjs-webgpu's own filter gradient, for the bench's comparison (undefined before registration). */
export function stockWebGpuFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: number, pad: 'valid' | 'same'): tf.Tensor4D | undefined {
  if (!stock) return undefined;
  const info = stock.kernelFunc({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides, pad, dataFormat: 'NHWC', filterShape } }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
}

/** Installs the filter gradient above for 'webgpu' (NCHW convs keep the stock kernel). Idempotent. */
export function installWebGpuFilterGradient(): void {
  replaceKernel('Conv2DBackpropFilter', 'webgpu', (original) => {
    stock = original;
    return filterGradientKernel(conv2dBackpropFilterByMatMul, original);
  });
}
