/**
 * Notes and frames: what a graph says to its reader. Markdown notes explain a step; titled, coloured
 * frames group nodes (and notes) so that moving the frame moves what is in it. Neither runs: they
 * live beside `nodes` in the document, the runtime never sees them, and editing them changes no
 * cache key. Reading them from a document bounds their count and text like the rest of it.
 */
import { graphError, graphWarning, type GraphIssue } from './issues';
import type { Annotations, GraphDocument, GraphFrame, GraphNote, Position, Size } from './types';

export const MAX_NOTES = 200;
export const MAX_FRAMES = 100;
/** Characters of markdown in one note: a few paragraphs of teaching text, not a book. */
export const MAX_NOTE_TEXT = 4000;
export const MAX_FRAME_TITLE = 120;
export const NOTE_WIDTH = { default: 260, min: 120, max: 1200 } as const;
export const FRAME_SIDE = { min: 80, max: 20000 } as const;
export const DEFAULT_NOTE_COLOR = '#fff3b0';
/** The colours the editor offers for frames (any `#rrggbb` is valid in a document). */
export const FRAME_COLORS = ['#4c7bd9', '#3fa66b', '#d9a13f', '#c0504d', '#8a5cc2', '#7f8c8d'] as const;

/** Note and frame ids: short identifiers (they are never file names). */
const ANNOTATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const NOTE_FIELDS = new Set(['id', 'text', 'position', 'width', 'color']);
const FRAME_FIELDS = new Set(['id', 'title', 'color', 'position', 'size', 'nodes', 'notes']);

/** Raised by the annotation edits below for a value the document may not hold. */
export class AnnotationEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnnotationEditError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The document's annotations, or empty lists. */
export function annotationsOf(doc: GraphDocument): Annotations {
  return doc.annotations ?? { notes: [], frames: [] };
}

/** `doc` with these annotations; empty lists leave the field out (documents without notes stay as they were). */
export function withAnnotations(doc: GraphDocument, annotations: Annotations): GraphDocument {
  const { annotations: _old, ...rest } = doc;
  return annotations.notes.length || annotations.frames.length ? { ...rest, annotations } : rest;
}

/** Reads `annotations` of a raw document: each bad field is an issue naming its JSON path. */
class AnnotationReader {
  readonly issues: GraphIssue[] = [];

  private bad(path: string, expected: string, value: unknown): void {
    const message = value === undefined ? `${path} is missing (it must be ${expected})` : `${path} must be ${expected}, got ${describe(value)}`;
    this.issues.push(graphError('shape', message, { path }));
  }

  private id(value: unknown, path: string, seen: Set<string>): string | undefined {
    if (typeof value !== 'string' || !ANNOTATION_ID.test(value)) {
      this.bad(path, "an id of 1 to 64 letters, digits, '_' or '-'", value);
      return undefined;
    }
    if (seen.has(value)) {
      this.issues.push(graphError('duplicate-id', `${path} '${value}' is used twice; note and frame ids must be unique`, { path }));
      return undefined;
    }
    seen.add(value);
    return value;
  }

  private position(value: unknown, path: string): Position | undefined {
    if (isRecord(value) && Number.isFinite(value.x) && Number.isFinite(value.y)) return { x: value.x as number, y: value.y as number };
    this.bad(path, 'an object {"x", "y"} of finite numbers', value);
    return undefined;
  }

  private color(value: unknown, path: string): string | undefined {
    if (typeof value === 'string' && HEX_COLOR.test(value)) return value.toLowerCase();
    this.bad(path, 'a colour "#rrggbb"', value);
    return undefined;
  }

  private text(value: unknown, path: string, max: number): string | undefined {
    if (typeof value !== 'string') return void this.bad(path, 'a string', value);
    if (value.length > max) {
      this.issues.push(graphError('too-long', `${path} is ${value.length} characters long, more than the ${max} allowed; shorten it`, { path }));
      return undefined;
    }
    return value;
  }

  private unknownFields(raw: Record<string, unknown>, known: Set<string>, path: string): void {
    for (const key of Object.keys(raw)) {
      if (!known.has(key)) this.issues.push(graphWarning('unknown-field', `${path}.${key} is not a field of ${path.includes('frames') ? 'a frame' : 'a note'}; ignored`, { path: `${path}.${key}` }));
    }
  }

  list(raw: Record<string, unknown>, key: 'notes' | 'frames', max: number): unknown[] {
    const value = raw[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.bad(`annotations.${key}`, 'an array', value);
      return [];
    }
    if (value.length > max) {
      this.issues.push(graphError(`too-many-${key}`, `the graph has ${value.length} ${key}, more than the ${max} allowed`, { path: `annotations.${key}` }));
      return [];
    }
    return value;
  }

  note(raw: unknown, path: string, seen: Set<string>): GraphNote | undefined {
    if (!isRecord(raw)) return void this.bad(path, 'an object', raw);
    const id = this.id(raw.id, `${path}.id`, seen);
    const text = this.text(raw.text ?? '', `${path}.text`, MAX_NOTE_TEXT);
    const position = this.position(raw.position, `${path}.position`);
    let ok = id !== undefined && text !== undefined && position !== undefined;
    const note: GraphNote = { id: id ?? '', text: text ?? '', position: position ?? { x: 0, y: 0 } };
    if (raw.width !== undefined) {
      const w = raw.width;
      if (typeof w === 'number' && Number.isFinite(w) && w >= NOTE_WIDTH.min && w <= NOTE_WIDTH.max) note.width = w;
      else {
        this.bad(`${path}.width`, `a number from ${NOTE_WIDTH.min} to ${NOTE_WIDTH.max}`, w);
        ok = false;
      }
    }
    if (raw.color !== undefined) {
      const color = this.color(raw.color, `${path}.color`);
      if (color) note.color = color;
      else ok = false;
    }
    this.unknownFields(raw, NOTE_FIELDS, path);
    return ok ? note : undefined;
  }

  private size(value: unknown, path: string): Size | undefined {
    const side = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= FRAME_SIDE.min && v <= FRAME_SIDE.max;
    if (isRecord(value) && side(value.width) && side(value.height)) return { width: value.width as number, height: value.height as number };
    this.bad(path, `an object {"width", "height"} of numbers from ${FRAME_SIDE.min} to ${FRAME_SIDE.max}`, value);
    return undefined;
  }

  /** Member ids: strings naming existing items; an unknown one is dropped with a warning. */
  private members(value: unknown, path: string, known: Set<string>, what: string, max: number): string[] | undefined {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > max || !value.every((v) => typeof v === 'string')) {
      return void this.bad(path, `an array of at most ${max} ${what} ids`, value);
    }
    const kept: string[] = [];
    for (const id of value as string[]) {
      if (!known.has(id)) this.issues.push(graphWarning('unknown-member', `${path}: there is no ${what} '${id.slice(0, 64)}'; dropped from the frame`, { path }));
      else if (!kept.includes(id)) kept.push(id);
    }
    return kept;
  }

  frame(raw: unknown, path: string, seen: Set<string>, nodeIds: Set<string>, noteIds: Set<string>): GraphFrame | undefined {
    if (!isRecord(raw)) return void this.bad(path, 'an object', raw);
    const id = this.id(raw.id, `${path}.id`, seen);
    const title = this.text(raw.title ?? '', `${path}.title`, MAX_FRAME_TITLE);
    const color = this.color(raw.color ?? FRAME_COLORS[0], `${path}.color`);
    const position = this.position(raw.position, `${path}.position`);
    const size = this.size(raw.size, `${path}.size`);
    const nodes = this.members(raw.nodes, `${path}.nodes`, nodeIds, 'node', nodeIds.size);
    const notes = this.members(raw.notes, `${path}.notes`, noteIds, 'note', noteIds.size);
    this.unknownFields(raw, FRAME_FIELDS, path);
    if (id === undefined || title === undefined || !color || !position || !size || !nodes || !notes) return undefined;
    return { id, title, color, position, size, nodes, notes };
  }
}

/**
 * Reads a raw document's `annotations` (undefined: none). Shape problems and exceeded limits are
 * errors naming the JSON path; members that name no node or note, and an item claimed by two frames
 * (it stays in the first), are warnings. `annotations` is undefined when there are no notes or frames.
 */
export function readAnnotations(raw: unknown, nodeIds: ReadonlySet<string>): { annotations?: Annotations; issues: GraphIssue[] } {
  const reader = new AnnotationReader();
  if (raw === undefined) return { issues: [] };
  if (!isRecord(raw)) {
    reader.issues.push(graphError('shape', `annotations must be an object {"notes", "frames"}, got ${describe(raw)}`, { path: 'annotations' }));
    return { issues: reader.issues };
  }
  const seen = new Set<string>();
  const notes: GraphNote[] = [];
  reader.list(raw, 'notes', MAX_NOTES).forEach((n, i) => {
    const note = reader.note(n, `annotations.notes[${i}]`, seen);
    if (note) notes.push(note);
  });
  const frames: GraphFrame[] = [];
  const noteIds = new Set(notes.map((n) => n.id));
  reader.list(raw, 'frames', MAX_FRAMES).forEach((f, i) => {
    const frame = reader.frame(f, `annotations.frames[${i}]`, seen, new Set(nodeIds), noteIds);
    if (frame) frames.push(frame);
  });
  for (const key of Object.keys(raw)) {
    if (key !== 'notes' && key !== 'frames') reader.issues.push(graphWarning('unknown-field', `annotations.${key} is not a field of annotations; ignored`, { path: `annotations.${key}` }));
  }
  // An item sits in one frame: moving either frame must not tear it from the other.
  const claimed = new Set<string>();
  frames.forEach((frame, i) => {
    for (const kind of ['nodes', 'notes'] as const) {
      frame[kind] = frame[kind].filter((id) => {
        const key = `${kind}:${id}`;
        if (!claimed.has(key)) {
          claimed.add(key);
          return true;
        }
        reader.issues.push(graphWarning('unknown-member', `annotations.frames[${i}].${kind}: '${id}' is already in an earlier frame; dropped from this one`, { path: `annotations.frames[${i}].${kind}` }));
        return false;
      });
    }
  });
  return { annotations: notes.length || frames.length ? { notes, frames } : undefined, issues: reader.issues };
}

// ---- pure edits ------------------------------------------------------------------------------

function uniqueId(taken: ReadonlySet<string>, base: string): string {
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function annotationIds(a: Annotations): Set<string> {
  return new Set([...a.notes.map((n) => n.id), ...a.frames.map((f) => f.id)]);
}

function checkText(text: string, max: number, what: string): void {
  if (text.length > max) throw new AnnotationEditError(`${what} is ${text.length} characters long; at most ${max} fit`);
}

export function addNote(doc: GraphDocument, position: Position, text = '', width: number = NOTE_WIDTH.default): { doc: GraphDocument; id: string } {
  const a = annotationsOf(doc);
  if (a.notes.length >= MAX_NOTES) throw new AnnotationEditError(`a graph holds at most ${MAX_NOTES} notes`);
  checkText(text, MAX_NOTE_TEXT, 'the note');
  const id = uniqueId(annotationIds(a), 'note');
  const note: GraphNote = { id, text, position: { x: position.x, y: position.y }, width };
  return { doc: withAnnotations(doc, { ...a, notes: [...a.notes, note] }), id };
}

function changeNote(doc: GraphDocument, id: string, change: (note: GraphNote) => GraphNote): GraphDocument {
  const a = annotationsOf(doc);
  if (!a.notes.some((n) => n.id === id)) throw new AnnotationEditError(`there is no note '${id}'`);
  return withAnnotations(doc, { ...a, notes: a.notes.map((n) => (n.id === id ? change(n) : n)) });
}

function changeFrame(doc: GraphDocument, id: string, change: (frame: GraphFrame) => GraphFrame): GraphDocument {
  const a = annotationsOf(doc);
  if (!a.frames.some((f) => f.id === id)) throw new AnnotationEditError(`there is no frame '${id}'`);
  return withAnnotations(doc, { ...a, frames: a.frames.map((f) => (f.id === id ? change(f) : f)) });
}

export function setNoteText(doc: GraphDocument, id: string, text: string): GraphDocument {
  checkText(text, MAX_NOTE_TEXT, 'the note');
  return changeNote(doc, id, (n) => ({ ...n, text }));
}

export function setNoteWidth(doc: GraphDocument, id: string, width: number): GraphDocument {
  const w = Math.round(Math.min(NOTE_WIDTH.max, Math.max(NOTE_WIDTH.min, width)));
  return changeNote(doc, id, (n) => ({ ...n, width: w }));
}

function checkColor(color: string): string {
  if (!HEX_COLOR.test(color)) throw new AnnotationEditError(`'${color}' is not a colour "#rrggbb"`);
  return color.toLowerCase();
}

function clampSize(size: Size): Size {
  const side = (v: number) => Math.round(Math.min(FRAME_SIDE.max, Math.max(FRAME_SIDE.min, v)));
  return { width: side(size.width), height: side(size.height) };
}

/** Adds a frame over `rect` holding the given nodes and notes (taken out of any other frame). */
export function addFrame(
  doc: GraphDocument,
  rect: Position & Size,
  options: { title?: string; color?: string; nodes?: string[]; notes?: string[] } = {},
): { doc: GraphDocument; id: string } {
  const a = annotationsOf(doc);
  if (a.frames.length >= MAX_FRAMES) throw new AnnotationEditError(`a graph holds at most ${MAX_FRAMES} frames`);
  const title = options.title ?? 'Frame';
  checkText(title, MAX_FRAME_TITLE, 'the frame title');
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const noteIds = new Set(a.notes.map((n) => n.id));
  const nodes = [...new Set(options.nodes ?? [])].filter((id) => nodeIds.has(id));
  const notes = [...new Set(options.notes ?? [])].filter((id) => noteIds.has(id));
  const id = uniqueId(annotationIds(a), 'frame');
  const frame: GraphFrame = {
    id,
    title,
    color: checkColor(options.color ?? FRAME_COLORS[0]),
    position: { x: Math.round(rect.x), y: Math.round(rect.y) },
    size: clampSize(rect),
    nodes,
    notes,
  };
  const others = a.frames.map((f) => ({ ...f, nodes: f.nodes.filter((n) => !nodes.includes(n)), notes: f.notes.filter((n) => !notes.includes(n)) }));
  return { doc: withAnnotations(doc, { ...a, frames: [...others, frame] }), id };
}

export function setFrameTitle(doc: GraphDocument, id: string, title: string): GraphDocument {
  checkText(title, MAX_FRAME_TITLE, 'the frame title');
  return changeFrame(doc, id, (f) => ({ ...f, title }));
}

export function setFrameColor(doc: GraphDocument, id: string, color: string): GraphDocument {
  const c = checkColor(color);
  return changeFrame(doc, id, (f) => ({ ...f, color: c }));
}

/** Removes notes and frames (a frame's members stay where they are). */
export function removeAnnotations(doc: GraphDocument, ids: { notes?: Iterable<string>; frames?: Iterable<string> }): GraphDocument {
  const a = annotationsOf(doc);
  const notes = new Set(ids.notes ?? []);
  const frames = new Set(ids.frames ?? []);
  if (!notes.size && !frames.size) return doc;
  return withAnnotations(doc, {
    notes: a.notes.filter((n) => !notes.has(n.id)),
    frames: a.frames.filter((f) => !frames.has(f.id)).map((f) => ({ ...f, notes: f.notes.filter((n) => !notes.has(n)) })),
  });
}

/** Frames without the given nodes (they were removed from the graph). */
export function dropFrameNodes(doc: GraphDocument, gone: ReadonlySet<string>): GraphDocument {
  if (!doc.annotations || !doc.annotations.frames.some((f) => f.nodes.some((n) => gone.has(n)))) return doc;
  const a = doc.annotations;
  return withAnnotations(doc, { ...a, frames: a.frames.map((f) => ({ ...f, nodes: f.nodes.filter((n) => !gone.has(n)) })) });
}

export interface CanvasMoves {
  nodes?: Record<string, Position>;
  notes?: Record<string, Position>;
  frames?: Record<string, Position>;
}

/**
 * Sets absolute positions of nodes, notes and frames (what the canvas reports after a drag). A
 * moved frame carries its members by the same offset, except members given a position of their own
 * (they were dragged along with it). Unknown ids are errors.
 */
export function moveCanvasItems(doc: GraphDocument, moves: CanvasMoves): GraphDocument {
  const a = annotationsOf(doc);
  const nodeMoves: Record<string, Position> = { ...moves.nodes };
  const noteMoves: Record<string, Position> = { ...moves.notes };
  for (const [id, to] of Object.entries(moves.frames ?? {})) {
    const frame = a.frames.find((f) => f.id === id);
    if (!frame) throw new AnnotationEditError(`there is no frame '${id}'`);
    const dx = to.x - frame.position.x;
    const dy = to.y - frame.position.y;
    for (const n of frame.nodes) {
      const node = doc.nodes.find((x) => x.id === n);
      if (node && !moves.nodes?.[n]) nodeMoves[n] = { x: node.position.x + dx, y: node.position.y + dy };
    }
    for (const n of frame.notes) {
      const note = a.notes.find((x) => x.id === n);
      if (note && !moves.notes?.[n]) noteMoves[n] = { x: note.position.x + dx, y: note.position.y + dy };
    }
  }
  for (const id of Object.keys(nodeMoves)) if (!doc.nodes.some((n) => n.id === id)) throw new AnnotationEditError(`there is no node '${id}'`);
  for (const id of Object.keys(noteMoves)) if (!a.notes.some((n) => n.id === id)) throw new AnnotationEditError(`there is no note '${id}'`);
  const at = (p: Position) => ({ x: Math.round(p.x), y: Math.round(p.y) });
  const nodes = doc.nodes.map((n) => (nodeMoves[n.id] ? { ...n, position: at(nodeMoves[n.id]) } : n));
  return withAnnotations(
    { ...doc, nodes },
    {
      notes: a.notes.map((n) => (noteMoves[n.id] ? { ...n, position: at(noteMoves[n.id]) } : n)),
      frames: a.frames.map((f) => (moves.frames?.[f.id] ? { ...f, position: at(moves.frames[f.id]) } : f)),
    },
  );
}

function contains(frame: GraphFrame, point: Position): boolean {
  return point.x >= frame.position.x && point.x <= frame.position.x + frame.size.width && point.y >= frame.position.y && point.y <= frame.position.y + frame.size.height;
}

/** The frame drawn on top (the last one) under `point`, if any. */
export function frameAt(doc: GraphDocument, point: Position): GraphFrame | undefined {
  const frames = annotationsOf(doc).frames;
  for (let i = frames.length - 1; i >= 0; i--) if (contains(frames[i], point)) return frames[i];
  return undefined;
}

export interface PlacedItem {
  kind: 'node' | 'note';
  id: string;
  /** The item's centre on the canvas. */
  centre: Position;
}

/**
 * Membership after a drop: each item joins the frame under its centre, or leaves its frame when
 * dropped outside every frame.
 */
export function placeInFrames(doc: GraphDocument, items: PlacedItem[]): GraphDocument {
  const a = annotationsOf(doc);
  if (!a.frames.length || !items.length) return doc;
  const target = new Map(items.map((item) => [`${item.kind}:${item.id}`, frameAt(doc, item.centre)?.id]));
  let changed = false;
  const frames = a.frames.map((f) => {
    const keep = (kind: 'node' | 'note') => (id: string) => !target.has(`${kind}:${id}`) || target.get(`${kind}:${id}`) === f.id;
    const joining = (kind: 'node' | 'note', current: string[]) =>
      items.filter((i) => i.kind === kind && target.get(`${kind}:${i.id}`) === f.id && !current.includes(i.id)).map((i) => i.id);
    const nodes = [...f.nodes.filter(keep('node')), ...joining('node', f.nodes)];
    const notes = [...f.notes.filter(keep('note')), ...joining('note', f.notes)];
    if (nodes.length === f.nodes.length && notes.length === f.notes.length && nodes.every((n, i) => n === f.nodes[i]) && notes.every((n, i) => n === f.notes[i])) return f;
    changed = true;
    return { ...f, nodes, notes };
  });
  return changed ? withAnnotations(doc, { ...a, frames }) : doc;
}

/**
 * A frame's new rectangle (resized on the canvas): its members become exactly the given items whose
 * centre lies inside it (taken out of any other frame).
 */
export function resizeFrame(doc: GraphDocument, id: string, rect: Position & Size, items: PlacedItem[]): GraphDocument {
  const a = annotationsOf(doc);
  const frame = a.frames.find((f) => f.id === id);
  if (!frame) throw new AnnotationEditError(`there is no frame '${id}'`);
  const resized: GraphFrame = { ...frame, position: { x: Math.round(rect.x), y: Math.round(rect.y) }, size: clampSize(rect) };
  const inside = items.filter((i) => contains(resized, i.centre));
  const nodes = inside.filter((i) => i.kind === 'node').map((i) => i.id);
  const notes = inside.filter((i) => i.kind === 'note').map((i) => i.id);
  const frames = a.frames.map((f) =>
    f.id === id ? { ...resized, nodes, notes } : { ...f, nodes: f.nodes.filter((n) => !nodes.includes(n)), notes: f.notes.filter((n) => !notes.includes(n)) },
  );
  return withAnnotations(doc, { ...a, frames });
}

/** Room around a frame's contents, and above them for its title bar. */
export const FRAME_PADDING = 24;
export const FRAME_TITLE_HEIGHT = 28;

/**
 * Each frame refitted around its nodes after they were laid out anew (Tidy): the frame becomes
 * their bounding box (with padding and room for the title), and its notes keep their place relative
 * to the frame's corner; or, given `noteSizes` (notes already placed), the box of its nodes and notes.
 * Frames without nodes stay as they are. `sizes`: each node card's size.
 */
export function fitFramesToNodes(
  doc: GraphDocument,
  sizes: ReadonlyMap<string, Size>,
  fallback: Size = { width: 230, height: 200 },
  /** When given, the notes have been placed already: each frame fits around its notes too, which stay put. */
  noteSizes?: ReadonlyMap<string, Size>,
): GraphDocument {
  const a = annotationsOf(doc);
  if (!a.frames.some((f) => f.nodes.length)) return doc;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const noteById = new Map(a.notes.map((n) => [n.id, n]));
  const shift = new Map<string, Position>();
  const frames = a.frames.map((f) => {
    const boxes = f.nodes.flatMap((id) => {
      const node = byId.get(id);
      return node ? [{ ...node.position, ...(sizes.get(id) ?? fallback) }] : [];
    });
    if (!boxes.length) return f;
    if (noteSizes) {
      for (const id of f.notes) {
        const note = noteById.get(id);
        if (note) boxes.push({ ...note.position, ...(noteSizes.get(id) ?? { width: note.width ?? NOTE_WIDTH.default, height: 120 }) });
      }
    }
    const left = Math.min(...boxes.map((b) => b.x)) - FRAME_PADDING;
    const top = Math.min(...boxes.map((b) => b.y)) - FRAME_PADDING - FRAME_TITLE_HEIGHT;
    const right = Math.max(...boxes.map((b) => b.x + b.width)) + FRAME_PADDING;
    const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + FRAME_PADDING;
    if (!noteSizes) for (const n of f.notes) shift.set(n, { x: left - f.position.x, y: top - f.position.y });
    return { ...f, position: { x: Math.round(left), y: Math.round(top) }, size: clampSize({ width: right - left, height: bottom - top }) };
  });
  const notes = a.notes.map((n) => {
    const d = shift.get(n.id);
    return d ? { ...n, position: { x: Math.round(n.position.x + d.x), y: Math.round(n.position.y + d.y) } } : n;
  });
  return withAnnotations(doc, { notes, frames });
}
