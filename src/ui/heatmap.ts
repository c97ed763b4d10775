/**
 * The colour of one D score on the heatmap: a diverging map around D's decision boundary 0. Pale and
 * see-through near 0 (D undecided), red towards the scale's fake end (judged fake), blue towards its
 * real end (judged real). The scale is the fixed one of src/nodes/score-scale.ts, or one that
 * follows the iteration's scores (`followScale`): each side reaches full colour at that side's
 * extreme score, so a D that wins by 30 still shows which patches it is least sure of.
 */
import { D_HINGE_MARGIN } from '../nodes/d-score-stats';
import { D_SCORE_LIMIT } from '../nodes/score-scale';

export type Rgba = [r: number, g: number, b: number, a: number];

/** The scores drawn in full colour: −fake (red) and +real (blue); both positive. */
export interface DColourScale {
  fake: number;
  real: number;
}

/** 'run': the scale follows the iteration's scores; 'fixed': −D_SCORE_LIMIT … +D_SCORE_LIMIT always. */
export type HeatmapScaleMode = 'run' | 'fixed';

export const FIXED_SCALE: DColourScale = { fake: D_SCORE_LIMIT, real: D_SCORE_LIMIT };

const FAKE = [235, 55, 40];
const REAL = [40, 120, 255];
const NEUTRAL = [255, 255, 255];
const ALPHA_AT_BOUNDARY = 0.1;
const ALPHA_AT_LIMIT = 0.6;

/**
 * Full colour at this iteration's lowest and highest scores, never nearer to 0 than the hinge
 * margins ±1 (within them D is undecided: small differences there should stay pale).
 */
export function followScale(scores: ArrayLike<number>): DColourScale {
  let lo = 0;
  let hi = 0;
  for (const v of Array.from(scores)) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { fake: Math.max(D_HINGE_MARGIN, -lo), real: Math.max(D_HINGE_MARGIN, hi) };
}

export function scaleFor(mode: HeatmapScaleMode, scores: ArrayLike<number>): DColourScale {
  return mode === 'fixed' ? FIXED_SCALE : followScale(scores);
}

/** Where a score sits on the scale: −1 (full red) … 0 (boundary) … +1 (full blue). NaN sits at the boundary. */
export function scalePosition(score: number, scale: DColourScale = FIXED_SCALE): number {
  if (!Number.isFinite(score)) return 0;
  return score < 0 ? Math.max(-1, score / scale.fake) : Math.min(1, score / scale.real);
}

/** RGB in 0..255, alpha in 0..1. NaN (a broken score) is drawn as the boundary, never as a verdict. */
export function dScoreColour(score: number, scale: DColourScale = FIXED_SCALE): Rgba {
  const t = scalePosition(score, scale);
  const end = t < 0 ? FAKE : REAL;
  const k = Math.abs(t);
  const mix = (i: number) => Math.round(NEUTRAL[i]! + (end[i]! - NEUTRAL[i]!) * k);
  return [mix(0), mix(1), mix(2), ALPHA_AT_BOUNDARY + (ALPHA_AT_LIMIT - ALPHA_AT_BOUNDARY) * k];
}

export function cssColour([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${Number(a.toFixed(3))})`;
}

/** Tick values of the colour bar: −fake, −fake/2, 0, +real/2, +real (0 in the middle: each half is linear). */
export function colourBarTicks(scale: DColourScale = FIXED_SCALE): number[] {
  return [-scale.fake, -scale.fake / 2, 0, scale.real / 2, scale.real];
}

/** A score as the colour bar and D's numbers print it: short, signed (−30, −15, 0, +0.9, +1.8). */
export function formatTickScore(v: number): string {
  const r = Math.abs(v) >= 10 ? Math.round(v) : Number(v.toFixed(1));
  return r > 0 ? `+${r}` : String(r === 0 ? 0 : r);
}
