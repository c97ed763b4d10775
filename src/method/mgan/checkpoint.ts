/**
 * Persistent MGAN training checkpoints: a store interface (Node files / IndexedDB implement it) and the
 * byte format both use. A checkpoint is a small JSON-able `meta` (format tag, step, loss history, and
 * per tensor its name, dtype, shape and byte offset) plus one `data` block of the tensors' values
 * concatenated. Tensor lists keep their order: Adam matches its slots to variables by position.
 * Pure (no node:*): bundled into the browser app too.
 */
import * as tf from '@tensorflow/tfjs';
import type { MganCheckpoint, NamedTensor } from './training-state';
import { isRecord } from '../../util/is-record';
import { hashBytes, hashText } from '../../util/hash';

export const CHECKPOINT_FORMAT = 'mgan-studio-checkpoint';
/** Changes with the layout of meta and data, and with the checksum (hashBytes). */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** Where a node keeps the checkpoint of its run between processes / page loads (`services.mganCheckpoints`). */
export interface MganCheckpointStore {
  /** The stored checkpoint (the caller owns its tensors), undefined if none; throws if it is unreadable. */
  get(key: string): Promise<MganCheckpoint | undefined>;
  /**
   * Stores a copy (the caller keeps ownership of `c`), replacing any checkpoint under the key; then
   * drops the least recently saved others beyond MAX_STORED_CHECKPOINTS.
   */
  set(key: string, c: MganCheckpoint): Promise<void>;
  /** Forgets the key (no error if absent). */
  delete(key: string): Promise<void>;
}

type Dtype = 'float32' | 'int32';

export interface CheckpointTensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte offset in `data` (every element takes 4 bytes). */
  offset: number;
}

const GROUPS = ['generator', 'discriminator', 'generatorOptimizer', 'discriminatorOptimizer', 'averageGenerator'] as const;
type Group = (typeof GROUPS)[number];
/** Groups a checkpoint may lack (runs without a moving average of G). */
const OPTIONAL_GROUPS: ReadonlySet<Group> = new Set(['averageGenerator']);

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  step: number;
  lossHistory: Array<Record<string, number>>;
  tensors: Record<Group, CheckpointTensorEntry[]>;
  /** Length of `data`: a shorter block is a torn write. */
  byteLength: number;
  /** Checksum of `data` (hashBytes): a block from another write or a corrupted file does not pass. */
  checksum: string;
}

/**
 * How many checkpoints a store keeps (newest first): each is ~100 MB, and every change of settings or
 * data makes a new key, so older runs' checkpoints are dropped when a new one is saved.
 */
export const MAX_STORED_CHECKPOINTS = 3;

/** A short key safe as a file or folder name: a 64-bit hash of the (long, JSON) run key. */
export function checkpointId(key: string): string {
  return `mgan-${hashText(key)}`;
}

function groupTensors(c: MganCheckpoint, group: Group): NamedTensor[] {
  const g = c[group];
  if (!g) return [];
  return Array.isArray(g) ? g : Object.entries(g).map(([name, tensor]) => ({ name, tensor }));
}

/** The checkpoint as meta + bytes (reads the tensors' values; `c` is not changed or disposed). */
export async function serializeCheckpoint(c: MganCheckpoint): Promise<{ meta: CheckpointMeta; data: Uint8Array }> {
  const lists = GROUPS.map((g) => groupTensors(c, g));
  const byteLength = lists.flat().reduce((sum, n) => sum + n.tensor.size * 4, 0);
  const data = new Uint8Array(byteLength);
  const tensors = {} as Record<Group, CheckpointTensorEntry[]>;
  let offset = 0;
  for (let gi = 0; gi < GROUPS.length; gi++) {
    tensors[GROUPS[gi]] = [];
    for (const { name, tensor } of lists[gi]) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`checkpoint: tensor '${name}' has dtype ${tensor.dtype} (only float32/int32 are stored)`);
      const values = await tensor.data();
      data.set(new Uint8Array(values.buffer, values.byteOffset, tensor.size * 4), offset);
      tensors[GROUPS[gi]].push({ name, dtype: tensor.dtype, shape: [...tensor.shape], offset });
      offset += tensor.size * 4;
    }
  }
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    step: c.step,
    lossHistory: c.lossHistory.map((l) => ({ ...l })),
    tensors,
    byteLength,
    checksum: hashBytes(data),
  };
  return { meta, data };
}

/** The error of an unreadable checkpoint (callers start fresh on it). */
export class CheckpointFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointFormatError';
  }
}

function checkMeta(meta: unknown, where: string): CheckpointMeta {
  const fail = (why: string): never => {
    throw new CheckpointFormatError(`${where} is not a usable MGAN checkpoint: ${why}`);
  };
  if (!isRecord(meta)) fail('its metadata is not an object');
  const m = meta as Partial<CheckpointMeta>;
  if (m.format !== CHECKPOINT_FORMAT) fail(`format is '${String(m.format)}', expected '${CHECKPOINT_FORMAT}'`);
  if (m.formatVersion !== CHECKPOINT_FORMAT_VERSION) fail(`format version ${String(m.formatVersion)} is not supported (this build reads ${CHECKPOINT_FORMAT_VERSION})`);
  if (!Number.isInteger(m.step) || m.step! < 0) fail(`step ${String(m.step)} is not a whole number >= 0`);
  if (!Array.isArray(m.lossHistory)) fail('lossHistory is not a list');
  if (!Number.isInteger(m.byteLength) || m.byteLength! < 0) fail('byteLength is missing');
  if (typeof m.checksum !== 'string') fail('checksum is missing');
  if (!isRecord(m.tensors)) fail('the tensor list is missing');
  for (const g of GROUPS) {
    const list = m.tensors![g];
    if (list === undefined && OPTIONAL_GROUPS.has(g)) continue;
    if (!Array.isArray(list)) fail(`the '${g}' tensor list is missing`);
    for (const t of list) {
      const ok =
        t && typeof t.name === 'string' && (t.dtype === 'float32' || t.dtype === 'int32') && Array.isArray(t.shape) &&
        t.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0) && Number.isInteger(t.offset) && t.offset >= 0 &&
        t.offset + t.shape.reduce((a: number, b: number) => a * b, 1) * 4 <= m.byteLength!;
      if (!ok) fail(`tensor entry ${JSON.stringify(t)} in '${g}' is malformed or lies outside the data`);
    }
  }
  return m as CheckpointMeta;
}

/**
 * Tensors from meta + bytes (the caller owns and disposes them: disposeCheckpoint). Throws a
 * CheckpointFormatError naming `where` and the problem for a foreign, truncated or corrupted checkpoint.
 */
export function deserializeCheckpoint(meta: unknown, data: Uint8Array, where = 'the checkpoint'): MganCheckpoint {
  const m = checkMeta(meta, where);
  if (data.byteLength !== m.byteLength) {
    throw new CheckpointFormatError(`${where} is truncated or torn: its data has ${data.byteLength} bytes, its metadata says ${m.byteLength}`);
  }
  if (hashBytes(data) !== m.checksum) {
    throw new CheckpointFormatError(`${where} is corrupted: its data does not match the checksum in its metadata (an interrupted write or a damaged file)`);
  }
  const created: tf.Tensor[] = [];
  const read = (e: CheckpointTensorEntry): tf.Tensor => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const bytes = data.slice(e.offset, e.offset + size * 4);
    const values = e.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    const t = tf.tensor(values, e.shape, e.dtype);
    created.push(t);
    return t;
  };
  const named = (g: Group) => (m.tensors[g] ?? []).map((e) => ({ name: e.name, tensor: read(e) }));
  try {
    const weights = (g: Group) => {
      const out: Record<string, tf.Tensor> = {};
      for (const { name, tensor } of named(g)) {
        if (name in out) throw new CheckpointFormatError(`${where} is not a usable MGAN checkpoint: '${g}' lists '${name}' twice`);
        out[name] = tensor;
      }
      return out;
    };
    return {
      step: m.step,
      generator: weights('generator'),
      discriminator: weights('discriminator'),
      ...(m.tensors.averageGenerator?.length ? { averageGenerator: weights('averageGenerator') } : {}),
      generatorOptimizer: named('generatorOptimizer'),
      discriminatorOptimizer: named('discriminatorOptimizer'),
      lossHistory: m.lossHistory.map((l) => ({ ...l })),
    };
  } catch (e) {
    tf.dispose(created);
    throw e;
  }
}
