/**
 * The open graph as one of the saved graphs: its id and name, whether it may run yet, autosave
 * (debounced) to IndexedDB with the viewport and selection, the list of saved graphs and the
 * versions of the open one.
 */
import type { GraphDocument } from '../../graph/types';
import type { BackendInfo } from '../../runtime/types';
import { embeddedImages, externalReferences, type EmbeddedImage, type ExternalReference } from './graph-ops';
import type { GraphStore } from './graph-store';
import { newGraphId, type SavedGraphInfo, type SavedGraphStore, type Snapshot } from './persistence';
import type { ToastStore } from './toasts';

export const AUTOSAVE_DEBOUNCE_MS = 200;

/**
 * A graph from a share link or a dropped file: nothing runs (so nothing is fetched) until the user
 * lets it. `references`: the URLs and local paths it would load, shown so the user can judge.
 */
export interface PausedGraph {
  references: ExternalReference[];
  /** Images it carries inside itself (data: URLs): local, listed so the user knows what they are. */
  embedded: EmbeddedImage[];
  /** The user chose "Keep paused": the banner shrinks to one line (still with its Run button). */
  kept: boolean;
}

/** What the toolbar shows of the session. */
export interface EditorMeta {
  graphId: string;
  graphName: string;
  saved: SavedGraphInfo[];
  backend?: BackendInfo;
  /** Set while the open graph came from elsewhere and may not run yet. */
  paused?: PausedGraph;
}

/** Where a graph being opened came from: `outside` (a link, a dropped or picked file) opens paused. */
export interface OpenOptions {
  from?: 'outside' | 'here';
}

export class GraphLibrary {
  private meta: EditorMeta;
  private readonly listeners = new Set<() => void>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingSave: Promise<void> = Promise.resolve();
  /** Graph id → the graph a share link opened over (this session). */
  private readonly openedOver = new Map<string, { id: string; name: string }>();

  constructor(
    private readonly persistence: SavedGraphStore,
    private readonly store: GraphStore,
    private readonly toasts: ToastStore,
    backend?: BackendInfo,
  ) {
    this.meta = { graphId: newGraphId(), graphName: 'Untitled graph', saved: [], backend };
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getMeta = (): EditorMeta => this.meta;

  get graphName(): string {
    return this.meta.graphName;
  }

  /** The open graph's id and name. */
  current(): { id: string; name: string } {
    return { id: this.meta.graphId, name: this.meta.graphName };
  }

  /** Remembers that the open graph (a share link's) replaced `before` in this tab. */
  openedOverGraph(before: { id: string; name: string }): void {
    this.openedOver.set(this.meta.graphId, before);
  }

  /** The graph a share link replaced in this tab, for the Versions panel of the graph it opened. */
  graphBefore(graphId: string): { id: string; name: string } | undefined {
    return this.openedOver.get(graphId);
  }

  /** Loads the graph open last into the store; false when there is none. */
  async openLast(): Promise<boolean> {
    const lastId = await this.persistence.currentId();
    const last = lastId ? await this.persistence.load(lastId) : undefined;
    if (!last) return false;
    this.setMeta({ graphId: last.id, graphName: last.name, paused: last.paused ? pausedFor(last.doc) : undefined });
    this.store.load(last.doc, { viewport: last.viewport, selection: last.selection });
    return true;
  }

  /**
   * Saves what is pending under the current graph, then names a new graph for `doc` (the caller
   * loads it); a graph from outside starts paused.
   */
  beginNew(name: string, doc: GraphDocument, options: OpenOptions = {}): void {
    this.flushSaveNow();
    this.setMeta({ graphId: newGraphId(), graphName: name, paused: options.from === 'outside' ? pausedFor(doc) : undefined });
  }

  async openSaved(id: string): Promise<void> {
    const g = await this.persistence.load(id);
    if (!g) return this.toasts.show('That graph is no longer saved.', 'error');
    this.flushSaveNow();
    this.setMeta({ graphId: g.id, graphName: g.name, paused: g.paused ? pausedFor(g.doc) : undefined });
    this.store.load(g.doc, { viewport: g.viewport, selection: g.selection });
    await this.persistence.setCurrent(g.id);
  }

  /** The user lets the paused graph run; it stays allowed (saved so). */
  allowRun(): void {
    if (!this.meta.paused) return;
    this.setMeta({ paused: undefined });
    this.scheduleSave(0);
  }

  /** The user keeps the graph paused: the banner shrinks to one line. */
  keepPaused(): void {
    if (this.meta.paused) this.setMeta({ paused: { ...this.meta.paused, kept: true } });
  }

  /** What a paused graph would load follows the user's edits (e.g. a URL cleared). */
  followEdit(doc: GraphDocument): void {
    if (this.meta.paused) this.setMeta({ paused: { ...pausedFor(doc), kept: this.meta.paused.kept } });
  }

  async rename(name: string): Promise<void> {
    this.setMeta({ graphName: name });
    await this.persistence.rename(this.meta.graphId, name);
    this.scheduleSave(0);
    await this.refreshSaved();
  }

  async remove(id: string): Promise<void> {
    await this.persistence.remove(id);
    await this.refreshSaved();
  }

  snapshots(): Promise<Snapshot[]> {
    return this.persistence.snapshots(this.meta.graphId);
  }

  scheduleSave(delay = AUTOSAVE_DEBOUNCE_MS): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), delay);
  }

  /** Resolves once pending autosaves have landed in IndexedDB. */
  async flush(): Promise<void> {
    this.flushSaveNow();
    await this.pendingSave;
    await this.persistence.flush();
  }

  async refreshSaved(): Promise<void> {
    this.setMeta({ saved: await this.persistence.list() });
  }

  private flushSaveNow(): void {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveNow();
  }

  private saveNow(): void {
    this.saveTimer = undefined;
    const s = this.store.getSnapshot();
    this.pendingSave = this.persistence
      .save({
        id: this.meta.graphId,
        name: this.meta.graphName,
        doc: s.doc,
        viewport: s.viewport,
        selection: s.selection,
        paused: this.meta.paused ? true : undefined,
      })
      .then(() => this.refreshSaved())
      .catch((e) => this.toasts.show(`Autosave failed: ${e instanceof Error ? e.message : e}`, 'error'));
  }

  private setMeta(patch: Partial<EditorMeta>): void {
    this.meta = { ...this.meta, ...patch };
    for (const l of this.listeners) l();
  }
}

function pausedFor(doc: GraphDocument): PausedGraph {
  return { references: externalReferences(doc), embedded: embeddedImages(doc), kept: false };
}
