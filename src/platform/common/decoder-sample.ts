/**
 * A decoder's sample: a small bundled photo decoded through it, what the editor's Decoders panel and
 * decoder picker show beside the texture thumbnail, so a decoder is recognised by what it does. One at
 * a time (each loads its decoder's weights), on the page's own backend.
 */
import * as tf from '@tensorflow/tfjs';
import { imageTensorToRgba, resizeToFit } from '../../method/image/image-tensor';
import type { NodeEnv } from '../../nodes/types';
import type { DecoderCatalog } from '../../services/decoder-catalog';


/** The bundled photo decoded, and the longest side it is decoded at (a multiple of 8). */
export const SAMPLE_PHOTO = 'coffee';
export const SAMPLE_SIDE = 96;

export interface DecoderSample {
  width: number;
  height: number;
  /** RGBA, 8-bit. */
  data: Uint8ClampedArray;
}

/** Decodes SAMPLE_PHOTO through the decoder a name means (yours first, then bundled). */
export function createDecoderSampler(env: NodeEnv): (name: string) => Promise<DecoderSample> {
  let photo: Promise<tf.Tensor3D> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const smallPhoto = (): Promise<tf.Tensor3D> => {
    photo ??= env.loadImage({ kind: 'sample', name: SAMPLE_PHOTO }).then((full) => {
      try {
        return resizeToFit(full, SAMPLE_SIDE, 8).image;
      } finally {
        full.dispose();
      }
    });
    // A failed load is tried again next time.
    photo.catch(() => (photo = undefined));
    return photo;
  };
  const sample = async (name: string): Promise<DecoderSample> => {
    const catalog = env.services.decoders as DecoderCatalog | undefined;
    if (!catalog) throw new Error('no decoder store here');
    const image = await smallPhoto();
    const { decoder } = await catalog.open(name);
    try {
      const out = await decoder.decode(image, { normalization: 'fixed' });
      try {
        return { width: out.shape[1], height: out.shape[0], data: await imageTensorToRgba(out) };
      } finally {
        out.dispose();
      }
    } finally {
      decoder.dispose();
    }
  };
  return (name) => {
    const run = queue.then(() => sample(name));
    queue = run.catch(() => undefined);
    return run;
  };
}
