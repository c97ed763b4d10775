/**
 * Node turns JPEGs as their EXIF orientation says (as the browser's decoder does), so the CLI sees the
 * photo the editor sees; a malformed or hostile EXIF segment is ignored, never a crash.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jpegExifOrientation, pngExifOrientation } from '../../src/formats/exif-orientation';
import { decodeImageBytes } from '../../src/platform/node/image-io';
import { BLOCK, SEEN_COLS, SEEN_ROWS, exifSegment, orientedJpeg, orientedPng, seenColour, storedJpeg, withSegments } from '../support/exif-jpeg';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The colour at the centre of each seen block, 0-255. */
function blockColours(image: tf.Tensor3D): number[][] {
  const [, w] = image.shape;
  const px = image.dataSync();
  const out: number[][] = [];
  for (let row = 0; row < SEEN_ROWS; row++) {
    for (let col = 0; col < SEEN_COLS; col++) {
      const at = ((row * BLOCK + BLOCK / 2) * w + col * BLOCK + BLOCK / 2) * 3;
      out.push([px[at]!, px[at + 1]!, px[at + 2]!].map((v) => Math.round(v * 255)));
    }
  }
  return out;
}

const seen = () => Array.from({ length: SEEN_ROWS * SEEN_COLS }, (_, i) => seenColour(Math.floor(i / SEEN_COLS), i % SEEN_COLS));

function expectSeen(image: tf.Tensor3D): void {
  expect(image.shape).toEqual([SEEN_ROWS * BLOCK, SEEN_COLS * BLOCK, 3]);
  const got = blockColours(image);
  const want = seen();
  for (let i = 0; i < want.length; i++) {
    for (let ch = 0; ch < 3; ch++) expect(Math.abs(got[i]![ch]! - want[i]![ch]!), `block ${i} channel ${ch}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(6);
  }
}

describe('EXIF orientation in Node', () => {
  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`orientation ${orientation}: decodes to the picture as seen (both byte orders)`, () => {
      const before = tf.memory().numTensors;
      for (const little of [true, false]) {
        const bytes = orientedJpeg(orientation, little);
        expect(jpegExifOrientation(bytes)).toBe(orientation);
        const image = decodeImageBytes(bytes, `o${orientation}.jpg`);
        expectSeen(image);
        image.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a PNG with an eXIf chunk before its image data is turned too (1-8, both byte orders), as Chromium does', () => {
    const before = tf.memory().numTensors;
    for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const littleEndian of [true, false]) {
        const bytes = orientedPng(orientation, { littleEndian });
        expect(pngExifOrientation(bytes)).toBe(orientation);
        const image = decodeImageBytes(bytes, `o${orientation}.png`);
        expectSeen(image);
        image.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    // A chunk after the image data is ignored, as Chromium ignores it; so is one with a damaged
    // checksum (the file is then refused as damaged anyway, before decoding).
    expect(pngExifOrientation(orientedPng(6, { corrupt: true }))).toBe(1);
    expect(pngExifOrientation(orientedPng(6, { afterImage: true }))).toBe(1);
    expect(pngExifOrientation(new TextEncoder().encode('not a png'))).toBe(1);
    expect(pngExifOrientation(orientedPng(6).subarray(0, 30))).toBe(1);
  });

  it('the same pixels without EXIF stay as stored (the test images really are turned)', () => {
    const stored = storedJpeg(6);
    const image = decodeImageBytes(stored.bytes, 'stored.jpg');
    expect(image.shape).toEqual([stored.height, stored.width, 3]);
    expect(image.shape).not.toEqual([SEEN_ROWS * BLOCK, SEEN_COLS * BLOCK, 3]);
    image.dispose();
  });

  it('finds the EXIF segment after a JFIF and an XMP segment', () => {
    const stored = storedJpeg(8).bytes;
    const xmp = new TextEncoder().encode('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>');
    const xmpSegment = new Uint8Array([0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 0xff, ...xmp]);
    // jpeg-js writes a JFIF APP0 first: put ours after it, behind the XMP one.
    const app0Length = (stored[4]! << 8) | stored[5]!;
    const afterApp0 = 4 + app0Length;
    const bytes = new Uint8Array([...stored.subarray(0, afterApp0), ...xmpSegment, ...exifSegment(8), ...stored.subarray(afterApp0)]);
    expect(jpegExifOrientation(bytes)).toBe(8);
    const image = decodeImageBytes(bytes, 'xmp.jpg');
    expectSeen(image);
    image.dispose();
  });

  it('ignores a malformed or hostile EXIF segment (orientation 1), never throws', () => {
    const stored = storedJpeg(1).bytes;
    const good = exifSegment(6);
    const variants: Record<string, Uint8Array> = {
      'value 9': exifSegment(9),
      'value 0': exifSegment(0),
      'not TIFF': (() => { const s = good.slice(); s[10] = 0x41; return s; })(),
      'IFD offset past the end': (() => { const s = good.slice(); s[14] = 0xff; s[15] = 0xff; return s; })(),
      // (offsets: 4 bytes of marker and length, 6 of "Exif\0\0", then the TIFF data)
      'too many entries': (() => { const s = good.slice(); s[18] = 0x00; s[19] = 0x30; return s; })(),
      'entries running past the end': (() => { const s = good.slice(); s[18] = 48; s[32] = 0x13; return s; })(),
      'orientation typed LONG': (() => { const s = good.slice(); s[34] = 4; return s; })(),
      'orientation with count 2': (() => { const s = good.slice(); s[36] = 2; return s; })(),
    };
    for (const [what, segment] of Object.entries(variants)) {
      const bytes = withSegments(stored, segment);
      expect(jpegExifOrientation(bytes), what).toBe(1);
      const image = decodeImageBytes(bytes, `${what}.jpg`);
      expectSeen(image);
      image.dispose();
    }
    // A segment length running past the file, a truncated file, a non-JPEG: 1.
    expect(jpegExifOrientation(withSegments(stored, good).subarray(0, 20))).toBe(1);
    expect(jpegExifOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x45]))).toBe(1);
    expect(jpegExifOrientation(new TextEncoder().encode('hello'))).toBe(1);
    // Random bytes behind the start-of-image marker never throw.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 500; i++) {
      const junk = new Uint8Array(2 + Math.floor(random() * 80)).map(() => Math.floor(random() * 256));
      junk[0] = 0xff;
      junk[1] = 0xd8;
      if (junk.length > 3) junk[2] = 0xff;
      if (junk.length > 4) junk[3] = 0xe1;
      const o = jpegExifOrientation(junk);
      expect(o >= 1 && o <= 8).toBe(true);
    }
  });
});
