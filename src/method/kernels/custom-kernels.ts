/**
 * Every kernel and gradient the project adds to or replaces in tfjs, in one table, grouped by backend:
 * what it is, what it replaces and why. `installCustomKernels(name)` installs a backend's group (and
 * the gradients every backend shares) when that backend starts (runtime/backend.ts); nothing registers
 * kernels anywhere else. Measurements behind each "why": docs/benchmarks.md.
 */
import { installBatchNormGradient } from './batch-norm-gradient';
import { installFusedConvGradient } from './conv-bias-relu';
import { installWebGpuFilterGradient } from './conv-filter-grad-matmul';
import { installPhaseInterleave } from './phase-interleave';
import { installWebGpuAdam } from './webgpu-adam';
import { installWebGpuBatchNormActivation } from './webgpu-batch-norm-activation';
import { installWebGpuHalfConv } from './webgpu-conv-f16';
import { installWebGpuLosses } from './webgpu-losses';
import { installWebGpuMaxPoolGrad } from './webgpu-max-pool-grad';
import { installWebGpuPatchFold } from './webgpu-patch-fold';
import { installWebGpuPostprocess } from './webgpu-postprocess';
import { installWebGpuPhaseInterleave } from './webgpu-phase-interleave';
import { installWebGpuReluGradient } from './webgpu-relu-gradient';
import { installWebGpuVggInput } from './webgpu-vgg-input';
import { replaceWasmGather } from './wasm-gather';
import { installWasmBackpropInput, installWasmFilterGradient, installWasmSegmentSum } from './wasm-kernels';
import { replaceWasmLeadingReductions } from './wasm-leading-axes-reduce';
import { replaceWasmMaxPoolGrad } from './wasm-max-pool-grad';

/** Where a custom kernel runs; 'every' = a gradient, which tfjs keeps for all backends at once. */
export type KernelBackend = 'every' | 'wasm' | 'cpu' | 'webgpu';

export interface CustomKernel {
  /** The tfjs kernel (or gradient) name. */
  kernel: string;
  backend: KernelBackend;
  /** What ran before: the stock kernel, nothing (missing), or the tfjs ops it stands for. */
  replaces: string;
  why: string;
  /** Registers it; idempotent. */
  install(): void;
}

export const CUSTOM_KERNELS: readonly CustomKernel[] = [
  // Every backend (gradients are global in tfjs).
  {
    kernel: 'FusedBatchNorm (gradient)',
    backend: 'every',
    replaces: "tfjs's gradient, which tiles 1/sqrt(variance + eps) to the input's size",
    why: 'broadcasting it instead skips a full-size copy (WASM Tile was 5% of an MDAN iteration at 256², D 256)',
    install: installBatchNormGradient,
  },
  {
    kernel: 'FusedConv2D (gradient)',
    backend: 'every',
    replaces: 'nothing (tfjs records a custom gradient for its fused op, never the kernel)',
    why: "convBias runs the kernel itself under the tape on WebGPU (conv + bias in one program for the MDAN discriminator's scoring conv); lazy per input",
    install: installFusedConvGradient,
  },
  // WASM.
  {
    kernel: 'Conv2DBackpropFilter',
    backend: 'wasm',
    replaces: 'nothing (tfjs-backend-wasm 4.22 has none)',
    why: 'no conv layer could learn; as one XNNPACK forward conv it is 1.2-9x faster than im2col + matmul',
    install: installWasmFilterGradient,
  },
  {
    kernel: 'UnsortedSegmentSum',
    backend: 'wasm',
    replaces: 'nothing (missing)',
    why: "gather's gradient (MDAN's patches); an exact loop without a one-hot matrix",
    install: installWasmSegmentSum,
  },
  {
    kernel: 'Conv2DBackpropInput',
    backend: 'wasm',
    replaces: 'the stock per-element loop (kept for dilated and NCHW convs)',
    why: 'forward convs by stride phases: 3-10x faster (MGAN D 4x4 stride 2: 7.4 s -> 1.6 s)',
    install: installWasmBackpropInput,
  },
  {
    kernel: 'Sum, Mean',
    backend: 'wasm',
    replaces: 'the stock kernels over leading axes (transpose first, then one thread)',
    why: 'batch-norm moments as one XNNPACK average pool on every thread (40 ms -> 4.8 ms on [65536, 128])',
    install: replaceWasmLeadingReductions,
  },
  {
    kernel: 'GatherV2',
    backend: 'wasm',
    replaces: 'the stock per-element index loop',
    why: 'one block copy per gathered row (patch extraction: 101 ms -> about 1 ms)',
    install: replaceWasmGather,
  },
  {
    kernel: 'MaxPoolGrad',
    backend: 'wasm',
    replaces: 'the stock kernel',
    why: "108 ms for VGG's 256² x 64 pool, and it dropped part of the gradient of padded windows",
    install: replaceWasmMaxPoolGrad,
  },
  {
    kernel: 'MganInterleavePhases (+ Grad)',
    backend: 'wasm',
    replaces: '4 strided slices + concat + depthToSpace in the stride-2 deconvolutions',
    why: "one pass over memory; the ops' copies cost twice the conv before them",
    install: () => installPhaseInterleave('wasm'),
  },
  // cpu.
  {
    kernel: 'MganInterleavePhases (+ Grad)',
    backend: 'cpu',
    replaces: '4 strided slices + concat + depthToSpace in the stride-2 deconvolutions',
    why: 'one pass over memory (the same kernel as on WASM)',
    install: () => installPhaseInterleave('cpu'),
  },
  // WebGPU.
  {
    kernel: 'Conv2DBackpropFilter',
    backend: 'webgpu',
    replaces: 'the stock kernel (one untiled thread per filter element; kept for NCHW)',
    why: 'im2col gather + one tiled matmul: 2.3-3x faster on lavapipe; the stock one was over half the GPU time of a training step',
    install: installWebGpuFilterGradient,
  },
  {
    kernel: 'MganAdam',
    backend: 'webgpu',
    replaces: "tf.train.adam's 14 kernels per variable (Multiply, Add, RealDiv, Square, Sqrt) and the slots' ZerosLike",
    why: 'one program per variable writes parameter, first and second moment (fused-adam.ts uses it where it exists)',
    install: installWebGpuAdam,
  },
  {
    kernel: 'MganBatchNormActivation (+ Grad)',
    backend: 'webgpu',
    replaces: 'tf.moments + tf.batchNorm + relu/leakyRelu + the running-statistics update, and their autodiff (ZerosLike, Tile, Reshape chains)',
    why: 'G and both discriminators: ~40 kernels per layer and step become 2 programs forward and 2 backward',
    install: installWebGpuBatchNormActivation,
  },
  {
    kernel: 'MganInterleavePhases (+ Grad)',
    backend: 'webgpu',
    replaces: '4 strided slices + concat + transpose in the stride-2 deconvolutions, and their gradients (pads, adds, split)',
    why: '~18 programs per deconvolution and training step become 2',
    install: installWebGpuPhaseInterleave,
  },
  {
    kernel: 'MganReluGrad (Relu gradient)',
    backend: 'webgpu',
    replaces: "tfjs's Relu gradient mul(dy, cast(step(x))): Step, Cast, Multiply",
    why: "one program per ReLU in every backward pass (VGG's ReLUs on the pixel gradients); the gradient keeps tfjs's formula on other backends",
    install: installWebGpuReluGradient,
  },
  {
    kernel: 'MganHingeLoss, MganHingePair, MganSquaredError, MganTotalVariation (+ Grad)',
    backend: 'webgpu',
    replaces: "the losses as tfjs ops (Multiply, Sub, Relu, Mean; SquaredDifference, Mean; 4 Slices, Subs, Squares, Sums) and their autodiff (pads, negations, divisions)",
    why: 'MDAN hinge, content and smoothness terms, MGAN pixel MSE and smoothness: 3-13 programs forward and as many backward each become 1 and 1',
    install: installWebGpuLosses,
  },
  {
    kernel: 'MganPatchFold (patch extraction gradient)',
    backend: 'webgpu',
    replaces: 'UnsortedSegmentSum over the windows\' cells (4 programs) and a division by the cover counts',
    why: "MDAN's pixel step: the patches' gradient back onto the feature map in one program",
    install: installWebGpuPatchFold,
  },
  {
    kernel: 'MganPostprocess',
    backend: 'webgpu',
    replaces: "MDAN's output post-processing as tfjs ops (moments, sqrt, clip, min, max, division: 17 programs)",
    why: 'runs for every MDAN preview and result: one workgroup for the statistics, one elementwise pass',
    install: installWebGpuPostprocess,
  },
  {
    kernel: 'MganMaxPool2x2Grad (MaxPool gradient)',
    backend: 'webgpu',
    replaces: "tfjs-webgpu's MaxPoolGrad (a positions program, then the scatter); other pools and backends keep MaxPoolGrad",
    why: "VGG's four max-pools in every MDAN pixel step: one program each; ties go to the window's first maximum, as on cpu",
    install: installWebGpuMaxPoolGrad,
  },
  {
    kernel: 'MganVggInput (+ Grad)',
    backend: 'webgpu',
    replaces: "VGG's input as ops: [-1, 1] to [0, 1] (Add, RealDiv), 0..255 minus the mean (Multiply, Sub), MDAN's mirrored variants (Reverse, Pack)",
    why: 'one program per VGG pass (18 example variants, every MDAN pixel step) instead of two to six',
    install: installWebGpuVggInput,
  },
  {
    kernel: 'MganHalfConv, MganHalfPack',
    backend: 'webgpu',
    replaces: "a decode's f32 programs (VGG's fused convs and max-pools to relu4_1; G's conv, phase convs, interleaves, batch norms + ReLU, bias, tanh and scaling): 33 programs",
    why: "decoding with precision 'f16' (devices with shader-f16): f16 storage and products, f32 sums; one program per layer, pools, batch norms and interleaves folded in: 14 programs",
    install: installWebGpuHalfConv,
  },
];

/** The table's rows for one backend, shared gradients first. */
export function customKernelsFor(backend: string): CustomKernel[] {
  return CUSTOM_KERNELS.filter((k) => k.backend === 'every' || k.backend === backend);
}

/** Installs a backend's custom kernels and the shared gradients; returns the rows installed. Idempotent. */
export function installCustomKernels(backend: string): CustomKernel[] {
  const rows = customKernelsFor(backend);
  for (const row of rows) row.install();
  return rows;
}
