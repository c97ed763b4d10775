/** The loss chart's columns: x, one column per term, gaps where a log scale cannot go. */
import { describe, expect, it } from 'vitest';
import { formatLoss, formatTick, lossChartData } from '../../src/ui/chart-data';

describe('loss chart data', () => {
  const mdan = [
    { iteration: 1, losses: { d: 2, image: 1.5, content: 0 } },
    { iteration: 2, losses: { d: 1.2, image: 0.9, content: 0 } },
    { iteration: 3, losses: { d: 0.8, image: Number.NaN, content: 0 } },
  ];

  it('puts the terms in columns against the iteration, NaN as a gap', () => {
    const data = lossChartData(mdan, false);
    expect(data.xLabel).toBe('iteration');
    expect(data.x).toEqual([1, 2, 3]);
    expect(data.series).toEqual([
      { name: 'd', values: [2, 1.2, 0.8], raw: [2, 1.2, 0.8] },
      { name: 'image', values: [1.5, 0.9, null], raw: [1.5, 0.9, null] },
      { name: 'content', values: [0, 0, 0], raw: [0, 0, 0] },
    ]);
    expect(data.notOnLog).toEqual([]);
  });

  it('leaves values at or below 0 out of a log scale and names their terms', () => {
    const data = lossChartData(mdan, true);
    expect(data.series[2]!.values).toEqual([null, null, null]);
    // The hover legend still says what was reported.
    expect(data.series[2]!.raw).toEqual([0, 0, 0]);
    expect(data.notOnLog).toEqual(['content']);
  });

  it('counts reports when the iterations restart (a trainer phase after the MDAN targets)', () => {
    const data = lossChartData(
      [
        { iteration: 10, losses: { mdanD: 1 } },
        { iteration: 20, losses: { mdanD: 0.5 } },
        { iteration: 1, losses: { g: 3, d: 1 } },
      ],
      false,
    );
    expect(data.xLabel).toBe('report');
    expect(data.x).toEqual([0, 1, 2]);
    expect(data.series.map((s) => s.name)).toEqual(['mdanD', 'g', 'd']);
    expect(data.series[1]!.values).toEqual([null, null, 3]);
  });

  it('formats values for the legend and axes', () => {
    expect(formatLoss(0.5)).toBe('0.500');
    expect(formatLoss(12345)).toBe('1.23e+4');
    expect(formatLoss(0.00042)).toBe('4.20e-4');
    expect(formatLoss(null)).toBe('–');
    expect([0.1, 1, 100, 0.25, 12345, 0.0005, 0].map(formatTick)).toEqual(['0.1', '1', '100', '0.25', '1e+4', '5e-4', '0']);
  });
});
