/**
 * A small real decoder for video tests: an untrained generator with its BatchNorm running statistics
 * recorded over the frames (as training records them), wrapped as a decoder, on the installed VGG19.
 */
import * as tf from '@tensorflow/tfjs';
import type { MganDecoder } from '../../src/method/mgan/decoder';
import { createTestDecoder as createDecoderOver } from '../decoders/test-decoder-file';

/** A generator whose running statistics are recorded over `frames` (each disposed here). */
export async function createTestDecoder(frames: AsyncIterable<tf.Tensor3D>, seed = 3): Promise<MganDecoder> {
  const images: tf.Tensor3D[] = [];
  try {
    for await (const frame of frames) images.push(frame);
    return await createDecoderOver('video-test', { seed, photos: images });
  } finally {
    tf.dispose(images);
  }
}
