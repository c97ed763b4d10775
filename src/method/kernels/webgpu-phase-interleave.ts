/**
 * The phase interleave of the stride-2 deconvolutions (phase-interleave.ts) and its gradient as one
 * WebGPU program each. Built from tfjs ops it was 4 strided slices, a concat and a transpose forward,
 * and their gradients (a pad per slice, the adds, a split, a transpose) backward: ~18 programs per
 * deconvolution and training step, 3 deconvolutions in G.
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './register';
import { type WgslKernel, dispatchWgsl } from './webgpu-dispatch';
import { INTERLEAVE_PHASES, INTERLEAVE_PHASES_GRAD, installPhaseInterleaveGradients, phaseImageDims } from './phase-interleave';

const UNIFORMS: WgslKernel['uniforms'] = [
  ['n', 'u32'],
  ['h', 'u32'],
  ['w', 'u32'],
  ['c', 'u32'],
];

/** y[b, 2m + py, 2n + px, c] = windows[b, m + py, n + px, (2py + px)C + c]: one thread per image element. */
const TO_IMAGE: WgslKernel = {
  name: INTERLEAVE_PHASES,
  inputs: ['windows'],
  outputs: ['image'],
  uniforms: UNIFORMS,
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let c = i % u.c;
  let ox = (i / u.c) % (2u * u.w);
  let oy = (i / (u.c * 2u * u.w)) % (2u * u.h);
  let b = i / (u.c * 4u * u.w * u.h);
  let py = oy & 1u;
  let px = ox & 1u;
  let wy = (oy >> 1u) + py;
  let wx = (ox >> 1u) + px;
  image[i] = windows[((b * (u.h + 1u) + wy) * (u.w + 1u) + wx) * 4u * u.c + (2u * py + px) * u.c + c];
}`,
};

/** The gradient: each window element takes the one image element that read it, or 0. */
const TO_WINDOWS: WgslKernel = {
  name: INTERLEAVE_PHASES_GRAD,
  inputs: ['dy'],
  outputs: ['dwindows'],
  uniforms: UNIFORMS,
  body: `
@compute @workgroup_size(WORKGROUP) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.n) { return; }
  let k = i % (4u * u.c);
  let g = k / u.c;
  let c = k % u.c;
  let wx = (i / (4u * u.c)) % (u.w + 1u);
  let wy = (i / (4u * u.c * (u.w + 1u))) % (u.h + 1u);
  let b = i / (4u * u.c * (u.w + 1u) * (u.h + 1u));
  let py = g >> 1u;
  let px = g & 1u;
  var v = 0.0;
  if (wy >= py && wy - py < u.h && wx >= px && wx - px < u.w) {
    let oy = 2u * (wy - py) + py;
    let ox = 2u * (wx - px) + px;
    v = dy[((b * 2u * u.h + oy) * 2u * u.w + ox) * u.c + c];
  }
  dwindows[i] = v;
}`,
};

type Args = { inputs: Record<string, tf.TensorInfo> };

function toImage({ inputs }: Args): tf.TensorInfo {
  const [b, h, w, c] = phaseImageDims(inputs.x.shape);
  const n = b * 4 * h * w * c;
  return dispatchWgsl(TO_IMAGE, [inputs.x], [[b, 2 * h, 2 * w, c]], [n, h, w, c], n)[0];
}

function toWindows({ inputs }: Args): tf.TensorInfo {
  const [b, h2, w2, c] = inputs.dy.shape;
  const [h, w] = [h2 / 2, w2 / 2];
  const n = b * (h + 1) * (w + 1) * 4 * c;
  return dispatchWgsl(TO_WINDOWS, [inputs.dy], [[b, h + 1, w + 1, 4 * c]], [n, h, w, c], n)[0];
}

/** Registers both directions for 'webgpu' (and the shared gradients). Idempotent. */
export function installWebGpuPhaseInterleave(): void {
  registerKernels('webgpu', { [INTERLEAVE_PHASES]: toImage, [INTERLEAVE_PHASES_GRAD]: toWindows });
  installPhaseInterleaveGradients();
}
