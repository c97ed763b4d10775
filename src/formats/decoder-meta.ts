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
}
