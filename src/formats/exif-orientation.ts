/**
 * EXIF orientation of photos: cameras and phones store the sensor's pixels as they came and record
 * in the EXIF Orientation tag how to turn them for viewing (in a JPEG's APP1 segment, or a PNG's
 * `eXIf` chunk). Browsers honour the tag when they decode (createImageBitmap's default
 * `imageOrientation: 'from-image'`); Node's decoders (jpeg-js, pngjs) do not, so it is read here and
 * applied to the decoded image (src/method/image/exif-orientation.ts), and the CLI and the editor see the same
 * photo. The reader treats the bytes as untrusted: every offset is checked against the data, the
 * number of segments and directory entries it looks at is bounded, and anything unexpected means
 * "no orientation" (1), as browsers do.
 */
import { readPngChunks, type PngChunk } from './png-chunks';

/** 1: as stored; 2-8: the EXIF values (mirrored and/or turned by quarter turns). */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;
/** JPEG markers before the image data that a file may hold ahead of its EXIF segment (APPn, DQT, ...). */
const MAX_SEGMENTS = 64;
/** IFD0 of a real photo has a few dozen entries; more is not a photo's EXIF. */
const MAX_IFD_ENTRIES = 512;

/**
 * The Orientation tag of a JPEG's EXIF (APP1) segment, or 1 when the file has none, or it is
 * malformed, or its value is not 1-8.
 */
export function jpegExifOrientation(bytes: Uint8Array): ExifOrientation {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
  let at = 2;
  for (let segment = 0; segment < MAX_SEGMENTS && at + 4 <= bytes.length; segment++) {
    if (bytes[at] !== 0xff) return 1;
    const marker = bytes[at + 1]!;
    // Fill bytes (0xFF repeated) may precede a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // Start of scan or end of image: the metadata segments are all before it.
    if (marker === 0xda || marker === 0xd9) return 1;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2 || at + 2 + length > bytes.length) return 1;
    if (marker === 0xe1) {
      const found = exifOrientation(bytes.subarray(at + 4, at + 2 + length));
      if (found !== undefined) return found;
    }
    at += 2 + length;
  }
  return 1;
}

/** The orientation in an APP1 payload, or undefined when it is not an EXIF payload (another APP1, e.g. XMP). */
function exifOrientation(app1: Uint8Array): ExifOrientation | undefined {
  // "Exif\0\0", then a TIFF header.
  const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
  if (app1.length < EXIF_HEADER.length || !EXIF_HEADER.every((b, i) => app1[i] === b)) return undefined;
  return tiffOrientation(app1.subarray(EXIF_HEADER.length));
}

/**
 * The Orientation tag of a PNG's `eXIf` chunk (the EXIF data as a TIFF stream, before the image
 * data, with a correct checksum: what Chromium honours too), or 1.
 */
export function pngExifOrientation(bytes: Uint8Array): ExifOrientation {
  let chunks: PngChunk[];
  try {
    chunks = readPngChunks(bytes);
  } catch {
    return 1;
  }
  for (const chunk of chunks) {
    if (chunk.type === 'IDAT') return 1;
    if (chunk.type === 'eXIf' && chunk.crcOk) return tiffOrientation(chunk.data);
  }
  return 1;
}

/** The Orientation tag in IFD0 of a TIFF stream (EXIF data), or 1. */
function tiffOrientation(bytes: Uint8Array): ExifOrientation {
  if (bytes.length < 8) return 1;
  const tiff = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const order = tiff.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  if (tiff.getUint16(2, little) !== 42) return 1;
  const ifd = tiff.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > tiff.byteLength) return 1;
  const count = tiff.getUint16(ifd, little);
  if (count > MAX_IFD_ENTRIES) return 1;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.byteLength) return 1;
    if (tiff.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (tiff.getUint16(entry + 2, little) !== TYPE_SHORT || tiff.getUint32(entry + 4, little) !== 1) return 1;
    const value = tiff.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
  }
  return 1;
}
