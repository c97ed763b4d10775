/**
 * Loss curves of a long node (MDAN, MGAN training), from the status history; one line per loss term.
 * On the card: a sparkline, each term scaled to its own range. In the inspector: a uPlot chart with
 * axes, hover values, a log scale and a common scale (both on by default: the terms differ by
 * orders of magnitude, which a common log axis shows honestly).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatLoss, formatTick, lossChartData, type ChartData } from '../chart-data';
import { useLossHistory } from '../hooks';
import type { LossPoint } from '../store/runtime-bridge';

const LINE_COLORS = ['#4fa3ff', '#ff7eb6', '#3fd18b', '#ffb347', '#c9a0ff', '#ff5c5c'];
const AXIS = { stroke: '#9aa1b2', grid: { stroke: '#363b47', width: 1 }, ticks: { stroke: '#363b47', width: 1 }, font: '10px system-ui, sans-serif' };

export function LossChart({ nodeId, compact = false }: { nodeId: string; compact?: boolean }) {
  const history = useLossHistory(nodeId);
  if (history.length < 2) return compact ? null : <div className="empty">No losses yet: run the node.</div>;
  return compact ? <Sparkline nodeId={nodeId} history={history} /> : <LossPlot nodeId={nodeId} history={history} />;
}

function Sparkline({ nodeId, history }: { nodeId: string; history: LossPoint[] }) {
  const names = [...new Set(history.flatMap((p) => Object.keys(p.losses)))];
  const w = 200;
  const h = 60;
  // x is the report's position, not its iteration: a trainer's phases each count from 0.
  const xOf = (i: number) => ((i / Math.max(history.length - 1, 1)) * (w - 4) + 2).toFixed(1);
  return (
    <div className="loss-chart compact" data-testid={`loss-chart-${nodeId}`}>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`}>
        {names.map((name, i) => {
          // Each term is scaled to its own range: the terms differ by orders of magnitude.
          const values = history.map((p) => p.losses[name]).filter((v): v is number => Number.isFinite(v));
          const lo = Math.min(...values);
          const hi = Math.max(...values);
          const span = hi - lo || 1;
          const points = history
            .map((p, i) => (Number.isFinite(p.losses[name]) ? `${xOf(i)},${(h - 2 - ((p.losses[name]! - lo) / span) * (h - 4)).toFixed(1)}` : ''))
            .filter(Boolean)
            .join(' ');
          return <polyline key={name} points={points} fill="none" stroke={LINE_COLORS[i % LINE_COLORS.length]} strokeWidth={1.5} />;
        })}
      </svg>
      <div className="legend">
        {names.map((name, i) => (
          <span key={name} style={{ color: LINE_COLORS[i % LINE_COLORS.length] }}>
            {name} {formatLoss(history.at(-1)!.losses[name])}
          </span>
        ))}
      </div>
    </div>
  );
}

/** `current` is read at hover time, so the legend shows the latest data's reported values. */
function plotOptions(data: ChartData, current: { current: ChartData }, log: boolean, common: boolean, width: number): uPlot.Options {
  const distr = log ? 3 : 1;
  const scaleOf = (name: string) => (common ? 'y' : `y:${name}`);
  const scales: uPlot.Scales = { x: { time: false } };
  for (const s of data.series) scales[scaleOf(s.name)] = { distr, log: 10 };
  return {
    width,
    height: 190,
    scales,
    axes: [
      { ...AXIS, label: data.xLabel, labelSize: 14, labelFont: AXIS.font, size: 24 },
      // One y axis when the terms share a scale; with a scale each, a number axis would belong to one term only.
      common
        ? { ...AXIS, scale: 'y', size: 40, values: (_u, splits) => splits.map(formatTick) }
        : { show: false, scale: scaleOf(data.series[0]?.name ?? '') },
    ],
    series: [
      { label: data.xLabel, value: (_u, _v, _series, idx) => String(current.current.x[idx ?? current.current.x.length - 1] ?? '–') },
      ...data.series.map((s, i) => ({
        label: s.name,
        scale: scaleOf(s.name),
        stroke: LINE_COLORS[i % LINE_COLORS.length],
        width: 1.5,
        spanGaps: false,
        points: { show: false },
        // The reported value, also where the log scale leaves a gap (a loss of 0); the latest one when not hovering.
        value: (_u: uPlot, _v: number | null, _series: number, idx: number | null) => {
          const raw = current.current.series[i]?.raw ?? [];
          return formatLoss(raw[idx ?? raw.length - 1]);
        },
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false, setScale: false } },
  };
}

function LossPlot({ nodeId, history }: { nodeId: string; history: LossPoint[] }) {
  const [log, setLog] = useState(true);
  const [common, setCommon] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => lossChartData(history, log), [history, log]);
  const columns = (d: ChartData): uPlot.AlignedData => [d.x, ...d.series.map((s) => s.values)];
  // A new chart when what is drawn changes shape; new data alone only updates it.
  const shape = `${data.series.map((s) => s.name).join(',')}|${data.xLabel}|${log}|${common}`;
  const latest = useRef(data);
  latest.current = data;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(plotOptions(latest.current, latest, log, common, Math.max(200, el.clientWidth || 270)), columns(latest.current), el);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [shape]);
  useEffect(() => {
    plot.current?.setData(columns(data));
  }, [data]);
  return (
    <div className="loss-plot" data-testid={`loss-plot-${nodeId}`} data-log={log} data-common={common}>
      <div className="loss-plot-options">
        <label><input type="checkbox" checked={log} data-testid={`loss-plot-log-${nodeId}`} onChange={(e) => setLog(e.target.checked)} /> log scale</label>
        <label><input type="checkbox" checked={common} data-testid={`loss-plot-common-${nodeId}`} onChange={(e) => setCommon(e.target.checked)} /> common scale</label>
      </div>
      <div ref={box} className="loss-plot-box" />
      {!common && <div className="note">Each term on its own scale (shapes compare, heights do not); hover for values.</div>}
      {log && data.notOnLog.length > 0 && (
        <div className="note" data-testid={`loss-plot-not-on-log-${nodeId}`}>
          Not on the log scale where ≤ 0: {data.notOnLog.join(', ')}.
        </div>
      )}
    </div>
  );
}
