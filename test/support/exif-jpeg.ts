/**
 * JPEGs as a camera writes them: the pixels stored turned, and an EXIF (APP1) segment whose
 * Orientation tag says how to turn them back for viewing (and PNGs with the same data in an `eXIf` chunk). The stored pixels are made from the picture
 * as seen with the EXIF specification's own wording of each value (where the stored 0th row and 0th
 * column lie in the picture), so the tests compare a decoder against the specification, not against
 * the decoder's own arithmetic.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodePngChunk } from '../../src/formats/png-chunks';

/** Side of one solid colour block: 16 px, a whole JPEG MCU, so chroma subsampling keeps the colours apart. */
export const BLOCK = 16;
/** The picture as seen: 4 blocks across, 3 down, every block another colour. */
export const SEEN_COLS = 4;
export const SEEN_ROWS = 3;

/** Colour of the seen block at (row, col): 12 colours far apart. */
export function seenColour(row: number, col: number): [number, number, number] {
  const i = row * SEEN_COLS + col;
  return [(i * 97) % 256 < 128 ? 30 : 220, i % 3 === 0 ? 30 : i % 3 === 1 ? 128 : 230, (i * 40) % 256];
}

/**
 * Where stored pixel (r, c) lies in the seen picture (h × w), per orientation: EXIF names where the
 * stored 0th row and 0th column are. 1: top/left; 2: top/right; 3: bottom/right; 4: bottom/left;
 * 5: left/top; 6: right/top; 7: right/bottom; 8: left/bottom.
 */
export function seenPixelOf(orientation: number, r: number, c: number, h: number, w: number): [number, number] {
  switch (orientation) {
    case 1: return [r, c];
    case 2: return [r, w - 1 - c];
    case 3: return [h - 1 - r, w - 1 - c];
    case 4: return [h - 1 - r, c];
    case 5: return [c, r];
    case 6: return [c, w - 1 - r];
    case 7: return [h - 1 - c, w - 1 - r];
    case 8: return [h - 1 - c, r];
    default: throw new Error(`orientation ${orientation}`);
  }
}

/** An EXIF APP1 segment (marker included) with a Make tag and the Orientation tag, in either byte order. */
export function exifSegment(orientation: number, littleEndian = true): Uint8Array {
  const tiff = new DataView(new ArrayBuffer(8 + 2 + 2 * 12 + 4 + 8));
  const le = littleEndian;
  tiff.setUint16(0, le ? 0x4949 : 0x4d4d);
  tiff.setUint16(2, 42, le);
  tiff.setUint32(4, 8, le);
  tiff.setUint16(8, 2, le);
  // Make (ASCII, 8 bytes, stored after the IFD): a tag before Orientation, as cameras write it.
  tiff.setUint16(10, 0x010f, le);
  tiff.setUint16(12, 2, le);
  tiff.setUint32(14, 8, le);
  tiff.setUint32(18, 8 + 2 + 2 * 12 + 4, le);
  tiff.setUint16(22, 0x0112, le);
  tiff.setUint16(24, 3, le);
  tiff.setUint32(26, 1, le);
  tiff.setUint16(30, orientation, le);
  tiff.setUint32(34, 0, le);
  new Uint8Array(tiff.buffer).set(new TextEncoder().encode('Camera\0\0'), 38);
  const payload = new Uint8Array([...new TextEncoder().encode('Exif\0\0'), ...new Uint8Array(tiff.buffer)]);
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

/** `segments` inserted right after a JPEG's start-of-image marker. */
export function withSegments(jpegBytes: Uint8Array, ...segments: Uint8Array[]): Uint8Array {
  const parts = [jpegBytes.subarray(0, 2), ...segments, jpegBytes.subarray(2)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The stored pixels (RGBA) for `orientation`. */
function storedPixels(orientation: number): { data: Uint8Array; width: number; height: number } {
  const h = SEEN_ROWS * BLOCK;
  const w = SEEN_COLS * BLOCK;
  const swapped = orientation >= 5;
  const height = swapped ? w : h;
  const width = swapped ? h : w;
  const data = new Uint8Array(width * height * 4);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const [y, x] = seenPixelOf(orientation, r, c, h, w);
      data.set([...seenColour(Math.floor(y / BLOCK), Math.floor(x / BLOCK)), 255], (r * width + c) * 4);
    }
  }
  return { data, width, height };
}

/** The stored pixels for `orientation`, encoded as a JPEG (quality 100) without EXIF. */
export function storedJpeg(orientation: number): { bytes: Uint8Array; width: number; height: number } {
  const { data, width, height } = storedPixels(orientation);
  return { bytes: new Uint8Array(jpeg.encode({ data, width, height }, 100).data), width, height };
}

/**
 * The stored pixels for `orientation` as a PNG whose `eXIf` chunk (the TIFF stream of an EXIF
 * segment) says how to turn them; `corrupt` spoils that chunk's checksum.
 */
export function orientedPng(orientation: number, options: { littleEndian?: boolean; corrupt?: boolean; afterImage?: boolean } = {}): Uint8Array {
  const { data, width, height } = storedPixels(orientation);
  const png = new PNG({ width, height });
  png.data = Buffer.from(data);
  const bytes = new Uint8Array(PNG.sync.write(png));
  const chunk = encodePngChunk('eXIf', exifSegment(orientation, options.littleEndian ?? true).subarray(10));
  if (options.corrupt) chunk[chunk.length - 1] ^= 0xff;
  // After IHDR (signature 8 + IHDR 25 bytes), or just before IEND (after the image data).
  const at = options.afterImage ? bytes.length - 12 : 8 + 25;
  return new Uint8Array([...bytes.subarray(0, at), ...chunk, ...bytes.subarray(at)]);
}

/** A photo as a camera writes it: stored turned, with the EXIF orientation that turns it back. */
export function orientedJpeg(orientation: number, littleEndian = true): Uint8Array {
  return withSegments(storedJpeg(orientation).bytes, exifSegment(orientation, littleEndian));
}
