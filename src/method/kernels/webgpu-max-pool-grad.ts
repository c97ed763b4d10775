/**
 * The gradient of VGG's 2×2 stride-2 max-pool as one WebGPU program: each input cell takes its
 * window's gradient when it is the window's first maximum (row-major; the cpu backend's choice), else
 * 0. tfjs-webgpu spends two (the max positions, then the scatter), four per MDAN pixel step's VGG.
 *
 * Kernel `MganMaxPool2x2Grad`: inputs { dy, x }, output x's shape. The MaxPool gradient is replaced for
 * every backend (tfjs keeps one per kernel name); wherever this kernel is missing, or the pool is not
 * 2×2 stride 2 'valid', it runs tfjs's own MaxPoolGrad kernel as before.
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce, registerKernels } from './register';
import { type WgslKernel, dispatchWgsl } from './webgpu-dispatch';

export const MAX_POOL_2X2_GRAD = 'MganMaxPool2x2Grad';

const GRAD_WGSL: WgslKernel = {
  name: MAX_POOL_2X2_GRAD,
  inputs: ['dy', 'x'],
  outputs: ['dx'],
  uniforms: [
    ['n', 'u32'],
    ['h', 'u32'],
    ['w', 'u32'],
    ['c', 'u32'],
    ['oh', 'u32'],
    ['ow', 'u32'],
  ],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let ch = i % u.c;
  let px = (i / u.c) % u.w;
  let py = (i / (u.c * u.w)) % u.h;
  let b = i / (u.c * u.w * u.h);
  let oy = py / 2u;
  let ox = px / 2u;
  if (oy >= u.oh || ox >= u.ow) { dx[i] = 0.0; return; }
  let corner = ((b * u.h + oy * 2u) * u.w + ox * 2u) * u.c + ch;
  let row = u.w * u.c;
  var best = corner;
  for (var k = 1u; k < 4u; k = k + 1u) {
    let j = corner + (k / 2u) * row + (k % 2u) * u.c;
    if (x[j] > x[best]) { best = j; }
  }
  dx[i] = select(0.0, dy[((b * u.oh + oy) * u.ow + ox) * u.c + ch], best == i);
}`,
};

function gradKernel({ inputs }: { inputs: Record<string, tf.TensorInfo> }): tf.TensorInfo {
  const { dy, x } = inputs;
  const [b, h, w, c] = x.shape;
  const n = b * h * w * c;
  return dispatchWgsl(GRAD_WGSL, [dy, x], [x.shape], [n, h, w, c, dy.shape[1], dy.shape[2]], n)[0];
}

const isPair = (v: unknown, k: number) => v === k || (Array.isArray(v) && v.length === 2 && v[0] === k && v[1] === k);

/** Registers `MganMaxPool2x2Grad` for 'webgpu' and the MaxPool gradient that uses it. Idempotent. */
export function installWebGpuMaxPoolGrad(): void {
  registerKernels('webgpu', { [MAX_POOL_2X2_GRAD]: gradKernel });
  registerGradientOnce({
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      const a = attrs as unknown as { filterSize: unknown; strides: unknown; pad: unknown; dimRoundingMode?: unknown };
      const own = x.rank === 4 && x.dtype === 'float32' && isPair(a.filterSize, 2) && isPair(a.strides, 2) && a.pad === 'valid' && tf.getKernel(MAX_POOL_2X2_GRAD, tf.getBackend());
      return {
        x: () =>
          own
            ? (tf.engine().runKernel(MAX_POOL_2X2_GRAD, { dy: dy as tf.Tensor, x }, {}) as tf.Tensor)
            : (tf.engine().runKernel('MaxPoolGrad', { dy: dy as tf.Tensor, input: x, output: y }, a as unknown as tf.NamedAttrMap) as tf.Tensor),
      };
    },
  });
}
