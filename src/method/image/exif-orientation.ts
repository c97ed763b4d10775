/**
 * A photo turned the way its EXIF orientation says (read by src/formats/exif-orientation.ts), so the
 * CLI shows the same photo as a browser, which honours the tag when it decodes.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExifOrientation } from '../../formats/exif-orientation';

/**
 * The image as it is meant to be seen: `image` [H, W, C] (as stored) turned and mirrored by an EXIF
 * orientation. 5-8 swap width and height. Returns a new tensor (the caller disposes both).
 */
export function applyExifOrientation(image: tf.Tensor3D, orientation: ExifOrientation): tf.Tensor3D {
  return tf.tidy(() => {
    // Rows (axis 0) and columns (axis 1); 5-8 first swap them (a transpose), then flip.
    const swap = orientation >= 5;
    const x = swap ? tf.transpose(image, [1, 0, 2]) : image;
    const flips: Record<ExifOrientation, number[]> = { 1: [], 2: [1], 3: [0, 1], 4: [0], 5: [], 6: [1], 7: [0, 1], 8: [0] };
    const axes = flips[orientation];
    const out = axes.length ? tf.reverse(x, axes) : x;
    return (out === image ? tf.clone(image) : out) as tf.Tensor3D;
  });
}
