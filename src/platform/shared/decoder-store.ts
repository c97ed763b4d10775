/**
 * Saving, loading and sharing trained MGAN decoders: the common part of the Node (files) and browser
 * (IndexedDB) stores. A decoder is stored as TF.js model artifacts: `weightSpecs` + one weight buffer
 * (tf.io.encodeWeights) + its DecoderMeta. The shareable single file (`.mgan`) is
 *   8 bytes magic "MGANDEC1" | u32 LE header length | UTF-8 JSON header { meta, weightSpecs } | weight bytes
 * (float32, or uint8 with a per-tensor min/scale in the spec: decoder-quantize.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { DECODER_FORMAT, type DecoderMeta, type MganDecoder, type VggLoader, createMganDecoder } from '../../method/mgan/decoder';
import { MganGenerator } from '../../method/mgan/generator';
import { weightBytes } from './decoder-quantize';

export interface DecoderStore {
  /** Saves under `name` (default decoder.meta.name); returns the stored meta. Overwrites a decoder of that name. */
  save(decoder: MganDecoder, name?: string): Promise<DecoderMeta>;
  /** A saved decoder by name, or (Node) a path to a decoder folder or `.mgan` file. The caller owns it. */
  load(nameOrPath: string): Promise<MganDecoder>;
  list(): Promise<DecoderMeta[]>;
  /** Whether a decoder is stored under this name (damaged or not): the bundled one of that name is then hidden. */
  has(name: string): Promise<boolean>;
  remove(name: string): Promise<void>;
  /** One shareable file holding weights and meta. */
  exportFile(name: string): Promise<Uint8Array>;
  /** Stores a shared file (under `name`, default the name inside); errors clearly on a file that is not a decoder. */
  importFile(bytes: Uint8Array, name?: string): Promise<DecoderMeta>;
}

export interface DecoderArtifacts {
  meta: DecoderMeta;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export const DECODER_FILE_EXTENSION = '.mgan';
const MAGIC = 'MGANDEC1';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export function checkDecoderName(name: string): string {
  if (!NAME_PATTERN.test(name) || name.includes('..')) {
    throw new Error(`invalid decoder name '${name}': use letters, digits, '_', '-' and '.' (at most 100)`);
  }
  return name;
}

export async function decoderToArtifacts(decoder: MganDecoder, name?: string): Promise<DecoderArtifacts> {
  const tensors = decoder.generator.namedWeights().map(([n, v]) => ({ name: n, tensor: v as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const meta: DecoderMeta = { ...decoder.meta, name: name ?? decoder.meta.name };
  return { meta, weightSpecs: specs, weightData: data as ArrayBuffer };
}

export function decoderFromArtifacts(artifacts: DecoderArtifacts, loadVgg: VggLoader): MganDecoder {
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    return createMganDecoder(MganGenerator.fromTensors(tensors), artifacts.meta, loadVgg);
  } catch (e) {
    throw new Error(`decoder '${artifacts.meta.name}': ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Checks that parsed JSON is a decoder meta; `what` names the file in the error. */
export function checkDecoderMeta(meta: unknown, what: string): DecoderMeta {
  const m = meta as Partial<DecoderMeta> | undefined;
  if (!m || typeof m !== 'object' || m.format !== DECODER_FORMAT || typeof m.name !== 'string' || typeof m.vggConvention !== 'string') {
    throw new Error(`${what} is not an MGAN Studio decoder (no '${DECODER_FORMAT}' metadata)`);
  }
  return m as DecoderMeta;
}

export function encodeDecoderFile(artifacts: DecoderArtifacts): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ meta: artifacts.meta, weightSpecs: artifacts.weightSpecs }));
  const out = new Uint8Array(MAGIC.length + 4 + header.length + artifacts.weightData.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  out.set(new Uint8Array(artifacts.weightData), MAGIC.length + 4 + header.length);
  return out;
}

export function decodeDecoderFile(bytes: Uint8Array, what = 'the file'): DecoderArtifacts {
  const notDecoder = (why: string) => new Error(`${what} is not an MGAN Studio decoder file (${why})`);
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw notDecoder(`it does not start with '${MAGIC}'`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (start + headerLength > bytes.length) throw notDecoder('truncated header');
  let header: { meta?: unknown; weightSpecs?: tf.io.WeightsManifestEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + headerLength)));
  } catch {
    throw notDecoder('unreadable header');
  }
  const meta = checkDecoderMeta(header.meta, what);
  if (!Array.isArray(header.weightSpecs)) throw notDecoder('no weight list');
  const weights = bytes.slice(start + headerLength);
  let expected: number;
  try {
    expected = weightBytes(header.weightSpecs);
  } catch (e) {
    throw notDecoder((e as Error).message);
  }
  if (weights.byteLength !== expected) throw notDecoder(`weights are ${weights.byteLength} bytes, expected ${expected}`);
  return { meta, weightSpecs: header.weightSpecs, weightData: weights.buffer };
}
