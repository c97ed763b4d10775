/**
 * Half-precision convolutions for decoding on WebGPU devices with `shader-f16`
 * (runtime/webgpu-device.ts asks for it). Activations and weights are stored as f16, products are
 * f16 (four input channels at a time, a vec4 of output channels per thread), and each group of four
 * is added into an f32 accumulator: f16 storage halves the memory traffic and f16 multiplies double the
 * arithmetic rate on GPUs that have them, while the long sums (up to 9 × 512 terms) keep f32's
 * precision. An f16 tensor here is a float32 tfjs tensor of half as many elements (two halves per
 * 32-bit word, last axis C/2); it is only ever read by these kernels.
 *
 * One kernel, `MganHalfConv`, covers every layer of a decode (VGG to relu4_1, then G) in one program
 * each:
 * - `conv3x3`: 3x3 'same' convolution, optionally reading its input through a 2x2 max-pool (VGG's
 *   pools cost no program of their own);
 * - `up2x`: G's stride-2 transposed convolution from its phase kernel (deconv.ts), the four phases
 *   computed and interleaved in place (no windows tensor, no interleave program);
 * and then a per-channel affine (bias, or a batch norm with fixed statistics folded in) and LeakyReLU
 * (leak 1 = none) or G's output `0.5·tanh + 0.5`. Output f16 or f32. `MganHalfPack` turns f32 values
 * (weights, once per decoder) into f16.
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './register';
import { type WgslKernel, dispatchWgsl, elementCount, webGpuDispatchProblem } from './webgpu-dispatch';

export const HALF_CONV = 'MganHalfConv';
export const HALF_PACK = 'MganHalfPack';

export interface HalfConvAttrs {
  mode: 'conv3x3' | 'up2x';
  /** True channel counts (an f16 tensor's last axis holds half as many numbers). */
  inChannels: number;
  outChannels: number;
  input: 'f32' | 'f16';
  output: 'f32' | 'f16';
  /** conv3x3: read the input through a 2x2 stride-2 'valid' max-pool. */
  pool: boolean;
  /** After the affine: LeakyReLU with this slope (1 = none), or G's image mapping. */
  activation: 'leaky' | 'tanh01';
  leak: number;
}

/** Whether the current backend is WebGPU on a device with `shader-f16` (its shaders may `enable f16;`). */
export function hasShaderF16(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  const device = (tf.backend() as unknown as { device?: { features?: { has(name: string): boolean } } }).device;
  return !!device?.features?.has('shader-f16');
}

/** Why half precision cannot run on the current backend, or undefined when it can. */
export function halfPrecisionProblem(): string | undefined {
  if (tf.getBackend() !== 'webgpu') return `it runs on WebGPU only (the backend is ${tf.getBackend()})`;
  if (!hasShaderF16()) return "this GPU adapter has no 'shader-f16'";
  return webGpuDispatchProblem();
}

/** Output channels rounded up to whole vec4s (weights and affines are padded with zeros). */
export const paddedChannels = (c: number): number => Math.ceil(c / 4) * 4;

const PACK: WgslKernel = {
  name: HALF_PACK,
  inputs: ['x'],
  outputs: ['y'],
  types: { x: 'vec4<f32>', y: 'vec4<f16>' },
  f16: true,
  rows: true,
  uniforms: [['n4', 'u32']],
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP;
  if (i >= u.n4) { return; }
  y[i] = vec4<f16>(x[i]);
}`,
};

type Variant = Pick<HalfConvAttrs, 'mode' | 'input' | 'output' | 'pool' | 'activation'> & { vectorInput: boolean; vectorOutput: boolean };

function convKernel(v: Variant): WgslKernel {
  const name = `${HALF_CONV}_${v.mode}_${v.input}${v.vectorInput ? 'v' : 's'}_${v.output}${v.vectorOutput ? 'v' : 's'}${v.pool ? '_pool' : ''}_${v.activation}`;
  const xType = v.input === 'f16' ? 'vec4<f16>' : v.vectorInput ? 'vec4<f32>' : 'f32';
  // One input cell (c4: a group of four channels), zero outside the conv's input; through the pool if asked.
  const at = (yy: string, xx: string) => `((b * u.srcH + u32(${yy})) * u.srcW + u32(${xx}))`;
  const read = v.vectorInput ? (yy: string, xx: string) => `vec4<f16>(x[${at(yy, xx)} * u.inC4 + c4])` : () => '';
  const load = v.vectorInput
    ? `
fn load(b: u32, y: i32, x0: i32, c4: u32) -> vec4<f16> {
  ${
    v.pool
      ? `let a = ${read('2 * y', '2 * x0')}; let b1 = ${read('2 * y', '2 * x0 + 1')};
  let c = ${read('2 * y + 1', '2 * x0')}; let d = ${read('2 * y + 1', '2 * x0 + 1')};
  return max(max(a, b1), max(c, d));`
      : `return ${read('y', 'x0')};`
  }
}`
    : '';
  // The inner product over input channels at one tap (wBase: the tap's first weight row).
  const taps = v.vectorInput
    ? `
    for (var c4 = 0u; c4 < u.inC4; c4 = c4 + 1u) {
      let xv = load(b, yy, xx, c4);
      let wi = (wBase + c4 * 4u) * u.outC4 + o4;
      acc = acc + vec4<f32>(w[wi] * xv.x + w[wi + u.outC4] * xv.y + w[wi + 2u * u.outC4] * xv.z + w[wi + 3u * u.outC4] * xv.w);
    }`
    : `
    let cell = ((b * u.srcH + u32(yy)) * u.srcW + u32(xx)) * u.inC;
    for (var ci = 0u; ci < u.inC; ci = ci + 1u) {
      acc = acc + vec4<f32>(w[(wBase + ci) * u.outC4 + o4] * f16(x[cell + ci]));
    }`;
  const loops =
    v.mode === 'conv3x3'
      ? `
  for (var ky = 0; ky < 3; ky = ky + 1) {
    let yy = i32(oy) + ky - 1;
    if (yy < 0 || yy >= i32(u.inH)) { continue; }
    for (var kx = 0; kx < 3; kx = kx + 1) {
      let xx = i32(ox) + kx - 1;
      if (xx < 0 || xx >= i32(u.inW)) { continue; }
      let wBase = u32(ky * 3 + kx) * u.inC;${taps}
    }
  }`
      : `
  // Output (2m + py, 2n + px) takes input rows m + py + ky - 1 with phase (py, px)'s 2x2 taps.
  let py = oy % 2u;
  let px = ox % 2u;
  let phase = py * 2u + px;
  for (var ky = 0; ky < 2; ky = ky + 1) {
    let yy = i32(oy / 2u + py) + ky - 1;
    if (yy < 0 || yy >= i32(u.inH)) { continue; }
    for (var kx = 0; kx < 2; kx = kx + 1) {
      let xx = i32(ox / 2u + px) + kx - 1;
      if (xx < 0 || xx >= i32(u.inW)) { continue; }
      let wBase = (phase * 4u + u32(ky * 2 + kx)) * u.inC;${taps}
    }
  }`;
  const activate = v.activation === 'tanh01' ? 'r = 0.5 * tanh(r) + 0.5;' : 'r = select(r * u.leak, r, r > vec4<f32>(0.0));';
  const store = v.vectorOutput
    ? v.output === 'f16'
      ? 'y[i] = vec4<f16>(r);'
      : 'y[i] = r;'
    : `
  for (var k = 0u; k < 4u; k = k + 1u) {
    let c = o4 * 4u + k;
    if (c < u.outC) { y[p * u.outC + c] = r[k]; }
  }`;
  return {
    name,
    inputs: ['x', 'w', 'affine'],
    outputs: ['y'],
    types: { x: xType, w: 'vec4<f16>', affine: 'vec4<f32>', y: v.vectorOutput ? (v.output === 'f16' ? 'vec4<f16>' : 'vec4<f32>') : 'f32' },
    f16: true,
    rows: true,
    uniforms: [
      ['n', 'u32'],
      ['outH', 'u32'],
      ['outW', 'u32'],
      ['srcH', 'u32'],
      ['srcW', 'u32'],
      ['inH', 'u32'],
      ['inW', 'u32'],
      ['inC', 'u32'],
      ['inC4', 'u32'],
      ['outC', 'u32'],
      ['outC4', 'u32'],
      ['leak', 'f32'],
    ],
    body: `${load}
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WORKGROUP;
  if (i >= u.n) { return; }
  let o4 = i % u.outC4;
  let p = i / u.outC4;
  let ox = p % u.outW;
  let oy = (p / u.outW) % u.outH;
  let b = p / (u.outW * u.outH);
  var acc = vec4<f32>(0.0);${loops}
  var r = acc * affine[o4] + affine[u.outC4 + o4];
  ${activate}
  ${store}
}`,
  };
}

const kernels = new Map<string, WgslKernel>();

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; attrs: Record<string, unknown> };

function halfConvKernel({ inputs, attrs }: KernelArgs): tf.TensorInfo {
  const a = attrs as unknown as HalfConvAttrs;
  const { x, w, affine } = inputs;
  const [batch, srcH, srcW] = x.shape;
  const inC = a.inChannels;
  const vectorInput = inC % 4 === 0;
  if (a.pool && !vectorInput) throw new Error(`${HALF_CONV}: a pooled input needs a multiple of 4 channels, got ${inC}`);
  if (a.input === 'f16' && !vectorInput) throw new Error(`${HALF_CONV}: f16 input needs a multiple of 4 channels, got ${inC}`);
  if ((a.input === 'f16' ? 2 : 1) * x.shape[3] !== inC) throw new Error(`${HALF_CONV}: input [${x.shape}] does not hold ${inC} ${a.input} channels`);
  const [inH, inW] = a.pool ? [Math.floor(srcH / 2), Math.floor(srcW / 2)] : [srcH, srcW];
  const [outH, outW] = a.mode === 'up2x' ? [2 * inH, 2 * inW] : [inH, inW];
  const outC4 = paddedChannels(a.outChannels) / 4;
  const taps = a.mode === 'up2x' ? 16 : 9;
  if (elementCount(w) !== (taps * inC * outC4 * 4) / 2) throw new Error(`${HALF_CONV}: weights hold ${elementCount(w) * 2} halves, expected ${taps * inC * outC4 * 4}`);
  const vectorOutput = a.outChannels % 4 === 0;
  if (a.output === 'f16' && !vectorOutput) throw new Error(`${HALF_CONV}: f16 output needs a multiple of 4 channels, got ${a.outChannels}`);
  const variant: Variant = { mode: a.mode, input: a.input, output: a.output, pool: a.pool, activation: a.activation, vectorInput, vectorOutput };
  const key = JSON.stringify(variant);
  let kernel = kernels.get(key);
  if (!kernel) kernels.set(key, (kernel = convKernel(variant)));
  const outShape = [batch, outH, outW, a.output === 'f16' ? a.outChannels / 2 : a.outChannels];
  const n = batch * outH * outW * outC4;
  const uniforms = [n, outH, outW, srcH, srcW, inH, inW, inC, inC / 4, a.outChannels, outC4, a.leak];
  return dispatchWgsl(kernel, [x, w, affine], [outShape], uniforms, n)[0];
}

function halfPackKernel({ inputs }: KernelArgs): tf.TensorInfo {
  const n = elementCount(inputs.x);
  if (n % 4 !== 0) throw new Error(`${HALF_PACK}: ${n} values are not whole vec4s`);
  return dispatchWgsl(PACK, [inputs.x], [[n / 2]], [n / 4], n / 4)[0];
}

/** Registers `MganHalfConv` and `MganHalfPack` for webgpu (they run only where `halfPrecisionProblem()` is undefined). */
export function installWebGpuHalfConv(): void {
  registerKernels('webgpu', { [HALF_CONV]: halfConvKernel, [HALF_PACK]: halfPackKernel });
}

/** f32 values (a multiple of 4) as an f16 tensor of half as many elements. */
export function packHalf(values: tf.Tensor): tf.Tensor1D {
  return tf.engine().runKernel(HALF_PACK, { x: values }, {}) as tf.Tensor1D;
}

/** One half-precision layer (see the top of this file). */
export function halfConv(x: tf.Tensor4D, weights: tf.Tensor, affine: tf.Tensor, attrs: HalfConvAttrs): tf.Tensor4D {
  return tf.engine().runKernel(HALF_CONV, { x, w: weights, affine }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
