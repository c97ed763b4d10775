/**
 * The training record a decoder carries in its metadata (`meta.record`): what it learnt from and what
 * the training cost, for the docs' table of bundled decoders and for the decoder-quality bench (which
 * decodes only photos the record does not name). The trainer node fills what it knows; a training
 * script or `mgan-studio decoders export --record FILE` adds the rest (photo and texture names).
 */
export interface DecoderTrainingRecord {
  /** The style texture: a sample name or a file name. */
  texture?: string;
  /** How many photos G learnt from. */
  photoCount: number;
  /** Their names (sample names or file names), where known. */
  photos?: string[];
  /** Batches (optimiser steps) of G. */
  steps: number;
  /** Augmented crop pairs in the training set. */
  crops: number;
  cropSize: number;
  batchSize: number;
  /** Wall-clock seconds of the run that finished the training (MDAN targets included; a resumed run counts from its resumption). */
  seconds: number;
  /** The machine and backend it ran on ("16 × AMD EPYC 9554, linux, tfjs wasm"). */
  machine: string;
  /** When the training finished (ISO 8601). */
  date: string;
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * The record of a decoder's meta, checked, or undefined when it has none (decoders saved before the
 * record existed) or it is malformed (then `problem` says why, for listings).
 */
export function trainingRecordOf(meta: { record?: unknown }): { record?: DecoderTrainingRecord; problem?: string } {
  return meta.record === undefined ? {} : checkTrainingRecord(meta.record);
}

function checkTrainingRecord(r: unknown): { record?: DecoderTrainingRecord; problem?: string } {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return { problem: 'its training record is not an object' };
  const x = r as Record<string, unknown>;
  for (const key of ['photoCount', 'steps', 'crops', 'cropSize', 'batchSize'] as const) {
    if (!isCount(x[key])) return { problem: `its training record's ${key} is not a whole number >= 0` };
  }
  if (typeof x.seconds !== 'number' || !(x.seconds >= 0)) return { problem: "its training record's seconds is not a number >= 0" };
  if (typeof x.machine !== 'string' || typeof x.date !== 'string') return { problem: "its training record's machine or date is not text" };
  if (x.texture !== undefined && typeof x.texture !== 'string') return { problem: "its training record's texture is not text" };
  if (x.photos !== undefined && !(Array.isArray(x.photos) && x.photos.every((p) => typeof p === 'string'))) {
    return { problem: "its training record's photos is not a list of names" };
  }
  return { record: r as DecoderTrainingRecord };
}

/**
 * `base` with the fields of `patch` that are set (a JSON file given to `decoders export --record`),
 * checked: throws naming `what` and the field at fault.
 */
export function mergeTrainingRecord(base: Partial<DecoderTrainingRecord> | undefined, patch: unknown, what: string): DecoderTrainingRecord {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new Error(`${what} is not a JSON object of training record fields`);
  const known = new Set(['texture', 'photoCount', 'photos', 'steps', 'crops', 'cropSize', 'batchSize', 'seconds', 'machine', 'date']);
  const unknown = Object.keys(patch).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`${what}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${[...known].join(', ')})`);
  const given = patch as Partial<DecoderTrainingRecord>;
  const merged = { ...base, ...given };
  // Names given without a count: the count is theirs.
  if (Array.isArray(given.photos) && given.photoCount === undefined) merged.photoCount = given.photos.length;
  const { record, problem } = checkTrainingRecord(merged);
  if (!record) throw new Error(`${what}: ${problem}`);
  if (record.photos && record.photos.length !== record.photoCount) {
    throw new Error(`${what}: photos names ${record.photos.length} photos but photoCount is ${record.photoCount}`);
  }
  return record;
}
