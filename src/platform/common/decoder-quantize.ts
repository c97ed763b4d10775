/**
 * 8-bit decoder weights: each large tensor stored as uint8 with its own `min` and `scale`
 * (value = q·scale + min), the tf.io weight-spec quantisation that `tf.io.decodeWeights` undoes
 * natively, so a quantised decoder loads through the same path as a float one. G holds ~5 M weights:
 * 20 MB as float32, 5 MB quantised, small enough to ship in the repository. The small tensors
 * (batch-norm scales, shifts and running moments, a few kB in all) stay float32: one min/scale for 512
 * per-channel variances would cost accuracy for nothing.
 */
import type * as tf from '@tensorflow/tfjs';

export type DecoderQuantization = 'uint8';
export const DECODER_QUANTIZATIONS: readonly DecoderQuantization[] = ['uint8'];

/** Tensors smaller than this stay float32. */
export const MIN_QUANTIZED_ELEMENTS = 4096;

const elements = (spec: Pick<tf.io.WeightsManifestEntry, 'shape'>) => spec.shape.reduce((a, b) => a * b, 1);

/**
 * Bytes one value of this weight takes in the weight buffer: 4 for float32, 1 for uint8 quantisation
 * (with a finite `min` and `scale`). Other quantisations (uint16, float16) are refused: MGAN Studio
 * never writes them, so a file holding one is foreign or damaged.
 */
export function bytesPerValue(spec: tf.io.WeightsManifestEntry): number {
  const q = spec.quantization;
  if (q === undefined) return 4;
  if (q && q.dtype === 'uint8' && Number.isFinite(q.min) && Number.isFinite(q.scale) && q.scale! >= 0) return 1;
  throw new Error(`weight '${spec.name}' has quantization ${JSON.stringify(q)}: only uint8 with a finite min and scale is supported`);
}

/** The weight buffer's length the specs call for. */
export function weightBytes(specs: tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((n, s) => n + bytesPerValue(s) * elements(s), 0);
}

/** Every quantisation the specs use ('uint8'), or undefined when all weights are float32. */
export function quantizationOf(specs: tf.io.WeightsManifestEntry[]): DecoderQuantization | undefined {
  return specs.some((s) => s.quantization?.dtype === 'uint8') ? 'uint8' : undefined;
}

/** One float32 tensor's values as uint8 with per-tensor min/scale (round to nearest). */
export function quantizeUint8(values: Float32Array): { data: Uint8Array; min: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new Error(`cannot quantise a weight holding ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) return { data: new Uint8Array(0), min: 0, scale: 0 };
  // Math.fround: the spec's min/scale travel as JSON numbers, and decoding computes in float32.
  min = Math.fround(min);
  const scale = Math.fround((max - min) / 255);
  const data = new Uint8Array(values.length);
  if (scale > 0) for (let i = 0; i < values.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { data, min, scale };
}

/** What quantising needs of a decoder's artifacts (DecoderArtifacts in decoder-store.ts, which imports this file). */
export interface QuantizableArtifacts {
  meta: { name: string };
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface QuantizeOptions {
  dtype?: DecoderQuantization;
  /** Tensors with fewer elements stay float32 (default MIN_QUANTIZED_ELEMENTS). */
  minElements?: number;
}

/**
 * A trained decoder's artifacts with every float32 weight of at least `minElements` values stored as
 * uint8 (per-tensor min/scale). Weights already quantised are kept as they are. Meta is unchanged.
 */
export function quantizeDecoderArtifacts<A extends QuantizableArtifacts>(artifacts: A, options: QuantizeOptions = {}): A {
  const dtype = options.dtype ?? 'uint8';
  if (!DECODER_QUANTIZATIONS.includes(dtype)) throw new Error(`unknown quantisation '${dtype}' (supported: ${DECODER_QUANTIZATIONS.join(', ')})`);
  const minElements = options.minElements ?? MIN_QUANTIZED_ELEMENTS;
  const source = new Uint8Array(artifacts.weightData);
  if (source.byteLength !== weightBytes(artifacts.weightSpecs)) {
    throw new Error(`decoder '${artifacts.meta.name}': its weights are ${source.byteLength} bytes, its weight list needs ${weightBytes(artifacts.weightSpecs)}`);
  }
  const parts: Uint8Array[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const n = elements(spec);
    const bytes = source.subarray(offset, offset + n * bytesPerValue(spec));
    offset += bytes.byteLength;
    if (spec.quantization !== undefined || spec.dtype !== 'float32' || n < minElements) {
      parts.push(bytes);
      specs.push({ ...spec });
      continue;
    }
    // A copy: the source offset need not be 4-byte aligned.
    const q = quantizeUint8(new Float32Array(bytes.slice().buffer));
    parts.push(q.data);
    specs.push({ name: spec.name, shape: [...spec.shape], dtype: 'float32', quantization: { dtype, min: q.min, scale: q.scale } });
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return { ...artifacts, meta: { ...artifacts.meta }, weightSpecs: specs, weightData: out.buffer };
}
