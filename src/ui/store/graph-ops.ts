/**
 * The one place the editor touches src/graph's edit, validation and share API: it binds the node
 * registry and turns validation results into `{ok, doc} | {ok: false, message}` for the UI.
 */
import * as notes from '../../graph/annotations';
import * as edits from '../../graph/edit';
import * as fragments from '../../graph/fragment';
import * as sweeps from '../../graph/sweep';
import { History } from '../../graph/history';
import { decodeGraphFragment as decodeFragment, encodeGraphFragment as encodeFragment } from '../../graph/share-url';
import { embedGraphInPng as embedPng, extractGraphFromPng as extractPng } from '../../graph/share-png';
import type { GraphDocument, ParamValue, PortRef, PortType } from '../../graph/types';
import { parseDocument, validateDocument, type ValidationResult } from '../../graph/validate';
import { externalReferences as listReferences, type ExternalReference } from '../../graph/resources';
import { droppedFiles as listDropped, embeddedImages as listEmbedded, type DroppedFile, type EmbeddedImage } from '../../graph/embedded-images';
export { MAX_SEED, paramProblem } from '../../graph/params';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { BUILT_IN } from '../../nodes/registry';
import { withNodePackage } from '../../graph/node-packages';

export { History };
export { fragmentOrigin, parseFragment, type FragmentSelection, type GraphFragment, type PastedIds } from '../../graph/fragment';

export type Loaded =
  | { ok: true; doc: GraphDocument; warnings: string[] }
  /** `noGraph`: a readable file that simply holds no graph (a PNG from elsewhere). */
  | { ok: false; message: string; noGraph?: boolean };

/** The editor loads graphs still being built: unconnected inputs are warnings, not errors. */
const PARTIAL = { partial: true };

function toLoaded(result: ValidationResult): Loaded {
  if (!result.document || result.errors.length) {
    const shown = result.errors.slice(0, 3).map((e) => e.message);
    const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : '';
    return { ok: false, message: (shown.join('; ') || 'no graph found') + more };
  }
  return { ok: true, doc: result.document, warnings: result.warnings.map((w) => w.message) };
}

function attempt(load: () => Loaded): Loaded {
  try {
    return load();
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export function parseGraphText(json: string): Loaded {
  return attempt(() => toLoaded(parseDocument(json, editorNodeRegistry, PARTIAL)));
}

export function validateGraph(raw: unknown): Loaded {
  return attempt(() => toLoaded(validateDocument(raw, editorNodeRegistry, PARTIAL)));
}

/** `#graph=...` for a document. */
export function encodeGraphFragment(doc: GraphDocument): string {
  return encodeFragment(doc);
}

export function decodeGraphFragment(hash: string): Loaded {
  return attempt(() => validateGraph(decodeFragment(hash)));
}

/** Every URL and local path the document's params name (what a graph from elsewhere would load). */
export function externalReferences(doc: GraphDocument): ExternalReference[] {
  return listReferences(doc, editorNodeRegistry);
}
export type { ExternalReference };

/** Images the document carries inside itself (data: URLs), for the paused banner. */
export function embeddedImages(doc: GraphDocument): EmbeddedImage[] {
  return listEmbedded(doc, editorNodeRegistry);
}
export type { EmbeddedImage };

/** Files dropped in this browser that the document names (a link cannot carry them). */
export function droppedFiles(doc: GraphDocument): DroppedFile[] {
  return listDropped(doc, editorNodeRegistry);
}

export function embedGraphInPng(png: Uint8Array, doc: GraphDocument): Uint8Array {
  return embedPng(png, doc);
}

export function extractGraphFromPng(png: Uint8Array): Loaded {
  return attempt(() => {
    const raw = extractPng(png);
    if (raw === undefined) return { ok: false, noGraph: true, message: 'this PNG holds no MGAN Studio graph (only PNGs saved by "save image" do)' };
    return validateGraph(raw);
  });
}

export function addNode(
  doc: GraphDocument,
  type: string,
  position: { x: number; y: number },
  params: Record<string, ParamValue> = {},
): { doc: GraphDocument; id: string } {
  const spec = editorNodeRegistry.get(type);
  if (!spec) throw new edits.GraphEditError(`unknown node type '${type}'`);
  const added = edits.addNode(doc, spec, position, params);
  // A type from a node package: the document says which package, for readers who lack it.
  const provider = editorNodeRegistry.providerOf(type);
  if (provider === undefined || provider === BUILT_IN) return added;
  return { ...added, doc: { ...added.doc, meta: withNodePackage(added.doc.meta, type, provider) } };
}

export const removeNodes = (doc: GraphDocument, ids: string[]) => edits.removeNodes(doc, ids);
export const duplicateItems = (doc: GraphDocument, selection: fragments.FragmentSelection) => fragments.duplicateItems(doc, selection, { x: 40, y: 40 });
/** Removes nodes, notes and frames in one edit (a removed frame's members stay unless chosen too). */
export function removeItems(doc: GraphDocument, selection: fragments.FragmentSelection): GraphDocument {
  const ids = [...(selection.nodes ?? [])];
  const next = ids.length ? edits.removeNodes(doc, ids) : doc;
  return notes.removeAnnotations(next, { notes: selection.notes, frames: selection.frames });
}
export const moveNodes = (doc: GraphDocument, moves: Record<string, { x: number; y: number }>) => edits.moveNodes(doc, moves);
export const setParam = (doc: GraphDocument, id: string, name: string, value: ParamValue) => edits.setParam(doc, id, name, value, editorNodeRegistry);
export const setBypass = (doc: GraphDocument, id: string, bypass: boolean) => edits.setBypass(doc, id, bypass);
export const setLabel = (doc: GraphDocument, id: string, label: string | undefined) => edits.setLabel(doc, id, label);
/** Removes the edge into input `to`. */
export const disconnect = (doc: GraphDocument, to: PortRef) => edits.disconnect(doc, to);

export function canConnect(doc: GraphDocument, from: PortRef, to: PortRef): edits.ConnectCheck {
  return edits.canConnect(doc, from, to, editorNodeRegistry);
}
export function connect(doc: GraphDocument, from: PortRef, to: PortRef): GraphDocument {
  return edits.connect(doc, from, to, editorNodeRegistry);
}

/** Node types (and their port) that can take a wire from an output of `type`. */
export function compatibleInputs(type: PortType): edits.PortMatch[] {
  return edits.compatibleInputs(editorNodeRegistry.list(), type);
}
/** Node types (and their port) that can feed an input accepting `accepted`. */
export function compatibleOutputs(accepted: PortType[]): edits.PortMatch[] {
  return edits.compatibleOutputs(editorNodeRegistry.list(), accepted);
}

export const copyFragment = (doc: GraphDocument, selection: fragments.FragmentSelection) => fragments.copyFragment(doc, selection);
export const pasteFragment = (doc: GraphDocument, fragment: fragments.GraphFragment, offset: { x: number; y: number }) =>
  fragments.pasteFragment(doc, fragment, offset);

// Notes and frames (they never run; see src/graph/annotations.ts).
export {
  addFrame,
  addNote,
  AnnotationEditError,
  fitFramesToNodes,
  FRAME_COLORS,
  MAX_FRAME_TITLE,
  MAX_NOTE_TEXT,
  moveCanvasItems,
  placeInFrames,
  removeAnnotations,
  resizeFrame,
  setFrameColor,
  setFrameTitle,
  setNoteText,
  setNoteWidth,
  type CanvasMoves,
  type PlacedItem,
} from '../../graph/annotations';
export type { GraphFrame, GraphNote } from '../../graph/types';
export const annotationsOf = notes.annotationsOf;

// Sweeps (src/graph/sweep.ts), bound to the node registry.
export { MAX_SWEEP_VALUES, SweepError, sweepText, sweepValueText, type SweepSpec } from '../../graph/sweep';
/** The image-out nodes a sweep shows (the CLI writes one sheet for each). */
export const SWEEP_OUTPUT_TYPE = 'image-out';
export const parseSweepValues = (doc: GraphDocument, node: string, param: string, values: string) =>
  sweeps.sweepFromText(node, param, values, doc, editorNodeRegistry, `sweep of ${node}.${param}`);
export const checkSweep = (doc: GraphDocument, raw: unknown) => sweeps.checkSweep(raw, doc, editorNodeRegistry);
export const sweepOfDocument = (doc: GraphDocument) => sweeps.sweepOfDocument(doc, editorNodeRegistry);
export const sweepDocuments = (doc: GraphDocument, spec: sweeps.SweepSpec) => sweeps.sweepDocuments(doc, spec, editorNodeRegistry);
export const sweepOutputs = (doc: GraphDocument, spec: sweeps.SweepSpec) => sweeps.sweepOutputs(doc, spec, SWEEP_OUTPUT_TYPE);
