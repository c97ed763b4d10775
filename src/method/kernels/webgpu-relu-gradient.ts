/**
 * ReLU's gradient as one WebGPU program: dx = x > 0 ? dy : 0. tfjs writes it as mul(dy, cast(step(x)))
 * (Step, Cast, Multiply: three programs per ReLU in every backward pass; VGG's ReLUs on the pixel
 * gradients of MDAN and of G's losses). The Relu gradient is replaced for every backend (tfjs keeps one
 * per kernel name), running tfjs's own formula wherever `MganReluGrad` is not registered.
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce, registerKernels } from './register';
import { type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const RELU_GRAD = 'MganReluGrad';

const RELU_GRAD_WGSL: WgslKernel = {
  name: RELU_GRAD,
  inputs: ['dy', 'x'],
  outputs: ['dx'],
  uniforms: [['n', 'u32']],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  dx[i] = dy[i] * select(0.0, 1.0, x[i] > 0.0);
}`,
};

function reluGradKernel({ inputs }: { inputs: Record<string, tf.TensorInfo> }): tf.TensorInfo {
  const n = elementCount(inputs.x);
  return dispatchWgsl(RELU_GRAD_WGSL, [inputs.dy, inputs.x], [inputs.x.shape], [n], n)[0];
}

/** Registers `MganReluGrad` for 'webgpu' and the Relu gradient that uses it where it exists. Idempotent. */
export function installWebGpuReluGradient(): void {
  registerKernels('webgpu', { [RELU_GRAD]: reluGradKernel });
  registerGradientOnce({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      if (x.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend())) return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: g, x }, {}) as tf.Tensor };
      return { x: () => tf.mul(g, tf.cast(tf.step(x), 'float32')) };
    },
  });
}
