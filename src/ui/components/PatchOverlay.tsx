/** Draws D's per-patch scores (the colour map of ../heatmap.ts, on the scale chosen) or a patch grid over a preview, and the scores' colour bar. */
import { useEffect, useRef } from 'react';
import { D_SCORE_ENDS, D_SCORE_LEGEND } from '../../nodes/score-scale';
import { colourBarTicks, cssColour, dScoreColour, FIXED_SCALE, formatTickScore, scalePosition, type DColourScale, type HeatmapScaleMode } from '../heatmap';

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

export function PatchOverlay({ width, height, scores, scale = FIXED_SCALE, grid }: { width: number; height: number; scores?: PatchScores; scale?: DColourScale; grid?: PatchGrid }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = width;
    canvas.height = height;
    ctx.clearRect(0, 0, width, height);
    if (scores) drawScores(ctx, width, height, scores, scale);
    if (grid) drawGrid(ctx, width, height, grid);
  }, [width, height, scores, scale.fake, scale.real, grid]);
  return <canvas ref={ref} className="overlay" data-testid={scores ? 'patch-heatmap' : 'patch-grid'} />;
}

function drawScores(ctx: CanvasRenderingContext2D, w: number, h: number, s: PatchScores, scale: DColourScale) {
  const cw = w / s.cols;
  const ch = h / s.rows;
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      ctx.fillStyle = cssColour(dScoreColour(s.values[r * s.cols + c]!, scale));
      ctx.fillRect(c * cw, r * ch, cw, ch);
    }
  }
}

const SCALE_WORDS: Record<HeatmapScaleMode, string> = { run: 'follows the scores', fixed: 'fixed' };

/**
 * The heatmap's scale: the colours from full red to full blue with their numbers (0 in the middle,
 * each half linear), which scale it is, and where this iteration's scores lie.
 */
export function DScoreColourBar({ scores, scale = FIXED_SCALE, mode = 'fixed', onMode }: {
  scores?: PatchScores;
  scale?: DColourScale;
  mode?: HeatmapScaleMode;
  onMode?: (mode: HeatmapScaleMode) => void;
}) {
  const ticks = colourBarTicks(scale);
  const stops = Array.from({ length: 17 }, (_, i) => (i < 8 ? -scale.fake * (1 - i / 8) : (scale.real * (i - 8)) / 8));
  const gradient = `linear-gradient(to right, ${stops.map((v, i) => `${cssColour(dScoreColour(v, scale))} ${(i / 16) * 100}%`).join(', ')})`;
  const lo = scores && Math.min(...scores.values);
  const hi = scores && Math.max(...scores.values);
  return (
    <div className="score-bar" data-testid="d-score-bar" data-mode={mode} title={D_SCORE_LEGEND}>
      <div className="score-bar-ends" data-testid="d-score-legend"><span>{D_SCORE_ENDS.fake}</span><span>{D_SCORE_ENDS.real}</span></div>
      <div className="score-bar-gradient" style={{ background: `${gradient}, #333` }} />
      <div className="score-bar-ticks">
        {ticks.map((t, i) => (
          <span key={i} style={{ left: `${((scalePosition(t, scale) + 1) / 2) * 100}%` }}>{formatTickScore(t)}</span>
        ))}
      </div>
      {lo !== undefined && hi !== undefined && (
        <div className="score-bar-range" data-testid="d-score-range">
          D's scores now: {formatScore(lo)} … {formatScore(hi)}
        </div>
      )}
      <div className="score-bar-mode">
        colours: <span data-testid="d-score-scale">{SCALE_WORDS[mode]}</span>
        {onMode && (
          <button className="link nodrag" data-testid="d-score-scale-toggle"
            title={mode === 'run' ? 'keep the colours on the fixed scale −2 … +2' : "let the colours follow this iteration's scores"}
            onClick={() => onMode(mode === 'run' ? 'fixed' : 'run')}>
            {mode === 'run' ? 'fix the scale' : 'follow the scores'}
          </button>
        )}
      </div>
    </div>
  );
}

function formatScore(v: number): string {
  return `${v > 0 ? '+' : ''}${v.toFixed(1)}`;
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
