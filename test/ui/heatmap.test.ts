/** D's score heatmap: a fixed diverging scale around D's decision boundary 0, one legend. */
import { describe, expect, it } from 'vitest';
import { D_SCORE_ENDS, D_SCORE_LEGEND, D_SCORE_LIMIT } from '../../src/nodes/score-scale';
import { nodeRegistry } from '../../src/nodes/registry';
import { colourBarTicks, cssColour, dScoreColour } from '../../src/ui/heatmap';

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

describe('one legend everywhere', () => {
  it('says what the drawing draws, on the card and in the doc card', () => {
    expect(D_SCORE_LEGEND).toMatch(/^blue: D judges the patch real.*red: D judges it fake/);
    expect(isBlue(dScoreColour(D_SCORE_LIMIT))).toBe(true);
    expect(isRed(dScoreColour(-D_SCORE_LIMIT))).toBe(true);
    expect(D_SCORE_LEGEND).toContain(`Fixed scale −${D_SCORE_LIMIT} to +${D_SCORE_LIMIT}`);
    expect(D_SCORE_ENDS).toEqual({ fake: 'red: D says fake', real: 'blue: D says real' });
    expect(nodeRegistry.get('mdan-optimiser')!.doc).toContain(D_SCORE_LEGEND);
  });
});
