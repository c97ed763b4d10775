/**
 * The training set's manifest (`training-set.json` in its folder): every photo with its split, source
 * package, source file, licence and size. The split is decided by the photo's name alone (a hash), so
 * rebuilding the set from the same packages puts every photo in the same split, and photos held out for
 * measuring decoders (docs/decoders.md, "The training set") are never trained on.
 */
import { hashText } from '../../util/hash';

export const TRAINING_SET_FORMAT = 'mgan-studio-training-set';
export const TRAINING_SET_MANIFEST = 'training-set.json';
/** Subfolders of a training set: the photos trained on, and the ones kept to measure decoders. */
export const TRAIN_FOLDER = 'train';
export const HELD_OUT_FOLDER = 'heldout';
/** One photo in this many is held out. */
export const HELD_OUT_ONE_IN = 8;

export type TrainingSplit = 'train' | 'heldout';

export interface TrainingSetPhoto {
  /** File name inside the split's folder (`<package>--<source path>.png`). */
  file: string;
  split: TrainingSplit;
  /** The Debian package it came from, or `samples` for the repository's bundled photos. */
  package: string;
  /** Where the original file was read from. */
  source: string;
  /** Licence as the package's copyright file states it (SPDX-like short name). */
  licence: string;
  copyright: string;
  width: number;
  height: number;
  /** Difference hash (photo-checks.ts), by which near-duplicates were removed. */
  dhash: string;
}

export interface TrainingSetManifest {
  format: typeof TRAINING_SET_FORMAT;
  version: 1;
  /** Longest side of every photo. */
  maxSide: number;
  photos: TrainingSetPhoto[];
}

/** The split of a photo by its name: the same name always falls in the same split. */
export function splitOf(name: string): TrainingSplit {
  return parseInt(hashText(name).slice(0, 8), 16) % HELD_OUT_ONE_IN === 0 ? 'heldout' : 'train';
}

/** Checks a manifest read from `where`; throws a one-line error naming it and what to do. */
export function parseTrainingSetManifest(text: string, where: string): TrainingSetManifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: rebuild the training set (npm run dataset -- --out DIR)`);
  }
  const x = m as Partial<TrainingSetManifest>;
  if (!x || x.format !== TRAINING_SET_FORMAT || !Array.isArray(x.photos)) {
    throw new Error(`${where} is not an MGAN Studio training set manifest: rebuild it (npm run dataset -- --out DIR)`);
  }
  for (const p of x.photos) {
    if (!p || typeof p.file !== 'string' || /[\\/]/.test(p.file) || (p.split !== 'train' && p.split !== 'heldout')) {
      throw new Error(`${where} lists a photo without a plain file name and a split (train or heldout): rebuild it`);
    }
  }
  return x as TrainingSetManifest;
}
