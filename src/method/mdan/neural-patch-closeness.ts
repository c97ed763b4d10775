/**
 * How close an image's neural patches are to a texture's, as CNNMRF measures it: every 3×3 window of
 * the image's relu3_1 features is matched to its most similar window of the texture's (cosine), and
 * the best similarities are averaged. 1 means every window of the image occurs in the texture.
 * Cosine ignores contrast, so a photo merely recoloured in the texture's palette already scores
 * fairly high: compare a stylisation with the photo colour-matched to the texture
 * (`matchColourHistogram`), which keeps the photo's strokes and takes only the palette;
 * `patchClosenessGain` scores all three.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeLongestSide } from '../image/augment';
import { resizeImage } from '../image/image-tensor';
import type { FeatureNet } from './mdan';

export interface NeuralPatchClosenessOptions {
  /** VGG19 layer whose windows are compared (default relu3_1). */
  layer?: string;
  /** Window side in feature cells (default 3). */
  patchSize?: number;
  /**
   * The texture is first resized so its longest side is this many px (default: as given). The
   * numbers in docs/mdan.md use 256 for 128 px results.
   */
  textureSide?: number;
}

/** Texture windows compared with the image at once: bounds the [h, w, n] block of similarities. */
const WINDOWS_PER_BLOCK = 512;

function features(vgg: FeatureNet, image: tf.Tensor3D, layer: string, k: number, what: string): tf.Tensor4D {
  const map = tf.tidy(() => vgg.features(tf.expandDims(image, 0) as tf.Tensor4D, [layer])[layer]);
  if (map.shape[1] < k || map.shape[2] < k) {
    map.dispose();
    throw new Error(`the ${what} (${image.shape[1]}x${image.shape[0]} px) is too small for a ${k}x${k} window of ${layer}`);
  }
  return map;
}

/**
 * Every k×k window (stride 1) of a [1, h, w, c] map, scaled to unit length, as conv filters
 * [k, k, c, n]: one convolution of the image's map with them gives every dot product.
 */
function unitWindows(map: tf.Tensor4D, k: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = map.shape;
    const rows = h - k + 1;
    const cols = w - k + 1;
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) taps.push(tf.reshape(tf.slice(map, [0, i, j, 0], [1, rows, cols, c]), [rows * cols, c]));
    const windows = tf.reshape(tf.stack(taps, 1), [rows * cols, k * k * c]);
    const unit = tf.div(windows, tf.add(tf.norm(windows, 'euclidean', 1, true), 1e-8));
    return tf.transpose(tf.reshape(unit, [rows * cols, k, k, c]), [1, 2, 3, 0]) as tf.Tensor4D;
  });
}

/** Mean over the image's windows of the best cosine similarity to a texture window. Images [H, W, 3] in [0, 1]. */
export function neuralPatchCloseness(vgg: FeatureNet, image: tf.Tensor3D, texture: tf.Tensor3D, options: NeuralPatchClosenessOptions = {}): number {
  const layer = options.layer ?? 'relu3_1';
  const k = options.patchSize ?? 3;
  if (!Number.isInteger(k) || k < 1) throw new Error(`patchSize must be a positive integer, got ${k}`);
  const imageMap = features(vgg, image, layer, k, 'image');
  let textureMap: tf.Tensor4D | undefined;
  try {
    const example = options.textureSide ? resizeLongestSide(texture, options.textureSide) : texture;
    try {
      textureMap = features(vgg, example, layer, k, 'texture');
    } finally {
      if (example !== texture) example.dispose();
    }
    const filters = unitWindows(textureMap, k);
    try {
      return tf.tidy(() => {
        // Length of each image window: the square root of a k×k box sum of its squared features.
        const norms = tf.sqrt(tf.conv2d(tf.sum(tf.square(imageMap), 3, true) as tf.Tensor4D, tf.ones([k, k, 1, 1]) as tf.Tensor4D, 1, 'valid'));
        const n = filters.shape[3];
        let best: tf.Tensor4D | undefined;
        for (let start = 0; start < n; start += WINDOWS_PER_BLOCK) {
          const next = tf.tidy(() => {
            const block = tf.slice(filters, [0, 0, 0, start], [-1, -1, -1, Math.min(WINDOWS_PER_BLOCK, n - start)]) as tf.Tensor4D;
            const blockBest = tf.max(tf.conv2d(imageMap, block, 1, 'valid'), 3, true) as tf.Tensor4D;
            return best ? (tf.maximum(best, blockBest) as tf.Tensor4D) : blockBest;
          });
          best?.dispose();
          best = next;
        }
        return tf.mean(tf.div(best!, tf.add(norms, 1e-8))).dataSync()[0];
      });
    } finally {
      filters.dispose();
    }
  } finally {
    tf.dispose([imageMap, ...(textureMap ? [textureMap] : [])]);
  }
}

/**
 * The image with each channel's histogram made the reference's (exact histogram specification: the
 * pixel of rank r takes the reference's value at the same quantile). The photo's layout and strokes
 * in the texture's palette: the "tint" a stylisation must beat. Images [H, W, 3]; the caller owns the result.
 */
export function matchColourHistogram(image: tf.Tensor3D, reference: tf.Tensor3D): tf.Tensor3D {
  if (image.shape[2] !== 3 || reference.shape[2] !== 3) throw new Error('matchColourHistogram takes two RGB images [H, W, 3]');
  const src = image.dataSync();
  const ref = reference.dataSync();
  const n = src.length / 3;
  const m = ref.length / 3;
  const out = new Float32Array(src.length);
  const order = new Uint32Array(n);
  const sorted = new Float32Array(m);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < m; i++) sorted[i] = ref[i * 3 + c];
    sorted.sort();
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => src[a * 3 + c] - src[b * 3 + c]);
    for (let rank = 0; rank < n; rank++) {
      const pos = n > 1 ? (rank / (n - 1)) * (m - 1) : 0;
      const lo = Math.floor(pos);
      const hi = Math.min(m - 1, lo + 1);
      out[order[rank] * 3 + c] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
  }
  return tf.tensor3d(out, image.shape);
}

export interface PatchClosenessGain {
  /** Closeness of the result to the texture. */
  result: number;
  /** Closeness of the photo as it is. */
  photo: number;
  /** Closeness of the photo colour-matched to the texture. */
  colourMatched: number;
  /** result − colourMatched: above 0 when the result took the texture's patches, not only its palette. */
  gain: number;
}

/**
 * Closeness of a stylised `result` of `photo` to `texture`, and of the photo as is and colour-matched
 * (the photo is resized, without aliasing, to the result's size first, so all three compare like with like).
 */
export function patchClosenessGain(
  vgg: FeatureNet,
  result: tf.Tensor3D,
  photo: tf.Tensor3D,
  texture: tf.Tensor3D,
  options: NeuralPatchClosenessOptions = {},
): PatchClosenessGain {
  const [h, w] = result.shape;
  const sized = photo.shape[0] === h && photo.shape[1] === w ? photo : resizeImage(photo, w, h);
  const matched = matchColourHistogram(sized, texture);
  try {
    const scores = {
      result: neuralPatchCloseness(vgg, result, texture, options),
      photo: neuralPatchCloseness(vgg, sized, texture, options),
      colourMatched: neuralPatchCloseness(vgg, matched, texture, options),
    };
    return { ...scores, gain: scores.result - scores.colourMatched };
  } finally {
    matched.dispose();
    if (sized !== photo) sized.dispose();
  }
}
