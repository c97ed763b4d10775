/**
 * The MDAN discriminator D (docs/method.md): per patch, `depth` blocks of conv 3×3 (pad 1) → BatchNorm →
 * LeakyReLU(slope), then a k×k conv without padding that leaves one score per patch.
 *
 * BatchNorm always uses the statistics of the batch it is given (the authors' training mode): real
 * and fake patches pass separately, so each batch is normalised on its own.
 * The input channel count is learnt from the first batch (a D node does not know which layer it will
 * see); the weights are then fixed for that channel count, drawn from `seed`.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormActivation, hasFusedBatchNormActivation } from '../kernels/batch-norm-activation';
import { convBias } from '../kernels/conv-bias-relu';

export interface MdanDiscriminatorConfig {
  /** Width of the hidden 3×3 convs (paper: 256). */
  channels: number;
  /** Number of conv-BN-LeakyReLU blocks before the scoring conv (paper: 1). */
  depth: number;
  /** LeakyReLU slope (paper: 0.2). */
  slope: number;
  /** Side of the patches it scores = the last conv's kernel (paper: 8 on relu3_1). */
  patchSize: number;
  seed: number;
}

/**
 * Which neural patches a D judges besides their size: the VGG19 layer and the step between patches.
 * A D carries it when a patch sampler set it, so whatever runs with that D samples the same patches.
 */
export interface PatchSampling {
  layer: string;
  patchStride: number;
}

export const DEFAULT_DISCRIMINATOR_CONFIG: MdanDiscriminatorConfig = {
  channels: 256,
  depth: 1,
  slope: 0.2,
  patchSize: 8,
  seed: 1,
};

interface Block {
  kernel: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
}

interface Weights {
  blocks: Block[];
  head: { kernel: tf.Variable; bias: tf.Variable };
}

/** Persisted form: config + named float32 tensors (base64 of their little-endian bytes). */
export interface MdanDiscriminatorJSON {
  kind: 'mdan-discriminator';
  config: MdanDiscriminatorConfig;
  sampling?: PatchSampling;
  inputChannels: number | null;
  tensors: Record<string, { shape: number[]; data: string }>;
}

const BN_EPSILON = 1e-5;
const INIT_STD = 0.02;

/** A trainable variable holding `initial`'s values; `initial` is disposed (tf.variable shares, not copies). */
function variableFrom(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function validateDiscriminatorConfig(config: MdanDiscriminatorConfig): void {
  const positiveInt = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`discriminator ${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt('channels', config.channels, 1);
  positiveInt('depth', config.depth, 0);
  positiveInt('patchSize', config.patchSize, 1);
  if (!(config.slope >= 0 && config.slope < 1)) throw new Error(`discriminator slope must be in [0, 1), got ${config.slope}`);
}

/** Each weight's name and shape for `inputChannels`-channel features, in namedTensors' order. */
function weightShapes(config: MdanDiscriminatorConfig, inputChannels: number): Array<[string, number[]]> {
  const out: Array<[string, number[]]> = [];
  let cin = inputChannels;
  for (let i = 0; i < config.depth; i++) {
    out.push([`block${i}/kernel`, [3, 3, cin, config.channels]], [`block${i}/gamma`, [config.channels]], [`block${i}/beta`, [config.channels]]);
    cin = config.channels;
  }
  out.push(['head/kernel', [config.patchSize, config.patchSize, cin, 1]], ['head/bias', [1]]);
  return out;
}

export class MdanDiscriminator {
  readonly config: MdanDiscriminatorConfig;
  /** The patches it judges, where a patch sampler set them (else the runner's own settings apply). */
  readonly sampling: PatchSampling | undefined;
  private weights: Weights | undefined;
  private inChannels: number | undefined;
  private disposed = false;

  constructor(config: MdanDiscriminatorConfig, sampling?: PatchSampling) {
    validateDiscriminatorConfig(config);
    this.config = { ...config };
    this.sampling = sampling && { ...sampling };
  }

  get patchSize(): number {
    return this.config.patchSize;
  }

  /** Channel count of the features it was built for, or undefined until it has seen a batch. */
  get inputChannels(): number | undefined {
    return this.inChannels;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Creates the weights for `inputChannels` (no-op when they exist and match; an error if they differ). */
  build(inputChannels: number): void {
    this.assertLive();
    if (this.weights) {
      if (this.inChannels !== inputChannels) {
        throw new Error(
          `this discriminator was trained on ${this.inChannels}-channel features; it cannot score ${inputChannels}-channel patches (use a fresh discriminator for another layer)`,
        );
      }
      return;
    }
    const { channels, depth, patchSize, seed } = this.config;
    // The authors' initialisation (DCGAN's): conv weights N(0, 0.02) whatever the fan-in, so Adam's
    // first steps (lr 0.02 per weight) are as large relative to the weights as in their runs. One
    // derived seed per tensor, so any depth is reproducible.
    const normal = (shape: number[], k: number) => variableFrom(tf.randomNormal(shape, 0, INIT_STD, 'float32', seed * 1000 + k));
    const blocks: Block[] = [];
    let cin = inputChannels;
    for (let i = 0; i < depth; i++) {
      blocks.push({
        kernel: normal([3, 3, cin, channels], i),
        gamma: variableFrom(tf.ones([channels])),
        beta: variableFrom(tf.zeros([channels])),
      });
      cin = channels;
    }
    const head = {
      kernel: normal([patchSize, patchSize, cin, 1], 999),
      bias: variableFrom(tf.zeros([1])),
    };
    this.weights = { blocks, head };
    this.inChannels = inputChannels;
  }

  /** Trainable variables (empty until built). */
  variables(): tf.Variable[] {
    if (!this.weights) return [];
    return [...this.weights.blocks.flatMap((b) => [b.kernel, b.gamma, b.beta]), this.weights.head.kernel, this.weights.head.bias];
  }

  /** One score per patch: [N, k, k, c] → [N]. Builds the weights on first use. */
  scores(patches: tf.Tensor4D): tf.Tensor1D {
    const [n, ph, pw, c] = patches.shape;
    if (ph !== this.patchSize || pw !== this.patchSize) {
      throw new Error(`the discriminator scores ${this.patchSize}×${this.patchSize} patches, got ${ph}×${pw}`);
    }
    this.build(c);
    const { blocks, head } = this.weights!;
    const slope = this.config.slope;
    return tf.tidy(() => {
      let x: tf.Tensor4D = patches;
      for (const b of blocks) {
        const y = tf.conv2d(x, b.kernel as tf.Tensor4D, [1, 1], 'same');
        if (hasFusedBatchNormActivation()) {
          x = fusedBatchNormActivation(y, b.gamma as tf.Tensor1D, b.beta as tf.Tensor1D, { epsilon: BN_EPSILON, leak: slope, momentum: 0 }).y;
          continue;
        }
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        const normed = tf.batchNorm(y, mean, variance, b.beta as tf.Tensor1D, b.gamma as tf.Tensor1D, BN_EPSILON);
        x = tf.leakyRelu(normed, slope) as tf.Tensor4D;
      }
      const s = convBias(x, head.kernel as tf.Tensor4D, head.bias as tf.Tensor1D, 'valid');
      return tf.reshape(s, [n]) as tf.Tensor1D;
    });
  }

  /** An independent copy (its own variables), e.g. to train on without touching this one. */
  clone(): MdanDiscriminator {
    this.assertLive();
    const copy = new MdanDiscriminator(this.config, this.sampling);
    if (this.weights) {
      const c = (v: tf.Variable) => variableFrom(tf.clone(v));
      copy.weights = {
        blocks: this.weights.blocks.map((b) => ({ kernel: c(b.kernel), gamma: c(b.gamma), beta: c(b.beta) })),
        head: { kernel: c(this.weights.head.kernel), bias: c(this.weights.head.bias) },
      };
      copy.inChannels = this.inChannels;
    }
    return copy;
  }

  private namedTensors(): Array<[string, tf.Variable]> {
    if (!this.weights) return [];
    const out: Array<[string, tf.Variable]> = [];
    this.weights.blocks.forEach((b, i) => {
      out.push([`block${i}/kernel`, b.kernel], [`block${i}/gamma`, b.gamma], [`block${i}/beta`, b.beta]);
    });
    out.push(['head/kernel', this.weights.head.kernel], ['head/bias', this.weights.head.bias]);
    return out;
  }

  toJSON(): MdanDiscriminatorJSON {
    this.assertLive();
    const tensors: MdanDiscriminatorJSON['tensors'] = {};
    for (const [name, v] of this.namedTensors()) {
      const data = v.dataSync() as Float32Array;
      tensors[name] = { shape: v.shape, data: toBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
    }
    return { kind: 'mdan-discriminator', config: { ...this.config }, ...(this.sampling ? { sampling: { ...this.sampling } } : {}), inputChannels: this.inChannels ?? null, tensors };
  }

  /**
   * A discriminator from its persisted form, every part checked before any weight is allocated (the
   * form may come from a file): the config, the sampling, and each tensor's name, shape and byte length.
   */
  static fromJSON(json: MdanDiscriminatorJSON): MdanDiscriminator {
    const { config, sampling, inputChannels } = discriminatorHeader(json);
    const d = new MdanDiscriminator(config, sampling);
    if (inputChannels === null) return d;
    if (typeof json.tensors !== 'object' || json.tensors === null) throw new Error('saved discriminator has no tensors');
    const values = weightShapes(d.config, inputChannels).map(([name, shape]) => {
      const saved = json.tensors[name];
      if (!saved || !Array.isArray(saved.shape) || typeof saved.data !== 'string') throw new Error(`saved discriminator is missing tensor '${name}'`);
      if (saved.shape.join('x') !== shape.join('x')) {
        throw new Error(`saved discriminator tensor '${name}' has shape ${saved.shape.join('x')}, expected ${shape.join('x')}`);
      }
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(saved.data);
      } catch {
        throw new Error(`saved discriminator tensor '${name}' is not base64 data`);
      }
      const needed = 4 * shape.reduce((a, b) => a * b, 1);
      if (bytes.byteLength !== needed) {
        throw new Error(`saved discriminator tensor '${name}' holds ${bytes.byteLength} bytes; its shape ${shape.join('x')} needs ${needed}`);
      }
      return new Float32Array(bytes.buffer, bytes.byteOffset, needed / 4);
    });
    d.build(inputChannels);
    d.namedTensors().forEach(([, v], i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape))));
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of this.variables()) v.dispose();
    this.weights = undefined;
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this discriminator was disposed');
  }
}

export function createMdanDiscriminator(config: Partial<MdanDiscriminatorConfig> = {}, sampling?: PatchSampling): MdanDiscriminator {
  return new MdanDiscriminator({ ...DEFAULT_DISCRIMINATOR_CONFIG, ...config }, sampling);
}

/** What a saved D is, without its weights: enough to list it. */
export interface MdanDiscriminatorHeader {
  config: MdanDiscriminatorConfig;
  sampling?: PatchSampling;
  /** The feature channels it was built for; null for a D that never scored a patch (no weights). */
  inputChannels: number | null;
}

/** A saved D's kind, config, sampling and input width, checked as `fromJSON` checks them (weights are not read). */
export function discriminatorHeader(json: MdanDiscriminatorJSON): MdanDiscriminatorHeader {
  if (json?.kind !== 'mdan-discriminator') throw new Error('not a saved MDAN discriminator (kind is not "mdan-discriminator")');
  const { sampling, config, inputChannels } = json;
  if (sampling !== undefined && !(typeof sampling?.layer === 'string' && Number.isInteger(sampling.patchStride) && sampling.patchStride >= 1)) {
    throw new Error('saved discriminator: its patch sampling is not { layer, patchStride }');
  }
  if (typeof config !== 'object' || config === null || !Number.isFinite(config.seed)) {
    throw new Error('saved discriminator: its config is not { channels, depth, slope, patchSize, seed }');
  }
  if (inputChannels !== null && !(Number.isInteger(inputChannels) && inputChannels >= 1)) {
    throw new Error(`saved discriminator: inputChannels must be a positive integer or null, got ${String(inputChannels)}`);
  }
  // Only the fields a config has: a file's extra keys would otherwise travel into cache keys.
  const { channels, depth, slope, patchSize, seed } = config;
  const checked = { channels, depth, slope, patchSize, seed };
  validateDiscriminatorConfig(checked);
  return { config: checked, ...(sampling ? { sampling: { layer: sampling.layer, patchStride: sampling.patchStride } } : {}), inputChannels };
}

/** "64 channels, depth 1, 8×8 patches" (", relu3_1 at stride 4" when a patch sampler set where it looks). */
export function describeDiscriminator(config: Pick<MdanDiscriminatorConfig, 'channels' | 'depth' | 'patchSize'>, sampling?: PatchSampling): string {
  const { channels, depth, patchSize } = config;
  const sampled = sampling ? `, ${sampling.layer} at stride ${sampling.patchStride}` : '';
  return `${channels} channels, depth ${depth}, ${patchSize}×${patchSize} patches${sampled}`;
}
