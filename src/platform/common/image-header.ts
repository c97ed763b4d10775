/**
 * What an image file claims to be, read from its header before anything decodes it: the format, the
 * size, and (PNG) whether its chunk structure is whole. A file from elsewhere can claim any size, so
 * the pixel count is checked against a cap here, before a decoder allocates memory for it, and
 * damage is named in plain words instead of a decoder library's internal message.
 * Plain Uint8Array code: the Node and browser paths share it.
 */
import { isPng, PngFormatError, readPngChunks } from '../../formats/png-chunks';
import { LIMIT_ENV } from '../../formats/limits';

/**
 * 40 megapixels (8000x5000): decoding holds the RGBA pixels and a float32 RGB copy (about
 * 16 bytes a pixel, 640 MB here) before image-source scales the image down to its maxSide.
 */
export const DEFAULT_MAX_PIXELS = 40_000_000;

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** PNG only: what the pixel data must hold, and the compressed data itself (all IDAT chunks joined). */
  png?: { depth: number; colourType: number; interlaced: boolean; compressed: Uint8Array };
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

/** The bytes a PNG's pixel data inflates to: per scanline a filter byte and the packed samples. */
export function pngInflatedSize(header: ImageHeader): number {
  const { depth, colourType, interlaced } = header.png!;
  const bits = depth * PNG_CHANNELS[colourType];
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (!interlaced) return rows(header.width, header.height);
  return ADAM7.reduce((n, [xs, ys, xd, yd]) => n + rows(Math.ceil((header.width - xs) / xd), Math.ceil((header.height - ys) / yd)), 0);
}

/** The file is not a usable image; the message says why, for the caller to prefix with the file's name. */
export class ImageHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageHeaderError';
  }
}

/** What the bytes are, by their magic numbers (the file name's extension is not trusted). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (isPng(bytes)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  return undefined;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** A WebP's size from its first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X, the canvas). */
function webpHeader(bytes: Uint8Array): ImageHeader {
  const damaged = (why: string) => new ImageHeaderError(`is a damaged WebP: ${why}`);
  if (bytes.length < 30) throw damaged('the file is truncated');
  const chunk = ascii(bytes, 12, 4);
  const b = bytes;
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw damaged('no VP8 start code');
    width = (b[26] | (b[27] << 8)) & 0x3fff;
    height = (b[28] | (b[29] << 8)) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw damaged('no VP8L signature');
    width = 1 + (((b[22] & 0x3f) << 8) | b[21]);
    height = 1 + (((b[24] & 0x0f) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6));
  } else if (chunk === 'VP8X') {
    if (b[20] & 0x02) throw new ImageHeaderError('is an animated WebP: give it as a video instead');
    width = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
    height = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
  } else {
    throw damaged(`unknown first chunk '${chunk.replace(/[^ -~]/g, '?')}'`);
  }
  if (width === 0 || height === 0) throw damaged('its size is zero');
  return { format: 'webp', width, height };
}

/** Bit depths PNG allows for each colour type (PNG spec, table 11.1). */
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

function pngHeader(bytes: Uint8Array): ImageHeader {
  const damaged = (why: string) => new ImageHeaderError(`is a damaged PNG: ${why}`);
  let chunks;
  try {
    chunks = readPngChunks(bytes);
  } catch (e) {
    // readPngChunks says "the PNG file is truncated (...)".
    throw damaged(e instanceof PngFormatError ? e.message.replace(/^the PNG file /, 'the file ') : 'its chunks are unreadable');
  }
  const ihdr = chunks[0];
  if (ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw damaged('it does not start with an IHDR header chunk');
  const bad = chunks.find((c) => !c.crcOk);
  if (bad) throw damaged(`its ${bad.type.replace(/[^\x20-\x7e]/g, '?')} chunk fails its checksum (CRC)`);
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, ihdr.data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [depth, colourType, compression, filter, interlace] = ihdr.data.subarray(8, 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw damaged(`its header says ${width}x${height} pixels`);
  if (!PNG_DEPTHS[colourType]?.includes(depth)) throw damaged(`its header has colour type ${colourType} with bit depth ${depth}, which PNG does not define`);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw damaged('its header names an unknown compression, filter or interlace method');
  if (colourType === 3 && !chunks.some((c) => c.type === 'PLTE')) throw damaged('it is a palette image without a palette (PLTE chunk)');
  const idat = chunks.filter((c) => c.type === 'IDAT');
  if (idat.length === 0) throw damaged('it holds no image data (IDAT chunk)');
  const compressed = new Uint8Array(idat.reduce((n, c) => n + c.data.length, 0));
  idat.reduce((at, c) => (compressed.set(c.data, at), at + c.data.length), 0);
  return { format: 'png', width, height, png: { depth, colourType, interlaced: interlace === 1, compressed } };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  const damaged = (why: string) => new ImageHeaderError(`is a damaged JPEG: ${why}`);
  let at = 2;
  let size: { width: number; height: number } | undefined;
  for (;;) {
    if (at + 4 > bytes.length) throw damaged('the file is truncated (it ends inside its header)');
    if (bytes[at] !== 0xff) throw damaged(`its header is malformed at byte ${at}`);
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9) throw damaged('it ends before any image data');
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (length < 2 || at + 2 + length > bytes.length) throw damaged('the file is truncated (a header segment runs past its end)');
    if (isStartOfFrame(marker)) {
      if (length < 8) throw damaged('its frame header is too short');
      size = { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
      if (size.width === 0 || size.height === 0) throw damaged(`its frame header says ${size.width}x${size.height} pixels`);
    }
    if (marker === 0xda) break; // start of scan: the compressed data follows
    at += 2 + length;
  }
  if (!size) throw damaged('it has no frame header (size) before its image data');
  // Entropy-coded data escapes 0xFF as FF 00, so FF D9 after the scan starts is the end-of-image marker.
  let end = -1;
  for (let i = bytes.length - 2; i > at; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged('the file is truncated (no end-of-image marker)');
  return { format: 'jpeg', ...size };
}

/** The format and size the file claims, after checking its structure. Throws ImageHeaderError. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const format = sniffImageFormat(bytes);
  if (format === 'png') return pngHeader(bytes);
  if (format === 'jpeg') return jpegHeader(bytes);
  if (format === 'webp') return webpHeader(bytes);
  throw new ImageHeaderError(`is not a PNG or JPEG image, nor a WebP (${bytes.length} bytes, unrecognised header)`);
}

/**
 * readImageHeader, then the pixel cap; every message starts with `name`. `raise` says how to raise
 * the cap where this runs ("raise the limit with MGAN_STUDIO_MAX_PIXELS=N" on the command line).
 */
export function checkImageFile(bytes: Uint8Array, name: string, maxPixels: number, raise: string): ImageHeader {
  let header: ImageHeader;
  try {
    header = readImageHeader(bytes);
  } catch (e) {
    if (e instanceof ImageHeaderError) throw new ImageHeaderError(`${name} ${e.message}${/^is a damaged/.test(e.message) ? ' (re-save it or use another copy)' : ''}`);
    throw e;
  }
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    const count = (n: number) => n.toLocaleString('en-US');
    throw new ImageHeaderError(`${name} is ${header.width}x${header.height} pixels (${count(pixels)}), more than the ${count(maxPixels)} allowed: scale it down first, or ${raise}`);
  }
  return header;
}

/** The message for PNG pixel data whose inflated size (or `undefined`: unreadable) is not the header's. */
export function pngDataProblem(header: ImageHeader, inflated: number | undefined): string | undefined {
  const expected = pngInflatedSize(header);
  if (inflated === undefined) return 'is a damaged PNG: its pixel data cannot be decoded (re-save it or use another copy)';
  if (inflated === expected) return undefined;
  return `is a damaged PNG: its pixel data ${inflated < expected ? 'stops short of' : 'runs past'} the ${header.width}x${header.height} pixels its header says (re-save it or use another copy)`;
}

/**
 * Inflates a PNG's pixel data with the platform's DecompressionStream, stopping one byte past what
 * the header needs: the size it came to, or undefined when the data is not a zlib stream.
 */
async function inflatedPngSize(header: ImageHeader): Promise<number | undefined> {
  const limit = pngInflatedSize(header) + 1;
  const stream = new Blob([header.png!.compressed as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.byteLength;
      if (total >= limit) {
        await reader.cancel();
        return total;
      }
    }
  } catch {
    return total > 0 && total < limit - 1 ? total : undefined;
  }
}

/**
 * A dropped or fetched file (browser): a PNG or JPEG's header, and a PNG's pixel data size, checked
 * before the browser decodes it (browsers draw damaged PNGs as far as their data goes, without a
 * word). Other formats the browser reads (WebP, GIF, ...) pass, to be checked by their decoded size.
 */
export async function checkImageBlob(blob: Blob, what: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<void> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (!sniffImageFormat(bytes)) return;
  const header = checkImageFile(bytes, what, maxPixels, `use the command line with ${LIMIT_ENV.maxPixels}=N`);
  if (!header.png) return;
  const problem = pngDataProblem(header, await inflatedPngSize(header));
  if (problem) throw new ImageHeaderError(`${what} ${problem}`);
}
