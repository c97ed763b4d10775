/**
 * A small real decoder for video tests: an untrained generator with its BatchNorm running statistics
 * recorded over the frames (as training records them), wrapped as a decoder, on the installed VGG19.
 */
import * as tf from '@tensorflow/tfjs';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION, createMganDecoder, type MganDecoder } from '../../src/method/mgan/decoder';
import { GENERATOR_INPUT_LAYER, MganGenerator, generatorInput } from '../../src/method/mgan/generator';
import { resizeImage } from '../../src/method/image/image-tensor';
import { testVgg19 } from '../support/vgg19';

/** A generator whose running statistics are recorded over `frames` (each disposed here). */
export async function createTestDecoder(frames: AsyncIterable<tf.Tensor3D>, seed = 3): Promise<MganDecoder> {
  const vgg = await testVgg19.load(GENERATOR_INPUT_LAYER);
  const generator = MganGenerator.create(seed);
  for await (const frame of frames) {
    tf.tidy(() => {
      const [h, w] = frame.shape;
      const x = resizeImage(frame, Math.floor(w / 8) * 8, Math.floor(h / 8) * 8);
      generator.forward(generatorInput(vgg, tf.expandDims(x, 0) as tf.Tensor4D), { normalization: 'batch', training: true });
    });
    frame.dispose();
  }
  return createMganDecoder(
    generator,
    {
      format: DECODER_FORMAT,
      formatVersion: DECODER_FORMAT_VERSION,
      name: 'video-test',
      vggConvention: vgg.convention,
      createdAt: new Date(0).toISOString(),
      training: { note: 'untrained generator with running statistics recorded over the test frames' },
    },
    (layer) => testVgg19.load(layer),
  );
}
