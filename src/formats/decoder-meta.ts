/**
 * What a trained decoder file says about itself (the `.mgan` file's JSON header, read and checked by
 * src/platform/common/decoder-store.ts): its format, name, the VGG19 convention it was trained on, a
 * thumbnail, its training settings and record.
 */
import type { DecoderTrainingRecord } from './training-record';

/**
 * Which weights + preprocessing a result used (recorded in results and node docs):
 * - `vgg19-matconvnet-rgb-mean`: 0..255 RGB minus the ImageNet mean [123.68, 116.779, 103.939] (the 8-bit files);
 * - `vgg19-keras-caffe-bgr-mean`: Keras `applications.VGG19` (caffe mode): the same mean, channels in BGR order.
 */
export type VggConvention = 'vgg19-matconvnet-rgb-mean' | 'vgg19-keras-caffe-bgr-mean';

export const DECODER_FORMAT = 'mgan-studio-decoder';
export const DECODER_FORMAT_VERSION = 1;

/** A small RGB thumbnail of the training texture (8-bit, row-major, base64). */
export interface DecoderThumbnail {
  width: number;
  height: number;
  rgbBase64: string;
}

export const GENERATOR_UPSAMPLINGS = ['deconv', 'resize'] as const;
export type GeneratorUpsampling = (typeof GENERATOR_UPSAMPLINGS)[number];

/**
 * What the decoder's generator G is made of: its upsampling, 'deconv' (the paper's 4x4 stride-2
 * transposed convolutions) or 'resize' (nearest 2x + 3x3 convolution). Its weights' names and shapes
 * follow from it (src/method/mgan/generator.ts).
 */
export interface GeneratorArchitecture {
  upsampling: GeneratorUpsampling;
}

/** The architecture of a decoder file that records none: every decoder saved before the choice existed. */
export const LEGACY_ARCHITECTURE: GeneratorArchitecture = { upsampling: 'deconv' };

/** A recorded architecture, checked (undefined = LEGACY_ARCHITECTURE); throws a one-line reason. */
export function generatorArchitecture(recorded: unknown): GeneratorArchitecture {
  if (recorded === undefined) return LEGACY_ARCHITECTURE;
  const up = (recorded as Partial<GeneratorArchitecture> | null)?.upsampling;
  if (!GENERATOR_UPSAMPLINGS.includes(up as GeneratorUpsampling)) {
    throw new Error(`its architecture's upsampling ${JSON.stringify(up)} is not one this MGAN Studio knows (${GENERATOR_UPSAMPLINGS.join(', ')})`);
  }
  return { upsampling: up as GeneratorUpsampling };
}

export interface DecoderMeta {
  format: typeof DECODER_FORMAT;
  formatVersion: number;
  name: string;
  /** The VGG19 weights + preprocessing G was trained on; decoding needs the same. */
  vggConvention: VggConvention;
  createdAt: string;
  thumbnail?: DecoderThumbnail;
  /** Training settings (epochs, batch size, loss, ...) and final losses, for the record. */
  training: Record<string, unknown>;
  /** What it learnt from and what that cost (photos, steps, time, machine): training-record.ts. */
  record?: DecoderTrainingRecord;
  /** G's layers; absent in files saved before there was a choice (LEGACY_ARCHITECTURE). */
  architecture?: GeneratorArchitecture;
}
