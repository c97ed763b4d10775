/**
 * A log-log line chart drawn into plain RGBA with the bitmap font (no canvas, no fonts), so the CLI
 * writes and the editor shows the same picture: the speed comparison of the paper's Fig. 15, one line
 * per method, measured lines solid with filled markers, reference lines dashed with hollow ones.
 */
import { drawText, GLYPH_HEIGHT, setPixel, textWidth } from './bitmap-font';
import type { RgbaImage } from './contact-sheet';

export type Rgb = readonly [number, number, number];

export interface ChartSeries {
  label: string;
  color: Rgb;
  /** Points with positive x and y; drawn in x order. */
  points: Array<{ x: number; y: number }>;
  /** Dashed line and hollow markers (reference values rather than measurements). */
  dashed?: boolean;
}

export interface LogChartSpec {
  title: string;
  /** A smaller line under the title (what was measured where). */
  subtitle?: string;
  xLabel: string;
  /** Formats a y value for the axis ("10 ms", "2 min"). */
  formatY: (y: number) => string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

const BACKGROUND: Rgb = [250, 250, 247];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [222, 222, 216];
const TITLE: Rgb = [20, 20, 20];

/** A 2 px wide line; `dash` > 0 leaves gaps of that length every other dash. */
function line(image: RgbaImage, x0: number, y0: number, x1: number, y1: number, c: Rgb, dash = 0): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
  for (let i = 0; i <= steps; i++) {
    if (dash > 0 && Math.floor(i / dash) % 2 === 1) continue;
    const x = x0 + ((x1 - x0) * i) / steps;
    const y = y0 + ((y1 - y0) * i) / steps;
    setPixel(image, x, y, c);
    setPixel(image, x + 1, y, c);
    setPixel(image, x, y + 1, c);
  }
}

function marker(image: RgbaImage, x: number, y: number, c: Rgb, hollow: boolean): void {
  for (let dy = -3; dy <= 3; dy++) {
    for (let dx = -3; dx <= 3; dx++) {
      const edge = Math.abs(dx) === 3 || Math.abs(dy) === 3;
      if (edge || !hollow) setPixel(image, x + dx, y + dy, c);
      else setPixel(image, x + dx, y + dy, BACKGROUND);
    }
  }
}

/** Powers of ten from below the smallest to above the largest value. */
export function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}

export function drawLogChart(spec: LogChartSpec): RgbaImage {
  const width = spec.width ?? 640;
  const height = spec.height ?? 420;
  const image: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  for (let i = 0; i < image.data.length; i += 4) {
    image.data.set([...BACKGROUND, 255], i);
  }
  const points = spec.series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  drawText(image, spec.title, Math.max(4, Math.round((width - textWidth(spec.title, 2)) / 2)), 6, TITLE, 2);
  if (spec.subtitle) drawText(image, spec.subtitle, Math.max(4, Math.round((width - textWidth(spec.subtitle)) / 2)), 24, AXIS);
  if (points.length === 0) {
    drawText(image, 'no measurements yet', 20, height / 2, AXIS, 1);
    return image;
  }
  const ys = decades(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)));
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const yLabels = ys.map(spec.formatY);
  const left = 12 + Math.max(...yLabels.map((l) => textWidth(l))) + 6;
  const legendWidth = 12 + Math.max(...spec.series.map((s) => textWidth(s.label))) + 22;
  const right = width - legendWidth - 8;
  const top = 42;
  const bottom = height - 34;
  const [xMin, xMax] = [Math.log2(xs[0]), Math.log2(xs[xs.length - 1])];
  const px = (x: number) => (xMax === xMin ? (left + right) / 2 : left + 16 + ((Math.log2(x) - xMin) / (xMax - xMin)) * (right - left - 32));
  const [yMin, yMax] = [Math.log10(ys[0]), Math.log10(ys[ys.length - 1])];
  const py = (y: number) => bottom - ((Math.log10(y) - yMin) / (yMax - yMin)) * (bottom - top);

  ys.forEach((y, i) => {
    const v = py(y);
    line(image, left, v, right, v, GRID);
    drawText(image, yLabels[i], left - 6 - textWidth(yLabels[i]), Math.round(v - GLYPH_HEIGHT / 2), AXIS);
  });
  for (const x of xs) {
    const h = px(x);
    line(image, h, top, h, bottom, GRID);
    const label = String(x);
    drawText(image, label, Math.round(h - textWidth(label) / 2), bottom + 6, AXIS);
  }
  line(image, left, top, left, bottom, AXIS);
  line(image, left, bottom, right, bottom, AXIS);
  drawText(image, spec.xLabel, Math.round((left + right - textWidth(spec.xLabel)) / 2), bottom + 20, AXIS);

  spec.series.forEach((s, i) => {
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    for (let k = 1; k < pts.length; k++) line(image, px(pts[k - 1].x), py(pts[k - 1].y), px(pts[k].x), py(pts[k].y), s.color, s.dashed ? 6 : 0);
    for (const p of pts) marker(image, px(p.x), py(p.y), s.color, !!s.dashed);
    const ly = top + 4 + i * 16;
    const lx = right + 14;
    line(image, lx, ly + 3, lx + 14, ly + 3, s.color, s.dashed ? 4 : 0);
    marker(image, lx + 7, ly + 3, s.color, !!s.dashed);
    drawText(image, s.label, lx + 20, ly, TITLE);
  });
  return image;
}
