/**
 * Image files in Node: decode PNG (any colour type, 1-16 bit) and JPEG bytes to float32
 * [H, W, 3] tensors in [0, 1], and encode tensors as 8-bit RGB PNGs. Errors name the file.
 */
import { readFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { imageTensorToRgba, pixelsToImageTensor } from '../../method/image/image-tensor';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What the bytes are, by their magic numbers (the file name's extension is not trusted). */
export function sniffImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Decodes PNG or JPEG bytes to float32 [H, W, 3] in [0, 1]; alpha is dropped. `name` is for errors. */
export function decodeImageBytes(bytes: Uint8Array, name: string): tf.Tensor3D {
  const format = sniffImageFormat(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === 'png') {
      // skipRescale keeps 16-bit samples at full precision; palette images come out as 8-bit.
      const png = PNG.sync.read(buffer, { skipRescale: true });
      const paletted = (png.colorType as number) === 3; // @types/pngjs omits palette images (3)
      const maxValue = paletted ? 255 : 2 ** png.depth - 1;
      return pixelsToImageTensor(png.data as unknown as ArrayLike<number>, png.width, png.height, 4, maxValue);
    }
    if (format === 'jpeg') {
      const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return pixelsToImageTensor(img.data, img.width, img.height, 4, 255);
    }
  } catch (e) {
    throw new Error(`'${name}' could not be decoded as ${format?.toUpperCase()}: ${e instanceof Error ? e.message : e}`);
  }
  throw new Error(`'${name}' is not a PNG or JPEG image (${bytes.length} bytes, unrecognised header)`);
}

/** Encodes an image [H, W, 3] in [0, 1] (clipped) as an 8-bit RGB PNG. */
export async function encodePng(image: tf.Tensor3D): Promise<Uint8Array> {
  const [height, width] = image.shape;
  const rgba = await imageTensorToRgba(image);
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
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new Error(`cannot read image '${shown}': ${why}`);
  }
  return decodeImageBytes(bytes, shown);
}
