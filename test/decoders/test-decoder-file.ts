/**
 * Test decoders for the bundled-decoder tests: an untrained generator (its pixels mean nothing: the
 * tests are about files, lookup and quantisation), optionally with batch-norm running statistics
 * recorded over photos the way training records them, so 'fixed' decoding behaves like a trained G.
 * The VGG19 weights come from the installed cache (test/support/vgg19.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { type MganDecoder, createMganDecoder } from '../../src/method/mgan/decoder';
import { resizeImage } from '../../src/method/image/image-tensor';
import { MganGenerator, generatorInput } from '../../src/method/mgan/generator';
import type { DecoderTrainingRecord } from '../../src/formats/training-record';
import { type DecoderArtifacts, decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { quantizeDecoderArtifacts } from '../../src/platform/common/decoder-quantize';
import { testVgg19 } from '../support/vgg19';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION, type DecoderMeta } from '../../src/formats/decoder-meta';

export const TEST_RECORD: DecoderTrainingRecord = {
  texture: 'starry_night',
  photoCount: 2,
  photos: ['astronaut', 'chelsea'],
  steps: 3,
  crops: 12,
  cropSize: 64,
  batchSize: 2,
  seconds: 4,
  machine: 'test machine, tfjs wasm',
  date: '2026-11-27T00:00:00.000Z',
};

export function testDecoderMeta(name: string, record: DecoderTrainingRecord | undefined = TEST_RECORD): DecoderMeta {
  return {
    format: DECODER_FORMAT,
    formatVersion: DECODER_FORMAT_VERSION,
    name,
    vggConvention: 'vgg19-matconvnet-rgb-mean',
    createdAt: '2026-11-27T00:00:00.000Z',
    thumbnail: { width: 1, height: 1, rgbBase64: 'AAAA' },
    training: { note: 'untrained generator made by a test' },
    ...(record ? { record } : {}),
  };
}

/**
 * A decoder of an untrained generator (seeded). With `photos`, its running statistics are recorded over
 * them first (each [H, W, 3], sides floored to multiples of 8 for it; not disposed here).
 */
export async function createTestDecoder(name: string, options: { seed?: number; photos?: tf.Tensor3D[]; record?: DecoderTrainingRecord } = {}): Promise<MganDecoder> {
  const generator = MganGenerator.create(options.seed ?? 3);
  if (options.photos?.length) {
    const vgg = await testVgg19.load('relu4_1');
    for (const photo of options.photos) {
      tf.tidy(() => {
        const [h, w] = photo.shape;
        const x = resizeImage(photo, Math.floor(w / 8) * 8, Math.floor(h / 8) * 8);
        generator.forward(generatorInput(vgg, tf.expandDims(x, 0) as tf.Tensor4D), { normalization: 'batch', training: true });
      });
    }
  }
  return createMganDecoder(generator, testDecoderMeta(name, options.record), (layer) => testVgg19.load(layer));
}

/** The artifacts of a test decoder (float32 weights). */
export async function testDecoderArtifacts(name: string, seed = 3): Promise<DecoderArtifacts> {
  const decoder = await createTestDecoder(name, { seed });
  try {
    return await decoderToArtifacts(decoder);
  } finally {
    decoder.dispose();
  }
}

/** A `.mgan` file of a test decoder, 8-bit quantised unless `float` (as a bundled decoder ships). */
export async function testDecoderFile(name: string, options: { seed?: number; float?: boolean } = {}): Promise<Uint8Array> {
  const artifacts = await testDecoderArtifacts(name, options.seed);
  return encodeDecoderFile(options.float ? artifacts : quantizeDecoderArtifacts(artifacts));
}
