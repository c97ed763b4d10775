import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes } from '../../src/platform/node/image-io';
import { checkImageBlob, readImageHeader } from '../../src/platform/common/image-header';
import { editPng, ihdr, jpegBytes, jpegWithSize, pngBytes } from '../corpus/build';

const withIdat = (png: Uint8Array, data: Uint8Array) => editPng(png, (cs) => cs.map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data } : c)));
const withHeader = (png: Uint8Array, data: Uint8Array) => editPng(png, (cs) => cs.map((c) => (c.type === 'IHDR' ? { type: 'IHDR', data } : c)));

/** What the Node path (zlib) and the browser path (DecompressionStream) say about the same bytes. */
async function verdicts(bytes: Uint8Array): Promise<[string, string]> {
  let node = 'ok';
  try {
    decodeImageBytes(bytes, 'x.png').dispose();
  } catch (e) {
    node = (e as Error).message;
  }
  const browser = await checkImageBlob(new Blob([bytes as BlobPart]), "'x.png'").then(() => 'ok', (e: Error) => e.message);
  return [node, browser];
}

describe('image headers', () => {
  it('reads the size and format a PNG or JPEG claims', () => {
    expect(readImageHeader(pngBytes(6, 5))).toMatchObject({ format: 'png', width: 6, height: 5, png: { depth: 8, colourType: 2, interlaced: false } });
    expect(readImageHeader(pngBytes(3, 3, 6, 16))).toMatchObject({ width: 3, height: 3, png: { depth: 16, colourType: 6 } });
    expect(readImageHeader(jpegBytes(16, 8))).toEqual({ format: 'jpeg', width: 16, height: 8 });
    expect(readImageHeader(jpegWithSize(60_000, 123))).toEqual({ format: 'jpeg', width: 60_000, height: 123 });
  });

  it('Node and browser paths agree on PNG pixel data that is short, long or not zlib', async () => {
    const png = pngBytes(6, 5);
    expect(await verdicts(png)).toEqual(['ok', 'ok']);
    const [shortNode, shortBrowser] = await verdicts(withHeader(png, ihdr(60, 50)));
    expect(shortNode).toMatch(/'x\.png' is a damaged PNG: its pixel data stops short of the 60x50 pixels its header says/);
    expect(shortBrowser).toBe(shortNode);
    const [longNode, longBrowser] = await verdicts(withIdat(png, new Uint8Array(deflateSync(new Uint8Array(50_000_000)))));
    expect(longNode).toMatch(/its pixel data runs past the 6x5 pixels its header says/);
    expect(longBrowser).toBe(longNode);
    const [junkNode, junkBrowser] = await verdicts(withIdat(png, Uint8Array.from({ length: 40 }, (_, i) => (i * 97) % 256)));
    expect(junkNode).toMatch(/its pixel data cannot be decoded/);
    expect(junkBrowser).toBe(junkNode);
  });
});
