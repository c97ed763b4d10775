/**
 * Present mode's slides: a graph's frames as the steps of a talk. The first slide shows the whole
 * graph with its title and description (and any note outside every frame); then one slide per frame,
 * in the document's order (the order its author drew them), with the frame's title and its notes in
 * reading order (top to bottom, then left to right). Pure: the canvas moves the camera to `bounds`.
 */
import { annotationsOf } from '../graph/annotations';
import type { GraphDocument, GraphNote } from '../graph/types';

export interface SlideBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Slide {
  /** 'overview', or the frame's id. */
  id: string;
  title: string;
  /** Markdown, one entry per note (or the graph's description on the overview). */
  notes: string[];
  /** Where the camera goes; absent: the whole graph. */
  bounds?: SlideBounds;
  /** The frame's colour. */
  colour?: string;
}

const readingOrder = (a: GraphNote, b: GraphNote) => a.position.y - b.position.y || a.position.x - b.position.x;

/** No slides when the graph has no frames: there is nothing to step through. */
export function presentationSlides(doc: GraphDocument, graphName: string): Slide[] {
  const { notes, frames } = annotationsOf(doc);
  if (!frames.length) return [];
  const noteById = new Map(notes.map((n) => [n.id, n]));
  const framed = new Set(frames.flatMap((f) => f.notes));
  const text = (list: GraphNote[]) => [...list].sort(readingOrder).map((n) => n.text).filter((t) => t.trim());
  const title = typeof doc.meta.title === 'string' && doc.meta.title.trim() ? doc.meta.title : graphName;
  const description = typeof doc.meta.description === 'string' && doc.meta.description.trim() ? [doc.meta.description] : [];
  return [
    { id: 'overview', title, notes: [...description, ...text(notes.filter((n) => !framed.has(n.id)))] },
    ...frames.map((f) => ({
      id: f.id,
      title: f.title || 'Frame',
      notes: text(f.notes.flatMap((id) => noteById.get(id) ?? [])),
      bounds: { x: f.position.x, y: f.position.y, width: f.size.width, height: f.size.height },
      colour: f.color,
    })),
  ];
}

export type PresentAction = 'next' | 'previous' | 'first' | 'last' | 'leave';

/** What a key does in present mode (the keys of slide-show programs and presentation clickers). */
export function presentKeyAction(key: string): PresentAction | undefined {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
    case 'Enter':
      return 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'leave';
    default:
      return undefined;
  }
}

/** The slide after `action` from `index` of `count` (staying on the first and last); undefined: leave. */
export function slideAfter(index: number, count: number, action: PresentAction): number | undefined {
  const last = Math.max(0, count - 1);
  switch (action) {
    case 'next':
      return Math.min(last, index + 1);
    case 'previous':
      return Math.max(0, index - 1);
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'leave':
      return undefined;
  }
}
