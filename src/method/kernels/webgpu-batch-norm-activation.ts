/**
 * Batch normalisation with the batch's own statistics followed by ReLU / LeakyReLU, forward and
 * backward, as two WebGPU programs each (channels-last x viewed as [rows, C]):
 *
 * - forward: per channel (one workgroup each) the mean, the variance (two passes, as tf.moments) and
 *   the moved running statistics; then every element y = act((x - mean)·rsqrt(var + eps)·gamma + beta);
 * - backward: per channel dbeta = Σ dh and dgamma = Σ dh·x̂ (dh = dy·act'(h), h recomputed); then
 *   dx = gamma·rsqrt(var + eps)·(dh - dbeta/N - x̂·dgamma/N), the gradient through the batch moments.
 *
 * Built from tfjs ops (tf.moments, tf.batchNorm, tf.leakyRelu, the running-statistics update and the
 * autodiff of all of them) the same layer was ~40 kernels per training step, ZerosLike, Tile and
 * Reshape chains included. Kernel `MganBatchNormActivation`: inputs { x, gamma, beta, movingMean,
 * movingVariance }, attrs { epsilon, leak, momentum }; outputs [y, stats ([2, C]: mean, variance),
 * movingMean', movingVariance'].
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce, registerKernels } from './register';
import { TREE_SUM, WORKGROUP, type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const BATCH_NORM_ACTIVATION = 'MganBatchNormActivation';

export interface BatchNormActivationAttrs {
  epsilon: number;
  /** Slope below zero: 0 = ReLU. */
  leak: number;
  /** Weight of the old running statistics. */
  momentum: number;
}

const STATS: WgslKernel = {
  name: `${BATCH_NORM_ACTIVATION}Stats`,
  inputs: ['x', 'mm_in', 'mv_in'],
  outputs: ['stats_out', 'mm_out', 'mv_out'],
  uniforms: [
    ['rows', 'u32'],
    ['channels', 'u32'],
    ['momentum', 'f32'],
    ['oneMinusMomentum', 'f32'],
  ],
  body: `
var<workgroup> partial: array<f32, WORKGROUP>;
@compute @workgroup_size(WORKGROUP) fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wg.x;
  let t = lid.x;
  var s = 0.0;
  for (var r = t; r < u.rows; r = r + WORKGROUP) { s = s + x[r * u.channels + c]; }
  partial[t] = s;
  ${TREE_SUM}
  let mean = partial[0] / f32(u.rows);
  workgroupBarrier();
  var q = 0.0;
  for (var r = t; r < u.rows; r = r + WORKGROUP) {
    let d = x[r * u.channels + c] - mean;
    q = q + d * d;
  }
  partial[t] = q;
  ${TREE_SUM}
  if (t == 0u) {
    let variance = partial[0] / f32(u.rows);
    stats_out[c] = mean;
    stats_out[u.channels + c] = variance;
    mm_out[c] = mm_in[c] * u.momentum + mean * u.oneMinusMomentum;
    mv_out[c] = mv_in[c] * u.momentum + variance * u.oneMinusMomentum;
  }
}`,
};

const NORMALIZE: WgslKernel = {
  name: `${BATCH_NORM_ACTIVATION}Apply`,
  inputs: ['x', 'stats', 'gamma', 'beta'],
  outputs: ['y'],
  uniforms: [
    ['n', 'u32'],
    ['channels', 'u32'],
    ['epsilon', 'f32'],
    ['leak', 'f32'],
  ],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = i % u.channels;
  let h = (x[i] - stats[c]) * inverseSqrt(stats[u.channels + c] + u.epsilon) * gamma[c] + beta[c];
  y[i] = select(h * u.leak, h, h > 0.0);
}`,
};

const GRAD_SUMS: WgslKernel = {
  name: `${BATCH_NORM_ACTIVATION}GradSums`,
  inputs: ['dy', 'x', 'stats', 'gamma', 'beta'],
  outputs: ['dgamma', 'dbeta', 'coef'],
  uniforms: [
    ['rows', 'u32'],
    ['channels', 'u32'],
    ['epsilon', 'f32'],
    ['leak', 'f32'],
  ],
  body: `
var<workgroup> partial: array<f32, WORKGROUP>;
@compute @workgroup_size(WORKGROUP) fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wg.x;
  let t = lid.x;
  let m = stats[c];
  let rstd = inverseSqrt(stats[u.channels + c] + u.epsilon);
  var sb = 0.0;
  var sg = 0.0;
  for (var r = t; r < u.rows; r = r + WORKGROUP) {
    let i = r * u.channels + c;
    let xhat = (x[i] - m) * rstd;
    let h = xhat * gamma[c] + beta[c];
    let dh = select(dy[i] * u.leak, dy[i], h > 0.0);
    sb = sb + dh;
    sg = sg + dh * xhat;
  }
  partial[t] = sb;
  ${TREE_SUM}
  let total = partial[0];
  workgroupBarrier();
  partial[t] = sg;
  ${TREE_SUM}
  if (t == 0u) {
    dbeta[c] = total;
    dgamma[c] = partial[0];
    // What the element pass needs per channel, in one buffer (a shader stage binds at most 8).
    let k = u.channels;
    coef[c] = m;
    coef[k + c] = rstd;
    coef[2u * k + c] = gamma[c];
    coef[3u * k + c] = beta[c];
    coef[4u * k + c] = total / f32(u.rows);
    coef[5u * k + c] = partial[0] / f32(u.rows);
  }
}`,
};

const GRAD_X: WgslKernel = {
  name: `${BATCH_NORM_ACTIVATION}GradX`,
  inputs: ['dy', 'x', 'coef'],
  outputs: ['dx'],
  uniforms: [
    ['n', 'u32'],
    ['channels', 'u32'],
    ['leak', 'f32'],
  ],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = i % u.channels;
  let k = u.channels;
  let rstd = coef[k + c];
  let gamma = coef[2u * k + c];
  let xhat = (x[i] - coef[c]) * rstd;
  let h = xhat * gamma + coef[3u * k + c];
  let dh = select(dy[i] * u.leak, dy[i], h > 0.0);
  dx[i] = gamma * rstd * (dh - coef[4u * k + c] - xhat * coef[5u * k + c]);
}`,
};

type Args = { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> };

function forwardKernel({ inputs, attrs }: Args): tf.TensorInfo[] {
  const a = attrs as unknown as BatchNormActivationAttrs;
  const { x, gamma, beta, movingMean, movingVariance } = inputs;
  const channels = x.shape[x.shape.length - 1];
  const n = elementCount(x);
  const rows = n / channels;
  const [stats, mm, mv] = dispatchWgsl(STATS, [x, movingMean, movingVariance], [[2, channels], [channels], [channels]], [rows, channels, a.momentum, 1 - a.momentum], channels * WORKGROUP);
  const [y] = dispatchWgsl(NORMALIZE, [x, stats, gamma, beta], [x.shape], [n, channels, a.epsilon, a.leak], n);
  return [y, stats, mm, mv];
}

/** The gradient kernel: inputs { dy, x, stats, gamma, beta }, outputs [dx, dgamma, dbeta]. */
export const BATCH_NORM_ACTIVATION_GRAD = `${BATCH_NORM_ACTIVATION}Grad`;

function gradientKernel({ inputs, attrs }: Args): tf.TensorInfo[] {
  const a = attrs as unknown as BatchNormActivationAttrs;
  const { dy, x, stats, gamma, beta } = inputs;
  const channels = x.shape[x.shape.length - 1];
  const n = elementCount(x);
  const rows = n / channels;
  const [dgamma, dbeta, coef] = dispatchWgsl(GRAD_SUMS, [dy, x, stats, gamma, beta], [[channels], [channels], [6, channels]], [rows, channels, a.epsilon, a.leak], channels * WORKGROUP);
  const [dx] = dispatchWgsl(GRAD_X, [dy, x, coef], [x.shape], [n, channels, a.leak], n);
  tf.backend().disposeData(coef.dataId);
  return [dx, dgamma, dbeta];
}

/** Registers both kernels for 'webgpu' and the forward kernel's gradient. Idempotent. */
export function installWebGpuBatchNormActivation(): void {
  registerKernels('webgpu', { [BATCH_NORM_ACTIVATION]: forwardKernel, [BATCH_NORM_ACTIVATION_GRAD]: gradientKernel });
  registerGradientOnce({
    kernelName: BATCH_NORM_ACTIVATION,
    inputsToSave: ['x', 'gamma', 'beta'],
    outputsToSave: [false, true, false, false],
    gradFunc: (dys, saved, attrs) => {
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [x, gamma, beta, stats] = saved;
      // Computed here, not in the thunks: the engine runs each thunk in its own tidy, which would free
      // the other two outputs of a shared call.
      const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_ACTIVATION_GRAD, { dy, x, stats, gamma, beta }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
}
