/**
 * The decode network in half precision (WebGPU with `shader-f16`, kernels/webgpu-conv-f16.ts):
 * VGG19 to relu4_1, then G with fixed normalisation, as 14 programs: VGG's input, 9 convolutions (each
 * 2x2 max-pool read inside the conv after it), G's 3x3 conv and its three stride-2 layers, each with its
 * batch norm (running statistics) and ReLU folded into a per-channel affine, the last with the
 * `0.5·tanh + 0.5` image mapping and an f32 output. The f32 path is ~33 programs.
 *
 * f16 tops out at 65504, and VGG's activations on the 0..255 input scale reach the thousands: they are
 * stored times ACTIVATION_SCALE (a power of two, so exact), folded into the affines; G's own activations
 * (batch-normalised, about unit scale) are stored as they are. The f16 weights are copies made once,
 * when the network is built; a generator that trains on afterwards needs a new one.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON, type BatchNormParams } from './batch-norm';
import { GENERATOR_LEAK, type MganGenerator } from './generator';
import { resizeConvPhases } from './deconv';
import { type HalfConvAttrs, halfConv, packHalf, paddedChannels } from '../kernels/webgpu-conv-f16';
import { POOL_AFTER, VGG19_CONV_LAYERS, type Vgg19, vggInput } from '../vgg/vgg19';

/** VGG's activations are stored times this (measured peaks in docs/decoders.md, "Half precision"). */
export const ACTIVATION_SCALE = 1 / 64;

interface HalfLayer {
  weights: tf.Tensor;
  affine: tf.Tensor;
  attrs: HalfConvAttrs;
}

/** [scale per channel, shift per channel], zero-padded to whole vec4s. */
function affine(scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor {
  const pad = paddedChannels(scale.shape[0]) - scale.shape[0];
  return tf.concat([tf.pad(scale, [[0, pad]]), tf.pad(shift, [[0, pad]])]);
}

/** A fixed-statistics batch norm as y = x·a + b, for x scaled by `inputScale`. */
function foldedBatchNorm(bn: BatchNormParams, inputScale: number): tf.Tensor {
  const a = tf.mul(bn.gamma, tf.rsqrt(tf.add(bn.movingVariance, BN_EPSILON))) as tf.Tensor1D;
  const b = tf.sub(bn.beta, tf.mul(bn.movingMean, a)) as tf.Tensor1D;
  return affine(tf.div(a, inputScale) as tf.Tensor1D, b);
}

/** A 3x3 kernel [3, 3, in, out] as f16 rows [tap][in][out padded]. */
function convWeights(kernel: tf.Tensor4D): tf.Tensor {
  const out = kernel.shape[3];
  return packHalf(tf.pad(kernel, [[0, 0], [0, 0], [0, 0], [0, paddedChannels(out) - out]]));
}

/** A phase kernel [2, 2, in, 4·out] as f16 rows [phase][ky][kx][in][out padded]. */
function phaseWeights(phases: tf.Tensor4D): tf.Tensor {
  const [, , inC, c4] = phases.shape;
  const out = c4 / 4;
  // Padded as a matrix: tfjs-webgpu's Pad fails on 5-D tensors.
  const rows = tf.reshape(tf.transpose(tf.reshape(phases, [2, 2, inC, 4, out]), [3, 0, 1, 2, 4]), [16 * inC, out]);
  return packHalf(tf.pad(rows, [[0, 0], [0, paddedChannels(out) - out]]));
}

export class HalfDecodeNetwork {
  private constructor(
    private readonly vgg: Vgg19,
    private readonly layers: HalfLayer[],
  ) {}

  /** f16 copies of VGG19's weights to relu4_1 and of G's; the caller disposes the network. */
  static build(vgg: Vgg19, generator: MganGenerator): HalfDecodeNetwork {
    const list: HalfLayer[] = [];
    tf.tidy(() => {
      const base = { input: 'f16', output: 'f16', pool: false, activation: 'leaky', leak: 0 } as const;
      const vggLayers = VGG19_CONV_LAYERS.slice(0, VGG19_CONV_LAYERS.indexOf('conv4_1') + 1);
      vggLayers.forEach((conv, i) => {
        const { kernel, bias } = vgg.layerWeights(conv);
        const [, , inC, outC] = kernel.shape;
        // The first conv reads VGG's input (f32, true scale): its outputs are scaled here.
        const scale = i === 0 ? ACTIVATION_SCALE : 1;
        list.push({
          weights: convWeights(kernel),
          affine: affine(tf.fill([outC], scale) as tf.Tensor1D, tf.mul(bias, ACTIVATION_SCALE) as tf.Tensor1D),
          attrs: { ...base, mode: 'conv3x3', inChannels: inC, outChannels: outC, input: i === 0 ? 'f32' : 'f16', pool: i > 0 && POOL_AFTER.has(vggLayers[i - 1]) },
        });
      });
      const g = generator;
      const [, , inC, outC] = g.conv1.shape;
      list.push({
        weights: convWeights(g.conv1 as tf.Tensor4D),
        affine: foldedBatchNorm(g.bn1, ACTIVATION_SCALE),
        attrs: { ...base, mode: 'conv3x3', inChannels: inC, outChannels: outC, leak: GENERATOR_LEAK },
      });
      const ups: Array<[tf.Variable, BatchNormParams | undefined]> = [
        [g.deconv2, g.bn2],
        [g.deconv3, g.bn3],
        [g.deconv4, undefined],
      ];
      for (const [weight, bn] of ups) {
        const phases = g.architecture.upsampling === 'resize' ? resizeConvPhases(weight as tf.Tensor4D) : (weight as tf.Tensor4D);
        const layerIn = phases.shape[2];
        const layerOut = phases.shape[3] / 4;
        list.push({
          weights: phaseWeights(phases),
          affine: bn ? foldedBatchNorm(bn, 1) : affine(tf.ones([layerOut]) as tf.Tensor1D, g.bias4 as tf.Tensor1D),
          attrs: bn
            ? { ...base, mode: 'up2x', inChannels: layerIn, outChannels: layerOut, leak: GENERATOR_LEAK }
            : { ...base, mode: 'up2x', inChannels: layerIn, outChannels: layerOut, output: 'f32', activation: 'tanh01', leak: 1 },
        });
      }
      for (const l of list) tf.keep(l.weights), tf.keep(l.affine);
    });
    return new HalfDecodeNetwork(vgg, list);
  }

  /** Whether this network was built on `vgg` (a decoder rebuilds it when its VGG model changes). */
  uses(vgg: Vgg19): boolean {
    return this.vgg === vgg;
  }

  /** images [B, H, W, 3] in [0, 1], sides multiples of 8 -> decoded images [B, H, W, 3] in [0, 1]. */
  decode(images: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = vggInput(images, this.vgg.convention);
      for (const l of this.layers) h = halfConv(h, l.weights, l.affine, l.attrs);
      return h;
    });
  }

  dispose(): void {
    for (const l of this.layers) tf.dispose([l.weights, l.affine]);
  }
}
