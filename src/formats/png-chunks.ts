/**
 * Just enough of the PNG container to read and write chunks (length, type, data, CRC-32), on plain
 * Uint8Arrays so it runs in the browser and Node alike. Pixel data is never decoded.
 */

/** Bytes that are not a PNG file or end too soon; the message says which, for the user. */
export class PngFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngFormatError';
  }
}

export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** Whether the stored CRC matches type + data. */
  crcOk: boolean;
  /** The chunk's bytes in the file, length field to CRC inclusive. */
  raw: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib) define it. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function typeName(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Every chunk up to and including IEND. Throws PngFormatError for non-PNG or truncated bytes. */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  if (!isPng(png)) throw new PngFormatError('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  let at = PNG_SIGNATURE.length;
  for (;;) {
    if (at + 12 > png.length) throw new PngFormatError('the PNG file is truncated (it ends before its IEND chunk)');
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > png.length) throw new PngFormatError('the PNG file is truncated (a chunk runs past the end of the file)');
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    const chunk: PngChunk = {
      type: typeName(png.subarray(at + 4, at + 8)),
      data: png.subarray(at + 8, at + 8 + length),
      crcOk: crc32(typeAndData) === view.getUint32(at + 8 + length),
      raw: png.subarray(at, end),
    };
    chunks.push(chunk);
    at = end;
    if (chunk.type === 'IEND') return chunks;
  }
}

/** One chunk's bytes: length, type, data, CRC. */
export function encodePngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Signature followed by the given chunks' bytes. */
export function joinPng(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(PNG_SIGNATURE.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(PNG_SIGNATURE, 0);
  let at = PNG_SIGNATURE.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
