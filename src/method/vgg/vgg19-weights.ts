/**
 * VGG19 weights: the 8-bit per-tensor files (manifest.json + one headerless file per tensor; format
 * in docs/weights.md), and Keras-converted TF.js layers models.
 * Pure: bytes come from a `fetchFile` the platform store provides (files, fetch, IndexedDB).
 */
import * as tf from '@tensorflow/tfjs';
import SparkMD5 from 'spark-md5';
import { locateJsonError } from '../../formats/json-error';
import { JsonLimitError, parseLimitedJson, stripBom } from '../../formats/limits';
import { fileNameProblem } from '../../formats/file-name';
import {
  createVgg19,
  VGG19_CONV_LAYERS,
  convLayersUpTo,
  type Vgg19,
  type Vgg19Weights,
  type VggConvLayer,
  type VggConvWeights,
  type VggLayer,
} from './vgg19';
import { isRecord } from '../../util/is-record';

export const VGG19_MANIFEST_FILE = 'manifest.json';

export interface Vgg19ManifestEntry {
  filename: string;
  size: number;
  shape: number[];
  quantization: { dtype: string; scale: number; min_value: number };
  checksum: string;
}

export interface Vgg19Manifest {
  weights: Record<string, Vgg19ManifestEntry>;
}

/** Reads bytes by file name (relative to the weights folder or base URL). Rejects if absent. */
export type WeightFileFetcher = (filename: string) => Promise<Uint8Array>;

export function parseVgg19Manifest(bytes: Uint8Array): Vgg19Manifest {
  let json: unknown;
  const text = new TextDecoder().decode(bytes);
  try {
    json = parseLimitedJson(text);
  } catch (e) {
    const where = e instanceof JsonLimitError ? undefined : locateJsonError(stripBom(text));
    const why = where ? `at line ${where.line}, column ${where.column}: ${where.reason}` : (e as Error).message;
    throw new Error(`VGG19 weights: ${VGG19_MANIFEST_FILE} is not valid JSON (${why})`);
  }
  const weights = isRecord(json) ? json.weights : undefined;
  if (!isRecord(weights)) throw new Error(`VGG19 weights: ${VGG19_MANIFEST_FILE} has no "weights" table`);
  for (const [key, entry] of Object.entries(weights as Record<string, Partial<Vgg19ManifestEntry>>)) {
    const ok =
      typeof entry?.filename === 'string' &&
      typeof entry.size === 'number' &&
      Array.isArray(entry.shape) &&
      typeof entry.checksum === 'string' &&
      entry.quantization?.dtype === 'uint8' &&
      typeof entry.quantization.scale === 'number' &&
      typeof entry.quantization.min_value === 'number';
    if (!ok) throw new Error(`VGG19 weights: ${VGG19_MANIFEST_FILE} entry '${key}' lacks filename/size/shape/checksum or uint8 quantization`);
    // Files are read from and written to the manifest's own folder: a name with a path could leave it.
    const problem = fileNameProblem(entry.filename!);
    if (problem) {
      throw new Error(
        `VGG19 weights: ${VGG19_MANIFEST_FILE} entry '${key}' has filename '${entry.filename}', which ${problem}; ` +
          'a weights manifest may only name files in its own folder, so this manifest is refused',
      );
    }
  }
  return { weights: weights as Record<string, Vgg19ManifestEntry> };
}

function entryFor(manifest: Vgg19Manifest, conv: VggConvLayer, part: 'kernel' | 'bias'): Vgg19ManifestEntry {
  const entry = manifest.weights[`${conv}/${part}`];
  if (!entry) throw new Error(`VGG19 weights: ${VGG19_MANIFEST_FILE} has no entry '${conv}/${part}'`);
  return entry;
}

/** The manifest entries needed to compute `deepest` (all 32 when omitted). */
export function vgg19FilesFor(manifest: Vgg19Manifest, deepest?: VggLayer): Vgg19ManifestEntry[] {
  const convs = deepest ? convLayersUpTo(deepest) : [...VGG19_CONV_LAYERS];
  return convs.flatMap((conv) => [entryFor(manifest, conv, 'kernel'), entryFor(manifest, conv, 'bias')]);
}

export function md5Hex(bytes: Uint8Array): string {
  const view = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
  return SparkMD5.ArrayBuffer.hash(view);
}

/** Throws an error naming the file when its size or md5 differs from the manifest. */
export function verifyWeightFile(entry: Vgg19ManifestEntry, bytes: Uint8Array): void {
  if (bytes.byteLength !== entry.size) {
    const how = bytes.byteLength < entry.size ? 'short' : 'too long';
    throw new Error(`VGG19 weight file '${entry.filename}' is ${how}: ${bytes.byteLength} bytes, expected ${entry.size}`);
  }
  const md5 = md5Hex(bytes);
  if (md5 !== entry.checksum) {
    throw new Error(`VGG19 weight file '${entry.filename}' is corrupt: md5 ${md5}, expected ${entry.checksum}`);
  }
}

/** Fetches one file; a failure becomes an error naming it. */
export async function fetchWeightFile(fetchFile: WeightFileFetcher, filename: string): Promise<Uint8Array> {
  try {
    return await fetchFile(filename);
  } catch (e) {
    throw new Error(`VGG19 weight file '${filename}' could not be read: ${(e as Error).message}`);
  }
}

/** q * scale + min, in the manifest's shape; kernels get the MatConvNet spatial transpose. */
export function decodeWeightTensor(entry: Vgg19ManifestEntry, bytes: Uint8Array, isKernel: boolean): tf.Tensor {
  const { scale, min_value: min } = entry.quantization;
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) values[i] = bytes[i] * scale + min;
  if (!isKernel) return tf.tensor(values, entry.shape, 'float32');
  return tf.tidy(() => tf.transpose(tf.tensor(values, entry.shape, 'float32'), [1, 0, 2, 3]));
}

/** Loads conv1_1 .. the conv of `deepest` from the 8-bit files, every file verified. */
export async function loadVgg19Weights(fetchFile: WeightFileFetcher, deepest: VggLayer): Promise<Vgg19Weights> {
  const manifest = parseVgg19Manifest(await fetchWeightFile(fetchFile, VGG19_MANIFEST_FILE));
  const convs = convLayersUpTo(deepest);
  const entries = convs.map((conv) => ({ conv, kernel: entryFor(manifest, conv, 'kernel'), bias: entryFor(manifest, conv, 'bias') }));
  const files = await Promise.all(
    entries.map(async ({ kernel, bias }) => {
      const [k, b] = await Promise.all([fetchWeightFile(fetchFile, kernel.filename), fetchWeightFile(fetchFile, bias.filename)]);
      verifyWeightFile(kernel, k);
      verifyWeightFile(bias, b);
      return [k, b] as const;
    }),
  );
  const layers: Partial<Record<VggConvLayer, VggConvWeights>> = {};
  entries.forEach(({ conv, kernel, bias }, i) => {
    layers[conv] = {
      kernel: decodeWeightTensor(kernel, files[i][0], true) as tf.Tensor4D,
      bias: decodeWeightTensor(bias, files[i][1], false) as tf.Tensor1D,
    };
  });
  return { convention: 'vgg19-matconvnet-rgb-mean', layers };
}

/** Keras layer name of a conv: conv3_2 → block3_conv2. */
export function kerasLayerName(conv: VggConvLayer): string {
  const [, block, index] = /^conv(\d)_(\d)$/.exec(conv)!;
  return `block${block}_conv${index}`;
}

/**
 * A Keras-converted TF.js layers model of VGG19 (`model.json` + shards, layers `block1_conv1` ...),
 * e.g. `tensorflowjs_converter --input_format keras vgg19.h5`. Uses as many conv layers as the model
 * has, in order; the Keras weights expect caffe-style BGR input, recorded in the convention.
 */
export async function loadVgg19FromLayersModel(handlerOrUrl: string | tf.io.IOHandler): Promise<Vgg19> {
  const model = await tf.loadLayersModel(handlerOrUrl);
  try {
    const layers: Partial<Record<VggConvLayer, VggConvWeights>> = {};
    for (const conv of VGG19_CONV_LAYERS) {
      const name = kerasLayerName(conv);
      const layer = model.layers.find((l) => l.name === name);
      if (!layer) break;
      const [kernel, bias] = layer.getWeights();
      if (!kernel || !bias || kernel.rank !== 4 || kernel.shape[0] !== 3 || kernel.shape[1] !== 3) {
        throw new Error(`VGG19 layers model: layer '${name}' is not a 3x3 convolution with a bias`);
      }
      layers[conv] = { kernel: tf.clone(kernel) as tf.Tensor4D, bias: tf.clone(bias) as tf.Tensor1D };
    }
    if (!layers.conv1_1) throw new Error(`VGG19 layers model has no layer 'block1_conv1' (is it a Keras VGG19?)`);
    return createVgg19({ convention: 'vgg19-keras-caffe-bgr-mean', layers });
  } finally {
    model.dispose();
  }
}

/** `loadVgg19Weights` + `createVgg19`. */
export async function loadVgg19(fetchFile: WeightFileFetcher, deepest: VggLayer): Promise<Vgg19> {
  return createVgg19(await loadVgg19Weights(fetchFile, deepest));
}
