/**
 * A fixed network's conv 3×3 'same' + bias + ReLU under a gradient tape, differentiable in its input
 * only: one fused conv program forward (tfjs's FusedConv2D) instead of Conv2D, Add and Relu, and
 * backward the ReLU mask (MganReluGrad, on the saved output: y > 0 exactly where the pre-activation is)
 * then Conv2DBackpropInput. tf.fused.conv2d's own gradient would also compute the filter and bias
 * gradients, which a fixed network (VGG19 feeding pixel gradients) never uses.
 *
 * Only where `MganReluGrad` is registered (WebGPU, where each op is a GPU program): other backends keep
 * conv2d + add + relu, whose filter gradient tfjs computes lazily, so their results do not change.
 * `convBias` is the same for a trained layer without activation (the MDAN discriminator's scoring
 * conv): the FusedConv2D kernel under the tape, with a lazy gradient per input.
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce } from './register';
import { RELU_GRAD } from './webgpu-relu-gradient';

const FUSED_ATTRS = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' };

/** True when the current backend has the fused form's backward kernel. */
export function hasFusedConvBiasRelu(): boolean {
  return !!tf.getKernel(RELU_GRAD, tf.getBackend());
}

/** relu(conv2d(x, filter, 1, 'same') + bias), gradient to `x` only; `filter` and `bias` are constants. */
export function convBiasRelu(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  if (!hasFusedConvBiasRelu()) return tf.relu(tf.add(tf.conv2d(x, filter, 1, 'same'), bias)) as tf.Tensor4D;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    // The kernel itself: tf.fused.conv2d unfuses whenever a gradient is being recorded.
    const y = tf.engine().runKernel('FusedConv2D', { x: input, filter, bias }, FUSED_ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const masked = tf.engine().runKernel(RELU_GRAD, { dy, x: saved[0] }, {}) as tf.Tensor4D;
        return tf.conv2dTranspose(masked, filter, input.shape, 1, 'same');
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

/**
 * A gradient for tfjs's `FusedConv2D` kernel when called directly with a linear activation (tfjs's own
 * fused op records a custom gradient instead, never this kernel): lazy per input, so a pass that
 * needs only the input's gradient computes no filter or bias gradient. Idempotent.
 */
export function installFusedConvGradient(): void {
  registerGradientOnce({
    kernelName: 'FusedConv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as { strides: [number, number]; pad: 'same' | 'valid'; activation: string };
      if (a.activation !== 'linear') throw new Error(`FusedConv2D's gradient here covers a linear activation, not '${a.activation}'`);
      const g = dy as tf.Tensor4D;
      return {
        x: () => tf.conv2dTranspose(g, filter, x.shape, a.strides, a.pad),
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        bias: () => tf.sum(g, [0, 1, 2]),
      };
    },
  });
}

/**
 * conv2d(x, filter, 1, pad) + bias, differentiable in all three: one program forward where
 * `MganReluGrad` marks a backend that pays per program (WebGPU), else conv2d + add as before.
 */
export function convBias(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, pad: 'same' | 'valid'): tf.Tensor4D {
  if (!hasFusedConvBiasRelu()) return tf.add(tf.conv2d(x, filter, 1, pad), bias) as tf.Tensor4D;
  return tf.engine().runKernel('FusedConv2D', { x, filter, bias }, { ...FUSED_ATTRS, pad, activation: 'linear' } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
