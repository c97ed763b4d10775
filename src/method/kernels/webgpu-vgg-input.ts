/**
 * VGG19's input in one WebGPU program: pixels (in [0, 1], or [-1, 1] as MDAN optimises them) to
 * 0..255 minus the ImageNet mean, channels reversed for BGR weights, and optionally the image's mirror
 * image appended as a second batch item (MDAN's example variants). As tfjs ops that is up to six
 * programs (Add, RealDiv, Reverse, Pack, Multiply, Sub) per VGG pass.
 *
 * Kernel `MganVggInput`: inputs { x } ([B, H, W, 3]; B = 1 with mirror), attrs { scale, offset, bgr,
 * mirror, mean (RGB) }: y[.., c] = (x[.., src(c)]·scale + offset)·255 - mean[src(c)], src(c) = 2 - c
 * for BGR. Its gradient (without mirror) is dy·scale·255 (channels back for BGR), one program.
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce, registerKernels } from './register';
import { type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const VGG_INPUT = 'MganVggInput';

export interface VggInputAttrs {
  /** The pixels' map to [0, 1]: p·scale + offset. */
  scale: number;
  offset: number;
  bgr: boolean;
  mirror: boolean;
  /** ImageNet mean, RGB, 0..255. */
  mean: readonly number[];
}

const INPUT_WGSL: WgslKernel = {
  name: VGG_INPUT,
  inputs: ['x'],
  outputs: ['y'],
  uniforms: [['n', 'u32'], ['perImage', 'u32'], ['w', 'u32'], ['mirror', 'u32'], ['bgr', 'u32'], ['scale', 'f32'], ['offset', 'f32'], ['m0', 'f32'], ['m1', 'f32'], ['m2', 'f32']],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = i % 3u;
  let src = select(c, 2u - c, u.bgr == 1u);
  var j = i - c + src;
  if (u.mirror == 1u && i >= u.perImage) {
    // The second batch item: column x of the image is column w - 1 - x of the input.
    let k = i - u.perImage;
    let col = (k / 3u) % u.w;
    j = k - c + src + (u.w - 1u - 2u * col) * 3u;
  }
  let mean = array<f32, 3>(u.m0, u.m1, u.m2);
  y[i] = (x[j] * u.scale + u.offset) * 255.0 - mean[src];
}`,
};

const GRAD_WGSL: WgslKernel = {
  name: `${VGG_INPUT}Grad`,
  inputs: ['dy'],
  outputs: ['dx'],
  uniforms: [['n', 'u32'], ['bgr', 'u32'], ['factor', 'f32']],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = i % 3u;
  dx[i] = dy[i - c + select(c, 2u - c, u.bgr == 1u)] * u.factor;
}`,
};

type Args = { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> };

function inputKernel({ inputs, attrs }: Args): tf.TensorInfo {
  const a = attrs as unknown as VggInputAttrs;
  const { x } = inputs;
  const [b, h, w] = x.shape;
  if (a.mirror && b !== 1) throw new Error(`${VGG_INPUT}: a mirror pair is made from one image, got a batch of ${b}`);
  const perImage = h * w * 3;
  const n = perImage * b * (a.mirror ? 2 : 1);
  const values = [n, perImage, w, a.mirror ? 1 : 0, a.bgr ? 1 : 0, a.scale, a.offset, a.mean[0], a.mean[1], a.mean[2]];
  return dispatchWgsl(INPUT_WGSL, [x], [[b * (a.mirror ? 2 : 1), h, w, 3]], values, n)[0];
}

function gradKernel({ inputs, attrs }: Args): tf.TensorInfo {
  const a = attrs as unknown as VggInputAttrs;
  const n = elementCount(inputs.dy);
  return dispatchWgsl(GRAD_WGSL, [inputs.dy], [inputs.dy.shape], [n, a.bgr ? 1 : 0, a.scale * 255], n)[0];
}

/** Registers `MganVggInput` (and its gradient kernel) for 'webgpu', and its gradient. Idempotent. */
export function installWebGpuVggInput(): void {
  registerKernels('webgpu', { [VGG_INPUT]: inputKernel, [`${VGG_INPUT}Grad`]: gradKernel });
  registerGradientOnce({
    kernelName: VGG_INPUT,
    gradFunc: (dy, _saved, attrs) => {
      if ((attrs as unknown as VggInputAttrs).mirror) throw new Error(`${VGG_INPUT}: no gradient through a mirror pair`);
      return { x: () => tf.engine().runKernel(`${VGG_INPUT}Grad`, { dy: dy as tf.Tensor }, attrs) as tf.Tensor };
    },
  });
}
