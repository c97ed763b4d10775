/** D's statistics: share called real, margin, range, their history and the charts' moving scales. */
import { describe, expect, it } from 'vitest';
import {
  appendDStats,
  D_STANDING_TEXT,
  dScoreStats,
  dStanding,
  dStatsColumns,
  dStatsScales,
  MAX_D_STATS_POINTS,
  niceCeil,
  type DStatsPoint,
} from '../../src/nodes/d-score-stats';

const point = (iteration: number, scores: number[]): DStatsPoint => ({ iteration, stats: dScoreStats(scores) });

describe('dScoreStats', () => {
  it('counts the share D calls real (above 0), the median, the range and the margin', () => {
    const s = dScoreStats([-3, -1, 0.5, 2, -4]);
    expect(s).toEqual({ count: 5, realShare: 0.4, margin: 1, min: -4, median: -1, max: 2 });
  });

  it('takes the middle two for an even count; a score of exactly 0 is not called real', () => {
    const s = dScoreStats(new Float32Array([0, -2, -6, 4]));
    expect(s.median).toBe(-1);
    expect(s.margin).toBe(1);
    expect(s.realShare).toBe(0.25);
  });

  it('gives a negative margin when the typical patch fools D', () => {
    expect(dScoreStats([0.5, 1.5, 3]).margin).toBe(-1.5);
  });

  it('leaves broken scores out and reports an empty map as nothing scored', () => {
    expect(dScoreStats([Number.NaN, -2, Number.POSITIVE_INFINITY]).count).toBe(1);
    expect(dScoreStats([])).toEqual({ count: 0, realShare: 0, margin: 0, min: 0, median: 0, max: 0 });
  });
});

describe('appendDStats', () => {
  it('adds iterations in order without changing the history it was given', () => {
    const one = appendDStats([], 1, dScoreStats([-1]));
    const two = appendDStats(one, 2, dScoreStats([-2]));
    expect(one).toHaveLength(1);
    expect(two.map((p) => p.iteration)).toEqual([1, 2]);
  });

  it('replaces a repeated report of the same iteration and restarts on a lower one (a new run)', () => {
    const h = appendDStats(appendDStats([], 1, dScoreStats([-1])), 2, dScoreStats([-2]));
    const again = appendDStats(h, 2, dScoreStats([-5]));
    expect(again.map((p) => p.stats.min)).toEqual([-1, -5]);
    expect(appendDStats(h, 1, dScoreStats([3])).map((p) => p.stats.max)).toEqual([3]);
  });

  it('skips reports with nothing scored, and later reports that repeat the last scores read', () => {
    const h = appendDStats([], 1, dScoreStats([-1, 2]));
    expect(appendDStats(h, 2, dScoreStats([]))).toEqual(h);
    // Scores read back every 10 iterations: iterations 2 … 10 repeat iteration 1's.
    expect(appendDStats(h, 5, dScoreStats([2, -1]))).toEqual(h);
    expect(appendDStats(h, 11, dScoreStats([-1, 3])).map((p) => p.iteration)).toEqual([1, 11]);
  });

  it('keeps the most recent points only', () => {
    let h: DStatsPoint[] = [];
    for (let i = 1; i <= MAX_D_STATS_POINTS + 5; i++) h = appendDStats(h, i, dScoreStats([-i]));
    expect(h).toHaveLength(MAX_D_STATS_POINTS);
    expect(h[0]!.iteration).toBe(6);
  });
});

describe('dStatsScales', () => {
  it('rounds up to a round number at most a quarter above', () => {
    expect([0.03, 0.05, 0.11, 0.3, 1, 3.3, 21, 33, 5.4].map(niceCeil)).toEqual([0.03, 0.05, 0.12, 0.3, 1, 4, 25, 40, 6]);
  });

  it('spans a balanced run with the hinge margins and the boundary in view', () => {
    const s = dStatsScales([point(1, [-1.5, -0.5, 0.5, 1.2]), point(2, [-1, 0.2, 0.8, 1.4])]);
    expect(s.scores).toEqual([-2, 2]);
    expect(s.margin).toEqual([-1, 2]);
    expect(s.realShare).toEqual([0, 1]);
  });

  it('moves out with the scores when D is winning, and zooms the share in', () => {
    // The guided preset's D: scores from −30 to +2, a handful of patches called real.
    const scores = Array.from({ length: 40 }, (_, i) => -30 + i * 0.75);
    scores[39] = 2;
    const winning = point(60, scores);
    expect(winning.stats.realShare).toBe(0.025);
    const s = dStatsScales([point(1, [-1, -0.5, 0.3]), winning]);
    expect(s.scores[0]).toBeLessThanOrEqual(-33);
    expect(s.scores[1]).toBeGreaterThanOrEqual(2.2);
    expect(s.margin[1]).toBeGreaterThanOrEqual(winning.stats.margin);
    // The first iteration called a third real; later ones far fewer: the axis holds both.
    expect(s.realShare).toEqual([0, 0.4]);
    expect(dStatsScales([winning]).realShare).toEqual([0, 0.05]);
  });

  it('has default scales before any scores', () => {
    expect(dStatsScales([])).toEqual({ realShare: [0, 1], margin: [-1, 2], scores: [-2, 2] });
  });
});

describe('dStanding', () => {
  it('reads who is ahead from the share and the margin', () => {
    expect(dStanding(dScoreStats([-30, -12, -8, 1]))).toBe('winning');
    expect(dStanding(dScoreStats([-0.8, -0.5, 0.2]))).toBe('ahead');
    expect(dStanding(dScoreStats([-0.5, 0, 0.1, -0.1, 0]))).toBe('even');
    expect(dStanding(dScoreStats([0.5, 1, -2]))).toBe('fooled');
    expect(D_STANDING_TEXT.winning.short).toContain('normal for MDAN');
    expect(D_STANDING_TEXT.winning.long).toContain('watch the share called real and the margin');
  });
});

describe('dStatsColumns', () => {
  it('lays the history out as chart columns, leaving out iterations with nothing scored', () => {
    const c = dStatsColumns([point(1, [-2, 1]), point(2, []), point(3, [-4, -1, 3])]);
    expect(c).toEqual({ iteration: [1, 3], realShare: [0.5, 1 / 3], margin: [0.5, 1], min: [-2, -4], median: [-0.5, -1], max: [1, 3] });
  });
});
