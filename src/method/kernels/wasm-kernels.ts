/**
 * Training on the WASM backend. tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` and no
 * `UnsortedSegmentSum`, so no conv layer can learn on it and `gather` has no gradient. We register
 * both, built from kernels WASM does have (slice im2col + XNNPACK matmuls), and add the gradient tfjs lacks
 * on every backend for `depthToSpace` (used by the sub-pixel decoder).
 *
 * The kernels run tfjs ops inside `tf.tidy`: the engine accepts a returned Tensor as a kernel output.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = { inputs: Record<string, unknown>; attrs?: Record<string, unknown> };

function asTensor(value: unknown, what: string): tf.Tensor {
  if (!(value instanceof tf.Tensor)) throw new Error(`${what}: expected a tf.Tensor input`);
  return value;
}

/** [B, H, W, C] → [sh*sw*B, ceil(H/sh), ceil(W/sw), C], phase (p, q) at rows (p*sw + q)*B: x[:, p::sh, q::sw]. */
function stridePhases(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const [hs, ws] = [Math.ceil(h / sh), Math.ceil(w / sw)];
  const padded = hs * sh > h || ws * sw > w ? tf.pad(x, [[0, 0], [0, hs * sh - h], [0, ws * sw - w], [0, 0]]) : x;
  return tf.reshape(tf.transpose(tf.reshape(padded, [b, hs, sh, ws, sw, c]), [2, 4, 0, 1, 3, 5]), [sh * sw * b, hs, ws, c]);
}

/** Largest im2col block built at once (floats); bigger inputs take the kernel offsets in groups. */
const IM2COL_MAX_FLOATS = 16 * 1024 * 1024;

/**
 * dW[i, j, ci, co] = sum over (b, oh, ow) of xPadded[b, oh*s + i, ow*s + j, ci] * dy[b, oh, ow, co],
 * as dy^T [Cout, N] times im2col columns [N, kh*kw*Cin] (N = B*outH*outW): the (strided) slices of the
 * padded input at each kernel offset, concatenated on the channel axis (4x faster on WASM than one
 * `gather`), in groups of offsets when the whole matrix would be too big. dy is transposed
 * explicitly: WASM's BatchMatMul with transposeA takes a slow non-XNNPACK path (0.7 vs 10 GFLOP/s).
 */
export function conv2dBackpropFilterFromSlices(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  im2colMaxFloats = IM2COL_MAX_FLOATS,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const { top, left } = info.padInfo;
  const [batch, outH, outW] = [info.batchSize, info.outHeight, info.outWidth];
  if (dy.shape[1] !== outH || dy.shape[2] !== outW) {
    throw new Error(`Conv2DBackpropFilter: dy is [${dy.shape}], expected [${batch}, ${outH}, ${outW}, ${outChannels}]`);
  }
  return tf.tidy(() => {
    // Pad so that every window the forward conv read lies inside; extra rows/cols are never read.
    const bottom = Math.max(0, (outH - 1) * sh + kh - top - x.shape[1]);
    const right = Math.max(0, (outW - 1) * sw + kw - left - x.shape[2]);
    const xPadded = top || left || bottom || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const [paddedH, paddedW] = [xPadded.shape[1], xPadded.shape[2]];
    const rows = batch * outH * outW;
    const dyT = tf.transpose(tf.reshape(dy, [rows, outChannels])); // [Cout, N]
    if (outH === 1 && outW === 1 && paddedH === kh && paddedW === kw) {
      // One window covers the whole input (MDAN's 8x8 scoring conv on 8x8 patches): im2col is a reshape.
      const columns = tf.reshape(xPadded, [batch, kh * kw * inChannels]);
      return tf.transpose(tf.reshape(tf.matMul(dyT, columns), [outChannels, kh, kw, inChannels]), [1, 2, 3, 0]) as tf.Tensor4D;
    }
    // WASM's stridedSlice is ~15x slower than slice: for stride s, split the input once into s*s
    // phases (phase (p, q) = xPadded[:, p::s, q::s]) and take every window as a plain slice of one.
    const phases = sh === 1 && sw === 1 ? xPadded : stridePhases(xPadded, sh, sw);
    const windowAt = ([i, j]: [number, number]): tf.Tensor =>
      sh === 1 && sw === 1
        ? tf.slice(xPadded, [0, i, j, 0], [batch, outH, outW, inChannels])
        : tf.slice(phases, [((i % sh) * sw + (j % sw)) * batch, Math.floor(i / sh), Math.floor(j / sw), 0], [batch, outH, outW, inChannels]);
    const offsets: Array<[number, number]> = [];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) offsets.push([i, j]);
    const perGroup = Math.max(1, Math.floor(im2colMaxFloats / (rows * inChannels)));
    const blocks: tf.Tensor2D[] = []; // [Cout, group*Cin] each
    for (let g = 0; g < offsets.length; g += perGroup) {
      const group = offsets.slice(g, g + perGroup);
      blocks.push(
        tf.tidy(() => {
          const windows = group.map(windowAt);
          const columns = tf.reshape(windows.length === 1 ? windows[0] : tf.concat(windows, 3), [rows, group.length * inChannels]);
          return tf.matMul(dyT, columns);
        }),
      );
    }
    const product = blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1); // [Cout, kh*kw*Cin]
    return tf.transpose(tf.reshape(product, [outChannels, kh, kw, inChannels]), [1, 2, 3, 0]);
  });
}

function conv2dBackpropFilterKernel({ inputs, attrs }: KernelArgs): tf.Tensor {
  const x = asTensor(inputs.x, 'Conv2DBackpropFilter x') as tf.Tensor4D;
  const dy = asTensor(inputs.dy, 'Conv2DBackpropFilter dy') as tf.Tensor4D;
  const a = attrs as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on WASM: only NHWC is supported');
  return conv2dBackpropFilterFromSlices(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
}

/**
 * Input gradient of a stride-1 NHWC conv as a forward conv (XNNPACK) of the padded dy with the filter
 * rotated 180 degrees and its in/out channels swapped; `null` when dy is not the forward conv's output
 * shape or the forward padding is wider than the kernel (then WASM's own loop kernel runs).
 * dx[h] = sum_i dy[h + top - i] W[i] = sum_i' dyPadded[h + i'] W[kh-1-i'] with dy padded by kh-1-top.
 */
export function conv2dBackpropInputStride1(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D | null {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, 1, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth) return null;
  const { top, left } = info.padInfo;
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  const padBottom = inHeight + kh - 1 - outHeight - padTop;
  const padRight = inWidth + kw - 1 - outWidth - padLeft;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;
  return tf.tidy(() => {
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const dyPadded = padTop || padLeft || padBottom || padRight ? tf.pad(dy, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]) : dy;
    return tf.conv2d(dyPadded, rotated, 1, 'valid');
  });
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

/** The inverse of depthToSpace (NHWC): [N, H*b, W*b, C] → [N, H, W, b*b*C], same channel order. */
export function spaceToDepth(x: tf.Tensor4D, blockSize: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const b = blockSize;
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(x, [n, h / b, b, w / b, b, c]), [0, 1, 3, 2, 4, 5]), [n, h / b, w / b, b * b * c]),
  );
}

let gradientsRegistered = false;
/** Gradients tfjs 4.22 lacks on every backend. Idempotent. */
export function registerMissingGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  if (!tf.getGradient('DepthToSpace')) {
    tf.registerGradient({
      kernelName: 'DepthToSpace',
      gradFunc: (dy, _saved, attrs) => {
        const { blockSize, dataFormat } = attrs as unknown as { blockSize: number; dataFormat: string };
        if (dataFormat === 'NCHW') throw new Error('depthToSpace gradient: only NHWC is supported');
        return { x: () => spaceToDepth(dy as tf.Tensor4D, blockSize) };
      },
    });
  }
}

/** Registers the missing training kernels for 'wasm' (and the missing gradients). Idempotent. */
export function registerWasmTrainingKernels(): void {
  registerMissingGradients();
  const kernels: Array<[string, (args: KernelArgs) => tf.Tensor]> = [
    ['Conv2DBackpropFilter', conv2dBackpropFilterKernel],
    ['UnsortedSegmentSum', unsortedSegmentSumKernel],
  ];
  for (const [kernelName, impl] of kernels) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: impl as unknown as tf.KernelFunc });
  }
  replaceWasmBackpropInput();
}

let backpropInputReplaced = false;
/**
 * WASM's Conv2DBackpropInput is a plain loop, 7-10x slower than the XNNPACK forward conv of the same
 * size (3x3, 32x32x128 -> 256: 380 ms vs 53 ms on a 2-core EPYC, tfjs-backend-wasm 4.22), and every
 * MDAN pixel step and MGAN G step back-propagates through VGG19 with it. Stride-1 NHWC cases become a
 * forward conv (58 ms there); the rest still run the original kernel.
 */
function replaceWasmBackpropInput(): void {
  if (backpropInputReplaced) return;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original) return;
  backpropInputReplaced = true;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: ((args: KernelArgs & { backend: unknown }) => {
      const a = args.attrs as {
        strides: number | [number, number];
        pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
        dataFormat?: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        inputShape: [number, number, number, number];
      };
      const stride1 = a.strides === 1 || (Array.isArray(a.strides) && a.strides[0] === 1 && a.strides[1] === 1);
      const { dy, filter } = args.inputs;
      if (stride1 && a.dataFormat !== 'NCHW' && dy instanceof tf.Tensor && filter instanceof tf.Tensor) {
        const dx = conv2dBackpropInputStride1(dy as tf.Tensor4D, filter as tf.Tensor4D, a.inputShape, a.pad, a.dimRoundingMode);
        if (dx) return dx;
      }
      return original.kernelFunc(args as never);
    }) as unknown as tf.KernelFunc,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
  });
}
