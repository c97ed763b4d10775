import { describe, expect, it } from 'vitest';
import { hashBytes, hashText } from '../../src/util/hash';

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7919 + seed * 131) & 255;
  return out;
}

describe('hashBytes', () => {
  it('is 16 hex digits and the same for the same bytes, wherever they sit in memory', () => {
    const data = bytes(103, 1);
    expect(hashBytes(data)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashBytes(data)).toBe(hashBytes(data.slice()));
    const shifted = new Uint8Array(110);
    shifted.set(data, 3);
    expect(hashBytes(shifted.subarray(3, 106))).toBe(hashBytes(data));
  });

  it('changes with every single flipped bit', () => {
    const data = bytes(256, 2);
    const seen = new Set([hashBytes(data)]);
    for (let bit = 0; bit < data.length * 8; bit++) {
      const flipped = data.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      seen.add(hashBytes(flipped));
    }
    expect(seen.size).toBe(1 + data.length * 8);
  });

  it('tells apart the same top bit flipped in two words (cancels in a plain multiply hash)', () => {
    const data = bytes(64, 3);
    const seen = new Set([hashBytes(data)]);
    for (let word = 1; word < 16; word++) {
      const flipped = data.slice();
      flipped[3] ^= 0x80;
      flipped[word * 4 + 3] ^= 0x80;
      seen.add(hashBytes(flipped));
    }
    expect(seen.size).toBe(16);
  });

  it('tells apart runs of zero bytes of different lengths (tails included)', () => {
    const hashes = new Set(Array.from({ length: 24 }, (_, n) => hashBytes(new Uint8Array(n))));
    expect(hashes.size).toBe(24);
  });
});

describe('hashText', () => {
  it('hashes code units: a lone surrogate is not the replacement character', () => {
    expect(hashText('\ud800')).not.toBe(hashText('\ufffd'));
    expect(hashText('星月夜')).toBe(hashText('星月夜'));
    expect(hashText('ab')).not.toBe(hashText('ba'));
    expect(hashText('')).toMatch(/^[0-9a-f]{16}$/);
  });
});
