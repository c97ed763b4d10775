/**
 * The colour of one D score on the heatmap: a diverging map around D's decision boundary 0, on the
 * fixed scale of src/nodes/score-scale.ts. Pale and see-through near 0 (D undecided), red
 * towards −limit (judged fake), blue towards +limit (judged real).
 */
import { D_SCORE_LIMIT } from '../nodes/score-scale';

export type Rgba = [r: number, g: number, b: number, a: number];

const FAKE = [235, 55, 40];
const REAL = [40, 120, 255];
const NEUTRAL = [255, 255, 255];
const ALPHA_AT_BOUNDARY = 0.1;
const ALPHA_AT_LIMIT = 0.6;

/** RGB in 0..255, alpha in 0..1. NaN (a broken score) is drawn as the boundary, never as a verdict. */
export function dScoreColour(score: number, limit = D_SCORE_LIMIT): Rgba {
  const t = Number.isFinite(score) ? Math.max(-1, Math.min(1, score / limit)) : 0;
  const end = t < 0 ? FAKE : REAL;
  const k = Math.abs(t);
  const mix = (i: number) => Math.round(NEUTRAL[i]! + (end[i]! - NEUTRAL[i]!) * k);
  return [mix(0), mix(1), mix(2), ALPHA_AT_BOUNDARY + (ALPHA_AT_LIMIT - ALPHA_AT_BOUNDARY) * k];
}

export function cssColour([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${Number(a.toFixed(3))})`;
}

/** Tick values of the colour bar: −limit, −limit/2, 0, +limit/2, +limit. */
export function colourBarTicks(limit = D_SCORE_LIMIT): number[] {
  return [-limit, -limit / 2, 0, limit / 2, limit];
}
