/**
 * Saving, loading and sharing trained MGAN decoders: the common part of the Node (files) and browser
 * (IndexedDB) stores. A decoder is stored as TF.js model artifacts: `weightSpecs` + one weight buffer
 * (tf.io.encodeWeights) + its DecoderMeta. The shareable single file (`.mgan`) is
 *   8 bytes magic "MGANDEC1" | u32 LE header length | UTF-8 JSON header { meta, weightSpecs } | weight bytes
 * (float32, or uint8 with a per-tensor min/scale in the spec: decoder-quantize.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { JsonLimitError, parseLimitedJson } from '../../formats/limits';
import { printable } from '../../formats/printable';
import { type MganDecoder, type VggLoader, createMganDecoder } from '../../method/mgan/decoder';
import { MganGenerator, generatorWeightShapes } from '../../method/mgan/generator';
import { type GeneratorArchitecture, LEGACY_ARCHITECTURE, generatorArchitecture } from '../../formats/decoder-meta';

import { bytesPerValue } from './decoder-quantize';
import { DECODER_FORMAT, type DecoderMeta } from '../../formats/decoder-meta';
import type { VggConvention } from '../../formats/decoder-meta';

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
  // The weights say what G is: the meta records the generator's architecture, whatever it was given.
  const meta: DecoderMeta = { ...decoder.meta, name: name ?? decoder.meta.name, architecture: decoder.generator.architecture };
  return { meta, weightSpecs: specs, weightData: data as ArrayBuffer };
}

/** A decoder from stored or shared artifacts; damaged ones are refused naming the decoder. */
export function decoderFromArtifacts(artifacts: DecoderArtifacts, loadVgg: VggLoader): MganDecoder {
  const what = `decoder '${printable(String(artifacts.meta?.name))}'`;
  const meta = checkDecoderMeta(artifacts.meta, what);
  const architecture = generatorArchitecture(meta.architecture);
  checkDecoderWeights(artifacts.weightSpecs, artifacts.weightData?.byteLength ?? 0, what, architecture);
  let tensors: tf.NamedTensorMap = {};
  try {
    tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    return createMganDecoder(MganGenerator.fromTensors(tensors, architecture), meta, loadVgg);
  } catch (e) {
    throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

const VGG_CONVENTIONS: readonly VggConvention[] = ['vgg19-matconvnet-rgb-mean', 'vgg19-keras-caffe-bgr-mean'];
/** A thumbnail larger than this is not one makeThumbnail wrote (it writes 64 px). */
const MAX_THUMBNAIL_SIDE = 512;

/** Checks that parsed JSON is a decoder meta; `what` names the file in the error. */
export function checkDecoderMeta(meta: unknown, what: string): DecoderMeta {
  const m = meta as Partial<DecoderMeta> | undefined;
  if (!m || typeof m !== 'object' || m.format !== DECODER_FORMAT || typeof m.name !== 'string' || typeof m.vggConvention !== 'string') {
    throw new Error(`${what} is not an MGAN Studio decoder (no '${DECODER_FORMAT}' metadata)`);
  }
  const unusable = (why: string) => new Error(`${what} is a damaged decoder: ${why}`);
  if (!VGG_CONVENTIONS.includes(m.vggConvention)) {
    throw unusable(`its VGG19 convention '${printable(m.vggConvention)}' is not one this MGAN Studio knows (${VGG_CONVENTIONS.join(', ')})`);
  }
  if (m.training !== undefined && (m.training === null || typeof m.training !== 'object' || Array.isArray(m.training))) {
    throw unusable("its 'training' record is not an object");
  }
  if (m.createdAt !== undefined && typeof m.createdAt !== 'string') throw unusable("its 'createdAt' is not a date string");
  if (m.record !== undefined && (m.record === null || typeof m.record !== 'object' || Array.isArray(m.record))) throw unusable("its training 'record' is not an object");
  const t = m.thumbnail;
  if (t !== undefined) {
    const side = (v: unknown) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_THUMBNAIL_SIDE;
    if (!t || typeof t !== 'object' || !side(t.width) || !side(t.height) || typeof t.rgbBase64 !== 'string' || t.rgbBase64.length !== 4 * Math.ceil((t.width * t.height * 3) / 3)) {
      throw unusable('its thumbnail is malformed');
    }
  }
  // Checked here; a file without the record stays without it (read as LEGACY_ARCHITECTURE where G is built).
  try {
    generatorArchitecture(m.architecture);
  } catch (e) {
    throw unusable((e as Error).message);
  }
  return { ...m, training: m.training ?? {}, createdAt: m.createdAt ?? '' } as DecoderMeta;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Checks a weight list against the generator it must build: exactly G's weights by name, each with G's
 * shape and dtype float32 (stored as float32 or uint8-quantised), and `byteLength` exactly their size. Throws naming `what` and
 * the first weight at fault; returns the specs, typed.
 */
export function checkDecoderWeights(
  specs: unknown,
  byteLength: number,
  what: string,
  architecture: GeneratorArchitecture = LEGACY_ARCHITECTURE,
): tf.io.WeightsManifestEntry[] {
  const unusable = (why: string) => new Error(`${what} is a damaged decoder: ${why}`);
  if (!Array.isArray(specs)) throw unusable('it has no weight list');
  const expected = new Map(generatorWeightShapes(architecture));
  const seen = new Set<string>();
  let bytes = 0;
  for (const [i, spec] of specs.entries()) {
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw unusable(`weight ${i} is not an object {name, shape, dtype}`);
    const { name, shape, dtype, quantization } = spec as Record<string, unknown>;
    if (typeof name !== 'string') throw unusable(`weight ${i} has no name`);
    const shown = `weight '${printable(name)}'`;
    const want = expected.get(name);
    if (!want) throw unusable(`${shown} is not part of the MGAN generator (it holds ${[...expected.keys()].join(', ')})`);
    if (seen.has(name)) throw unusable(`${shown} is listed twice`);
    seen.add(name);
    if (!Array.isArray(shape)) throw unusable(`${shown} has no shape`);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw unusable(`${shown} has shape ${printable(JSON.stringify(shape))}: sizes must be whole numbers >= 0`);
    if (!sameShape(shape, want)) throw unusable(`${shown} has shape [${shape.join(', ')}], the generator needs [${want.join(', ')}]`);
    if (dtype === undefined) throw unusable(`${shown} has no dtype, the generator needs float32`);
    if (dtype !== 'float32') throw unusable(`${shown} has dtype ${printable(JSON.stringify(dtype))}, the generator needs float32`);
    let perValue: number;
    try {
      perValue = bytesPerValue({ name, shape: want, dtype: 'float32', quantization } as tf.io.WeightsManifestEntry);
    } catch {
      throw unusable(`${shown} has quantization ${printable(JSON.stringify(quantization))}: only uint8 with a finite min and scale is read`);
    }
    bytes += perValue * want.reduce((a, b) => a * b, 1);
  }
  const missing = [...expected.keys()].filter((n) => !seen.has(n));
  if (missing.length) throw unusable(`it lacks weight${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}`);
  if (byteLength !== bytes) {
    throw unusable(`its weights are ${byteLength} bytes, the generator needs ${bytes} (${byteLength < bytes ? 'the file is truncated' : 'extra bytes follow'})`);
  }
  return specs as tf.io.WeightsManifestEntry[];
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

/**
 * The largest header accepted: meta (a 64 px thumbnail, the training record) and 19 weight specs
 * take about 20 kB.
 */
export const MAX_DECODER_HEADER_BYTES = 1024 * 1024;

/** Parses and checks a `.mgan` file: header size, meta, and every weight against the generator. `what` names it in errors. */
export function decodeDecoderFile(bytes: Uint8Array, what = 'the file'): DecoderArtifacts {
  const notDecoder = (why: string) => new Error(`${what} is not an MGAN Studio decoder file (${why})`);
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw notDecoder(`it does not start with '${MAGIC}'`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (headerLength > MAX_DECODER_HEADER_BYTES) throw notDecoder(`its header claims ${headerLength} bytes, more than the ${MAX_DECODER_HEADER_BYTES} a decoder header takes`);
  if (start + headerLength > bytes.length) throw notDecoder(`truncated: its header claims ${headerLength} bytes, the file holds ${bytes.length - start}`);
  let header: unknown;
  try {
    header = parseLimitedJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + headerLength)), MAX_DECODER_HEADER_BYTES);
  } catch (e) {
    throw notDecoder(e instanceof JsonLimitError ? `its header: ${e.message}` : 'its header is not readable JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw notDecoder('its header is not a JSON object');
  const { meta: rawMeta, weightSpecs: rawSpecs } = header as { meta?: unknown; weightSpecs?: unknown };
  const meta = checkDecoderMeta(rawMeta, what);
  const weights = bytes.slice(start + headerLength);
  const weightSpecs = checkDecoderWeights(rawSpecs, weights.byteLength, what, generatorArchitecture(meta.architecture));
  return { meta, weightSpecs, weightData: weights.buffer };
}
