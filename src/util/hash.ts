/**
 * The content hash behind cache keys, cache file names and checkpoint checksums: 64 bits as 16 hex
 * digits, synchronous and browser-safe (the runtime computes every node's key up front), and fast on
 * tens of MB (a checkpoint). Not for security.
 *
 * Two 32-bit lanes read the data as little-endian 32-bit words (every platform tfjs runs on). Each word
 * is mixed MurmurHash3-style (multiply, rotate, multiply) before it enters a lane, so every input bit
 * reaches every state bit; the lanes are then crossed and avalanched.
 */

const ENTRY_1 = 0xcc9e2d51;
const ENTRY_2 = 0x1b873593;

/** A bijection of a 32-bit word that spreads each bit over the whole word. */
function mixWord(word: number): number {
  const k = Math.imul(word, ENTRY_1);
  return Math.imul((k << 15) | (k >>> 17), ENTRY_2);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** 64-bit hash of bytes, as 16 hex digits. */
export function hashBytes(bytes: Uint8Array): string {
  // Uint32Array needs a 4-byte aligned offset; an unaligned view is copied once.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const wordCount = aligned.byteLength >>> 2;
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, wordCount);
  let h1 = 0xdeadbeef ^ aligned.byteLength;
  let h2 = 0x41c6ce57 ^ aligned.byteLength;
  for (let i = 0; i < wordCount; i++) {
    const k = mixWord(words[i]);
    h1 ^= k;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 9) + 0x561ccd1b) | 0;
  }
  let tail = 0;
  for (let i = aligned.byteLength - 1; i >= wordCount * 4; i--) tail = (tail << 8) | aligned[i];
  if (aligned.byteLength % 4) {
    const k = mixWord(tail);
    h1 ^= k;
    h2 ^= Math.imul(k, 0x85ebca6b);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex8(h2) + hex8(h1);
}

/** 64-bit hash of a string's UTF-16 code units (every string, lone surrogates included, hashes as itself). */
export function hashText(text: string): string {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return hashBytes(new Uint8Array(units.buffer));
}
