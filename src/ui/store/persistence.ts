/**
 * Autosave to IndexedDB (idb-keyval): several named graphs, each with its last state (document,
 * viewport, selection) and a rolling list of earlier versions; the id of the graph open last.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { GraphDocument } from '../../graph/types';
import type { Viewport } from './graph-store';

export const SNAPSHOT_LIMIT = 30;

export interface SavedGraphInfo {
  id: string;
  name: string;
  updatedAt: number;
}

export interface SavedGraph {
  id: string;
  name: string;
  doc: GraphDocument;
  viewport: Viewport;
  selection: string[];
  /** A graph from a link or a dropped file that the user has not let run yet (see Editor.allowRun). */
  paused?: boolean;
}

export interface Snapshot {
  at: number;
  doc: GraphDocument;
  nodeCount: number;
}

const INDEX_KEY = 'graphs';
const CURRENT_KEY = 'current';
const graphKey = (id: string) => `graph:${id}`;
const snapshotsKey = (id: string) => `snapshots:${id}`;

export class GraphPersistence {
  private readonly db: UseStore;
  /** Serialises writes so a slow save never overtakes a newer one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dbName = 'mgan-studio') {
    this.db = createStore(dbName, 'graphs');
  }

  async list(): Promise<SavedGraphInfo[]> {
    return ((await get<SavedGraphInfo[]>(INDEX_KEY, this.db)) ?? []).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<SavedGraph | undefined> {
    return get<SavedGraph>(graphKey(id), this.db);
  }

  async currentId(): Promise<string | undefined> {
    return get<string>(CURRENT_KEY, this.db);
  }

  setCurrent(id: string): Promise<void> {
    return this.enqueue(() => set(CURRENT_KEY, id, this.db));
  }

  /** Saves the graph's state; a changed document also becomes a new snapshot. */
  save(graph: SavedGraph): Promise<void> {
    const copy = structuredClone(graph);
    return this.enqueue(async () => {
      const previous = await get<SavedGraph>(graphKey(copy.id), this.db);
      await set(graphKey(copy.id), copy, this.db);
      if (!previous || JSON.stringify(previous.doc) !== JSON.stringify(copy.doc)) {
        const snaps = (await get<Snapshot[]>(snapshotsKey(copy.id), this.db)) ?? [];
        snaps.unshift({ at: Date.now(), doc: copy.doc, nodeCount: copy.doc.nodes.length });
        await set(snapshotsKey(copy.id), snaps.slice(0, SNAPSHOT_LIMIT), this.db);
      }
      const index = (await get<SavedGraphInfo[]>(INDEX_KEY, this.db)) ?? [];
      const entry = { id: copy.id, name: copy.name, updatedAt: Date.now() };
      await set(INDEX_KEY, [entry, ...index.filter((g) => g.id !== copy.id)], this.db);
      await set(CURRENT_KEY, copy.id, this.db);
    });
  }

  /** Earlier versions, newest first. */
  async snapshots(id: string): Promise<Snapshot[]> {
    return (await get<Snapshot[]>(snapshotsKey(id), this.db)) ?? [];
  }

  rename(id: string, name: string): Promise<void> {
    return this.enqueue(async () => {
      const g = await get<SavedGraph>(graphKey(id), this.db);
      if (g) await set(graphKey(id), { ...g, name }, this.db);
      const index = (await get<SavedGraphInfo[]>(INDEX_KEY, this.db)) ?? [];
      await set(INDEX_KEY, index.map((e) => (e.id === id ? { ...e, name } : e)), this.db);
    });
  }

  remove(id: string): Promise<void> {
    return this.enqueue(async () => {
      await del(graphKey(id), this.db);
      await del(snapshotsKey(id), this.db);
      const index = (await get<SavedGraphInfo[]>(INDEX_KEY, this.db)) ?? [];
      await set(INDEX_KEY, index.filter((e) => e.id !== id), this.db);
    });
  }

  /** Resolves when every queued write has landed (tests, before a reload). */
  flush(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private enqueue<T>(write: () => Promise<T>): Promise<T> {
    const next = this.queue.then(write, write);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** What the editor uses of the saved graphs (GraphPersistence is the IndexedDB one). */
export type SavedGraphStore = Pick<GraphPersistence, 'list' | 'load' | 'currentId' | 'setCurrent' | 'save' | 'snapshots' | 'rename' | 'remove' | 'flush'>;

export function newGraphId(): string {
  return `g${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}
