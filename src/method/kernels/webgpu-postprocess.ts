/**
 * MDAN's output post-processing (mdan.ts `postprocess`: subtract the mean, clip to ±2 std, min-max to
 * [0, 1]) as two WebGPU programs: one workgroup computes the mean, the standard deviation and the
 * clipped range; one elementwise pass writes the image. As tfjs ops it is 17 programs (moments, sqrt,
 * minimum, maximum, min, max, subtractions, a division), run for every preview.
 *
 * Kernel `MganPostprocess`: inputs { x }, output x's shape.
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './register';
import { TREE_SUM, WORKGROUP, type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const POSTPROCESS = 'MganPostprocess';

/** A tree min or max of `partial` like TREE_SUM. */
const treeReduce = (op: 'min' | 'max') => TREE_SUM.replace('partial[t] + partial[t + k]', `${op}(partial[t], partial[t + k])`);

const STATS: WgslKernel = {
  name: `${POSTPROCESS}Stats`,
  inputs: ['x'],
  outputs: ['stats'],
  uniforms: [['n', 'u32']],
  body: `
var<workgroup> partial: array<f32, WORKGROUP>;
@compute @workgroup_size(WORKGROUP) fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  var s = 0.0;
  for (var i = t; i < u.n; i = i + WORKGROUP) { s = s + x[i]; }
  partial[t] = s;
  ${TREE_SUM}
  let mean = partial[0] / f32(u.n);
  workgroupBarrier();
  var q = 0.0;
  for (var i = t; i < u.n; i = i + WORKGROUP) { let d = x[i] - mean; q = q + d * d; }
  partial[t] = q;
  ${TREE_SUM}
  let bound = 2.0 * sqrt(partial[0] / f32(u.n));
  workgroupBarrier();
  var lo = 3.4e38;
  var hi = -3.4e38;
  for (var i = t; i < u.n; i = i + WORKGROUP) {
    let c = min(max(x[i] - mean, -bound), bound);
    lo = min(lo, c);
    hi = max(hi, c);
  }
  partial[t] = lo;
  ${treeReduce('min')}
  lo = partial[0];
  workgroupBarrier();
  partial[t] = hi;
  ${treeReduce('max')}
  if (t == 0u) {
    stats[0] = mean;
    stats[1] = bound;
    stats[2] = lo;
    stats[3] = max(partial[0] - lo, 1e-8);
  }
}`,
};

const APPLY: WgslKernel = {
  name: `${POSTPROCESS}Apply`,
  inputs: ['x', 'stats'],
  outputs: ['y'],
  uniforms: [['n', 'u32']],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = min(max(x[i] - stats[0], -stats[1]), stats[1]);
  y[i] = (c - stats[2]) / stats[3];
}`,
};

function postprocessKernel({ inputs }: { inputs: Record<string, tf.TensorInfo> }): tf.TensorInfo {
  const { x } = inputs;
  const n = elementCount(x);
  const [stats] = dispatchWgsl(STATS, [x], [[4]], [n], WORKGROUP);
  const [y] = dispatchWgsl(APPLY, [x, stats], [x.shape], [n], n);
  tf.backend().disposeData(stats.dataId);
  return y;
}

/** Registers `MganPostprocess` for 'webgpu'. Idempotent. */
export function installWebGpuPostprocess(): void {
  registerKernels('webgpu', { [POSTPROCESS]: postprocessKernel });
}
