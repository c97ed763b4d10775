/**
 * Undo/redo as a history of whole documents (edits are pure, so each version is just kept).
 * Pushes with the same coalesce key in quick succession replace the top entry, so dragging a
 * slider or a node is one undo step, not hundreds.
 */
import type { GraphDocument } from './types';

export interface HistoryOptions {
  /** Most versions kept (undo steps + the current one); the oldest go first. Default 200. */
  limit?: number;
  /** Pushes with the same key closer together than this (ms) coalesce. Default 1000. */
  coalesceMs?: number;
  /** Clock, injectable for tests. Default Date.now. */
  now?: () => number;
}

export class History {
  private past: GraphDocument[] = [];
  private future: GraphDocument[] = [];
  private present: GraphDocument;
  private lastKey: string | undefined;
  private lastTime = Number.NEGATIVE_INFINITY;
  private readonly limit: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;

  constructor(initial: GraphDocument, options: HistoryOptions = {}) {
    this.present = initial;
    this.limit = Math.max(1, options.limit ?? 200);
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  get current(): GraphDocument {
    return this.present;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  /** How many versions are held (past + current + future). */
  get size(): number {
    return this.past.length + 1 + this.future.length;
  }

  /**
   * Records `doc` as the new current version and clears redo. With a `coalesceKey` equal to the
   * previous push's, within coalesceMs of it, `doc` replaces the current version instead.
   * Pushing the current document itself does nothing.
   */
  push(doc: GraphDocument, coalesceKey?: string): void {
    if (doc === this.present) return;
    const time = this.now();
    const coalesce = coalesceKey !== undefined && coalesceKey === this.lastKey && time - this.lastTime < this.coalesceMs && this.past.length > 0;
    if (!coalesce) {
      this.past.push(this.present);
      if (this.past.length > this.limit - 1) this.past.splice(0, this.past.length - (this.limit - 1));
    }
    this.present = doc;
    this.future = [];
    this.lastKey = coalesceKey;
    this.lastTime = time;
  }

  /** Steps back; returns the now-current document, or undefined when there is nothing to undo. */
  undo(): GraphDocument | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.future.push(this.present);
    this.present = previous;
    this.lastKey = undefined;
    return previous;
  }

  /** Steps forward again; returns the now-current document, or undefined when there is nothing to redo. */
  redo(): GraphDocument | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(this.present);
    this.present = next;
    this.lastKey = undefined;
    return next;
  }

  /** Starts over from `doc` (a file was opened): no undo into the previous graph. */
  reset(doc: GraphDocument): void {
    this.past = [];
    this.future = [];
    this.present = doc;
    this.lastKey = undefined;
  }
}
