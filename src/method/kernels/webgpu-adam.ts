/**
 * One Adam update of one variable as a single WebGPU program: the new parameter, first and second
 * moment from the old ones and the gradient. tf.train.adam spends 14 tfjs kernels per variable (each a
 * GPU program reading and writing the variable's size), which made the optimisers most of a training
 * step's programs on WebGPU (Multiply, Add, RealDiv: docs/benchmarks.md). Same arithmetic and order as
 * tfjs's AdamOptimizer, in f32.
 *
 * Kernel `MganAdam`: inputs { param, gradient, m, v } (m and v ignored when attrs.first: the moments
 * start at zero without a zeros program), attrs { lr, beta1, beta2, epsilon, correction1, correction2,
 * first }; outputs [param, m, v].
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './register';
import { type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const ADAM_KERNEL = 'MganAdam';

export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t for this step t (1-based). */
  correction1: number;
  correction2: number;
  /** The first step: the moments are zero (the m and v inputs are not read). */
  first: boolean;
}

const ADAM_WGSL: WgslKernel = {
  name: ADAM_KERNEL,
  inputs: ['p_in', 'g_in', 'm_in', 'v_in'],
  outputs: ['p_out', 'm_out', 'v_out'],
  uniforms: [
    ['n', 'u32'],
    ['first', 'u32'],
    ['beta1', 'f32'],
    ['oneMinusBeta1', 'f32'],
    ['beta2', 'f32'],
    ['oneMinusBeta2', 'f32'],
    ['correction1', 'f32'],
    ['correction2', 'f32'],
    ['epsilon', 'f32'],
    ['negLr', 'f32'],
  ],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let g = g_in[i];
  var m = 0.0;
  var v = 0.0;
  if (u.first == 0u) {
    m = m_in[i];
    v = v_in[i];
  }
  m = m * u.beta1 + g * u.oneMinusBeta1;
  v = v * u.beta2 + (g * g) * u.oneMinusBeta2;
  let mHat = m / u.correction1;
  let vHat = v / u.correction2;
  p_out[i] = (mHat / (sqrt(vHat) + u.epsilon)) * u.negLr + p_in[i];
  m_out[i] = m;
  v_out[i] = v;
}`,
};

function adamKernel({ inputs, attrs }: { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> }): tf.TensorInfo[] {
  const a = attrs as unknown as AdamAttrs;
  const { param, gradient } = inputs;
  const m = a.first ? gradient : inputs.m;
  const v = a.first ? gradient : inputs.v;
  const n = elementCount(param);
  const values = [n, a.first ? 1 : 0, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.correction1, a.correction2, a.epsilon, -a.lr];
  return dispatchWgsl(ADAM_WGSL, [param, gradient, m, v], [param.shape, param.shape, param.shape], values, n);
}

/** Registers `MganAdam` for 'webgpu'. Idempotent. */
export function installWebGpuAdam(): void {
  registerKernels('webgpu', { [ADAM_KERNEL]: adamKernel });
}
