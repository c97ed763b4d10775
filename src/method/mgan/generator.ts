/**
 * The MGAN generator G (docs/method.md, "The generator G"): VGG19 relu4_1 features [B, h, w, 512] -> pixels
 * [B, 8h, 8w, 3]. Layers (authors' code): transposed conv 3x3 s1 512->512, BN, ReLU; 4x4 s2 512->256,
 * BN, ReLU; 4x4 s2 256->128, BN, ReLU; 4x4 s2 128->3, tanh. Fully convolutional, so any size.
 *
 * A stride-1 3x3 transposed conv is a 3x3 'same' conv with a flipped kernel: we store it as a conv
 * kernel (same function class, the fast path on every backend). The stride-2 4x4 layers are stored as
 * fused phase kernels [2, 2, in, 4 out] (deconv.ts: a bijective re-parametrisation of the
 * [4, 4, out, in] transposed-conv filter, `phaseKernel`), run as one conv + interleave.
 * G's tanh output in [-1, 1] is mapped to [0, 1], the project's image convention.
 *
 * Two upsamplings (the generator's architecture, recorded in every decoder file): 'deconv', the paper's
 * free 4x4 stride-2 transposed convs (the phase kernels are the weights), and 'resize', nearest 2x
 * upsampling + 3x3 conv (a 3x3 kernel is the weight; deconv.ts resizeConvPhases turns it into phases
 * at run time), which decodes flat input flat whatever the weights, so it grows no 4-px lattice.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_WEIGHTS, type BatchNormParams, type Normalization, batchNormActivation, batchNormEntries, createBatchNorm } from './batch-norm';
import { bilinearDeconvFilter, deconvFromPhases, equalPhaseSums, phaseKernel, resizeConvPhases, smoothResizeKernel } from './deconv';
import type { Vgg19 } from '../vgg/vgg19';
import { type GeneratorArchitecture, LEGACY_ARCHITECTURE } from '../../formats/decoder-meta';

export const GENERATOR_INPUT_LAYER = 'relu4_1';
export const GENERATOR_INPUT_CHANNELS = 512;
/** Output pixels per relu4_1 cell along each axis. */
export const GENERATOR_SCALE = 8;

export interface GeneratorForwardOptions {
  /** 'batch' (the authors' choice) or 'fixed' running statistics (video). Default 'batch'. */
  normalization?: Normalization;
  /** Training: keep the graph differentiable and update BN running statistics. */
  training?: boolean;
}

/** G's input for images [B, H, W, 3] in [0, 1]: their VGG19 relu4_1 features (caller owns them). */
export function generatorInput(vgg: Vgg19, images: tf.Tensor4D): tf.Tensor4D {
  return vgg.features(images, [GENERATOR_INPUT_LAYER])[GENERATOR_INPUT_LAYER];
}

/** G's activations after each batch norm: ReLU (LeakyReLU's slope 0), as the authors' code. */
export const GENERATOR_LEAK = 0;

/** Channels after each layer of G: relu4_1's 512, then conv1, deconv2, deconv3, deconv4 (RGB). */
const CHANNELS = [GENERATOR_INPUT_CHANNELS, 512, 256, 128, 3] as const;

/**
 * Every weight G holds, by name (as `namedWeights`), with its shape: exactly what a saved decoder must
 * contain. Stride-2 layers are phase kernels [2, 2, in, 4 * out] (deconv.ts phaseKernel).
 */
export function generatorWeightShapes(architecture: GeneratorArchitecture = LEGACY_ARCHITECTURE): Array<[string, number[]]> {
  const [c0, c1, c2, c3, c4] = CHANNELS;
  const bn = (prefix: string, c: number): Array<[string, number[]]> => BATCH_NORM_WEIGHTS.map((w) => [`${prefix}/${w}`, [c]]);
  const up = (layer: string, inC: number, outC: number): [string, number[]] =>
    architecture.upsampling === 'resize' ? [`${layer}/resize3x3`, [3, 3, inC, outC]] : [`${layer}/phases`, [2, 2, inC, 4 * outC]];
  return [
    ['conv1/kernel', [3, 3, c0, c1]],
    ...bn('bn1', c1),
    up('deconv2', c1, c2),
    ...bn('bn2', c2),
    up('deconv3', c2, c3),
    ...bn('bn3', c3),
    up('deconv4', c3, c4),
    ['deconv4/bias', [c4]],
  ];
}

/** Weight init scale (DCGAN-style normal(0, 0.02)). */
const INIT_STD = 0.02;
/** Channel-mix scale of the bilinear deconv init: its four taps per output sum to 1, so 2x the usual std. */
const DECONV_INIT_STD = 0.04;

export class MganGenerator {
  private constructor(
    readonly conv1: tf.Variable,
    readonly bn1: BatchNormParams,
    readonly deconv2: tf.Variable,
    readonly bn2: BatchNormParams,
    readonly deconv3: tf.Variable,
    readonly bn3: BatchNormParams,
    readonly deconv4: tf.Variable,
    readonly bias4: tf.Variable,
    readonly architecture: GeneratorArchitecture,
  ) {}

  static create(seed = 0, architecture: GeneratorArchitecture = LEGACY_ARCHITECTURE): MganGenerator {
    // tidy frees the initial values (a variable keeps its own copy); variables survive tidy.
    const init = (shape: number[], s: number) => tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, INIT_STD, 'float32', seed * 101 + s)));
    // Stride-2 layers start as bilinear upsamplers (see bilinearDeconvFilter): no checkerboard at step 0.
    // Resize-convolutions start as smooth upsamplers too (smoothResizeKernel).
    const deconv = (inC: number, outC: number, s: number) =>
      tf.tidy(() =>
        tf.variable(
          architecture.upsampling === 'resize'
            ? smoothResizeKernel(inC, outC, DECONV_INIT_STD, seed * 101 + s)
            : phaseKernel(bilinearDeconvFilter(inC, outC, DECONV_INIT_STD, seed * 101 + s)),
        ),
      );
    const [c0, c1, c2, c3, c4] = CHANNELS;
    return new MganGenerator(
      init([3, 3, c0, c1], 1),
      createBatchNorm(c1),
      deconv(c1, c2, 2),
      createBatchNorm(c2),
      deconv(c2, c3, 3),
      createBatchNorm(c3),
      deconv(c3, c4, 4),
      tf.tidy(() => tf.variable(tf.zeros([c4]))),
      architecture,
    );
  }

  /** Every weight and running statistic by a stable name (what the decoder store saves). */
  namedWeights(): Array<[string, tf.Variable]> {
    const up = this.architecture.upsampling === 'resize' ? 'resize3x3' : 'phases';
    return [
      ['conv1/kernel', this.conv1],
      ...batchNormEntries('bn1', this.bn1),
      [`deconv2/${up}`, this.deconv2],
      ...batchNormEntries('bn2', this.bn2),
      [`deconv3/${up}`, this.deconv3],
      ...batchNormEntries('bn3', this.bn3),
      [`deconv4/${up}`, this.deconv4],
      ['deconv4/bias', this.bias4],
    ];
  }

  /** A generator holding copies of these tensors (names as `namedWeights`); a missing or misshapen one is an error. */
  static fromTensors(tensors: Record<string, tf.Tensor>, architecture: GeneratorArchitecture = LEGACY_ARCHITECTURE): MganGenerator {
    const g = MganGenerator.create(0, architecture);
    try {
      g.assignFrom(tensors);
    } catch (e) {
      g.dispose();
      throw e;
    }
    return g;
  }

  assignFrom(tensors: Record<string, tf.Tensor>): void {
    for (const [name, v] of this.namedWeights()) {
      const t = tensors[name];
      if (!t) throw new Error(`generator weights: '${name}' is missing`);
      if (t.shape.join('x') !== v.shape.join('x')) {
        throw new Error(`generator weights: '${name}' has shape [${t.shape}], expected [${v.shape}]`);
      }
      v.assign(t);
    }
  }

  trainableVariables(): tf.Variable[] {
    return this.namedWeights()
      .filter(([, v]) => v.trainable)
      .map(([, v]) => v);
  }

  /**
   * The weight constraint applied after every training step: each stride-2 layer's phases keep equal
   * tap sums (deconv.ts equalPhaseSums), so G cannot stamp a fixed lattice on flat regions.
   * Resize-convolutions have equal sums by construction: nothing to do.
   */
  constrain(): void {
    if (this.architecture.upsampling === 'resize') return;
    tf.tidy(() => {
      for (const v of [this.deconv2, this.deconv3, this.deconv4]) v.assign(equalPhaseSums(v as tf.Tensor4D));
    });
  }

  /** features [B, h, w, 512] (relu4_1) -> image [B, 8h, 8w, 3] in [0, 1]. */
  forward(features: tf.Tensor4D, options: GeneratorForwardOptions = {}): tf.Tensor4D {
    if (features.shape[3] !== GENERATOR_INPUT_CHANNELS) {
      throw new Error(`generator input must have ${GENERATOR_INPUT_CHANNELS} channels (relu4_1), got ${features.shape[3]}`);
    }
    const normalization = options.normalization ?? 'batch';
    const training = options.training ?? false;
    return tf.tidy(() => {
      let x = tf.conv2d(features, this.conv1 as tf.Tensor4D, 1, 'same');
      x = batchNormActivation(x, this.bn1, normalization, training, GENERATOR_LEAK);
      x = this.upsample(x, this.deconv2);
      x = batchNormActivation(x, this.bn2, normalization, training, GENERATOR_LEAK);
      x = this.upsample(x, this.deconv3);
      x = batchNormActivation(x, this.bn3, normalization, training, GENERATOR_LEAK);
      x = this.upsample(x, this.deconv4);
      const y = tf.tanh(tf.add(x, this.bias4));
      return tf.add(tf.mul(y, 0.5), 0.5) as tf.Tensor4D;
    });
  }

  /** One 2x upsampling layer: its phases are the weight (deconv) or come from the 3x3 kernel (resize). */
  private upsample(x: tf.Tensor4D, weight: tf.Variable): tf.Tensor4D {
    const phases = this.architecture.upsampling === 'resize' ? resizeConvPhases(weight as tf.Tensor4D) : (weight as tf.Tensor4D);
    return deconvFromPhases(x, phases);
  }

  dispose(): void {
    for (const [, v] of this.namedWeights()) v.dispose();
  }
}
