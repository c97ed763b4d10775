/**
 * The VGG inverter (docs/decoders.md, "The inverter"): G trained once as an auto-encoder, relu4_1 of a
 * photo -> the photo itself, on the training set's photos with the paper's augmentations. Every style
 * can start from it (the trainer's `startFrom` hook, the mgan-trainer's `startFromInverter`): it already
 * turns features into a picture, so a style's training spends its batches on the style (the paper's
 * Sec. 4.3 starts G this way).
 */
import type * as tf from '@tensorflow/tfjs';
import { MganDataset } from './dataset';
import { type MganTrainHooks, type MganTrainOptions, type MganTrainResult, trainMgan } from './trainer';
import type { Vgg19 } from '../vgg/vgg19';

export { INVERTER_DECODER } from '../../formats/inverter-decoder';

/** The inverter's training: pixel loss only (no discriminator), a moving average of G, resize-convolutions. */
export const INVERTER_TRAIN_OPTIONS: Partial<MganTrainOptions> = {
  loss: 'pixel',
  advWeight: 0,
  emaDecay: 0.99,
  upsampling: 'resize',
  lr: 0.002,
  beta1: 0.5,
};

/** Pairs (photo, photo) of every augmented crop: what an auto-encoder learns from. The caller owns it. */
export function inverterDataset(photos: tf.Tensor3D[], cropSize: number, stride: number): MganDataset {
  return MganDataset.build(photos, photos, { cropSize, stride });
}

/** Trains the inverter (options over INVERTER_TRAIN_OPTIONS; hooks as trainMgan's: checkpoints, resume, budget). */
export function trainInverter(vgg: Vgg19, data: MganDataset, options: Partial<MganTrainOptions> = {}, hooks: MganTrainHooks = {}): Promise<MganTrainResult> {
  return trainMgan(vgg, data, { ...INVERTER_TRAIN_OPTIONS, ...options }, hooks);
}
