/**
 * The decoder's training losses (docs/method.md, "Training"; paper Fig. 5 compares them):
 * - 'mgan': pixel MSE to the MDAN target (weight 1) + adversarial hinge on relu3_1 patches (advWeight, 1e-2);
 * - 'pixel': pixel MSE only (a "pixel VAE": blurry);
 * - 'neural': MSE between VGG features of output and target (a "neural VAE").
 */
import * as tf from '@tensorflow/tfjs';
import { MGAN_DISCRIMINATOR_LAYER, type MganDiscriminator, maskedHinge } from './discriminator';
import { contentLoss, totalVariation } from '../mdan/losses';
import { hasFusedLosses } from '../kernels/webgpu-losses';
import type { Vgg19, VggLayer } from '../vgg/vgg19';

export type MganLossKind = 'mgan' | 'pixel' | 'neural';
export const MGAN_LOSS_KINDS: readonly MganLossKind[] = ['mgan', 'pixel', 'neural'];

export const DEFAULT_ADV_WEIGHT = 1e-2;
/** The feature layer of the 'neural' reconstruction loss. */
export const NEURAL_LOSS_LAYER: VggLayer = 'relu3_1';

export function pixelLoss(output: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  // One kernel each way where the backend has it (WebGPU); tf.losses' form keeps cpu/WASM results.
  if (hasFusedLosses()) return contentLoss(output, target);
  return tf.losses.meanSquaredError(target, output) as tf.Scalar;
}

export function neuralLoss(vgg: Vgg19, output: tf.Tensor4D, target: tf.Tensor4D, layer: VggLayer = NEURAL_LOSS_LAYER): tf.Scalar {
  return tf.tidy(() => {
    const a = vgg.features(output, [layer], { pooling: LOSS_POOLING })[layer];
    // The target does not depend on G's variables: no gradient reaches it.
    const b = vgg.features(target, [layer], { pooling: LOSS_POOLING })[layer];
    return tf.losses.meanSquaredError(b, a) as tf.Scalar;
  });
}

/**
 * VGG pooling on the paths that send gradients to G's pixels (D's input, the neural loss): 'avg', see
 * VggFeatureOptions. G's own input (relu4_1 of the photo) keeps VGG's max pooling.
 */
export const LOSS_POOLING = 'avg';

/** relu3_1 features of images in [0, 1], the MGAN discriminator's input. */
export function discriminatorFeatures(vgg: Vgg19, images: tf.Tensor4D): tf.Tensor4D {
  return vgg.features(images, [MGAN_DISCRIMINATOR_LAYER], { pooling: LOSS_POOLING })[MGAN_DISCRIMINATOR_LAYER];
}

/** D's loss: hinge with real = target features, fake = generated features (both constants for D). */
export function discriminatorLoss(d: MganDiscriminator, realFeatures: tf.Tensor4D, fakeFeatures: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.add(maskedHinge(d.scores(realFeatures, true), 1), maskedHinge(d.scores(fakeFeatures, true), -1)) as tf.Scalar);
}

export interface GeneratorLossParts {
  total: tf.Scalar;
  pixel: tf.Scalar;
  adversarial?: tf.Scalar;
  neural?: tf.Scalar;
  tv?: tf.Scalar;
  /** 'mgan': D's input features of the output (the trainer reuses them as D's fake batch). */
  fakeFeatures?: tf.Tensor4D;
}

export interface GeneratorLossInputs {
  kind: MganLossKind;
  output: tf.Tensor4D;
  target: tf.Tensor4D;
  vgg?: Vgg19;
  discriminator?: MganDiscriminator;
  advWeight?: number;
  /** Weight of the output's total variation (0 = off). */
  tvWeight?: number;
}

/** G's loss for one batch; `pixel` is always reported (the number the trainer charts). */
export function generatorLoss(inputs: GeneratorLossInputs): GeneratorLossParts {
  const parts = reconstructionAndAdversarial(inputs);
  const tvWeight = inputs.tvWeight ?? 0;
  if (tvWeight <= 0) return parts;
  const tv = totalVariation(inputs.output);
  return { ...parts, tv, total: tf.add(parts.total, tf.mul(tv, tvWeight)) as tf.Scalar };
}

function reconstructionAndAdversarial(inputs: GeneratorLossInputs): GeneratorLossParts {
  const { kind, output, target, vgg, discriminator } = inputs;
  const pixel = pixelLoss(output, target);
  if (kind === 'pixel') return { total: pixel, pixel };
  if (!vgg) throw new Error(`the '${kind}' loss needs VGG19`);
  if (kind === 'neural') {
    const neural = neuralLoss(vgg, output, target);
    return { total: neural, pixel, neural };
  }
  if (!discriminator) throw new Error(`the 'mgan' loss needs a discriminator`);
  const fakeFeatures = discriminatorFeatures(vgg, output);
  const adversarial = maskedHinge(discriminator.scores(fakeFeatures, false), 1);
  const total = tf.add(pixel, tf.mul(adversarial, inputs.advWeight ?? DEFAULT_ADV_WEIGHT)) as tf.Scalar;
  return { total, pixel, adversarial, fakeFeatures };
}
