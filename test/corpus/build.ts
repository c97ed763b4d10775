/**
 * Builders for the bad-input corpus: graph documents, PNG / JPEG bytes with chosen damage, decoder
 * files with chosen weight specs. Every kind file generates its cases from these.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodePngChunk, joinPng, readPngChunks } from '../../src/formats/png-chunks';

import { generatorWeightShapes } from '../../src/method/mgan/generator';
import { VGG19_CONV_LAYERS } from '../../src/method/vgg/vgg19';
import { md5Hex } from '../../src/method/vgg/vgg19-weights';
import { nodeRegistry } from '../../src/nodes/registry';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../../src/formats/decoder-meta';

export type Json = unknown;

/** A node at its type's current version, so a param case tests the value as written, not as migrated. */
export const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: nodeRegistry.get(type)?.version ?? 1, position: { x: 0, y: 0 }, params });
export const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
export const graph = (nodes: Json[], edges: Json[] = [], meta: Record<string, unknown> = {}) => ({ schemaVersion: 1, meta, nodes, edges });

/** 8x8 perlin noise into image-out 'result': runs in milliseconds. */
export function noiseGraph(params: Record<string, unknown> = {}, ids = { noise: 'noise', out: 'result' }) {
  return graph(
    [node(ids.noise, 'perlin-noise', { width: 8, height: 8, scale: 4, octaves: 1, seed: 1, ...params }), node(ids.out, 'image-out')],
    [edge(ids.noise, 'image', ids.out, 'image')],
  );
}

/** image-source reading `path` (kept at its size) into image-out 'result'. */
export function imagePathGraph(path: string) {
  return graph([node('src', 'image-source', { path, maxSide: 0 }), node('result', 'image-out')], [edge('src', 'image', 'result', 'image')]);
}

/** image-set reading `paths` (comma separated), alone: the run loads every image and writes nothing. */
export function imageSetGraph(paths: string) {
  return graph([node('set', 'image-set', { samples: '', paths, maxSide: 0, multipleOf: 1 })]);
}

export function videoPathGraph(path: string) {
  return graph([node('clip', 'video-source', { path, maxSide: 16, duration: 0.2 })]);
}

export const text = (value: Json) => JSON.stringify(value);

/** A small PNG of the given colour type and depth (pngjs writes 8-bit RGB(A) and grey; depth 16 for colour). */
export function pngBytes(width = 4, height = 3, colorType: 0 | 2 | 4 | 6 = 2, bitDepth: 8 | 16 = 8): Uint8Array {
  const png = new PNG({ width, height, colorType, inputColorType: 6, inputHasAlpha: true, bitDepth });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37 + 11) % 256;
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true, bitDepth }));
}

export function jpegBytes(width = 8, height = 8): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 29 + 5) % 256;
  return new Uint8Array(jpeg.encode({ data, width, height }, 90).data);
}

/** The PNG with its chunks rebuilt by `edit` (chunk CRCs recomputed unless `keepCrc`). */
export function editPng(png: Uint8Array, edit: (chunks: Array<{ type: string; data: Uint8Array }>) => Array<{ type: string; data: Uint8Array }>): Uint8Array {
  const chunks = readPngChunks(png).map((c) => ({ type: c.type, data: new Uint8Array(c.data) }));
  return joinPng(edit(chunks).map((c) => encodePngChunk(c.type, c.data)));
}

/** IHDR data with these fields. */
export function ihdr(width: number, height: number, depth = 8, colourType = 2, compression = 0, filter = 0, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width >>> 0);
  v.setUint32(4, height >>> 0);
  d.set([depth, colourType, compression, filter, interlace], 8);
  return d;
}

/** Byte offset of the first chunk of `type` (its length field) in a PNG. */
export function chunkOffset(png: Uint8Array, type: string): number {
  let at = 8;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  while (at + 8 <= png.length) {
    const t = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (t === type) return at;
    at += 12 + view.getUint32(at);
  }
  throw new Error(`no ${type} chunk`);
}

/** A copy with byte `at` XOR-ed (damage that keeps the length). */
export function flip(bytes: Uint8Array, at: number, mask = 0x5a): Uint8Array {
  const out = new Uint8Array(bytes);
  out[at] ^= mask;
  return out;
}

/** A JPEG whose frame header (SOF0) says width x height. */
export function jpegWithSize(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(jpegBytes());
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) break;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker === 0xc0) {
      bytes[i + 5] = (height >> 8) & 0xff;
      bytes[i + 6] = height & 0xff;
      bytes[i + 7] = (width >> 8) & 0xff;
      bytes[i + 8] = width & 0xff;
      return bytes;
    }
    i += 2 + length;
  }
  throw new Error('no SOF0 in the test JPEG');
}

export function concat(...parts: Array<Uint8Array | string>): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export const DECODER_META = {
  format: DECODER_FORMAT,
  formatVersion: DECODER_FORMAT_VERSION,
  name: 'shared',
  vggConvention: 'vgg19-matconvnet-rgb-mean',
  createdAt: '2024-01-01T00:00:00.000Z',
  training: { loss: 'mgan', epochs: 1 },
};

/** The weight specs a real decoder holds (name, shape, dtype float32). */
export function decoderSpecs(): Array<{ name: string; shape: number[]; dtype: string }> {
  return generatorWeightShapes().map(([name, shape]) => ({ name, shape, dtype: 'float32' }));
}

export const DECODER_WEIGHT_BYTES = decoderSpecs().reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);

/** A `.mgan` file: magic, header length, header JSON (or raw header text), weight bytes. */
export function decoderFile(options: { header?: unknown; headerText?: string; weightBytes?: number; magic?: string; headerLength?: number } = {}): Uint8Array {
  const header = new TextEncoder().encode(options.headerText ?? JSON.stringify(options.header ?? { meta: DECODER_META, weightSpecs: decoderSpecs() }));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, options.headerLength ?? header.length, true);
  return concat(options.magic ?? 'MGANDEC1', length, header, new Uint8Array(options.weightBytes ?? DECODER_WEIGHT_BYTES));
}

/** A decoder folder as the Node store writes it: model.json, weights.bin, meta.json. */
export function decoderFolder(dir: string, options: { meta?: unknown; model?: unknown; weightBytes?: number; omit?: string[] } = {}): Record<string, string | Uint8Array> {
  const files: Record<string, string | Uint8Array> = {
    [`${dir}/model.json`]: JSON.stringify(options.model ?? { format: DECODER_FORMAT, weightsManifest: [{ paths: ['weights.bin'], weights: decoderSpecs() }] }),
    [`${dir}/weights.bin`]: new Uint8Array(options.weightBytes ?? DECODER_WEIGHT_BYTES),
    [`${dir}/meta.json`]: JSON.stringify(options.meta ?? { ...DECODER_META, name: dir.split('/').pop() }),
  };
  for (const name of options.omit ?? []) delete files[`${dir}/${name}`];
  return files;
}

/** A VGG19-style weight folder with tiny files: manifest.json naming 32 entries with sizes and md5s. */
export function weightFolder(dir: string): { files: Record<string, string | Uint8Array>; manifest: { weights: Record<string, Record<string, unknown>> } } {
  const files: Record<string, string | Uint8Array> = {};
  const weights: Record<string, Record<string, unknown>> = {};
  for (const conv of VGG19_CONV_LAYERS) {
    for (const part of ['kernel', 'bias'] as const) {
      const filename = `${conv}_${part}`;
      const bytes = Uint8Array.from({ length: part === 'kernel' ? 9 : 1 }, (_, i) => (i * 31 + filename.length) % 256);
      files[`${dir}/${filename}`] = bytes;
      weights[`${conv}/${part}`] = {
        filename,
        size: bytes.length,
        dtype: 'float32',
        quantization: { dtype: 'uint8', scale: 0.01, min_value: -1 },
        shape: part === 'kernel' ? [3, 3, 1, 1] : [1],
        checksum: md5Hex(bytes),
      };
    }
  }
  const manifest = { weights };
  files[`${dir}/manifest.json`] = JSON.stringify(manifest);
  return { files, manifest };
}

