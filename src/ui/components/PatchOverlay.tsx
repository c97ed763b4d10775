/** Draws D's per-patch scores (red = judged fake, green = real) or a patch grid over a preview. */
import { useEffect, useRef } from 'react';

export interface PatchScores {
  rows: number;
  cols: number;
  values: number[];
}
/** Patch windows as fractions of the image, so the grid fits any preview size. */
export interface PatchGrid {
  rows: number;
  cols: number;
  /** Left/top edges and the patch side, each as a fraction of width/height. */
  xs: number[];
  ys: number[];
  w: number;
  h: number;
}

export function readPatchScores(extra: Record<string, unknown> | undefined): PatchScores | undefined {
  const s = extra?.patchScores as Partial<PatchScores> | undefined;
  if (!s || typeof s.rows !== 'number' || typeof s.cols !== 'number' || !s.values) return undefined;
  const values = Array.from(s.values as ArrayLike<number>);
  return values.length === s.rows * s.cols ? { rows: s.rows, cols: s.cols, values } : undefined;
}

/**
 * A patch sampler's grid (window starts in feature-map cells, the last window flush with the edge)
 * as fractions of the map, which is also where the windows fall on the image that fed the map.
 */
export function gridFractions(grid: unknown): PatchGrid | undefined {
  const g = grid as { rows?: number; cols?: number; rowStarts?: number[]; colStarts?: number[]; size?: number } | undefined;
  if (!g || !Array.isArray(g.rowStarts) || !Array.isArray(g.colStarts) || typeof g.size !== 'number' || !g.rowStarts.length || !g.colStarts.length) return undefined;
  const mapH = g.rowStarts.at(-1)! + g.size;
  const mapW = g.colStarts.at(-1)! + g.size;
  return {
    rows: g.rowStarts.length,
    cols: g.colStarts.length,
    xs: g.colStarts.map((c) => c / mapW),
    ys: g.rowStarts.map((r) => r / mapH),
    w: g.size / mapW,
    h: g.size / mapH,
  };
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
  // Overlapping windows: draw every other one solid so the stride stays readable.
  g.ys.forEach((y, r) =>
    g.xs.forEach((x, c) => {
      ctx.setLineDash((r + c) % 2 ? [2, 2] : []);
      ctx.strokeRect(x * w + 0.5, y * h + 0.5, g.w * w - 1, g.h * h - 1);
    }),
  );
  ctx.setLineDash([]);
}
