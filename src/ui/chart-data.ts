/**
 * A long node's loss history as chart columns: one x column and one column per loss term, in the
 * order the terms first appear. On a log scale values at or below 0 have no place, so they become
 * gaps (and the terms that lost values are named, so the chart can say so).
 */
import type { LossPoint } from './store/runtime-bridge';

export interface ChartSeries {
  name: string;
  /** What is drawn (null: a gap). */
  values: Array<number | null>;
  /** The reported values, for the hover legend (null: not reported or not finite). */
  raw: Array<number | null>;
}

export interface ChartData {
  x: number[];
  /** 'iteration' when the reports' iterations only go up (MDAN), else 'report' (a trainer counts each phase from 0). */
  xLabel: 'iteration' | 'report';
  series: ChartSeries[];
  /** Terms with values a log scale cannot show (≤ 0). */
  notOnLog: string[];
}

export function lossChartData(history: LossPoint[], log: boolean): ChartData {
  const names = [...new Set(history.flatMap((p) => Object.keys(p.losses)))];
  const rising = history.every((p, i) => i === 0 || p.iteration > history[i - 1]!.iteration);
  const notOnLog = new Set<string>();
  const series = names.map((name) => {
    const raw = history.map((p) => {
      const v = p.losses[name];
      return v === undefined || !Number.isFinite(v) ? null : v;
    });
    const values = raw.map((v) => {
      if (log && v !== null && v <= 0) {
        notOnLog.add(name);
        return null;
      }
      return v;
    });
    return { name, values, raw };
  });
  return {
    x: rising ? history.map((p) => p.iteration) : history.map((_, i) => i),
    xLabel: rising ? 'iteration' : 'report',
    series,
    notOnLog: names.filter((n) => notOnLog.has(n)),
  };
}

/** A loss value as the legend and the axis show it: 3 decimals, or an exponent for very large or small ones. */
export function formatLoss(v: number | null | undefined): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
}

/** An axis tick: as short as it can be (0.1, 1, 250, 1e+4, 5e-4). */
export function formatTick(v: number | null | undefined): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '';
  if (v !== 0 && (Math.abs(v) >= 10_000 || Math.abs(v) < 0.001)) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}
