/**
 * Turns the runtime's streams into plain data the cards can read with `useSyncExternalStore`:
 * per-node status, the latest RGBA preview, the loss history of long nodes, and how many times
 * each node really ran (not served from the cache), which the browser tests read.
 */
import type { GraphDocument } from '../../graph/types';
import { appendDStats, dScoreStats, type DStatsPoint } from '../../nodes/d-score-stats';
import { TimeLeft } from '../../runtime/time-left';
import type { GraphRuntimeApi, NodeStatus, PreviewImage } from '../../runtime/types';

export type LossPoint = { iteration: number; losses: Record<string, number> };

const MAX_LOSS_POINTS = 2000;
/** One shared empty history: snapshots read by useSyncExternalStore must be stable. */
const NO_LOSSES: LossPoint[] = [];
const NO_D_STATS: DStatsPoint[] = [];

export class RuntimeBridge {
  private readonly statuses = new Map<string, NodeStatus>();
  private readonly previews = new Map<string, PreviewImage>();
  private readonly lossHistory = new Map<string, LossPoint[]>();
  /** The last teaching data a long node reported (D's patch scores), kept after it finishes. */
  private readonly lastExtra = new Map<string, Record<string, unknown>>();
  /** D's statistics per iteration (share called real, margin, range), from the patch scores a long node reports. */
  private readonly dStatsHistory = new Map<string, DStatsPoint[]>();
  /** Completed runs per node that did real work (cache hits excluded). */
  readonly runCounts = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly anyListeners = new Set<() => void>();
  private readonly timedListeners = new Set<(nodeId: string, msPerIteration: number) => void>();
  private readonly timeLeft = new TimeLeft();
  private readonly msLeft = new Map<string, number>();
  /** The cache key of the result each node last computed itself (not served from the cache). */
  private readonly computedKey = new Map<string, string>();
  private readonly subscriptions: Array<{ unsubscribe(): void }> = [];

  constructor(readonly runtime: GraphRuntimeApi) {
    this.subscriptions.push(runtime.status$.subscribe((all) => this.onStatuses(all)));
    this.subscriptions.push(
      runtime.preview$.subscribe((p) => {
        this.previews.set(p.nodeId, p);
        this.emit(p.nodeId);
      }),
    );
  }

  status(nodeId: string): NodeStatus | undefined {
    return this.statuses.get(nodeId);
  }
  preview(nodeId: string): PreviewImage | undefined {
    return this.previews.get(nodeId);
  }
  /**
   * True when the node's result came from the cache, unless the node computed that very result
   * since the last edit (a long node's result reused by the run that follows it is not "cached").
   */
  fromCache(nodeId: string): boolean {
    const s = this.statuses.get(nodeId);
    return !!s?.cached && (s.key === undefined || s.key !== this.computedKey.get(nodeId));
  }
  extra(nodeId: string): Record<string, unknown> | undefined {
    return this.lastExtra.get(nodeId);
  }
  /** Milliseconds left of a running node's run (the CLI's pace logic), when there is a pace yet. */
  timeLeftMs(nodeId: string): number | undefined {
    return this.msLeft.get(nodeId);
  }
  losses(nodeId: string): LossPoint[] {
    return this.lossHistory.get(nodeId) ?? NO_LOSSES;
  }
  dStats(nodeId: string): DStatsPoint[] {
    return this.dStatsHistory.get(nodeId) ?? NO_D_STATS;
  }
  /** The nearest node upstream of `nodeId` (following inputs) that has a preview image. */
  upstreamPreviewNode(doc: GraphDocument, nodeId: string): string | undefined {
    const seen = new Set([nodeId]);
    let frontier = [nodeId];
    while (frontier.length) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const e of doc.edges) {
          if (e.to.node !== id || seen.has(e.from.node)) continue;
          if (this.previews.has(e.from.node)) return e.from.node;
          seen.add(e.from.node);
          next.push(e.from.node);
        }
      }
      frontier = next;
    }
    return undefined;
  }
  /** A patch sampler's grid (plain numbers from its output; the patches tensor stays in the runtime). */
  patchGrid(nodeId: string): unknown {
    const out = this.runtime.getOutput(nodeId, 'patches') as { grid?: unknown } | undefined;
    return out?.grid;
  }
  /** True while any node is running or paused (the toolbar's stop button). */
  busy(): boolean {
    for (const s of this.statuses.values()) if (s.state === 'running' || s.state === 'paused') return true;
    return false;
  }

  subscribeNode(nodeId: string, listener: () => void): () => void {
    let set = this.listeners.get(nodeId);
    if (!set) this.listeners.set(nodeId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  subscribeAll(listener: () => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /** Called when a run stops (done, stopped or failed) after its iterations were timed: its milliseconds per iteration. */
  onTimed(listener: (nodeId: string, msPerIteration: number) => void): () => void {
    this.timedListeners.add(listener);
    return () => this.timedListeners.delete(listener);
  }

  /**
   * Keeps the current previews so they can be put back (a sweep runs other values of a param through
   * the same nodes; afterwards the cards should show the graph as it is again).
   */
  keepPreviews(): { restore(): void } {
    const kept = new Map(this.previews);
    return {
      restore: () => {
        for (const id of new Set([...this.previews.keys(), ...kept.keys()])) {
          const before = kept.get(id);
          if (before === this.previews.get(id)) continue;
          if (before) this.previews.set(id, before);
          else this.previews.delete(id);
          this.emit(id);
        }
      },
    };
  }

  /** Forgets a removed node's preview and history. */
  forget(keep: Set<string>): void {
    for (const id of [...this.previews.keys()]) if (!keep.has(id)) this.previews.delete(id);
    for (const id of [...this.lossHistory.keys()]) if (!keep.has(id)) this.lossHistory.delete(id);
    for (const id of [...this.lastExtra.keys()]) if (!keep.has(id)) this.lastExtra.delete(id);
    for (const id of [...this.dStatsHistory.keys()]) if (!keep.has(id)) this.dStatsHistory.delete(id);
  }

  /**
   * The document changed: from now on a result served from the cache is one the user did not just
   * watch being computed, so the cards say "cached" again.
   */
  documentEdited(): void {
    this.computedKey.clear();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private onStatuses(all: Map<string, NodeStatus>): void {
    for (const [id, next] of all) {
      const prev = this.statuses.get(id);
      if (prev === next) continue;
      if (next.state === 'running' && prev?.state !== 'running' && prev?.state !== 'paused') {
        // A fresh run: start a new loss history.
        this.lossHistory.delete(id);
        this.lastExtra.delete(id);
        this.dStatsHistory.delete(id);
      }
      const completed = next.state === 'done' && !next.cached && prev?.state !== 'done';
      // Read the pace before the final status ends the timing.
      const pace = (prev?.state === 'running' || prev?.state === 'paused') && next.state !== 'running' && next.state !== 'paused' ? this.timeLeft.msPerIteration(id) : undefined;
      const left = this.timeLeft.update(id, next);
      if (left === undefined) this.msLeft.delete(id);
      else this.msLeft.set(id, left);
      if (completed) this.runCounts.set(id, (this.runCounts.get(id) ?? 0) + 1);
      if (next.state === 'done' && !next.cached && next.key !== undefined) this.computedKey.set(id, next.key);
      if (next.info?.extra) this.lastExtra.set(id, next.info.extra);
      if (next.info?.extra !== prev?.info?.extra) this.recordDStats(id, next);
      const losses = next.info?.losses;
      if (losses && Object.keys(losses).length) {
        const hist = this.lossHistory.get(id) ?? [];
        const iteration = next.info?.iteration ?? hist.length;
        const last = hist.at(-1);
        // Status updates repeat the same report (progress, previews); record each report once.
        if (!last || last.iteration !== iteration || JSON.stringify(last.losses) !== JSON.stringify(losses)) {
          hist.push({ iteration, losses: { ...losses } });
          if (hist.length > MAX_LOSS_POINTS) hist.splice(0, hist.length - MAX_LOSS_POINTS);
          this.lossHistory.set(id, [...hist]);
        }
      }
      this.statuses.set(id, next);
      this.emit(id);
      if (pace !== undefined) for (const l of this.timedListeners) l(id, pace);
    }
    for (const id of [...this.statuses.keys()]) {
      if (!all.has(id)) {
        this.statuses.delete(id);
        this.emit(id);
      }
    }
  }

  private recordDStats(id: string, status: NodeStatus): void {
    const scores = (status.info?.extra?.patchScores as { values?: ArrayLike<number> } | undefined)?.values;
    const iteration = status.info?.iteration;
    if (!scores || iteration === undefined) return;
    this.dStatsHistory.set(id, appendDStats(this.dStats(id), iteration, dScoreStats(scores)));
  }

  private emit(nodeId: string): void {
    for (const l of this.listeners.get(nodeId) ?? []) l();
    for (const l of this.anyListeners) l();
  }
}
