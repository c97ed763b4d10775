/**
 * MGAN training data (docs/method.md, "Training data"): each photo is stylised once by MDAN (one D carried
 * from photo to photo, as the paper does, so later photos converge faster), results are cached by a
 * hash of (photo pixels, texture pixels, MDAN options); photo and result get the same 18 augmentations;
 * paired crops (128 at stride 64 by default) are served in seeded shuffled batches.
 * Crops are kept as coordinates into the augmented images, so memory is the augmented images only.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentExample } from '../image/augment';
import { DEFAULT_MDAN_OPTIONS, MdanExampleCache, type MdanOptions, type MdanHooks, runMdan, seededRandom } from '../mdan/mdan';
import type { MdanDiscriminator } from '../mdan/discriminator';
import type { Vgg19 } from '../vgg/vgg19';
import { canonicalJson } from '../../util/canonical-json';
import { hashBytes, hashText } from '../../util/hash';

/** Where MDAN targets are kept between runs (Node: files under <cacheDir>/mdan-targets; browser: IndexedDB). */
export interface MdanTargetCache {
  get(key: string): Promise<tf.Tensor3D | undefined>;
  set(key: string, image: tf.Tensor3D): Promise<void>;
}

/**
 * Hash of an image's 8-bit pixels and shape (robust to float noise below 1/255). Reads the pixels
 * asynchronously: a synchronous read fails on WebGPU in Node.
 */
export async function hashImage(image: tf.Tensor3D): Promise<string> {
  const pixels = tf.tidy(() => tf.cast(tf.round(tf.mul(tf.clipByValue(image, 0, 1), 255)), 'int32'));
  try {
    return `${image.shape.join('x')}-${hashBytes(Uint8Array.from(await pixels.data()))}`;
  } finally {
    pixels.dispose();
  }
}

/**
 * Keyed by the settings MDAN really runs with (defaults filled in), so a changed default never reuses a
 * target, and by the discriminator it starts from (its width and weights decide the result as much as
 * the settings do).
 */
export async function mdanTargetKey(
  photo: tf.Tensor3D,
  texture: tf.Tensor3D,
  options: Partial<MdanOptions>,
  discriminator?: MdanDiscriminator,
): Promise<string> {
  const key = `${await hashImage(photo)}-${await hashImage(texture)}-${hashText(canonicalJson({ ...DEFAULT_MDAN_OPTIONS, ...options }))}`;
  return discriminator ? `${key}-d${hashText(canonicalJson(discriminator.toJSON()))}` : key;
}

export interface MdanTargetsHooks {
  cache?: MdanTargetCache;
  /** A trained MDAN discriminator to start from (cloned by runMdan, never changed). */
  discriminator?: MdanDiscriminator;
  signal?: AbortSignal;
  checkpoint?: () => Promise<void>;
  /** Per photo: index, whether it came from the cache. */
  onPhoto?: (index: number, total: number, cached: boolean) => void;
  onIteration?: MdanHooks['onIteration'];
  onWarning?: (message: string) => void;
}

/**
 * One MDAN result per photo (guided by the photo, at options.size). Returns the targets (caller owns
 * them) and the discriminator as trained after the last computed photo (undefined if all were cached).
 */
export async function mdanTargets(
  vgg: Vgg19,
  texture: tf.Tensor3D,
  photos: tf.Tensor3D[],
  options: Partial<MdanOptions>,
  hooks: MdanTargetsHooks = {},
): Promise<{ targets: tf.Tensor3D[]; discriminator?: MdanDiscriminator }> {
  const targets: tf.Tensor3D[] = [];
  let d: MdanDiscriminator | undefined;
  // The example's 18 variants through VGG once for all photos (not once per photo).
  const examples = new MdanExampleCache();
  try {
    for (let i = 0; i < photos.length; i++) {
      const key = await mdanTargetKey(photos[i], texture, options, hooks.discriminator);
      const cached = await hooks.cache?.get(key);
      if (cached) {
        targets.push(cached);
        hooks.onPhoto?.(i, photos.length, true);
        continue;
      }
      const result = await runMdan(vgg, texture, options, {
        content: photos[i],
        examples,
        discriminator: d ?? hooks.discriminator,
        signal: hooks.signal,
        checkpoint: hooks.checkpoint,
        onIteration: hooks.onIteration,
        onWarning: hooks.onWarning,
      });
      d?.dispose();
      d = result.discriminator;
      targets.push(result.image);
      await hooks.cache?.set(key, result.image);
      hooks.onPhoto?.(i, photos.length, false);
    }
  } catch (e) {
    tf.dispose(targets);
    d?.dispose();
    throw e;
  } finally {
    examples.dispose();
  }
  return { targets, discriminator: d };
}

export interface CropOptions {
  cropSize: number;
  stride: number;
  /** Augmentation angles/scales/flips (default the 18 of augment.ts); [0]/[1]/[false] turns it off. */
  angles?: number[];
  scales?: number[];
  flips?: boolean[];
}

interface CropRef {
  image: number;
  y: number;
  x: number;
}

/** Paired (photo, target) crops of the augmented pairs, batched in a seeded shuffled order per epoch. */
export class MganDataset {
  private constructor(
    private readonly photos: tf.Tensor3D[],
    private readonly targets: tf.Tensor3D[],
    private readonly cropRefs: CropRef[],
    readonly cropSize: number,
  ) {}

  /**
   * Pairs each photo with its target (the photo is resized to the target's size), applies the same
   * augmentations to both, and lists every crop position (the last row/column always included).
   */
  static build(photos: tf.Tensor3D[], targets: tf.Tensor3D[], options: CropOptions): MganDataset {
    if (photos.length !== targets.length || photos.length === 0) {
      throw new Error(`need one MDAN target per photo (got ${photos.length} photos, ${targets.length} targets)`);
    }
    const augPhotos: tf.Tensor3D[] = [];
    const augTargets: tf.Tensor3D[] = [];
    const crops: CropRef[] = [];
    const { cropSize, stride } = options;
    if (!(cropSize >= 8 && cropSize % 8 === 0)) throw new Error(`cropSize must be a multiple of 8 (at least 8), got ${cropSize}`);
    if (!(stride >= 1)) throw new Error(`stride must be at least 1, got ${stride}`);
    let smallest = Infinity;
    for (let i = 0; i < photos.length; i++) {
      const [th, tw] = targets[i].shape;
      const photo = tf.tidy(() => (photos[i].shape[0] === th && photos[i].shape[1] === tw ? tf.clone(photos[i]) : tf.image.resizeBilinear(photos[i], [th, tw], true)));
      const augment = { maxSide: Math.max(th, tw), angles: options.angles, scales: options.scales, flips: options.flips };
      const pv = augmentExample(photo, augment);
      // An auto-encoder's pairs (the photo is its own target, inverter.ts) share one set of images: half the memory.
      const tv = targets[i] === photos[i] ? pv : augmentExample(targets[i], augment);
      photo.dispose();
      for (let v = 0; v < pv.length; v++) {
        const [h, w] = pv[v].image.shape;
        smallest = Math.min(smallest, h, w);
        if (h < cropSize || w < cropSize) {
          pv[v].image.dispose();
          tv[v].image.dispose(); // a no-op when shared
          continue;
        }
        const index = augPhotos.length;
        augPhotos.push(pv[v].image);
        augTargets.push(tv[v].image);
        for (const y of cropStarts(h, cropSize, stride)) for (const x of cropStarts(w, cropSize, stride)) crops.push({ image: index, y, x });
      }
    }
    if (crops.length === 0) {
      throw new Error(`no ${cropSize}x${cropSize} crop fits: the augmented photos are at most ${smallest} px on their short side; lower cropSize or raise mdanSize`);
    }
    return new MganDataset(augPhotos, augTargets, crops, cropSize);
  }

  get size(): number {
    return this.cropRefs.length;
  }

  batchesPerEpoch(batchSize: number): number {
    return Math.ceil(this.cropRefs.length / batchSize);
  }

  /** The crop order of an epoch: a seeded shuffle, the same for the same (seed, epoch) (resume relies on it). */
  order(seed: number, epoch: number): number[] {
    const random = seededRandom(seed * 1009 + epoch * 7 + 1);
    const order = this.cropRefs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** The crops (indices into the dataset) of batch `index` of an epoch's order. The last batch may be smaller. */
  batchCrops(order: number[], index: number, batchSize: number): number[] {
    return order.slice(index * batchSize, (index + 1) * batchSize);
  }

  /** Photos and targets [B, crop, crop, 3] of the given crops. */
  crops(ids: number[]): { photos: tf.Tensor4D; targets: tf.Tensor4D } {
    return { photos: this.cropsOf(ids, 'photos'), targets: this.cropsOf(ids, 'targets') };
  }

  /** Only the photos or only the targets of the given crops [B, crop, crop, 3] (a copy per crop: take only what is used). */
  cropsOf(ids: number[], which: 'photos' | 'targets'): tf.Tensor4D {
    const images = which === 'photos' ? this.photos : this.targets;
    const s = this.cropSize;
    return tf.tidy(() => tf.stack(ids.map((i) => this.cropRefs[i]).map((c) => tf.slice(images[c.image], [c.y, c.x, 0], [s, s, 3]))) as tf.Tensor4D);
  }

  /** Batch `index` of an epoch's order: photos and targets [B, crop, crop, 3]. The last batch may be smaller. */
  batch(order: number[], index: number, batchSize: number): { photos: tf.Tensor4D; targets: tf.Tensor4D } {
    return this.crops(this.batchCrops(order, index, batchSize));
  }

  dispose(): void {
    // Shared pairs are the same tensors: disposing one twice is a no-op.
    tf.dispose(this.photos);
    tf.dispose(this.targets);
  }
}

/** Crop starts at `stride`, the last one flush with the end so the border is always covered. */
export function cropStarts(length: number, crop: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + crop <= length; s += stride) starts.push(s);
  if (starts.length && starts[starts.length - 1] + crop < length) starts.push(length - crop);
  return starts;
}
