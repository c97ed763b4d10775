/**
 * The interleave step of a stride-2 4x4 transposed conv computed by phases (mgan/deconv.ts): the fused
 * 2x2 conv over the input padded by one gives `windows` [B, H+1, W+1, 4C], whose channel group
 * g = 2 py + px holds output phase (py, px) at window (m + py, n + px):
 *
 *   y[b, 2m + py, 2n + px, c] = windows[b, m + py, n + px, g C + c]      ->  y [B, 2H, 2W, C]
 *
 * Why a kernel of its own: built from tfjs ops this is four strided slices, a concat and a depthToSpace
 * (or a 5-D transpose), and on WASM those copies cost more than the convolution before them (measured at
 * 128² x 256 -> 256² x 128: conv 317 ms, slices + concat + depthToSpace 660 ms). On WASM and CPU it is
 * one pass over memory here (its gradient too; installed from the kernel table, custom-kernels.ts); WebGPU has
 * its own (webgpu-phase-interleave.ts); WebGL runs the tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { type OwnKernelFunc, registerGradientOnce, registerKernels } from './register';
import { type WasmBackendLike, heapF32, heapIndex } from './wasm-heap';

export const INTERLEAVE_PHASES = 'MganInterleavePhases';
export const INTERLEAVE_PHASES_GRAD = 'MganInterleavePhasesGrad';

/** The two backends whose tensors live in memory this module can address directly. */
type MemoryBackend = 'wasm' | 'cpu';

/**
 * Copies between the window layout [B, H+1, W+1, 4C] and the image layout [B, 2H, 2W, C] of flat float
 * arrays starting at the given offsets. `toImage` reads windows and writes the image; otherwise it
 * scatters the image into the windows (the gradient; positions no output reads must already be zero).
 */
function copyPhases(
  heap: Float32Array,
  windowsAt: number,
  imageAt: number,
  [b, h, w, c]: [number, number, number, number],
  toImage: boolean,
): void {
  const w1 = w + 1;
  const c4 = 4 * c;
  for (let bb = 0; bb < b; bb++) {
    for (let oy = 0; oy < 2 * h; oy++) {
      const py = oy & 1;
      const windowRow = windowsAt + (bb * (h + 1) + (oy >> 1) + py) * w1 * c4 + 2 * py * c;
      const imageRow = imageAt + (bb * 2 * h + oy) * 2 * w * c;
      for (let ox = 0; ox < 2 * w; ox++) {
        const px = ox & 1;
        const s = windowRow + ((ox >> 1) + px) * c4 + px * c;
        const d = imageRow + ox * c;
        if (c >= 16) {
          if (toImage) heap.copyWithin(d, s, s + c);
          else heap.copyWithin(s, d, d + c);
        } else if (toImage) {
          for (let k = 0; k < c; k++) heap[d + k] = heap[s + k];
        } else {
          for (let k = 0; k < c; k++) heap[s + k] = heap[d + k];
        }
      }
    }
  }
}

/** [B, H, W, C] of the image from the windows' shape [B, H+1, W+1, 4C]. */
function imageDims(windowsShape: number[]): [number, number, number, number] {
  const [b, h1, w1, c4] = windowsShape;
  if (windowsShape.length !== 4 || c4 % 4 !== 0 || h1 < 2 || w1 < 2) {
    throw new Error(`interleavePhases: expected windows [B, H+1, W+1, 4C], got [${windowsShape}]`);
  }
  return [b, h1 - 1, w1 - 1, c4 / 4];
}

interface CpuBackendLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: unknown };

/** [B, H, W, C] of the image from the windows' shape [B, H+1, W+1, 4C]; exported for the GPU kernels. */
export const phaseImageDims = (windowsShape: number[]) => imageDims(windowsShape);

/** Runs one direction on a backend: `from` is the input's layout (windows for the forward pass). */
function phaseKernel(backendName: MemoryBackend, toImage: boolean) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const input = toImage ? inputs.x : inputs.dy;
    const dims: [number, number, number, number] = toImage
      ? imageDims(input.shape)
      : [input.shape[0], input.shape[1] / 2, input.shape[2] / 2, input.shape[3]];
    const [b, h, w, c] = dims;
    const outShape = toImage ? [b, 2 * h, 2 * w, c] : [b, h + 1, w + 1, 4 * c];
    if (backendName === 'wasm') {
      const wasm = backend as WasmBackendLike;
      const out = wasm.makeOutput(outShape, 'float32');
      const heap = heapF32(wasm);
      const inAt = heapIndex(wasm, input);
      const outAt = heapIndex(wasm, out);
      if (toImage) copyPhases(heap, inAt, outAt, dims, true);
      else {
        heap.fill(0, outAt, outAt + b * (h + 1) * (w + 1) * 4 * c);
        copyPhases(heap, outAt, inAt, dims, false);
      }
      return out;
    }
    const cpu = backend as CpuBackendLike;
    const source = cpu.data.get(input.dataId).values;
    const total = outShape.reduce((p, q) => p * q, 1);
    // One buffer holding input and output, so the same copy routine serves both backends.
    const heap = new Float32Array(source.length + total);
    heap.set(source, 0);
    if (toImage) copyPhases(heap, 0, source.length, dims, true);
    else copyPhases(heap, source.length, 0, dims, false);
    return cpu.makeTensorInfo(outShape, 'float32', heap.slice(source.length));
  };
}

/** This module's kernel and its gradient kernel for 'wasm' or 'cpu', and their gradients. Idempotent. */
export function installPhaseInterleave(backendName: MemoryBackend): void {
  registerKernels(backendName, { [INTERLEAVE_PHASES]: phaseKernel(backendName, true) as unknown as OwnKernelFunc, [INTERLEAVE_PHASES_GRAD]: phaseKernel(backendName, false) as unknown as OwnKernelFunc });
  installPhaseInterleaveGradients();
}

/** The gradients of both kernels (each is the other's), for whichever backend registers the kernels. Idempotent. */
export function installPhaseInterleaveGradients(): void {
  registerGradientOnce({
    kernelName: INTERLEAVE_PHASES,
    gradFunc: (dy) => ({ x: () => tf.engine().runKernel(INTERLEAVE_PHASES_GRAD, { dy: dy as tf.Tensor }, {}) as tf.Tensor }),
  });
  registerGradientOnce({
    kernelName: INTERLEAVE_PHASES_GRAD,
    gradFunc: (dx) => ({ dy: () => tf.engine().runKernel(INTERLEAVE_PHASES, { x: dx as tf.Tensor }, {}) as tf.Tensor }),
  });
}

/** The same result from tfjs ops: four strided slices, then depth-to-space as reshape/transpose (differentiable). */
export function interleavePhasesByOps(windows: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = imageDims(windows.shape);
  return tf.tidy(() => {
    const phases: tf.Tensor4D[] = [];
    for (let py = 0; py < 2; py++) {
      for (let px = 0; px < 2; px++) phases.push(tf.slice(windows, [0, py, px, (py * 2 + px) * c], [b, h, w, c]));
    }
    const split = tf.reshape(tf.concat(phases, 3), [b * h, w, 2, 2, c]); // [BH, W, py, px, C]
    const rows = tf.transpose(split, [0, 2, 1, 3, 4]); // [BH, py, W, px, C]
    return tf.reshape(rows, [b, 2 * h, 2 * w, c]) as tf.Tensor4D;
  });
}

/** windows [B, H+1, W+1, 4C] -> image [B, 2H, 2W, C] (see the top of this file); differentiable on every backend. */
export function interleavePhases(windows: tf.Tensor4D): tf.Tensor4D {
  imageDims(windows.shape);
  // The kernel exists where the kernel table installed it (WASM and cpu here, WebGPU in webgpu-phase-interleave.ts).
  if (!tf.getKernel(INTERLEAVE_PHASES, tf.getBackend()) || windows.dtype !== 'float32') return interleavePhasesByOps(windows);
  return tf.engine().runKernel(INTERLEAVE_PHASES, { x: windows }, {}) as tf.Tensor4D;
}
