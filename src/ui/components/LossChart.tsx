/** Loss curves of a long node (MDAN, MGAN training), from the status history; one line per loss term. */
import { useLossHistory } from '../hooks';

const LINE_COLORS = ['#4fa3ff', '#ff7eb6', '#3fd18b', '#ffb347', '#c9a0ff', '#ff5c5c'];

export function LossChart({ nodeId, compact = false }: { nodeId: string; compact?: boolean }) {
  const history = useLossHistory(nodeId);
  if (history.length < 2) return compact ? null : <div className="empty">No losses yet: run the node.</div>;
  const names = [...new Set(history.flatMap((p) => Object.keys(p.losses)))];
  const w = compact ? 200 : 320;
  const h = compact ? 60 : 160;
  // x is the report's position, not its iteration: a trainer's phases each count from 0.
  const xOf = (i: number) => ((i / Math.max(history.length - 1, 1)) * (w - 4) + 2).toFixed(1);
  return (
    <div className={`loss-chart${compact ? ' compact' : ''}`} data-testid={`loss-chart-${nodeId}`}>
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

function formatLoss(v: number | undefined): string {
  if (v === undefined) return '';
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
}
