/**
 * The editor's state outside React: the current graph document with its undo history, the
 * selection and the viewport. Components read it with `useSyncExternalStore` and change it only
 * through `edit` (recorded for undo) or the view setters (not recorded).
 */
import type { GraphDocument } from '../../graph/types';
import { emptyDocument } from '../../graph/document';
import { canvasItemIds } from '../canvas-items';
import { History } from './graph-ops';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface EditorState {
  doc: GraphDocument;
  /** Selected canvas ids: node ids, and notes and frames as `note:ID`, `frame:ID` (see canvas-items). */
  selection: string[];
  /** Selected edge ids (`edgeId`). */
  edgeSelection: string[];
  viewport: Viewport;
  canUndo: boolean;
  canRedo: boolean;
  /** Bumped on every document change, so listeners can tell edits from view changes. */
  revision: number;
}

export type DocListener = (doc: GraphDocument, reason: 'edit' | 'undo' | 'redo' | 'load') => void;

export const DEFAULT_VIEWPORT: Viewport = { x: 0, y: 0, zoom: 1 };

export class GraphStore {
  private history: History;
  private state: EditorState;
  private readonly listeners = new Set<() => void>();
  private readonly docListeners = new Set<DocListener>();

  constructor(doc: GraphDocument = emptyDocument()) {
    this.history = new History(doc);
    this.state = this.derive(doc, [], [], DEFAULT_VIEWPORT, 0);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getSnapshot = (): EditorState => this.state;

  /** Called after every document change (autosave, runtime). */
  onDocumentChange(listener: DocListener): () => void {
    this.docListeners.add(listener);
    return () => this.docListeners.delete(listener);
  }

  get doc(): GraphDocument {
    return this.state.doc;
  }

  /**
   * Applies a pure edit. Edits with the same `coalesceKey` in a row (dragging a node, moving a
   * slider) become one undo step. An edit that returns the same document records nothing.
   */
  edit(change: (doc: GraphDocument) => GraphDocument, coalesceKey?: string): void {
    const next = change(this.state.doc);
    if (next === this.state.doc) return;
    this.history.push(next, coalesceKey);
    this.setDoc(next, 'edit');
  }

  undo(): void {
    const doc = this.history.undo();
    if (doc) this.setDoc(doc, 'undo');
  }

  redo(): void {
    const doc = this.history.redo();
    if (doc) this.setDoc(doc, 'redo');
  }

  /** Replaces the document and starts a fresh history (opening a graph, a preset, a shared link). */
  load(doc: GraphDocument, view?: { viewport?: Viewport; selection?: string[] }): void {
    this.history = new History(doc);
    const known = canvasItemIds(doc);
    this.state = this.derive(
      doc,
      (view?.selection ?? []).filter((id) => known.has(id)),
      [],
      view?.viewport ?? this.state.viewport,
      this.state.revision + 1,
    );
    this.emit();
    for (const l of this.docListeners) l(doc, 'load');
  }

  setSelection(selection: string[], edgeSelection: string[] = []): void {
    if (sameIds(selection, this.state.selection) && sameIds(edgeSelection, this.state.edgeSelection)) return;
    this.state = { ...this.state, selection, edgeSelection };
    this.emit();
  }

  setViewport(viewport: Viewport): void {
    const v = this.state.viewport;
    if (v.x === viewport.x && v.y === viewport.y && v.zoom === viewport.zoom) return;
    this.state = { ...this.state, viewport };
    this.emit();
  }

  private setDoc(doc: GraphDocument, reason: 'edit' | 'undo' | 'redo'): void {
    const known = canvasItemIds(doc);
    const edgeIds = new Set(doc.edges.map(edgeId));
    this.state = this.derive(
      doc,
      this.state.selection.filter((id) => known.has(id)),
      this.state.edgeSelection.filter((id) => edgeIds.has(id)),
      this.state.viewport,
      this.state.revision + 1,
    );
    this.emit();
    for (const l of this.docListeners) l(doc, reason);
  }

  private derive(
    doc: GraphDocument,
    selection: string[],
    edgeSelection: string[],
    viewport: Viewport,
    revision: number,
  ): EditorState {
    return {
      doc,
      selection,
      edgeSelection,
      viewport,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      revision,
    };
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** A stable id for an edge, used by React Flow and the edge selection. */
export function edgeId(e: { from: { node: string; port: string }; to: { node: string; port: string } }): string {
  return `${e.from.node}:${e.from.port}->${e.to.node}:${e.to.port}`;
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
