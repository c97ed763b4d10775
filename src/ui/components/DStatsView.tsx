/**
 * D that explains itself: beside the heatmap, the share of patches D calls real, D's margin and the
 * scores' range over the run, each in a small uPlot chart whose scale follows the run (so a D that
 * wins by 30 does not flatten everything), with a one-line reading of who is ahead. The numbers come
 * from src/nodes/d-score-stats.ts (computed in the runtime bridge); this file only draws them.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { D_HINGE_MARGIN, D_STANDING_TEXT, dStanding, dStatsColumns, dStatsScales, type DStatsPoint, type Range } from '../../nodes/d-score-stats';
import { formatTick } from '../chart-data';
import { formatTickScore as signed } from '../heatmap';
import { useDStats } from '../hooks';

const AXIS = { stroke: '#9aa1b2', grid: { stroke: '#363b47', width: 1 }, ticks: { show: false }, font: '9px system-ui, sans-serif' };
const REF = '#9aa1b2';

interface Line {
  label: string;
  values: number[];
  colour: string;
  dash?: number[];
}

interface ChartSpec {
  id: 'share' | 'margin' | 'range';
  title: string;
  hint: string;
  range: Range;
  lines: Line[];
  format: (v: number) => string;
}

const percent = (v: number) => `${Number((v * 100).toFixed(v < 0.1 ? 1 : 0))}%`;

function chartSpecs(history: DStatsPoint[]): { x: number[]; charts: ChartSpec[] } {
  const c = dStatsColumns(history);
  const s = dStatsScales(history);
  const constant = (v: number) => c.iteration.map(() => v);
  return {
    x: c.iteration,
    charts: [
      {
        id: 'share',
        title: 'called real',
        hint: "share of the image's patches D calls real (score > 0): rises as the image fools D",
        range: s.realShare,
        lines: [{ label: 'called real', values: c.realShare, colour: '#4fa3ff' }],
        format: percent,
      },
      {
        id: 'margin',
        title: 'margin',
        hint: `D's margin: how far the median patch lies on the fake side of D's boundary (its score, negated). Above 0 D is winning; past ${D_HINGE_MARGIN} (dashed) the typical patch is beyond D's hinge`,
        range: s.margin,
        lines: [
          { label: 'margin', values: c.margin, colour: '#ff7eb6' },
          { label: 'hinge', values: constant(D_HINGE_MARGIN), colour: REF, dash: [3, 3] },
          { label: 'boundary', values: constant(0), colour: REF },
        ],
        format: signed,
      },
      {
        id: 'range',
        title: 'scores',
        hint: "the scores' highest (blue), median (purple) and lowest (red) per iteration; the solid grey line is D's boundary 0, the dashed ones its hinge margins ±1",
        range: s.scores,
        lines: [
          { label: 'max', values: c.max, colour: '#4fa3ff' },
          { label: 'median', values: c.median, colour: '#c9a0ff' },
          { label: 'min', values: c.min, colour: '#ff5c5c' },
          { label: 'boundary', values: constant(0), colour: REF },
          { label: '+1', values: constant(D_HINGE_MARGIN), colour: REF, dash: [3, 3] },
          { label: '−1', values: constant(-D_HINGE_MARGIN), colour: REF, dash: [3, 3] },
        ],
        format: signed,
      },
    ],
  };
}

export function DStatsView({ nodeId, large = false }: { nodeId: string; large?: boolean }) {
  const history = useDStats(nodeId);
  const { x, charts } = useMemo(() => chartSpecs(history), [history]);
  const now = history.at(-1)?.stats;
  if (!now || !now.count) return null;
  const standing = dStanding(now);
  return (
    <div className={`d-stats${large ? ' large' : ''}`} data-testid={`d-stats-${nodeId}`} data-standing={standing}>
      <div className="d-stats-now" data-testid="d-stats-now">
        <span title={charts[0]!.hint}>called real <b data-testid="d-stat-share">{percent(now.realShare)}</b></span>
        <span title={charts[1]!.hint}>margin <b data-testid="d-stat-margin">{signed(now.margin)}</b></span>
        <span title={charts[2]!.hint}>scores <b data-testid="d-stat-range">{signed(now.min)} … {signed(now.max)}</b></span>
      </div>
      <div className="d-stats-reading" data-testid="d-stats-reading" title={D_STANDING_TEXT[standing].long}>{large ? D_STANDING_TEXT[standing].long : `${D_STANDING_TEXT[standing].short} (hover: why)`}</div>
      {x.length >= 2 && (
        <div className="d-stats-charts">
          {charts.map((c) => (
            <SmallChart key={c.id} nodeId={nodeId} spec={c} x={x} height={large ? 80 : 30} axes={large} />
          ))}
        </div>
      )}
    </div>
  );
}

function SmallChart({ nodeId, spec, x, height, axes }: { nodeId: string; spec: ChartSpec; x: number[]; height: number; axes: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo<uPlot.AlignedData>(() => [x, ...spec.lines.map((l) => l.values)], [x, spec]);
  const range = useRef(spec.range);
  range.current = spec.range;
  const shape = spec.lines.map((l) => l.label).join(',');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(
      {
        width: Math.max(120, el.clientWidth || 180),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: () => range.current } },
        // On the card the axes give way to the plot: the title line says the y range.
        axes: axes
          ? [
              { ...AXIS, size: 14, values: (_u, splits) => splits.map((v) => String(v)) },
              { ...AXIS, size: 34, values: (_u, splits) => splits.map((v) => (spec.id === 'share' ? percent(v) : formatTick(v))) },
            ]
          : [{ show: false }, { show: false }],
        series: [{}, ...spec.lines.map((l) => ({ label: l.label, stroke: l.colour, width: l.colour === REF ? 1 : 1.5, dash: l.dash, points: { show: false } }))],
      },
      data,
      el,
    );
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
    // A new chart only when the lines change; new data updates it below.
  }, [shape, height, axes]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return (
    <div className="d-stats-chart" data-testid={`d-chart-${spec.id}-${nodeId}`} data-low={spec.range[0]} data-high={spec.range[1]} title={spec.hint}>
      <div className="d-stats-chart-title">{spec.title} <span>{spec.format(spec.range[0])} … {spec.format(spec.range[1])}</span></div>
      <div ref={box} />
    </div>
  );
}
