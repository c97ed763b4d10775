/**
 * The editor session: ties the graph store to autosave, the runtime (which re-runs cheap nodes
 * live: its `live` option) and the ways graphs come in and go out. Components call these methods; none of this is React.
 */
import { emptyDocument } from '../../graph/document';
import type { GraphDocument, ParamValue } from '../../graph/types';
import { isAbortError } from '../../util/abort';
import type { BackendInfo, BackendName, GraphRuntimeApi } from '../../runtime/types';
import { nodeRegistry } from '../../nodes/registry';
import { estimateSeconds, measuredFactor, workOf } from '../../runtime/estimate';
import { formatDuration } from '../../runtime/time-left';
import { estimateSizes, placeClear, tidyPositions, type Size } from '../layout';
import { addNode, externalReferences, moveNodes, setParam, type ExternalReference } from './graph-ops';
import { DEFAULT_VIEWPORT, GraphStore } from './graph-store';
import { GraphPersistence, newGraphId, type SavedGraphInfo, type Snapshot } from './persistence';
import { RuntimeBridge } from './runtime-bridge';
import { checkImageBlob } from '../../platform/shared/image-header';
import { downloadBytes, previewPng, readGraphFile, readShareHash, shareUrl, type LoadResult } from './sharing';
import { PanelStore } from './panels';
import { SpeedMemory } from './speed';
import { STARTER_GRAPH, STARTER_NAME } from '../starter';
import { ToastStore } from './toasts';

export const AUTOSAVE_DEBOUNCE_MS = 200;

/** Where an image picker puts the user's own files. */
export interface ImageLibrary {
  /** Stores the file and returns the param value that refers to it. */
  storeImage(file: File): Promise<string>;
}

/** The browser's decoders, as the editor needs them (the runtime's DecoderCatalog fits). */
export interface DecoderLibrary {
  /** Stores a shared `.mgan` file; rejects with a clear message when it is not a decoder. */
  importFile(bytes: Uint8Array, name?: string): Promise<{ name: string }>;
  /** Yours and the bundled ones; a bundled one yours hides is `hidden`, a damaged one has `error`. */
  entries(): Promise<Array<{ name: string; origin: DecoderOrigin; hidden?: boolean; error?: string }>>;
}

/** Where a decoder comes from: stored in this browser, or shipped with the site. */
export type DecoderOrigin = 'yours' | 'bundled';

export interface DecoderChoice {
  name: string;
  origin: DecoderOrigin;
}

/** First bytes of a shared decoder file (src/platform/shared/decoder-store.ts), to tell one from a graph or image. */
const DECODER_FILE_MAGIC = 'MGANDEC1';

/**
 * A graph from a share link or a dropped file: nothing runs (so nothing is fetched) until the user
 * lets it. `references`: the URLs and local paths it would load, shown so the user can judge.
 */
export interface PausedGraph {
  references: ExternalReference[];
  /** The user chose "Keep paused": the banner shrinks to one line (still with its Run button). */
  kept: boolean;
}

/** A long node's time before it runs: one line for the card, the breakdown for its tooltip. */
export interface NodeEstimate {
  text: string;
  detail: string;
}

/** How the editor names each backend (toolbar, estimates). */
export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

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

export class Editor {
  readonly store = new GraphStore();
  readonly toasts = new ToastStore();
  readonly panels = new PanelStore();
  readonly speed = new SpeedMemory();
  readonly bridge: RuntimeBridge;
  private meta: EditorMeta = { graphId: newGraphId(), graphName: 'Untitled graph', saved: [] };
  private readonly metaListeners = new Set<() => void>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingSave: Promise<void> = Promise.resolve();
  private readonly decoderListeners = new Set<() => void>();
  /** Graph id → the graph a share link opened over (this session). */
  private readonly openedOver = new Map<string, { id: string; name: string }>();

  constructor(
    readonly runtime: GraphRuntimeApi,
    readonly persistence: GraphPersistence,
    readonly images: ImageLibrary,
    backend?: BackendInfo,
    readonly decoders?: DecoderLibrary,
  ) {
    this.bridge = new RuntimeBridge(runtime);
    this.meta.backend = backend;
    this.store.onDocumentChange((doc) => {
      // What a paused graph would load follows the user's edits (e.g. a URL cleared).
      if (this.meta.paused) this.setMeta({ paused: { ...this.meta.paused, references: externalReferences(doc) } });
      this.bridge.forget(new Set(doc.nodes.map((n) => n.id)));
      this.runtime.setDocument(doc);
      this.scheduleSave();
    });
    // Each timed run of a long node measures this backend's speed for later estimates.
    this.bridge.onTimed((id, msPerIteration) => {
      const parts = workOf(this.store.doc, id, nodeRegistry);
      const factor = parts && measuredFactor(parts, msPerIteration);
      if (factor !== undefined && this.meta.backend) this.speed.record(this.meta.backend.name, factor);
    });
    // Selection and viewport are part of "exactly where the user was".
    let last = this.store.getSnapshot();
    this.store.subscribe(() => {
      const now = this.store.getSnapshot();
      if (now.selection !== last.selection || now.viewport !== last.viewport) this.scheduleSave();
      last = now;
    });
  }

  readonly subscribeMeta = (l: () => void) => {
    this.metaListeners.add(l);
    return () => this.metaListeners.delete(l);
  };
  readonly getMeta = (): EditorMeta => this.meta;

  /** Opens the share link in the URL if there is one, else the graph open last. */
  async start(hash: string): Promise<void> {
    const shared = readShareHash(hash);
    const lastId = await this.persistence.currentId();
    const last = lastId ? await this.persistence.load(lastId) : undefined;
    if (last) {
      this.setMeta({ graphId: last.id, graphName: last.name, paused: last.paused ? this.pausedFor(last.doc) : undefined });
      this.store.load(last.doc, { viewport: last.viewport, selection: last.selection });
    } else if (!shared?.ok) {
      // First open: a graph that runs in a moment, and the presets as a welcome over it.
      this.openAsNew(STARTER_GRAPH, STARTER_NAME);
      this.panels.set({ gallery: true, welcome: true });
    }
    if (shared) this.openShared(shared);
    await this.refreshSaved();
  }

  /**
   * Opens a share link's graph (read by readShareHash) as a new named graph, paused like any graph
   * from outside: on start, and when a link is pasted into a tab that has the editor open
   * (hashchange). The graph the tab had stays saved with its versions, and the new graph's Versions
   * panel leads back to it. A damaged link only shows why, leaving the open graph as it was.
   */
  openShared(shared: LoadResult): boolean {
    if (!shared.ok) {
      this.toasts.show(shared.message, 'error');
      return false;
    }
    const before = this.store.doc.nodes.length ? { id: this.meta.graphId, name: this.meta.graphName } : undefined;
    this.openAsNew(shared.doc, `Shared graph ${new Date().toLocaleString()}`, shared.warnings, { from: 'outside' });
    if (before) {
      this.openedOver.set(this.meta.graphId, before);
      this.toasts.show(`Opened the shared graph; '${before.name}' is kept (Versions, or the ▾ list of graphs).`);
    }
    return true;
  }

  /** The graph a share link replaced in this tab, for the Versions panel of the graph it opened. */
  graphBefore(graphId: string): { id: string; name: string } | undefined {
    return this.openedOver.get(graphId);
  }

  /**
   * Sets one param (a run of changes to the same param is one undo step). The fields only send
   * values the param allows; anything else is shown as a message, never thrown into React.
   */
  setParam(nodeId: string, name: string, value: ParamValue): boolean {
    try {
      this.store.edit((d) => setParam(d, nodeId, name, value), `param:${nodeId}:${name}`);
      return true;
    } catch (e) {
      this.toasts.show(e instanceof Error ? e.message : String(e), 'error');
      return false;
    }
  }

  /**
   * How long a long node will take on the current backend, before it runs: its work
   * (src/runtime/estimate.ts) at this browser's measured speed, else the built-in table's.
   */
  estimate(nodeId: string): NodeEstimate | undefined {
    const parts = workOf(this.store.doc, nodeId, nodeRegistry);
    const backend = this.meta.backend?.name;
    if (!parts?.length || !backend) return undefined;
    const name = BACKEND_LABEL[backend];
    const speed = this.speed.speed(backend);
    if (!speed) {
      return {
        text: `time: known after a first run on ${name}`,
        detail: `No speed measured for ${name} in this browser yet: it depends on the GPU. Run the node once (a few iterations, then stop is enough); later estimates use that pace.`,
      };
    }
    const e = estimateSeconds(parts, speed.factor);
    const lines = e.parts.map((p) => `${p.label}: ${p.seconds === undefined ? 'count known only when it runs' : formatDuration(p.seconds * 1000)}`);
    lines.push(`speed of ${name}: ${speed.factor.toPrecision(3)}× the reference (${speed.note}); reference: Node WASM on a 2-core machine, docs/editor.md`);
    const text =
      e.seconds !== undefined
        ? `takes ≈ ${formatDuration(e.seconds * 1000)} on ${name}`
        : e.secondsPerIteration !== undefined
          ? `takes ≈ ${formatDuration(e.secondsPerIteration * 1000)} per ${e.each ?? 'step'} on ${name}`
          : `time: known when it runs`;
    return { text, detail: lines.join('\n') };
  }

  /** Measured card sizes, supplied by the canvas (React Flow measures the cards). */
  measureCards: () => Map<string, Size> = () => new Map();

  /**
   * Moves the just-added nodes `ids` (as a group) off the cards they would cover, to the nearest
   * free spot: new, pasted and duplicated nodes never land on top of a card.
   */
  clearOfCards(doc: GraphDocument, ids: string[]): GraphDocument {
    const sizes = estimateSizes(doc, nodeRegistry);
    for (const [id, size] of this.measureCards()) sizes.set(id, size);
    const moves = placeClear(doc, ids, sizes);
    return Object.keys(moves).length ? moveNodes(doc, moves) : doc;
  }

  /** Re-lays out the graph in columns by depth (one undoable edit). */
  tidy(): void {
    const sizes = estimateSizes(this.store.doc, nodeRegistry);
    for (const [id, size] of this.measureCards()) sizes.set(id, size);
    const positions = tidyPositions(this.store.doc, sizes);
    this.store.edit((d) => moveNodes(d, positions));
  }

  /**
   * Loads a document as a new named graph; the graph that was open stays saved. A graph from outside
   * (a link, a dropped or picked file) opens paused: nothing runs until `allowRun`.
   */
  openAsNew(doc: GraphDocument, name: string, warnings: string[] = [], options: OpenOptions = {}): void {
    this.flushSaveNow();
    this.setMeta({ graphId: newGraphId(), graphName: name, paused: options.from === 'outside' ? this.pausedFor(doc) : undefined });
    // The default viewport makes the canvas fit the new graph into view.
    this.store.load(doc, { viewport: DEFAULT_VIEWPORT, selection: [] });
    this.runtime.clearCache();
    for (const w of warnings) this.toasts.show(w, 'info', 6000);
    this.scheduleSave(0);
  }

  async openSaved(id: string): Promise<void> {
    const g = await this.persistence.load(id);
    if (!g) return this.toasts.show('That graph is no longer saved.', 'error');
    this.flushSaveNow();
    this.setMeta({ graphId: g.id, graphName: g.name, paused: g.paused ? this.pausedFor(g.doc) : undefined });
    this.store.load(g.doc, { viewport: g.viewport, selection: g.selection });
    await this.persistence.setCurrent(g.id);
  }

  /** The user lets the paused graph run: live updates start (the runtime's), and it stays allowed (saved so). */
  allowRun(): void {
    if (!this.meta.paused) return;
    this.setMeta({ paused: undefined });
    this.scheduleSave(0);
  }

  /** The user keeps the graph paused: the banner shrinks to one line. */
  keepPaused(): void {
    if (this.meta.paused) this.setMeta({ paused: { ...this.meta.paused, kept: true } });
  }

  private pausedFor(doc: GraphDocument): PausedGraph {
    return { references: externalReferences(doc), kept: false };
  }

  newGraph(): void {
    this.openAsNew(emptyDocument(), 'Untitled graph');
  }

  /** Opens the small starter graph again (the welcome's "start here"). */
  openStarter(): void {
    this.openAsNew(STARTER_GRAPH, STARTER_NAME);
  }

  async rename(name: string): Promise<void> {
    this.setMeta({ graphName: name });
    await this.persistence.rename(this.meta.graphId, name);
    this.scheduleSave(0);
    await this.refreshSaved();
  }

  async deleteSaved(id: string): Promise<void> {
    await this.persistence.remove(id);
    await this.refreshSaved();
  }

  snapshots(): Promise<Snapshot[]> {
    return this.persistence.snapshots(this.meta.graphId);
  }

  /** Restoring an earlier version is an edit: Ctrl+Z takes it back. */
  restore(snapshot: Snapshot): void {
    this.store.edit(() => snapshot.doc);
    this.toasts.show(`Restored the version from ${new Date(snapshot.at).toLocaleString()}.`);
  }

  /** Applies a load result: a graph opens as a new named graph, a failure only shows its message. */
  applyLoad(result: LoadResult, name: string, options: OpenOptions = {}): boolean {
    if (!result.ok) {
      this.toasts.show(result.message, 'error');
      return false;
    }
    this.openAsNew(result.doc, name, result.warnings, options);
    this.toasts.show(`Opened '${name}'.`);
    return true;
  }

  /**
   * Opens a graph file. Dropped on the canvas (`at` given), an image that holds no graph becomes
   * an image-source node there instead.
   */
  async importFile(file: File, at?: { x: number; y: number }): Promise<boolean> {
    if (await isDecoderFile(file)) return this.importDecoder(file);
    const read = await readGraphFile(file);
    if (!read.ok && read.noGraph && at) return this.addImageSource(file, at);
    return this.applyLoad(read, file.name.replace(/\.(json|png)$/i, ''), { from: 'outside' });
  }

  /** Stores a shared decoder (`.mgan`) in this browser; the graph is left as it is. */
  async importDecoder(file: File): Promise<boolean> {
    if (!this.decoders) {
      this.toasts.show(`Cannot import '${file.name}': this editor has no decoder store.`, 'error');
      return false;
    }
    try {
      const { name } = await this.decoders.importFile(new Uint8Array(await file.arrayBuffer()));
      for (const l of this.decoderListeners) l();
      this.toasts.show(`decoder '${name}' imported; use it in an MGAN decoder node (param decoder)`, 'info', 6000);
      return true;
    } catch (e) {
      this.toasts.show(`Could not import '${file.name}': ${e instanceof Error ? e.message : e}`, 'error');
      return false;
    }
  }

  /** The decoders a name can pick: yours and the bundled ones yours do not hide (empty when there is no store). */
  async decoderChoices(): Promise<DecoderChoice[]> {
    if (!this.decoders) return [];
    return (await this.decoders.entries()).filter((e) => !e.hidden && !e.error).map(({ name, origin }) => ({ name, origin }));
  }

  /** Called after a decoder is imported (pickers refresh their lists). */
  readonly subscribeDecoders = (l: () => void) => {
    this.decoderListeners.add(l);
    return () => this.decoderListeners.delete(l);
  };

  private async addImageSource(file: File, at: { x: number; y: number }): Promise<boolean> {
    try {
      await checkImageBlob(file, `'${file.name}'`);
    } catch (e) {
      this.toasts.show(`${(e as Error).message}; nothing was loaded.`, 'error');
      return false;
    }
    try {
      (await createImageBitmap(file)).close();
    } catch {
      this.toasts.show(`'${file.name}' is not an image the browser can decode, nor a graph; nothing was loaded.`, 'error');
      return false;
    }
    const key = await this.images.storeImage(file);
    this.store.edit((d) => {
      const added = addNode(d, 'image-source', at, { asset: key });
      return this.clearOfCards(added.doc, [added.id]);
    });
    this.toasts.show(`Added '${file.name}' as an image source.`);
    return true;
  }

  exportJson(): void {
    const doc = { ...this.store.doc, meta: { ...this.store.doc.meta, title: this.meta.graphName } };
    downloadBytes(JSON.stringify(doc, null, 2), `${safeFileName(this.meta.graphName)}.json`, 'application/json');
  }

  shareLink(): string {
    return shareUrl(this.store.doc, location.href);
  }

  async copyShareLink(): Promise<string> {
    const url = this.shareLink();
    try {
      await navigator.clipboard.writeText(url);
      this.toasts.show('Share link copied to the clipboard.');
    } catch {
      this.toasts.show('Could not write to the clipboard; the link is in the address bar.', 'info');
      history.replaceState(null, '', url);
    }
    return url;
  }

  /** Saves the preview of `nodeId` (or the first image-out / previewed node) as a PNG holding the graph. */
  async saveImage(nodeId?: string): Promise<boolean> {
    const id = nodeId ?? this.imageNodeForSave();
    const preview = id ? this.bridge.preview(id) : undefined;
    if (!preview) {
      this.toasts.show('Nothing to save yet: run the graph so a node shows a preview.', 'error');
      return false;
    }
    const bytes = await previewPng(preview, this.store.doc);
    downloadBytes(bytes, `${safeFileName(this.meta.graphName)}.png`, 'image/png');
    return true;
  }

  /**
   * Runs what `nodeId` needs (long nodes included): "run to here" and a long node's ▶. Pressing a
   * run button is the user saying so: a paused graph is allowed to run from then on.
   */
  run(nodeId?: string): void {
    if (this.meta.paused) this.allowRun();
    this.runtime.setDocument(this.store.doc);
    this.runtime
      .run({ targets: nodeId ? [nodeId] : undefined, includeLong: true })
      .catch((e) => this.reportRunError(e));
  }
  pause(nodeId: string): void {
    this.runtime.pause(nodeId);
  }
  resume(nodeId: string): void {
    this.runtime.resume(nodeId);
  }
  step(nodeId: string): void {
    this.runtime.step(nodeId);
  }
  stop(nodeId?: string): void {
    this.runtime.cancel(nodeId);
  }

  /** Resolves once pending autosaves have landed in IndexedDB (the tests call it before reloading). */
  async flush(): Promise<void> {
    this.flushSaveNow();
    await this.pendingSave;
    await this.persistence.flush();
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
          if (this.bridge.preview(e.from.node)) return e.from.node;
          seen.add(e.from.node);
          next.push(e.from.node);
        }
      }
      frontier = next;
    }
    return undefined;
  }

  /** A patch sampler's grid (plain numbers from its output; the patches tensor stays in the runtime). */
  patchGridOf(nodeId: string): unknown {
    const out = this.runtime.getOutput(nodeId, 'patches') as { grid?: unknown } | undefined;
    return out?.grid;
  }

  private imageNodeForSave(): string | undefined {
    const { doc, selection } = this.store.getSnapshot();
    const withPreview = (id: string) => !!this.bridge.preview(id);
    return (
      selection.find(withPreview) ??
      doc.nodes.find((n) => n.type === 'image-out' && withPreview(n.id))?.id ??
      doc.nodes.find((n) => withPreview(n.id))?.id
    );
  }

  private reportRunError(e: unknown): void {
    if (isAbortError(e)) return;
    // Node errors show on their cards; this is for failures of the run itself.
    console.warn('run failed', e);
  }

  private scheduleSave(delay = AUTOSAVE_DEBOUNCE_MS): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), delay);
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

  private async refreshSaved(): Promise<void> {
    this.setMeta({ saved: await this.persistence.list() });
  }

  private setMeta(patch: Partial<EditorMeta>): void {
    this.meta = { ...this.meta, ...patch };
    // A graph from elsewhere fetches and runs nothing until the user lets it.
    this.runtime.setLive(!this.meta.paused);
    for (const l of this.metaListeners) l();
  }
}

function safeFileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'graph';
}

/** A `.mgan` by name, or any file that starts with the decoder file's magic. */
async function isDecoderFile(file: File): Promise<boolean> {
  if (/\.mgan$/i.test(file.name)) return true;
  const head = new Uint8Array(await file.slice(0, DECODER_FILE_MAGIC.length).arrayBuffer());
  return new TextDecoder().decode(head) === DECODER_FILE_MAGIC;
}
