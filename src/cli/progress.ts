/**
 * Turns the runtime's status stream into stderr lines: a line when a node starts and ends, at most
 * one progress line per second per long node (iteration/total and losses), and each warning and note once.
 */
import type { Observable, Subscription } from 'rxjs';
import type { GraphDocument } from '../graph/types';
import type { NodeStatus } from '../runtime/types';
import type { CliIO } from './io';

function formatLosses(losses: Record<string, number> | undefined): string {
  if (!losses) return '';
  return Object.entries(losses)
    .map(([k, v]) => `${k}=${Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(' ');
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/**
 * One progress line. The time left is `etaMs` when given (the iteration pace, see reportProgress), else
 * with `elapsedMs` and a progress in (0, 1) the overall fraction's pace.
 */
export function progressLine(label: string, s: NodeStatus, elapsedMs?: number, etaMs?: number): string {
  const parts = [`  ${label}:`];
  if (s.info?.iteration !== undefined) parts.push(`iteration ${s.info.iteration}${s.info.total !== undefined ? `/${s.info.total}` : ''}`);
  if (s.progress !== undefined) parts.push(`(${Math.round(s.progress * 100)}%)`);
  if (etaMs !== undefined) parts.push(`${formatDuration(etaMs)} left`);
  else if (elapsedMs !== undefined && s.progress !== undefined && s.progress > 0 && s.progress < 1) {
    parts.push(`${formatDuration((elapsedMs * (1 - s.progress)) / s.progress)} left`);
  }
  const losses = formatLosses(s.info?.losses);
  if (losses) parts.push(losses);
  // Many nodes' message just repeats "iteration i/n"; print it only when it says more.
  const message = s.info?.message;
  if (message && !/^iteration \d+(\/\d+)?$/i.test(message.trim())) parts.push(`- ${message}`);
  return parts.join(' ');
}

/** Where a node's iteration counter started being timed: reset when its total changes or it goes back. */
interface IterationPace {
  total: number;
  iteration: number;
  at: number;
  last: number;
}

/**
 * Time left from the pace of the iterations themselves, when the node reports iteration/total. Why not
 * the overall fraction: it jumps when part of the work is cached (mgan-trainer with cached MDAN
 * targets starts at 30%), and the fraction's pace then promised "30 s left" for a 9-minute training.
 * Returns `undefined` without an iteration counter (use the fraction), `null` while counting but
 * before there is a pace (say nothing).
 */
function iterationEta(paces: Map<string, IterationPace>, id: string, s: NodeStatus, t: number): number | null | undefined {
  const iteration = s.info?.iteration;
  const total = s.info?.total;
  if (iteration === undefined || total === undefined) return undefined;
  const pace = paces.get(id);
  if (!pace || pace.total !== total || iteration < pace.last) {
    paces.set(id, { total, iteration, at: t, last: iteration });
    return null;
  }
  pace.last = iteration;
  if (iteration <= pace.iteration || iteration >= total) return null;
  return ((t - pace.at) / (iteration - pace.iteration)) * (total - iteration);
}

export function reportProgress(
  status$: Observable<Map<string, NodeStatus>>,
  doc: GraphDocument,
  io: CliIO,
  options: { intervalMs?: number; now?: () => number } = {},
): Subscription {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const typeOf = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const lastState = new Map<string, string>();
  const lastLine = new Map<string, number>();
  const startedAt = new Map<string, number>();
  const warned = new Set<string>();
  const noted = new Set<string>();
  const paces = new Map<string, IterationPace>();
  return status$.subscribe((statuses) => {
    for (const [id, s] of statuses) {
      const label = `${id} (${typeOf.get(id) ?? '?'})`;
      for (const w of s.warnings ?? []) {
        if (warned.has(`${id}\u0000${w}`)) continue;
        warned.add(`${id}\u0000${w}`);
        io.err(`warning: ${label}: ${w}`);
      }
      for (const n of s.notes ?? []) {
        if (noted.has(`${id}\u0000${n}`)) continue;
        noted.add(`${id}\u0000${n}`);
        io.err(`note: ${label}: ${n}`);
      }
      const previous = lastState.get(id);
      lastState.set(id, s.state);
      if (s.state === 'running' && previous !== 'running' && previous !== 'paused') {
        io.err(`running ${label}`);
        lastLine.set(id, now());
        startedAt.set(id, now());
      } else if (s.state === 'running' && (s.info || s.progress !== undefined)) {
        const eta = iterationEta(paces, id, s, now());
        if (now() - (lastLine.get(id) ?? 0) >= intervalMs) {
          lastLine.set(id, now());
          io.err(eta === undefined ? progressLine(label, s, now() - (startedAt.get(id) ?? now())) : progressLine(label, s, undefined, eta ?? undefined));
        }
      } else if (s.state === 'done' && previous !== 'done' && !s.cached) {
        io.err(`done ${label} in ${Math.round(s.ms ?? 0)} ms`);
      } else if (s.state === 'error' && previous !== 'error') {
        io.err(`failed ${label}: ${s.error}`);
      }
    }
  });
}
