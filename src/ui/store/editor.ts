/**
 * The editor session, as the components see it: the graph store, toasts and panels, and one method per
 * user action. The work is done by its parts: the runtime (which re-runs cheap nodes live: its `live`
 * option, off while the graph is paused) and its bridge, the saved-graph library (autosave, versions,
 * paused graphs from elsewhere), imports, exports and time estimates. None of this is React.
 */
import { emptyDocument } from '../../graph/document';
import { upstreamOf } from '../../graph/topo';
import type { GraphDocument, ParamValue } from '../../graph/types';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import type { BackendInfo, GraphRuntimeApi } from '../../runtime/types';
import { isAbortError } from '../../util/abort';
import { estimateSizes, placeClear, tidyLayout, type Size } from '../layout';
import { STARTER_GRAPH, STARTER_NAME } from '../starter';
import { BACKEND_LABEL, estimateNode, type NodeEstimate, recordSpeed, totalSeconds } from './estimates';
import { GraphExports } from './exports';
import { HeatmapScaleSetting } from './heatmap-scale';
import { droppedFiles, moveCanvasItems, setParam } from './graph-ops';
import { DEFAULT_VIEWPORT, GraphStore } from './graph-store';
import { DecoderShelf } from './decoder-shelf';
import { type DecoderChoice, type DecoderEntry, type DecoderLibrary, type DecoderOrigin, GraphImports, type ImageLibrary } from './imports';
import { type EditorMeta, GraphLibrary, type OpenOptions, type PausedGraph } from './library';
import type { SharePlan } from './link-images';
import { PanelStore } from './panels';
import type { SavedGraphStore, Snapshot } from './persistence';
import { RuntimeBridge } from './runtime-bridge';
import { readShareHash, type LoadResult } from './sharing';
import { SpeedMemory } from './speed';
import { SweepSession } from './sweeps';
import { ToastStore } from './toasts';

export { BACKEND_LABEL };
export type { DecoderChoice, DecoderEntry, DecoderLibrary, DecoderOrigin, EditorMeta, ImageLibrary, NodeEstimate, OpenOptions, PausedGraph };

export class Editor {
  readonly store = new GraphStore();
  readonly toasts = new ToastStore();
  readonly panels = new PanelStore();
  readonly speed = new SpeedMemory();
  /** D's heatmap: colours that follow the run's scores, or a fixed scale. */
  readonly heatmapScale = new HeatmapScaleSetting();
  readonly bridge: RuntimeBridge;
  private readonly library: GraphLibrary;
  private readonly imports: GraphImports;
  private readonly exports: GraphExports;
  /** The Decoders panel: yours and the bundled ones, with thumbnails; export, rename, delete. */
  readonly decoderShelf: DecoderShelf;
  /** Sweeps of one param over a list of values, and their contact sheets. */
  readonly sweeps: SweepSession;

  constructor(
    readonly runtime: GraphRuntimeApi,
    readonly persistence: SavedGraphStore,
    readonly images: ImageLibrary,
    backend?: BackendInfo,
    readonly decoders?: DecoderLibrary,
  ) {
    this.bridge = new RuntimeBridge(runtime);
    this.library = new GraphLibrary(persistence, this.store, this.toasts, backend);
    this.imports = new GraphImports(
      this.store,
      this.library,
      this.toasts,
      images,
      decoders,
      (doc, name, warnings, options) => this.openAsNew(doc, name, warnings, options),
      (doc, ids) => this.clearOfCards(doc, ids),
    );
    this.exports = new GraphExports(this.store, this.library, this.bridge, this.toasts);
    this.decoderShelf = new DecoderShelf(decoders, this.toasts, () => this.imports.decodersChanged());
    this.sweeps = new SweepSession({
      runtime,
      bridge: this.bridge,
      currentDoc: () => this.store.doc,
      allowRun: () => this.library.allowRun(),
      liveChanged: () => this.updateLive(),
    });
    this.library.subscribe(() => this.updateLive());
    // A decoder imported, renamed or deleted may change what a node's decoder name means: results
    // decoded with the old one must not be reused.
    this.imports.subscribeDecoders(() => this.runtime.resourcesChanged('store-or-path'));
    this.store.onDocumentChange((doc) => {
      this.library.followEdit(doc);
      this.bridge.forget(new Set(doc.nodes.map((n) => n.id)));
      this.bridge.documentEdited();
      this.runtime.setDocument(doc);
      this.library.scheduleSave();
    });
    // Each timed run of a long node measures this backend's speed for later estimates.
    this.bridge.onTimed((id, msPerIteration) => recordSpeed(this.speed, this.store.doc, id, msPerIteration, this.library.getMeta().backend?.name));
    // Selection and viewport are part of "exactly where the user was".
    let last = this.store.getSnapshot();
    this.store.subscribe(() => {
      const now = this.store.getSnapshot();
      if (now.selection !== last.selection || now.viewport !== last.viewport) this.library.scheduleSave();
      last = now;
    });
  }

  /**
   * Live runs of cheap nodes: off while the graph is paused (a graph from elsewhere fetches and runs
   * nothing until the user lets it) and while a sweep has the runtime to itself.
   */
  private updateLive(): void {
    this.runtime.setLive(!this.library.getMeta().paused && !this.sweeps.running);
  }

  readonly subscribeMeta = (l: () => void) => this.library.subscribe(l);
  readonly getMeta = (): EditorMeta => this.library.getMeta();

  /** Opens the share link in the URL if there is one, else the graph open last (the starter graph the first time). */
  async start(hash: string): Promise<void> {
    const shared = readShareHash(hash);
    if (!(await this.library.openLast()) && !shared?.ok) {
      // First open: a graph that runs in a moment, and the presets as a welcome over it.
      this.openAsNew(STARTER_GRAPH, STARTER_NAME);
      this.panels.set({ gallery: true, welcome: true });
    }
    if (shared) this.openShared(shared);
    await this.library.refreshSaved();
  }

  /**
   * Sets one param (a run of changes to the same param is one undo step). The fields only send
   * values the param allows; anything else is shown as a message, never thrown into React.
   */
  setParam(nodeId: string, name: string, value: ParamValue): boolean {
    const stops = this.runsStoppedBy(nodeId, name);
    if (stops.length && !this.confirm(stopQuestion(`${nodeId}.${name}`, stops))) return false;
    return this.tryEdit((d) => setParam(d, nodeId, name, value), `param:${nodeId}:${name}`);
  }

  /** Asks the user yes or no (the browser's dialog; tests and other hosts may replace it). */
  confirm: (message: string) => boolean = (message) => globalThis.confirm?.(message) ?? true;

  /**
   * The running or paused long nodes that a change of `nodeId`.`param` would stop: the node itself
   * unless the param is one it takes mid-run (learning rate, loss weights), and every long node
   * downstream of `nodeId`. Described for the question asked first ("the paused run of 'mdan' at
   * iteration 12 of 100").
   */
  runsStoppedBy(nodeId: string, param: string): StoppedRun[] {
    const doc = this.store.doc;
    const out: StoppedRun[] = [];
    for (const n of doc.nodes) {
      const def = editorNodeRegistry.get(n.type);
      const status = this.bridge.status(n.id);
      if (!def?.long || (status?.state !== 'running' && status?.state !== 'paused')) continue;
      const own = n.id === nodeId;
      if (own && def.params.find((p) => p.name === param)?.midRun) continue;
      if (!own && !upstreamOf(doc, [n.id]).has(nodeId)) continue;
      const at = status.info?.iteration !== undefined && status.info.total !== undefined ? ` at iteration ${status.info.iteration} of ${status.info.total}` : '';
      out.push({ text: `the ${status.state} run of '${n.id}'${at}`, paused: status.state === 'paused' });
    }
    return out;
  }

  /**
   * An edit the user asked for that the document may refuse (a note too long, a colour that is not
   * one): the refusal shows as a message instead of throwing. True when it was applied.
   */
  tryEdit(change: (doc: GraphDocument) => GraphDocument, coalesceKey?: string): boolean {
    try {
      this.store.edit(change, coalesceKey);
      return true;
    } catch (e) {
      this.toasts.show(e instanceof Error ? e.message : String(e), 'error');
      return false;
    }
  }

  /** How long a long node will take on the current backend, before it runs. */
  estimate(nodeId: string): NodeEstimate | undefined {
    return estimateNode(this.speed, this.store.doc, nodeId, this.library.getMeta().backend?.name);
  }

  /** Esc: every panel and overlay closes (a running sweep keeps running; its panel comes back with ▶ Sweep). */
  closePanels(): void {
    this.panels.set({ search: undefined, docType: undefined, gallery: false, welcome: false, versions: false, share: false, decoders: false, sweep: false, viewer: undefined, present: undefined });
    this.sweeps.clear();
  }

  /** Seconds Run all will take (or has left): every long node's estimate or time left; undefined when one is not known. */
  runAllSeconds(): number | undefined {
    const long = this.store.doc.nodes.filter((n) => editorNodeRegistry.get(n.type)?.long);
    if (!long.length) return undefined;
    return totalSeconds(long.map((n) => ({ state: this.bridge.status(n.id)?.state ?? 'idle', msLeft: this.bridge.timeLeftMs(n.id), estimate: this.estimate(n.id) })));
  }

  // ---- canvas layout ----------------------------------------------------------------------

  /** Measured card sizes, supplied by the canvas (React Flow measures the cards). */
  measureCards: () => Map<string, Size> = () => new Map();

  /**
   * Moves the just-added nodes `ids` (with pasted notes and frames, as one group) off the cards
   * they would cover, to the nearest free spot: new, pasted and duplicated cards never land on top
   * of a card, and a pasted frame still surrounds its members.
   */
  clearOfCards(doc: GraphDocument, ids: string[], alongside: { notes?: string[]; frames?: string[] } = {}): GraphDocument {
    const moves = placeClear(doc, { nodes: ids, ...alongside }, this.cardSizes(doc));
    return Object.keys(moves).length ? moveCanvasItems(doc, moves) : doc;
  }

  /** Re-lays out the graph in columns by depth, notes with their frames and clear of cards (one undoable edit). */
  tidy(): void {
    const sizes = this.cardSizes(this.store.doc);
    this.store.edit((d) => tidyLayout(d, sizes));
  }

  private cardSizes(doc: GraphDocument): Map<string, Size> {
    const sizes = estimateSizes(doc, editorNodeRegistry);
    for (const [id, size] of this.measureCards()) sizes.set(id, size);
    return sizes;
  }

  // ---- saved graphs -----------------------------------------------------------------------

  /**
   * Loads a document as a new named graph; the graph that was open stays saved. A graph from outside
   * (a link, a dropped or picked file) opens paused: nothing runs until `allowRun`.
   */
  openAsNew(doc: GraphDocument, name: string, warnings: string[] = [], options: OpenOptions = {}): void {
    this.library.beginNew(name, doc, options);
    // Previews and charts belong to the graph that made them, even where the new one reuses a node id.
    this.bridge.forget(new Set());
    // The default viewport makes the canvas fit the new graph into view.
    this.store.load(doc, { viewport: DEFAULT_VIEWPORT, selection: [] });
    this.runtime.clearCache();
    for (const w of warnings) this.toasts.show(w, 'info', 6000);
    this.library.scheduleSave(0);
  }
  openSaved(id: string): Promise<void> {
    return this.library.openSaved(id);
  }
  /** The user lets the paused graph run: live updates start (the runtime's), and it stays allowed (saved so). */
  allowRun(): void {
    this.library.allowRun();
  }
  /** The user keeps the graph paused: the banner shrinks to one line. */
  keepPaused(): void {
    this.library.keepPaused();
  }
  newGraph(): void {
    this.openAsNew(emptyDocument(), 'Untitled graph');
  }
  /** Opens the small starter graph again (the welcome's "start here"). */
  openStarter(): void {
    this.openAsNew(STARTER_GRAPH, STARTER_NAME);
  }
  rename(name: string): Promise<void> {
    return this.library.rename(name);
  }
  deleteSaved(id: string): Promise<void> {
    return this.library.remove(id);
  }
  snapshots(): Promise<Snapshot[]> {
    return this.library.snapshots();
  }
  /** Restoring an earlier version is an edit: Ctrl+Z takes it back. */
  restore(snapshot: Snapshot): void {
    this.store.edit(() => snapshot.doc);
    this.toasts.show(`Restored the version from ${new Date(snapshot.at).toLocaleString()}.`);
  }
  /** The graph a share link replaced in this tab, for the Versions panel of the graph it opened. */
  graphBefore(graphId: string): { id: string; name: string } | undefined {
    return this.library.graphBefore(graphId);
  }
  /** Resolves once pending autosaves have landed in IndexedDB (the tests call it before reloading). */
  flush(): Promise<void> {
    return this.library.flush();
  }

  // ---- graphs and files in and out --------------------------------------------------------

  openShared(shared: LoadResult): boolean {
    return this.imports.openShared(shared);
  }
  applyLoad(result: LoadResult, name: string, options: OpenOptions = {}): boolean {
    return this.imports.applyLoad(result, name, options);
  }
  importFile(file: File, at?: { x: number; y: number }): Promise<boolean> {
    return this.imports.importFile(file, at);
  }
  importDecoder(file: File): Promise<boolean> {
    return this.imports.importDecoder(file);
  }
  decoderChoices(): Promise<DecoderChoice[]> {
    return this.imports.decoderChoices();
  }
  readonly subscribeDecoders = (l: () => void) => this.imports.subscribeDecoders(l);
  exportJson(): void {
    this.exports.exportJson();
  }
  shareLink(): string {
    return this.exports.shareLink();
  }
  /**
   * Copy share link: the link goes to the clipboard, unless a node holds a dropped file the link
   * cannot carry; then the share dialog says so first and offers to embed small copies (planShare).
   */
  async copyShareLink(): Promise<string | undefined> {
    if (droppedFiles(this.store.doc).length) {
      this.panels.set({ share: true });
      return undefined;
    }
    return this.exports.copyLink(this.shareLink());
  }
  /** The share dialog's choices: the plain link, and one with the dropped photos embedded. */
  planShare(): Promise<SharePlan> {
    return this.exports.planShare(this.images);
  }
  copyLink(url: string): Promise<string> {
    return this.exports.copyLink(url);
  }
  saveImage(nodeId?: string): Promise<boolean> {
    return this.exports.saveImage(nodeId);
  }

  // ---- running ----------------------------------------------------------------------------

  /**
   * Runs what `nodeId` needs (long nodes included): "run to here" and a long node's ▶. Pressing a
   * run button is the user saying so: a paused graph is allowed to run from then on.
   */
  run(nodeId?: string): void {
    this.library.allowRun();
    this.runtime.setDocument(this.store.doc);
    this.runtime
      .run({ targets: nodeId ? [nodeId] : undefined, includeLong: true })
      .catch((e) => {
        // Node errors show on their cards; this is for failures of the run itself.
        if (!isAbortError(e)) console.warn('run failed', e);
      });
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
  upstreamPreviewNode(doc: GraphDocument, nodeId: string): string | undefined {
    return this.bridge.upstreamPreviewNode(doc, nodeId);
  }
  patchGridOf(nodeId: string): unknown {
    return this.bridge.patchGrid(nodeId);
  }
}

/** A running or paused long node that an edit would stop, described for the question. */
export interface StoppedRun {
  text: string;
  paused: boolean;
}

/**
 * The question asked before an edit stops runs. A paused run is set aside, not thrown away (the
 * runtime keeps it until the node runs again), so undo brings it back; a running one is gone.
 */
export function stopQuestion(what: string, runs: StoppedRun[]): string {
  const after = runs.every((r) => r.paused)
    ? `▶ then starts from the beginning, and Ctrl+Z brings ${runs.length > 1 ? 'these runs' : 'the run'} back, paused where ${runs.length > 1 ? 'they were' : 'it was'}`
    : runs.some((r) => r.paused)
      ? '▶ then starts from the beginning; Ctrl+Z brings a paused run back where it was, not a running one'
      : 'the run starts again from the beginning when you press ▶ (Ctrl+Z puts the setting back, not the run)';
  return `Changing ${what} stops ${runs.map((r) => r.text).join(' and ')}: ${after}. Change it?`;
}
