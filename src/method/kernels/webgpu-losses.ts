/**
 * The scalar losses of MDAN and MGAN and their gradients, one WebGPU program each way (a single
 * workgroup sums the loss; the gradient is one elementwise pass). Built from tfjs ops each was 3-13
 * programs forward and as many backward (slices, pads, squares, sums, means and their autodiff):
 *
 * - `MganHingeLoss` { scores }, attrs { label, weight }: weight · mean(max(0, 1 - label·s));
 * - `MganHingePair` { real, fake }: mean(max(0, 1 - real)) + mean(max(0, 1 + fake)), a discriminator's
 *   loss on its two batches (the gradient kernel writes both gradients);
 * - `MganSquaredError` { a, b }, attrs { weight }: weight · mean((a - b)²) (gradient to a; b's is -a's);
 * - `MganTotalVariation` { x } ([H, W, C] or [B, H, W, C]), attrs { down, right }: down · Σ(vertical
 *   neighbour differences)² + right · Σ(horizontal ones)² (the caller folds the mean's counts and the
 *   loss weight into down and right).
 *
 * The callers (mdan/losses.ts) keep their tfjs-op form wherever these are not registered.
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradientOnce, registerKernels } from './register';
import { TREE_SUM, WORKGROUP, type WgslKernel, dispatchWgsl, elementCount } from './webgpu-dispatch';

export const HINGE_LOSS = 'MganHingeLoss';
export const HINGE_PAIR = 'MganHingePair';
export const SQUARED_ERROR = 'MganSquaredError';
export const TOTAL_VARIATION = 'MganTotalVariation';

export interface HingeLossAttrs {
  label: 1 | -1;
  weight: number;
}
export interface SquaredErrorAttrs {
  weight: number;
}
export interface TotalVariationAttrs {
  /** Factor on the sum of squared vertical differences. */
  down: number;
  /** Factor on the sum of squared horizontal differences. */
  right: number;
}

/** A one-workgroup sum of `term(i)` over i < u.n, times u.scale, into out[0]. */
function reduction(name: string, inputs: string[], term: string, extra: Array<[string, 'f32' | 'u32']> = []): WgslKernel {
  return {
    name,
    inputs,
    outputs: ['out'],
    uniforms: [['n', 'u32'], ['scale', 'f32'], ...extra],
    body: `
var<workgroup> partial: array<f32, WORKGROUP>;
fn term(i: u32) -> f32 { ${term} }
@compute @workgroup_size(WORKGROUP) fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  var s = 0.0;
  for (var i = t; i < u.n; i = i + WORKGROUP) { s = s + term(i); }
  partial[t] = s;
  ${TREE_SUM}
  if (t == 0u) { out[0] = partial[0] * u.scale; }
}`,
  };
}

/**
 * An elementwise pass over i < u.n writing out[i] = `value` (dy[0] is the loss's incoming gradient),
 * after WGSL `prelude` (helper functions).
 */
function elementwise(name: string, inputs: string[], value: string, extra: Array<[string, 'f32' | 'u32']> = [], prelude = ''): WgslKernel {
  return {
    name,
    inputs,
    outputs: ['out'],
    uniforms: [['n', 'u32'], ['scale', 'f32'], ...extra],
    body: `${prelude}
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  out[i] = ${value};
}`,
  };
}

const HINGE = reduction(HINGE_LOSS, ['s'], 'return max(0.0, 1.0 - u.label * s[i]);', [['label', 'f32']]);
const HINGE_GRAD = elementwise(`${HINGE_LOSS}Grad`, ['dy', 's'], 'dy[0] * u.scale * select(0.0, -u.label, 1.0 - u.label * s[i] > 0.0)', [['label', 'f32']]);
const PAIR_UNIFORMS: Array<[string, 'f32' | 'u32']> = [['nReal', 'u32'], ['nFake', 'u32']];
const PAIR = reduction(
  HINGE_PAIR,
  ['real', 'fake'],
  'if (i < u.nReal) { return max(0.0, 1.0 - real[i]) / f32(u.nReal); } return max(0.0, 1.0 + fake[i - u.nReal]) / f32(u.nFake);',
  PAIR_UNIFORMS,
);
const PAIR_GRAD: WgslKernel = {
  name: `${HINGE_PAIR}Grad`,
  inputs: ['dy', 'real', 'fake'],
  outputs: ['dreal', 'dfake'],
  uniforms: [['n', 'u32'], ...PAIR_UNIFORMS],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i < u.nReal) { dreal[i] = select(0.0, -dy[0] / f32(u.nReal), 1.0 - real[i] > 0.0); }
  if (i < u.nFake) { dfake[i] = select(0.0, dy[0] / f32(u.nFake), 1.0 + fake[i] > 0.0); }
}`,
};
const SQUARED = reduction(SQUARED_ERROR, ['a', 'b'], 'let d = a[i] - b[i]; return d * d;');
const SQUARED_GRAD = elementwise(`${SQUARED_ERROR}Grad`, ['dy', 'a', 'b'], 'dy[0] * u.scale * (a[i] - b[i])');

/** Where element i sits: its row (y) and column (x) in an image of u.h × u.w × u.c. */
const POSITION = 'let x = (i / u.c) % u.w; let y = (i / (u.c * u.w)) % u.h; let row = u.w * u.c;';
const TV_UNIFORMS: Array<[string, 'f32' | 'u32']> = [['h', 'u32'], ['w', 'u32'], ['c', 'u32'], ['down', 'f32'], ['right', 'f32']];
const TV = reduction(
  TOTAL_VARIATION,
  ['x_in'],
  `${POSITION}
  var s = 0.0;
  if (y + 1u < u.h) { let d = x_in[i + row] - x_in[i]; s = s + u.down * d * d; }
  if (x + 1u < u.w) { let d = x_in[i + u.c] - x_in[i]; s = s + u.right * d * d; }
  return s;`,
  TV_UNIFORMS,
);
const TV_GRAD = elementwise(
  `${TOTAL_VARIATION}Grad`,
  ['dy', 'x_in'],
  'tvGrad(i)',
  TV_UNIFORMS,
  `
fn tvGrad(i: u32) -> f32 {
  ${POSITION}
  let v = x_in[i];
  var g = 0.0;
  if (y > 0u) { g = g + u.down * (v - x_in[i - row]); }
  if (y + 1u < u.h) { g = g - u.down * (x_in[i + row] - v); }
  if (x > 0u) { g = g + u.right * (v - x_in[i - u.c]); }
  if (x + 1u < u.w) { g = g - u.right * (x_in[i + u.c] - v); }
  return 2.0 * g * dy[0] * u.scale;
}`,
);

const size = elementCount;
type Args = { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> };

/** One workgroup: every thread loops over the elements (a loss reads each element once). */
const reduce = (k: WgslKernel, inputs: tf.TensorInfo[], values: number[]) => dispatchWgsl(k, inputs, [[]], values, WORKGROUP)[0];
const each = (k: WgslKernel, inputs: tf.TensorInfo[], shape: number[], values: number[]) => dispatchWgsl(k, inputs, [shape], values, values[0])[0];

function tvShape(x: tf.TensorInfo): [number, number, number] {
  const s = x.shape;
  return [s[s.length - 3], s[s.length - 2], s[s.length - 1]];
}

const KERNELS: Record<string, (a: Args) => tf.TensorInfo> = {
  [HINGE_LOSS]: ({ inputs, attrs }) => {
    const a = attrs as unknown as HingeLossAttrs;
    return reduce(HINGE, [inputs.s], [size(inputs.s), a.weight / size(inputs.s), a.label]);
  },
  [`${HINGE_LOSS}Grad`]: ({ inputs, attrs }) => {
    const a = attrs as unknown as HingeLossAttrs;
    return each(HINGE_GRAD, [inputs.dy, inputs.s], inputs.s.shape, [size(inputs.s), a.weight / size(inputs.s), a.label]);
  },
  [HINGE_PAIR]: ({ inputs }) => reduce(PAIR, [inputs.real, inputs.fake], [size(inputs.real) + size(inputs.fake), 1, size(inputs.real), size(inputs.fake)]),
  [SQUARED_ERROR]: ({ inputs, attrs }) => reduce(SQUARED, [inputs.a, inputs.b], [size(inputs.a), (attrs.weight as number) / size(inputs.a)]),
  [`${SQUARED_ERROR}Grad`]: ({ inputs, attrs }) => each(SQUARED_GRAD, [inputs.dy, inputs.a, inputs.b], inputs.a.shape, [size(inputs.a), (2 * (attrs.weight as number)) / size(inputs.a)]),
  [TOTAL_VARIATION]: ({ inputs, attrs }) => {
    const a = attrs as unknown as TotalVariationAttrs;
    return reduce(TV, [inputs.x], [size(inputs.x), 1, ...tvShape(inputs.x), a.down, a.right]);
  },
  [`${TOTAL_VARIATION}Grad`]: ({ inputs, attrs }) => {
    const a = attrs as unknown as TotalVariationAttrs;
    return each(TV_GRAD, [inputs.dy, inputs.x], inputs.x.shape, [size(inputs.x), 1, ...tvShape(inputs.x), a.down, a.right]);
  },
};

/** The pair's gradient kernel (two outputs). */
function hingePairGrad({ inputs }: Args): tf.TensorInfo[] {
  const nReal = size(inputs.real);
  const nFake = size(inputs.fake);
  const n = Math.max(nReal, nFake);
  return dispatchWgsl(PAIR_GRAD, [inputs.dy, inputs.real, inputs.fake], [inputs.real.shape, inputs.fake.shape], [n, nReal, nFake], n);
}

/** Registers the three losses and their gradient kernels for 'webgpu', and the losses' gradients. Idempotent. */
export function installWebGpuLosses(): void {
  registerKernels('webgpu', { ...KERNELS, [`${HINGE_PAIR}Grad`]: hingePairGrad });
  const grad = (name: string, inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => tf.engine().runKernel(`${name}Grad`, inputs, attrs) as tf.Tensor;
  registerGradientOnce({
    kernelName: HINGE_LOSS,
    inputsToSave: ['s'],
    gradFunc: (dy, [s], attrs) => ({ s: () => grad(HINGE_LOSS, { dy: dy as tf.Tensor, s }, attrs) }),
  });
  registerGradientOnce({
    kernelName: HINGE_PAIR,
    inputsToSave: ['real', 'fake'],
    gradFunc: (dy, [real, fake]) => {
      // Both from one call, here: each thunk runs in its own tidy (see the batch-norm gradient).
      const [dreal, dfake] = tf.engine().runKernel(`${HINGE_PAIR}Grad`, { dy: dy as tf.Tensor, real, fake }, {}) as unknown as tf.Tensor[];
      return { real: () => dreal, fake: () => dfake };
    },
  });
  registerGradientOnce({
    kernelName: SQUARED_ERROR,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => ({
      a: () => grad(SQUARED_ERROR, { dy: dy as tf.Tensor, a, b }, attrs),
      b: () => tf.neg(grad(SQUARED_ERROR, { dy: dy as tf.Tensor, a, b }, attrs)),
    }),
  });
  registerGradientOnce({
    kernelName: TOTAL_VARIATION,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => grad(TOTAL_VARIATION, { dy: dy as tf.Tensor, x }, attrs) }),
  });
}

/** True when the current backend runs these losses as kernels. */
export function hasFusedLosses(): boolean {
  return !!tf.getKernel(HINGE_LOSS, tf.getBackend());
}
