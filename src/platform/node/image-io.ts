/**
 * Image files in Node: decode PNG (any colour type, 1-16 bit), JPEG and WebP bytes (turned as their EXIF
 * orientation says, as browsers do) to float32 [H, W, 3] tensors in [0, 1], and encode tensors as
 * 8-bit RGB PNGs. Errors name the file.
 * The header is checked first (src/platform/common/image-header.ts): a size over the pixel cap or a
 * damaged file is refused before pngjs / jpeg-js allocate anything.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { LIMIT_ENV } from '../../formats/limits';
import { type ExifOrientation, jpegExifOrientation, pngExifOrientation } from '../../formats/exif-orientation';
import { applyExifOrientation } from '../../method/image/exif-orientation';
import { imageTensorToRgba, pixelsToImageTensor } from '../../method/image/image-tensor';
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { checkImageFile, pngDataProblem, pngInflatedSize, type ImageHeader } from '../common/image-header';
import { fsErrorReason } from './fs-errors';
import { maxPixelsFromEnv } from './limits';

/**
 * Decodes PNG or JPEG bytes to float32 [H, W, 3] in [0, 1]; alpha is dropped. `name` is for errors;
 * `maxPixels` defaults to the command line's cap (MGAN_STUDIO_MAX_PIXELS or 40 MP).
 */
export function decodeImageBytes(bytes: Uint8Array, name: string, maxPixels = maxPixelsFromEnv()): tf.Tensor3D {
  const header = checkImageFile(bytes, `'${name}'`, maxPixels, `raise the limit with ${LIMIT_ENV.maxPixels}=N`);
  if (header.format === 'webp') throw new Error(`'${name}' is a WebP: read it with decodeImage`);
  if (header.png) checkPngData(header, name);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pixels: { data: ArrayLike<number>; width: number; height: number; maxValue: number };
  try {
    if (header.format === 'png') {
      // skipRescale keeps 16-bit samples at full precision; palette images come out as 8-bit.
      const png = PNG.sync.read(buffer, { skipRescale: true });
      const paletted = (png.colorType as number) === 3; // @types/pngjs omits palette images (3)
      pixels = { data: png.data as unknown as ArrayLike<number>, width: png.width, height: png.height, maxValue: paletted ? 255 : 2 ** png.depth - 1 };
    } else {
      const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil(maxPixels / 1e6), maxMemoryUsageInMB: 4096 });
      pixels = { data: img.data, width: img.width, height: img.height, maxValue: 255 };
    }
  } catch {
    // The decoders' own messages ("have should not go down", "marker was not found") mean nothing to
    // a user: the header was sound, so the compressed pixel data is what is damaged.
    throw new Error(`'${name}' is a damaged ${header.format.toUpperCase()}: its pixel data cannot be decoded (re-save it or use another copy)`);
  }
  if (pixels.width !== header.width || pixels.height !== header.height) {
    throw new Error(`'${name}' is a damaged ${header.format.toUpperCase()}: it decodes to ${pixels.width}x${pixels.height} pixels, its header says ${header.width}x${header.height}`);
  }
  const stored = pixelsToImageTensor(pixels.data, pixels.width, pixels.height, 4, pixels.maxValue);
  return oriented(stored, header.format === 'jpeg' ? jpegExifOrientation(bytes) : pngExifOrientation(bytes));
}

let webpDecoder: Promise<(bytes: ArrayBuffer) => Promise<ImageData>> | undefined;

/** libwebp's decoder (@jsquash/webp, WebAssembly), compiled from the package's file on first use. */
function loadWebpDecoder(): Promise<(bytes: ArrayBuffer) => Promise<ImageData>> {
  webpDecoder ??= (async () => {
    const codec = await import('@jsquash/webp/decode.js');
    const wasm = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    await codec.init(await WebAssembly.compile(await readFile(wasm)));
    return codec.default;
  })();
  return webpDecoder;
}

/** Like decodeImageBytes, WebP too (its decoder is asynchronous). */
export async function decodeImage(bytes: Uint8Array, name: string, maxPixels = maxPixelsFromEnv()): Promise<tf.Tensor3D> {
  const header = checkImageFile(bytes, `'${name}'`, maxPixels, `raise the limit with ${LIMIT_ENV.maxPixels}=N`);
  if (header.format !== 'webp') return decodeImageBytes(bytes, name, maxPixels);
  const decode = await loadWebpDecoder();
  let pixels: ImageData;
  try {
    pixels = await decode(bytes.slice().buffer);
  } catch {
    throw new Error(`'${name}' is a damaged WEBP: its pixel data cannot be decoded (re-save it or use another copy)`);
  }
  if (pixels.width !== header.width || pixels.height !== header.height) {
    throw new Error(`'${name}' is a damaged WEBP: it decodes to ${pixels.width}x${pixels.height} pixels, its header says ${header.width}x${header.height}`);
  }
  return pixelsToImageTensor(pixels.data, pixels.width, pixels.height, 4, 255);
}

/** The decoded image turned as its EXIF says, as the browser's decoder does (`stored` is disposed when turned). */
function oriented(stored: tf.Tensor3D, orientation: ExifOrientation): tf.Tensor3D {
  if (orientation === 1) return stored;
  try {
    return applyExifOrientation(stored, orientation);
  } finally {
    stored.dispose();
  }
}

/**
 * pngjs decodes pixel data that stops short of the header's size without a word (the rest comes out
 * black), so the inflated size is checked first; the output is capped, so a small file cannot
 * inflate to gigabytes either.
 */
function checkPngData(header: ImageHeader, name: string): void {
  const limit = pngInflatedSize(header) + 1;
  let inflated: number | undefined;
  try {
    inflated = inflateSync(header.png!.compressed, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: limit }).length;
  } catch (e) {
    inflated = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? limit : undefined;
  }
  const problem = pngDataProblem(header, inflated);
  if (problem) throw new Error(`'${name}' ${problem}`);
}

/** Encodes an image [H, W, 3] in [0, 1] (clipped) as an 8-bit RGB PNG. */
export async function encodePng(image: tf.Tensor3D): Promise<Uint8Array> {
  const [height, width] = image.shape;
  return encodeRgbaPng(await imageTensorToRgba(image), width, height);
}

/** Encodes 8-bit RGBA pixels as an 8-bit RGB PNG (alpha dropped). */
export function encodeRgbaPng(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const out = PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Reads and decodes an image file; a missing file or a non-image is an error naming the path
 * (`shown`: the path as the user gave it, when `path` is its resolved form).
 */
export async function readImageFile(path: string, shown = path): Promise<tf.Tensor3D> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`cannot read image '${shown}': ${fsErrorReason(e)}`);
  }
  return decodeImage(bytes, shown);
}
