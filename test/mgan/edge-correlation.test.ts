import { describe, expect, it } from 'vitest';
import { EDGE_GRIDS, edgeCorrelationOfPixels, sobelMagnitude } from '../../src/method/image/edge-correlation';
import { correlation } from '../../src/method/image/layout-correlation';
import { greyCells, type RgbPixels } from '../../src/method/training-set/photo-checks';
import { MIN_EDGES, MIN_LAYOUT } from '../../bench/decoder-quality';

const W = 192;
const H = 128;

/** 8-bit RGB pixels from a function of (y, x) giving [r, g, b] in [0, 1]. */
function pixels(f: (y: number, x: number) => [number, number, number], width = W, height = H): RgbPixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(f(y, x).map((v) => Math.round(255 * Math.min(1, Math.max(0, v)))), (y * width + x) * 3);
  }
  return { width, height, data };
}

let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

/**
 * A scene like the held-out photos: a bright sky over dark ground (the layout a 16x16 thumbnail sees),
 * and on the ground the objects: two "people" (thin dark bars), a "dog" (a dark ellipse) and a "house"
 * (a light box with a dark door).
 */
function sceneGrey(y: number, x: number): number {
  if (y < 40) return 0.85;
  if (x >= 30 && x < 36 && y >= 60 && y < 100) return 0.05;
  if (x >= 60 && x < 66 && y >= 55 && y < 95) return 0.05;
  if (((x - 110) / 22) ** 2 + ((y - 95) / 10) ** 2 < 1) return 0.1;
  if (x >= 140 && x < 180 && y >= 50 && y < 90) return x >= 155 && x < 165 && y >= 70 ? 0.1 : 0.9;
  return 0.45;
}
const scene = pixels((y, x) => {
  const g = sceneGrey(y, x);
  return [g, 0.9 * g, 0.7 * g];
});

/** A box blur of the scene's grey over (2r+1)^2 px. */
function blurred(r: number): (y: number, x: number) => number {
  const g = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) g[y * W + x] = sceneGrey(y, x);
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W) {
          s += g[yy * W + xx];
          n++;
        }
      }
      out[y * W + x] = s / n;
    }
  }
  return (y, x) => out[y * W + x];
}

/** Curved strokes everywhere: a stroke texture of period ~8 px, its phase wandering with position. */
const strokes = (y: number, x: number) => Math.sin(x * 0.8 + 2.5 * Math.sin(y * 0.15) + y * 0.3);

/**
 * Blue mush, the failure the measure is for: the sky band and the dark ground survive (blurred over
 * 17 px, so the objects are gone), painted blue with strokes and blotches of its own.
 */
const blur = blurred(8);
const blotches = Array.from({ length: 40 }, () => [random() * H, random() * W, 6 + 10 * random(), random() - 0.5] as const);
const mush = pixels((y, x) => {
  let g = 0.7 * blur(y, x) + 0.12 * strokes(y, x);
  for (const [by, bx, r, a] of blotches) if ((y - by) ** 2 + (x - bx) ** 2 < r * r) g += 0.35 * a;
  return [0.3 * g, 0.45 * g, 0.3 + 0.7 * g];
});

/**
 * A stylisation that keeps the scene: the objects, their outlines wobbling by up to 3 px, in the mush's
 * palette, under stronger strokes and noise than the mush has.
 */
const stylised = pixels((y, x) => {
  const g = 0.6 * sceneGrey(Math.round(y + 3 * Math.sin(x * 0.3)), Math.round(x + 3 * Math.sin(y * 0.3))) + 0.25 * strokes(y, x) + 0.25 * (random() - 0.5);
  return [0.3 * g, 0.45 * g, 0.3 + 0.7 * g];
});

const layoutOf = (a: RgbPixels, b: RgbPixels) => correlation(greyCells(a, 16, 16), greyCells(b, 16, 16));

describe('edgeCorrelationOfPixels', () => {
  it('is 1 for the scene itself, also at another size', () => {
    expect(edgeCorrelationOfPixels(scene, scene)).toBeCloseTo(1, 10);
    const half = pixels((y, x) => {
      const g = sceneGrey(2 * y, 2 * x);
      return [g, 0.9 * g, 0.7 * g];
    }, W / 2, H / 2);
    expect(edgeCorrelationOfPixels(half, scene)).toBeGreaterThan(0.9);
  });

  it('fails blue mush that the 16x16 layout passes, and passes a stylisation that keeps the objects', () => {
    // The 16x16 layout cannot tell them apart: both keep the sky over the ground.
    expect(layoutOf(mush, scene)).toBeGreaterThan(MIN_LAYOUT);
    expect(layoutOf(stylised, scene)).toBeGreaterThan(MIN_LAYOUT);
    const mushEdges = edgeCorrelationOfPixels(mush, scene);
    const stylisedEdges = edgeCorrelationOfPixels(stylised, scene);
    expect(mushEdges).toBeLessThan(MIN_EDGES);
    expect(stylisedEdges).toBeGreaterThan(MIN_EDGES);
    expect(stylisedEdges - mushEdges).toBeGreaterThan(0.25);
  });

  it('is near 0 for a texture that ignores the scene, and 0 against a flat picture', () => {
    const texture = pixels(() => {
      const v = random();
      return [v, v, v];
    });
    expect(Math.abs(edgeCorrelationOfPixels(texture, scene))).toBeLessThan(0.15);
    expect(edgeCorrelationOfPixels(pixels(() => [0.5, 0.5, 0.5]), scene)).toBe(0);
  });

  it('measures Sobel magnitudes on grids of 32 and 64 cells', () => {
    expect(EDGE_GRIDS).toEqual([32, 64]);
    // A vertical step: magnitude 4 (the Sobel weights 1+2+1) along the step, 0 elsewhere.
    const cols = 6;
    const rows = 3;
    const step = Float64Array.from({ length: cols * rows }, (_, i) => (i % cols >= 3 ? 1 : 0));
    expect([...sobelMagnitude(step, cols, rows)]).toEqual([0, 4, 4, 0]);
  });
});
