/**
 * Preview pixels for the editor: an image tensor read back as 8-bit RGBA. Uses `await data()`,
 * never `dataSync()` (which fails on WebGPU in Node).
 */
import * as tf from '@tensorflow/tfjs';
import type { PreviewImage } from './types';

/** Copies the image synchronously (the caller may dispose it right after), then reads it back. */
export function startPreviewReadback(nodeId: string, image: tf.Tensor3D): Promise<PreviewImage> {
  const [height, width, channels] = image.shape;
  const bytes = tf.tidy(() => tf.clipByValue(image, 0, 1).mul(255).round().toInt());
  return bytes.data().then(
    (values) => {
      bytes.dispose();
      const data = new Uint8ClampedArray(width * height * 4);
      for (let i = 0, j = 0; i < width * height; i++, j += channels) {
        data[i * 4] = values[j];
        data[i * 4 + 1] = values[channels > 1 ? j + 1 : j];
        data[i * 4 + 2] = values[channels > 2 ? j + 2 : j];
        data[i * 4 + 3] = 255;
      }
      return { nodeId, width, height, data };
    },
    (e: unknown) => {
      bytes.dispose();
      throw e;
    },
  );
}

export function isImageTensor(v: unknown): v is tf.Tensor3D {
  return v instanceof tf.Tensor && v.rank === 3 && (v.shape[2] === 3 || v.shape[2] === 1);
}
