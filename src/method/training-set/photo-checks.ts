/**
 * Whether an image is a photograph worth training a decoder on, and whether two images are the same
 * picture (docs/decoders.md, "The training set"). Pure functions on 8-bit RGB pixels, so the training
 * set builder, its tests and any other caller agree on the answers.
 *
 * - A **difference hash** (dHash): the grey image shrunk to 9x8 cells by area averages, one bit per
 *   pair of horizontal neighbours (left brighter than right). Resizing, recompression, blur and small
 *   colour changes keep most bits; a different picture flips about half. Two images whose hashes differ
 *   in at most NEAR_DUPLICATE_BITS of 64 are taken as one picture.
 * - **Tone entropy**: entropy (bits) of the 32-bin luminance histogram. Text, charts, diagrams,
 *   calibration boards and thresholded images use a handful of tones (< 3 bits); photos spread over
 *   many (4-5 bits).
 * - **Flat fraction**: the share of pixels identical (all three channels) to their right and lower
 *   neighbours. Drawn or rendered images (charts, screenshots, vector art) are mostly exactly flat
 *   areas; a photo's sensor noise and JPEG make exact repeats rare.
 */

/** 8-bit RGB pixels, row-major, 3 bytes per pixel. */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Bits (of 64) in which two difference hashes may differ and still be the same picture. */
export const NEAR_DUPLICATE_BITS = 10;
/** Below this tone entropy (bits, of at most 5) an image is text, a chart, a board or a mask. */
export const MIN_TONE_ENTROPY = 3.5;
/** Above this flat fraction an image is drawn or rendered, not photographed. */
export const MAX_FLAT_FRACTION = 0.3;

const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** Mean luminance (0..255) of each cell of a cols x rows grid laid over the image (area averages). */
export function greyCells(image: RgbPixels, cols: number, rows: number): Float64Array {
  const { width, height, data } = image;
  const sum = new Float64Array(cols * rows);
  const count = new Float64Array(cols * rows);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x++) {
      const cx = Math.min(cols - 1, Math.floor((x * cols) / width));
      const p = (y * width + x) * 3;
      sum[cy * cols + cx] += luma(data[p], data[p + 1], data[p + 2]);
      count[cy * cols + cx]++;
    }
  }
  return sum.map((s, i) => (count[i] ? s / count[i] : 0));
}

/** The 64-bit difference hash as 16 hex digits (bit i set when cell i is brighter than its right neighbour). */
export function differenceHash(image: RgbPixels): string {
  const cells = greyCells(image, 9, 8);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (cells[y * 9 + x] > cells[y * 9 + x + 1] ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** How many of the 64 bits two difference hashes differ in. */
export function hashDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < 16; i += 2) {
    let x = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    while (x) {
      bits += x & 1;
      x >>= 1;
    }
  }
  return bits;
}

/** Entropy in bits of the 32-bin luminance histogram (0 for one tone, 5 for all bins equally used). */
export function toneEntropy(image: RgbPixels): number {
  const bins = new Float64Array(32);
  const { data } = image;
  const n = image.width * image.height;
  for (let p = 0; p < n; p++) bins[Math.min(31, Math.floor(luma(data[3 * p], data[3 * p + 1], data[3 * p + 2]) / 8))]++;
  let entropy = 0;
  for (const c of bins) if (c) entropy -= (c / n) * Math.log2(c / n);
  return entropy;
}

/** Share of pixels (excluding the last row and column) equal in all channels to their right and lower neighbours. */
export function flatFraction(image: RgbPixels): number {
  const { width, height, data } = image;
  let flat = 0;
  const same = (p: number, q: number) => data[p] === data[q] && data[p + 1] === data[q + 1] && data[p + 2] === data[q + 2];
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const p = (y * width + x) * 3;
      if (same(p, p + 3) && same(p, p + width * 3)) flat++;
    }
  }
  return flat / Math.max(1, (width - 1) * (height - 1));
}

/** Why the image is not a photograph to train on (a few tones, or drawn), or undefined when it is one. */
export function notPhotoReason(image: RgbPixels): string | undefined {
  const entropy = toneEntropy(image);
  if (entropy < MIN_TONE_ENTROPY) return `few tones (entropy ${entropy.toFixed(2)} bits < ${MIN_TONE_ENTROPY}): text, a chart, a board or a mask`;
  const flat = flatFraction(image);
  if (flat > MAX_FLAT_FRACTION) return `drawn, not photographed (${Math.round(flat * 100)}% of pixels repeat their neighbours exactly)`;
  return undefined;
}
