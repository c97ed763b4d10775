/**
 * Turns the runtime's status stream into stderr lines: a line when a node starts and ends, at most
 * one progress line per second per long node (iteration/total and losses), and each warning and note once.
 * On a terminal (`io.status`) long nodes show a progress bar redrawn in place instead of the lines.
 */
import type { Observable, Subscription } from 'rxjs';
import type { GraphDocument } from '../graph/types';
import { formatDuration, TimeLeft } from '../runtime/time-left';
import type { NodeStatus } from '../runtime/types';
import type { CliIO } from './io';

function formatLosses(losses: Record<string, number> | undefined): string {
  if (!losses) return '';
  return Object.entries(losses)
    .map(([k, v]) => `${k}=${Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(' ');
}

/** One progress line; `msLeft` from TimeLeft (src/runtime/time-left.ts). */
export function progressLine(label: string, s: NodeStatus, msLeft?: number): string {
  const parts = [`  ${label}:`];
  if (s.info?.iteration !== undefined) parts.push(`iteration ${s.info.iteration}${s.info.total !== undefined ? `/${s.info.total}` : ''}`);
  if (s.progress !== undefined) parts.push(`(${Math.round(s.progress * 100)}%)`);
  if (msLeft !== undefined) parts.push(`${formatDuration(msLeft)} left`);
  const losses = formatLosses(s.info?.losses);
  if (losses) parts.push(losses);
  // Many nodes' message just repeats "iteration i/n"; print it only when it says more.
  const message = s.info?.message;
  if (message && !/^iteration \d+(\/\d+)?$/i.test(message.trim())) parts.push(`- ${message}`);
  return parts.join(' ');
}

const BAR_WIDTH = 24;

/** A progress bar for a terminal's status line: `label [#####-----] 45% iteration 12/30 2s left losses`. */
export function progressBar(label: string, s: NodeStatus, msLeft?: number): string {
  const fraction = Math.min(1, Math.max(0, s.progress ?? 0));
  const filled = Math.round(fraction * BAR_WIDTH);
  const parts = [`${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`];
  if (s.info?.iteration !== undefined) parts.push(`${s.info.iteration}${s.info.total !== undefined ? `/${s.info.total}` : ''}`);
  if (msLeft !== undefined) parts.push(`${formatDuration(msLeft)} left`);
  const losses = formatLosses(s.info?.losses);
  if (losses) parts.push(losses);
  return parts.join(' ');
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
  const warned = new Set<string>();
  const noted = new Set<string>();
  const timeLeft = new TimeLeft(now);
  const subscription = status$.subscribe((statuses) => {
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
      const msLeft = timeLeft.update(id, s);
      if (s.state === 'running' && previous !== 'running' && previous !== 'paused') {
        io.err(`running ${label}`);
        lastLine.set(id, now());
      } else if (s.state === 'running' && (s.info || s.progress !== undefined)) {
        if (io.status) {
          // A terminal: the bar follows every update in place.
          io.status(progressBar(label, s, msLeft));
        } else if (now() - (lastLine.get(id) ?? 0) >= intervalMs) {
          lastLine.set(id, now());
          io.err(progressLine(label, s, msLeft));
        }
      } else if (s.state === 'done' && previous !== 'done' && !s.cached) {
        io.status?.('');
        io.err(`done ${label} in ${Math.round(s.ms ?? 0)} ms`);
      } else if (s.state === 'error' && previous !== 'error') {
        io.status?.('');
        io.err(`failed ${label}: ${s.error}`);
      }
    }
  });
  subscription.add(() => io.status?.(''));
  return subscription;
}
