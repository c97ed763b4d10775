/** D's score heatmap: a diverging scale around D's decision boundary 0 (fixed, or following the scores), one legend. */
import { describe, expect, it } from 'vitest';
import { D_SCORE_ENDS, D_SCORE_LEGEND, D_SCORE_LIMIT } from '../../src/nodes/score-scale';
import { nodeRegistry } from '../../src/nodes/registry';
import { colourBarTicks, cssColour, dScoreColour, FIXED_SCALE, followScale, formatTickScore, scaleFor, scalePosition } from '../../src/ui/heatmap';

const isBlue = ([r, , b]: number[]) => b! > r! + 50;
const isRed = ([r, , b]: number[]) => r! > b! + 50;

describe('D score colours', () => {
  it('is pale and nearly see-through at the decision boundary', () => {
    expect(dScoreColour(0)).toEqual([255, 255, 255, 0.1]);
  });

  it('is blue for patches judged real and red for patches judged fake, whatever the other scores are', () => {
    // A patch D scores +7.9 is judged real: blue, never red (the colour does not depend on the iteration's range).
    expect(isBlue(dScoreColour(7.9))).toBe(true);
    expect(isRed(dScoreColour(-0.8))).toBe(true);
    expect(isBlue(dScoreColour(0.3))).toBe(false); // pale: close to the boundary
  });

  it('saturates at the fixed limit and is symmetric in strength', () => {
    expect(dScoreColour(D_SCORE_LIMIT)).toEqual(dScoreColour(50));
    expect(dScoreColour(-D_SCORE_LIMIT)).toEqual(dScoreColour(-50));
    for (const v of [0.25, 1, 1.5]) expect(dScoreColour(v)[3]).toBeCloseTo(dScoreColour(-v)[3], 10);
    const alphas = [0, 0.5, 1, 1.5, 2].map((v) => dScoreColour(v)[3]);
    expect([...alphas].sort((a, b) => a - b)).toEqual(alphas);
    expect(dScoreColour(1)).toEqual([148, 188, 255, 0.35]);
  });

  it('draws a broken score as undecided', () => {
    expect(dScoreColour(Number.NaN)).toEqual(dScoreColour(0));
  });

  it('has a colour bar from -limit to +limit and CSS colours', () => {
    expect(colourBarTicks()).toEqual([-2, -1, 0, 1, 2]);
    expect(cssColour(dScoreColour(0))).toBe('rgba(255, 255, 255, 0.1)');
  });
});

describe('a scale that follows the scores', () => {
  it("reaches full colour at each side's extreme score, never nearer 0 than the hinge margins", () => {
    // The guided preset's D: −30 … +2 on the fixed scale is red almost everywhere.
    const scale = followScale([-30, -12, -3, 0.4, 2]);
    expect(scale).toEqual({ fake: 30, real: 2 });
    expect(dScoreColour(-30, scale)).toEqual(dScoreColour(-2));
    expect(dScoreColour(2, scale)).toEqual(dScoreColour(2));
    // −3 and −12 are both full red on the fixed scale; following the scores they differ.
    expect(dScoreColour(-3)).toEqual(dScoreColour(-12));
    expect(dScoreColour(-3, scale)[3]).toBeLessThan(dScoreColour(-12, scale)[3]);
    expect(followScale([-0.2, 0.1])).toEqual({ fake: 1, real: 1 });
    expect(followScale([Number.NaN, -4])).toEqual({ fake: 4, real: 1 });
  });

  it('keeps 0 pale and the sign of every score, whatever the scale', () => {
    const scale = { fake: 30, real: 1.5 };
    expect(dScoreColour(0, scale)).toEqual(dScoreColour(0));
    expect(isBlue(dScoreColour(1.5, scale))).toBe(true);
    expect(isRed(dScoreColour(-30, scale))).toBe(true);
    expect(scalePosition(-15, scale)).toBe(-0.5);
    expect(scalePosition(0.75, scale)).toBe(0.5);
    expect(scalePosition(-99, scale)).toBe(-1);
  });

  it('is the chosen mode: fixed ignores the scores', () => {
    expect(scaleFor('fixed', [-30, 2])).toEqual(FIXED_SCALE);
    expect(scaleFor('run', [-30, 2])).toEqual({ fake: 30, real: 2 });
  });

  it('puts its numbers on the colour bar, 0 in the middle', () => {
    expect(colourBarTicks({ fake: 30, real: 2 }).map(formatTickScore)).toEqual(['-30', '-15', '0', '+1', '+2']);
    expect(colourBarTicks({ fake: 3.4, real: 1 }).map(formatTickScore)).toEqual(['-3.4', '-1.7', '0', '+0.5', '+1']);
  });
});

describe('one legend everywhere', () => {
  it('says what the drawing draws, on the card and in the doc card', () => {
    expect(D_SCORE_LEGEND).toMatch(/^blue: D judges the patch real.*red: D judges it fake/);
    expect(isBlue(dScoreColour(D_SCORE_LIMIT))).toBe(true);
    expect(isRed(dScoreColour(-D_SCORE_LIMIT))).toBe(true);
    expect(D_SCORE_LEGEND).toContain(`fixed scale −${D_SCORE_LIMIT} to +${D_SCORE_LIMIT}`);
    expect(D_SCORE_LEGEND).toContain("follow the iteration's scores");
    expect(D_SCORE_ENDS).toEqual({ fake: 'red: D says fake', real: 'blue: D says real' });
    expect(nodeRegistry.get('mdan-optimiser')!.doc).toContain(D_SCORE_LEGEND);
  });
});
