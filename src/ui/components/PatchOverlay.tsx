/** Draws D's per-patch scores (red = judged fake, green = real) or a patch grid over a preview. */
import { useEffect, useRef } from 'react';
import type { ParamValue } from '../../graph/types';

export interface PatchScores {
  rows: number;
  cols: number;
  values: number[];
}
export interface PatchGrid {
  rows: number;
  cols: number;
  /** Patch size and stride as fractions of the image (so the grid fits any preview size). */
  patch: [number, number];
  stride: [number, number];
}

export function readPatchScores(extra: Record<string, unknown> | undefined): PatchScores | undefined {
  const s = extra?.patchScores as Partial<PatchScores> | undefined;
  if (!s || typeof s.rows !== 'number' || typeof s.cols !== 'number' || !s.values) return undefined;
  const values = Array.from(s.values as ArrayLike<number>);
  return values.length === s.rows * s.cols ? { rows: s.rows, cols: s.cols, values } : undefined;
}

/** The sampler's grid from its status (`extra.grid`), else from its params. */
export function readGrid(extra: Record<string, unknown> | undefined, params: Record<string, ParamValue>, type: string): PatchGrid | undefined {
  const g = extra?.grid as Record<string, number> | undefined;
  const width = g?.width;
  const height = g?.height;
  if (g && typeof g.rows === 'number' && typeof g.cols === 'number') {
    const size = g.patchSize ?? g.size;
    const stride = g.stride ?? size;
    if (width && height && size) {
      return { rows: g.rows, cols: g.cols, patch: [size / width, size / height], stride: [(stride ?? size) / width, (stride ?? size) / height] };
    }
    return { rows: g.rows, cols: g.cols, patch: [1 / g.cols, 1 / g.rows], stride: [1 / g.cols, 1 / g.rows] };
  }
  if (type !== 'patch-sampler') return undefined;
  const size = Number(params.patchSize ?? params.size);
  const stride = Number(params.stride ?? size);
  const w = Number(extra?.width ?? 0);
  const h = Number(extra?.height ?? 0);
  if (!(size > 0) || !(stride > 0) || !(w > 0) || !(h > 0)) return undefined;
  const cols = Math.floor((w - size) / stride) + 1;
  const rows = Math.floor((h - size) / stride) + 1;
  return { rows, cols, patch: [size / w, size / h], stride: [stride / w, stride / h] };
}

export function PatchOverlay({ width, height, scores, grid }: { width: number; height: number; scores?: PatchScores; grid?: PatchGrid }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = width;
    canvas.height = height;
    ctx.clearRect(0, 0, width, height);
    if (scores) drawScores(ctx, width, height, scores);
    if (grid) drawGrid(ctx, width, height, grid);
  }, [width, height, scores, grid]);
  return <canvas ref={ref} className="overlay" data-testid={scores ? 'patch-heatmap' : 'patch-grid'} />;
}

function drawScores(ctx: CanvasRenderingContext2D, w: number, h: number, s: PatchScores) {
  const lo = Math.min(...s.values);
  const hi = Math.max(...s.values);
  const span = hi - lo || 1;
  const cw = w / s.cols;
  const ch = h / s.rows;
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      // High score = D thinks the patch is real; paint low scores red.
      const t = (s.values[r * s.cols + c]! - lo) / span;
      ctx.fillStyle = `rgba(${Math.round(255 * (1 - t))}, ${Math.round(200 * t)}, 40, 0.45)`;
      ctx.fillRect(c * cw, r * ch, cw, ch);
    }
  }
}

function drawGrid(ctx: CanvasRenderingContext2D, w: number, h: number, g: PatchGrid) {
  ctx.strokeStyle = 'rgba(255, 126, 182, 0.8)';
  ctx.lineWidth = 1;
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      ctx.strokeRect(c * g.stride[0] * w + 0.5, r * g.stride[1] * h + 0.5, g.patch[0] * w - 1, g.patch[1] * h - 1);
    }
  }
}
