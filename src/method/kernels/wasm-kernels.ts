/**
 * Training on the WASM backend. tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` and no
 * `UnsortedSegmentSum`, so no conv layer can learn on it and `gather` has no gradient: the filter
 * gradient as an XNNPACK forward conv, the segment sum as a loop, and its slow loop
 * `Conv2DBackpropInput` replaced by forward convs. Installed from the kernel table (custom-kernels.ts).
 *
 * The kernels run tfjs ops inside `tf.tidy`: the engine accepts a returned Tensor as a kernel output.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replace-kernel';
import { type ConvGradientAttrs, type FilterGradient, type KernelArgs, filterGradientInput, filterGradientKernel } from './conv-gradient';

function asTensor(value: unknown, what: string): tf.Tensor {
  if (!(value instanceof tf.Tensor)) throw new Error(`${what}: expected a tf.Tensor input`);
  return value;
}

/**
 * dW[i, j, ci, co] = sum over (b, oh, ow) of xPadded[b, oh*s + i, ow*s + j, ci] * dy[b, oh, ow, co]:
 * read with ci as the batch, b as the channels and (oh, ow) as the kernel taps, this is itself a
 * forward conv: x transposed to [Cin, H, W, B] convolved ('valid', dilation = the stride) with dy
 * transposed to [outH, outW, B, Cout] gives [Cin, kh, kw, Cout]. XNNPACK runs it at forward-conv
 * speed; only x and dy are copied (transposed) once. Measured against the im2col form (slices of the
 * padded input, concatenated, times dy^T) on the MDAN D's 225×8×8×256 3×3 layer: 2.6 s vs 6.9 s,
 * and 1.2-9× faster on every MGAN layer shape (bench/vgg19.ts `filter-grad/*`).
 */
export const conv2dBackpropFilterAsConv: FilterGradient = (x, dy, filterShape, strides, pad, dimRoundingMode) =>
  tf.tidy(() => {
    const { info, read } = filterGradientInput(x, dy, filterShape, strides, pad, dimRoundingMode);
    const { strideHeight: sh, strideWidth: sw, outHeight: outH, outWidth: outW } = info;
    const input = tf.transpose(read, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, h, w, B]
    const taps = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [outH, outW, B, Cout]
    const dilation: [number, number] = [outH > 1 ? sh : 1, outW > 1 ? sw : 1];
    const dw = tf.conv2d(input, taps, 1, 'valid', 'NHWC', dilation); // [Cin, kh, kw, Cout]
    return tf.transpose(dw, [1, 2, 0, 3]);
  });

/** One output phase of a strided conv's input gradient along one axis (see conv2dBackpropInputByPhases). */
interface AxisPhase {
  /** Kernel taps of this phase, in the order the forward conv over dy reads them. */
  taps: number[];
  /** dy rows padded before / after, then the window of dy rows read (from `start`, `length` rows). */
  before: number;
  after: number;
  start: number;
  length: number;
}

/**
 * Along one axis: input row h = m*s + p receives dy[o] * W[i] for every o*s + i = h + padBefore, so i
 * runs over r, r + s, ... (r = (p + padBefore) mod s) and o = m + c - t for tap r + s*t
 * (c = (p + padBefore - r) / s): a correlation of dy with `taps` read back to front.
 * `rows` output rows per phase (the longest phase; the extra ones are cut after interleaving).
 */
function axisPhase(kernel: number, stride: number, padBefore: number, dyLength: number, rows: number, p: number): AxisPhase {
  const r = (p + padBefore) % stride;
  const c = (p + padBefore - r) / stride;
  const count = Math.max(0, Math.ceil((kernel - r) / stride));
  const taps = Array.from({ length: count }, (_, j) => r + stride * (count - 1 - j));
  const first = c - count + 1; // the dy row that output row 0 reads first (may be negative: zero padding)
  const before = Math.max(0, -first);
  const after = Math.max(0, rows - 1 + c - (dyLength - 1));
  return { taps, before, after, start: first + before, length: rows + count - 1 };
}

/**
 * The input gradient of a conv (any stride, no dilation), as forward convs that XNNPACK runs at full
 * speed: for stride s the input's rows and columns split into s×s phases (h mod s, w mod s); each
 * phase is a stride-1 conv of dy with the taps of the kernel that reach it, flipped and with in/out
 * channels swapped. The phases are interleaved back by one transpose. For stride 1 it is the
 * classic "full conv with the rotated kernel". Null when dy has not the expected shape.
 */
export function conv2dBackpropInputByPhases(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D | null {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth) return null;
  const [batch, , , inChannels] = inputShape;
  const rows = Math.ceil(inHeight / sh);
  const cols = Math.ceil(inWidth / sw);
  return tf.tidy(() => {
    const phases: tf.Tensor4D[] = [];
    for (let p = 0; p < sh; p++) {
      const a = axisPhase(kh, sh, info.padInfo.top, outHeight, rows, p);
      for (let q = 0; q < sw; q++) {
        const b = axisPhase(kw, sw, info.padInfo.left, outWidth, cols, q);
        if (!a.taps.length || !b.taps.length) {
          phases.push(tf.zeros([batch, rows, cols, inChannels]));
          continue;
        }
        const kernel = tf.transpose(takeTaps(filter, a.taps, b.taps), [0, 1, 3, 2]) as tf.Tensor4D;
        let window: tf.Tensor4D = dy;
        if (a.before || a.after || b.before || b.after) window = tf.pad(window, [[0, 0], [a.before, a.after], [b.before, b.after], [0, 0]]);
        if (a.start || b.start || window.shape[1] !== a.length || window.shape[2] !== b.length) {
          window = tf.slice(window, [0, a.start, b.start, 0], [batch, a.length, b.length, window.shape[3]]);
        }
        phases.push(tf.conv2d(window, kernel, 1, 'valid'));
      }
    }
    if (phases.length === 1) return phases[0];
    const all = interleaveRows(phases, sh, sw);
    return all.shape[1] === inHeight && all.shape[2] === inWidth ? all : tf.slice(all, [0, 0, 0, 0], [batch, inHeight, inWidth, inChannels]);
  });
}

/**
 * filter[rows, cols] for lists of kernel rows and columns. Runs of consecutive taps (all of them for
 * stride 1: the kernel read back to front) are one slice and a reverse; strided ones a slice per tap.
 * (WASM's gather along the outer axes of a 3x3x512x512 filter is ~3x slower than a reverse.)
 */
function takeTaps(filter: tf.Tensor4D, rows: number[], cols: number[]): tf.Tensor4D {
  const run = (taps: number[]) => (taps.every((t, j) => t === taps[0] - j) ? { start: taps[taps.length - 1], size: taps.length } : undefined);
  const r = run(rows);
  const c = run(cols);
  const [kh, kw, cin, cout] = filter.shape;
  if (r && c) {
    const window = r.size === kh && c.size === kw ? filter : tf.slice(filter, [r.start, c.start, 0, 0], [r.size, c.size, cin, cout]);
    const axes = [...(r.size > 1 ? [0] : []), ...(c.size > 1 ? [1] : [])];
    return axes.length ? tf.reverse(window, axes) : window;
  }
  const pick = (x: tf.Tensor4D, axis: 0 | 1, taps: number[]): tf.Tensor4D => {
    const parts = taps.map((t) => tf.slice(x, axis === 0 ? [t, 0, 0, 0] : [0, t, 0, 0], axis === 0 ? [1, x.shape[1], cin, cout] : [x.shape[0], 1, cin, cout]));
    return parts.length === 1 ? parts[0] : (tf.concat(parts, axis) as tf.Tensor4D);
  };
  return pick(pick(filter, 0, rows), 1, cols);
}

/**
 * Interleaves sh*sw phase images [B, R, C, ch] (row-major over (p, q)) into [B, R*sh, C*sw, ch]: the
 * phases concatenated along channels, then one 4-D transpose (rows of phases p next to each other).
 * WASM's depthToSpace, the same arithmetic, is a per-element index loop 10x slower than this transpose.
 */
function interleaveRows(phases: tf.Tensor4D[], sh: number, sw: number): tf.Tensor4D {
  const [b, r, c, ch] = phases[0].shape;
  const byRow = tf.reshape(tf.concat(phases, 3), [b * r, c, sh, sw * ch]); // [BR, C, p, (q, ch)]
  return tf.reshape(tf.transpose(byRow, [0, 2, 1, 3]), [b, r * sh, c * sw, ch]);
}

/**
 * out[s, ...] = sum of data rows whose segment id is s (ids outside [0, numSegments) are dropped,
 * as in TensorFlow). A plain loop over the values: exact, and no [N, numSegments] one-hot matrix.
 */
export function unsortedSegmentSumByLoop(data: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const idRank = segmentIds.rank;
  const rowShape = data.shape.slice(idRank);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const values = data.dataSync() as Float32Array | Int32Array;
  const ids = segmentIds.dataSync();
  const out = data.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let k = 0; k < rowSize; k++) out[dst + k] += values[src + k];
  }
  return tf.tensor(out, [numSegments, ...rowShape], data.dtype);
}

function unsortedSegmentSumKernel({ inputs, attrs }: KernelArgs): tf.Tensor {
  const data = asTensor(inputs.x, 'UnsortedSegmentSum x');
  const ids = asTensor(inputs.segmentIds, 'UnsortedSegmentSum segmentIds');
  return unsortedSegmentSumByLoop(data, ids, (attrs as { numSegments: number }).numSegments);
}

/** WASM's missing filter gradient: one XNNPACK forward conv (above). Idempotent. */
export function installWasmFilterGradient(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGradientKernel(conv2dBackpropFilterAsConv) as unknown as tf.KernelFunc });
}

/** WASM's missing segment sum (gather's gradient): the loop above. Idempotent. */
export function installWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSumKernel as unknown as tf.KernelFunc });
}

/**
 * WASM's Conv2DBackpropInput is a plain loop, 3-10x slower than its XNNPACK conv2d (measured: 3x3
 * 32²x128->256 380 ms vs 53 ms; MGAN D's 4x4 stride-2 8x32²x256: 7.4 s vs 1.6 s): every pixel
 * gradient through VGG19 and both discriminators pays for it. It becomes forward convs (by phases);
 * dilated or NCHW convs still run the original kernel.
 */
export function installWasmBackpropInput(): void {
  replaceKernel('Conv2DBackpropInput', 'wasm', (original) => (args: KernelArgs & { backend: unknown }) => {
    const a = args.attrs as ConvGradientAttrs & { inputShape: [number, number, number, number] };
    const { dy, filter } = args.inputs;
    if (a.dataFormat !== 'NCHW' && dy instanceof tf.Tensor && filter instanceof tf.Tensor) {
      const dx = conv2dBackpropInputByPhases(dy as tf.Tensor4D, filter as tf.Tensor4D, a.inputShape, a.strides, a.pad, a.dimRoundingMode);
      if (dx) return dx;
    }
    return original.kernelFunc(args as never);
  });
}
