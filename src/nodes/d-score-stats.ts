/**
 * What D's per-patch scores say, as a few numbers per iteration and their history: the share of the
 * image's patches D calls real, D's margin and the scores' range. Pure numbers (no TensorFlow.js):
 * the runtime side (a node, a worker) and the editor's page can both compute and read them.
 *
 * D is trained with a hinge at ±1 (src/method/mdan/losses.ts): it wants the image's patches at or
 * below −1. In MDAN D usually wins (its scores for the image fall far below 0) while the image still
 * improves: the pixel step's loss keeps pushing every patch towards "real". What moves, and so what
 * to watch, is the share of patches that fool D and how far the typical patch is from the boundary.
 */

/** The hinge margin D is trained to (scores beyond it no longer change D's loss). */
export const D_HINGE_MARGIN = 1;

export interface DScoreStats {
  /** Patches scored. */
  count: number;
  /** Share (0..1) of the image's patches D calls real: score above its decision boundary 0. */
  realShare: number;
  /**
   * D's margin: how far the median patch lies on the fake side of the boundary (the median score,
   * negated). Above 0 D is winning; above D_HINGE_MARGIN the typical patch is past the hinge.
   * Below 0 the typical patch fools D.
   */
  margin: number;
  min: number;
  median: number;
  max: number;
}

/** The numbers for one iteration's scores; non-finite scores are left out (count says how many remain). */
export function dScoreStats(scores: ArrayLike<number>): DScoreStats {
  const values = Array.from(scores).filter(Number.isFinite).sort((a, b) => a - b);
  const count = values.length;
  if (!count) return { count: 0, realShare: 0, margin: 0, min: 0, median: 0, max: 0 };
  const mid = count >> 1;
  const median = count % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  const real = values.filter((v) => v > 0).length;
  return { count, realShare: real / count, margin: -median, min: values[0]!, median, max: values[count - 1]! };
}

export interface DStatsPoint {
  iteration: number;
  stats: DScoreStats;
}

/** How many iterations a history keeps (the oldest go first). */
export const MAX_D_STATS_POINTS = 2000;

/**
 * The history with this iteration's numbers added (a new array; the input is left as it was). A
 * repeated report of the same iteration replaces it; an iteration lower than the last starts a new
 * run's history. Nothing scored, or the very numbers of the last point at a later iteration, adds
 * nothing: on a GPU the scores are read back every few iterations, and the reports in between
 * repeat the last scores read.
 */
export function appendDStats(history: readonly DStatsPoint[], iteration: number, stats: DScoreStats): DStatsPoint[] {
  const last = history.at(-1);
  if (!stats.count) return [...history];
  if (last && iteration > last.iteration && sameStats(last.stats, stats)) return [...history];
  const base = !last || iteration > last.iteration ? history : iteration === last.iteration ? history.slice(0, -1) : [];
  const next = [...base, { iteration, stats }];
  return next.length > MAX_D_STATS_POINTS ? next.slice(next.length - MAX_D_STATS_POINTS) : next;
}

function sameStats(a: DScoreStats, b: DScoreStats): boolean {
  return a.count === b.count && a.realShare === b.realShare && a.min === b.min && a.median === b.median && a.max === b.max;
}

/** A y range [low, high] for one chart. */
export type Range = [number, number];

export interface DStatsScales {
  /** The share called real, 0..1: zooms in while D is winning (shares near 0 stay readable). */
  realShare: Range;
  /** D's margin: always shows the boundary 0 and the hinge margin, and follows the margin out. */
  margin: Range;
  /** The scores' min … max: always shows the hinge margins ±1, and follows the scores out (−30 and beyond). */
  scores: Range;
}

const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** A round number at or above `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten): at most 25 % above it. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of NICE_STEPS) if (m * p >= v - 1e-12 * p) return Number((m * p).toPrecision(6));
  return 10 * p;
}

const niceFloor = (v: number) => (v >= 0 ? 0 : -niceCeil(-v));

/**
 * The charts' y scales for a history: fitted to what the run has reported, so they move out when D
 * wins by a lot (scores of −30 do not flatten against a −2 … +2 axis) and in when shares are small.
 */
export function dStatsScales(history: readonly DStatsPoint[]): DStatsScales {
  const stats = history.map((p) => p.stats).filter((s) => s.count > 0);
  const most = (f: (s: DScoreStats) => number) => Math.max(...stats.map(f));
  const least = (f: (s: DScoreStats) => number) => Math.min(...stats.map(f));
  if (!stats.length) return { realShare: [0, 1], margin: [-D_HINGE_MARGIN, 2 * D_HINGE_MARGIN], scores: [-2 * D_HINGE_MARGIN, 2 * D_HINGE_MARGIN] };
  // 5 % is the smallest share axis: one patch in twenty still shows as a step.
  const share = Math.min(1, niceCeil(Math.max(0.05, most((s) => s.realShare) * 1.1)));
  const marginHigh = niceCeil(Math.max(2 * D_HINGE_MARGIN, most((s) => s.margin) * 1.1));
  const marginLow = Math.min(-D_HINGE_MARGIN, niceFloor(least((s) => s.margin) * 1.1));
  const scoresLow = Math.min(-2 * D_HINGE_MARGIN, niceFloor(least((s) => s.min) * 1.1));
  const scoresHigh = Math.max(2 * D_HINGE_MARGIN, niceCeil(most((s) => s.max) * 1.1));
  return { realShare: [0, share], margin: [marginLow, marginHigh], scores: [scoresLow, scoresHigh] };
}

/** Who is ahead, in a few words, from one iteration's numbers. */
export type DStanding = 'winning' | 'ahead' | 'even' | 'fooled';

export function dStanding(stats: DScoreStats): DStanding {
  if (stats.realShare >= 0.5) return 'fooled';
  if (stats.margin > D_HINGE_MARGIN) return 'winning';
  if (stats.margin > 0) return 'ahead';
  return 'even';
}

/** What each standing means while MDAN runs: a few words for the card, the reason in full for its tooltip. */
export const D_STANDING_TEXT: Record<DStanding, { short: string; long: string }> = {
  winning: {
    short: 'D is winning: normal for MDAN',
    long: 'D is winning, which is normal for MDAN: D only has to tell patches apart, while the image must change to fool it. The image still learns from every patch (its hinge pushes each one towards real); watch the share called real and the margin, not the colours.',
  },
  ahead: {
    short: 'D is ahead, within its hinge margin',
    long: "Most patches are judged fake, but the typical one lies within D's hinge margin: D still learns from them, and the image is close to fooling it.",
  },
  even: {
    short: 'D and the image are even',
    long: "The typical patch sits at D's decision boundary: D cannot tell it from the example's patches.",
  },
  fooled: {
    short: 'most patches fool D',
    long: 'At least half of the patches look like the example to D: the image is winning this iteration; D catches up in its next step.',
  },
};

/** A history as chart columns: the iterations and each number's values, in order. */
export interface DStatsColumns {
  iteration: number[];
  realShare: number[];
  margin: number[];
  min: number[];
  median: number[];
  max: number[];
}

export function dStatsColumns(history: readonly DStatsPoint[]): DStatsColumns {
  const scored = history.filter((p) => p.stats.count > 0);
  const col = (f: (p: DStatsPoint) => number) => scored.map(f);
  return {
    iteration: col((p) => p.iteration),
    realShare: col((p) => p.stats.realShare),
    margin: col((p) => p.stats.margin),
    min: col((p) => p.stats.min),
    median: col((p) => p.stats.median),
    max: col((p) => p.stats.max),
  };
}
