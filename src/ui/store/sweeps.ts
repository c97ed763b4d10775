/**
 * Sweeps in the editor: runs the open graph once per value of one param through the runtime (as the
 * CLI's `--sweep` does) and keeps the images for the sweep panel, one sheet per image-out that
 * depends on the swept node. The runtime goes back to the open graph afterwards; the node cards keep
 * the previews they had before the sweep.
 */
import type { GraphDocument } from '../../graph/types';
import { composeContactSheet, type RgbaImage } from '../../formats/contact-sheet';
import type { GraphRuntimeApi, NodeStatus } from '../../runtime/types';
import { SweepError, sweepDocuments, sweepOutputs, sweepText, sweepValueText, type SweepSpec } from './graph-ops';
import type { RuntimeBridge } from './runtime-bridge';

export interface SweepSheet {
  /** The image-out node the sheet is for. */
  output: string;
  tiles: Array<{ label: string; image: RgbaImage }>;
}

export interface SweepState {
  spec?: SweepSpec;
  /** While running: the value being run (0-based), how many there are, and when the sweep started (ms). */
  running?: { index: number; total: number; startedAt: number };
  sheets?: SweepSheet[];
  error?: string;
}

/** What the sweep needs of the editor (kept narrow so the session can be tested without one). */
export interface SweepHost {
  readonly runtime: GraphRuntimeApi;
  readonly bridge: RuntimeBridge;
  /** The document open now. */
  currentDoc(): GraphDocument;
  /** A paused graph (from elsewhere) may run from now on: the user pressed a run button. */
  allowRun(): void;
  /** The sweep started or ended: live runs of cheap nodes stop while it runs (`running`). */
  liveChanged(): void;
}

function failureText(statuses: Map<string, NodeStatus>): string {
  const failed = [...statuses.values()].find((s) => s.state === 'error') ?? [...statuses.values()].find((s) => s.state !== 'done');
  return failed ? `node '${failed.nodeId}': ${failed.error ?? failed.state}` : 'it did not finish';
}

export class SweepSession {
  private state: SweepState = {};
  private readonly listeners = new Set<() => void>();
  private abort?: AbortController;

  constructor(private readonly host: SweepHost) {}

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getSnapshot = (): SweepState => this.state;

  get running(): boolean {
    return this.state.running !== undefined;
  }

  /**
   * Runs `spec` on the open graph. Resolves when the sheets are ready (or with the state holding the
   * error); one sweep at a time.
   */
  async run(spec: SweepSpec): Promise<SweepState> {
    if (this.running) return this.state;
    const doc = this.host.currentDoc();
    let docs: GraphDocument[];
    let outputs: string[];
    try {
      docs = sweepDocuments(doc, spec);
      outputs = sweepOutputs(doc, spec);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      return this.set({ spec, error: e.message });
    }
    this.host.allowRun();
    const abort = new AbortController();
    this.abort = abort;
    const previews = this.host.bridge.keepPreviews();
    const startedAt = Date.now();
    this.set({ spec, running: { index: 0, total: docs.length, startedAt } });
    this.host.liveChanged();
    try {
      const runtime = this.host.runtime;
      if (!runtime.sweep) throw new Error('this runtime cannot run sweeps');
      const result = await runtime.sweep(
        docs,
        outputs.map((node) => ({ node, port: 'image' })),
        { signal: abort.signal, onValue: (index, total) => this.set({ ...this.state, running: { index, total, startedAt } }) },
      );
      if (!result.ok) {
        const value = sweepValueText(spec.values[result.failed.index]);
        const why = result.cancelled ? 'stopped' : `failed at ${spec.param} = ${value}: ${failureText(result.failed.statuses)}`;
        return this.set({ spec, error: `sweep ${spec.node}.${spec.param} ${why}` });
      }
      const labels = spec.values.map(sweepValueText);
      return this.set({
        spec,
        sheets: outputs.map((output) => ({ output, tiles: result.images.map((row, i) => ({ label: labels[i], image: row[output] })) })),
      });
    } catch (e) {
      return this.set({ spec, error: `sweep ${sweepText(spec)} failed: ${e instanceof Error ? e.message : e}` });
    } finally {
      this.abort = undefined;
      // Back to the graph as it is open (cached results answer at once), and to its previews.
      this.host.runtime.setDocument(this.host.currentDoc());
      previews.restore();
      this.host.liveChanged();
    }
  }

  /** Stops the running sweep (the value being run is cancelled, later ones never start). */
  stop(): void {
    if (!this.abort) return;
    this.abort.abort();
    this.host.runtime.cancel();
  }

  /**
   * Milliseconds the running sweep has left, at the pace of the values done so far (the first value
   * also computes what later ones reuse, so this errs long); undefined before one is done.
   */
  msLeft(now = Date.now()): number | undefined {
    const r = this.state.running;
    if (!r || r.index === 0) return undefined;
    return ((now - r.startedAt) / r.index) * (r.total - r.index);
  }

  /** Forgets the last result (the panel closes). */
  clear(): void {
    if (!this.running) this.set({});
  }

  /** The contact sheet of one output, as the CLI writes it (labels drawn into the pixels). */
  sheetImage(sheet: SweepSheet): RgbaImage {
    const spec = this.state.spec!;
    return composeContactSheet(sheet.tiles, `${spec.node}.${spec.param}`);
  }

  private set(state: SweepState): SweepState {
    this.state = state;
    for (const l of this.listeners) l();
    return state;
  }
}
