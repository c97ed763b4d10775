/** The editor session in Node: saved graphs and autosave, live runs through the runtime, files coming in. */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDocument, serializeDocument } from '../../src/graph/document';
import type { GraphDocument } from '../../src/graph/types';
import { GraphRuntime } from '../../src/runtime/runtime';
import { Editor } from '../../src/ui/store/editor';
import type { DecoderLibrary } from '../../src/ui/store/imports';
import type { SavedGraph, SavedGraphInfo, SavedGraphStore, Snapshot } from '../../src/ui/store/persistence';
import { doc, edge, fakeRegistry, node, testEnv, until } from '../runtime/fake-nodes';

/** Saved graphs in memory, with what each save wrote. */
class MemoryGraphs implements SavedGraphStore {
  readonly graphs = new Map<string, SavedGraph>();
  readonly saves: string[] = [];
  private current: string | undefined;
  private readonly updatedAt = new Map<string, number>();

  async list(): Promise<SavedGraphInfo[]> {
    return [...this.graphs.values()].map((g) => ({ id: g.id, name: g.name, updatedAt: this.updatedAt.get(g.id) ?? 0 })).sort((a, b) => b.updatedAt - a.updatedAt);
  }
  async load(id: string): Promise<SavedGraph | undefined> {
    return structuredClone(this.graphs.get(id));
  }
  async currentId(): Promise<string | undefined> {
    return this.current;
  }
  async setCurrent(id: string): Promise<void> {
    this.current = id;
  }
  async save(graph: SavedGraph): Promise<void> {
    this.graphs.set(graph.id, structuredClone(graph));
    this.updatedAt.set(graph.id, this.saves.length + 1);
    this.saves.push(graph.id);
    this.current = graph.id;
  }
  async snapshots(): Promise<Snapshot[]> {
    return [];
  }
  async rename(id: string, name: string): Promise<void> {
    const g = this.graphs.get(id);
    if (g) g.name = name;
  }
  async remove(id: string): Promise<void> {
    this.graphs.delete(id);
  }
  async flush(): Promise<void> {}
}

const fill = (value: number): GraphDocument => doc([node('a', 'fill', { value })], []);

let runtimes: GraphRuntime[] = [];
function session(graphs = new MemoryGraphs(), decoders?: DecoderLibrary) {
  const { registry, counters } = fakeRegistry();
  const runtime = new GraphRuntime({ registry, env: testEnv, live: true, liveDebounceMs: 5 });
  runtimes.push(runtime);
  const editor = new Editor(runtime, graphs, { storeImage: async () => 'asset-key' }, undefined, decoders);
  return { editor, graphs, counters };
}
afterEach(() => {
  for (const r of runtimes) r.dispose();
  runtimes = [];
});

describe('editor session', () => {
  it('reopens the graph open last where the user was, autosaves edits, and keeps it saved when another graph opens', async () => {
    const graphs = new MemoryGraphs();
    await graphs.save({ id: 'g1', name: 'first', doc: fill(0.2), viewport: { x: 5, y: 6, zoom: 2 }, selection: ['a'] });
    const { editor } = session(graphs);
    await editor.start('');
    expect(editor.store.doc).toEqual(fill(0.2));
    expect(editor.store.getSnapshot()).toMatchObject({ viewport: { x: 5, y: 6, zoom: 2 }, selection: ['a'] });
    expect(editor.getMeta()).toMatchObject({ graphId: 'g1', graphName: 'first', saved: [{ id: 'g1', name: 'first' }] });

    editor.store.edit(() => fill(0.7));
    expect(graphs.graphs.get('g1')!.doc).toEqual(fill(0.2)); // debounced: not written yet
    editor.openAsNew(emptyDocument(), 'second');
    // The edit was saved under the graph it was made in before the new graph took over.
    expect(graphs.graphs.get('g1')!.doc).toEqual(fill(0.7));
    const { graphId } = editor.getMeta();
    expect(graphId).not.toBe('g1');
    expect(editor.getMeta().graphName).toBe('second');
    await editor.flush();
    expect(graphs.graphs.get(graphId)).toMatchObject({ name: 'second', doc: emptyDocument() });

    await editor.rename('renamed');
    await editor.flush();
    expect(editor.getMeta().saved.map((g) => g.name).sort()).toEqual(['first', 'renamed']);
    await editor.openSaved('g1');
    expect(editor.getMeta().graphName).toBe('first');
    expect(editor.store.doc).toEqual(fill(0.7));
  });

  it('runs cheap nodes live after an edit, and again after a change', async () => {
    const { editor, counters } = session();
    await editor.start('');
    const chain = (value: number) => doc([node('a', 'fill', { value }), node('b', 'scale', { factor: 0.5 })], [edge('a', 'b')]);
    editor.store.edit(() => chain(0.4));
    await until(() => editor.bridge.status('b')?.state === 'done', 'the live run');
    editor.store.edit(() => chain(0.8));
    await until(() => counters.runs.b === 2 && editor.bridge.status('b')?.state === 'done', 'the second live run');
    expect(counters.runs).toEqual({ a: 2, b: 2 });
    expect(editor.bridge.runCounts.get('b')).toBe(2);
  });

  it('re-runs what a decoder name reaches after a decoder is renamed, deleted or imported, and nothing else', async () => {
    const names = new Set(['a']);
    const decoders: DecoderLibrary = {
      importFile: async (_bytes, name = 'b') => (names.add(name), { name }),
      entries: async () => [...names].map((name) => ({ name, origin: 'yours' as const })),
      exportFile: async () => new Uint8Array(),
      remove: async (name) => void names.delete(name),
      rename: async (from, to) => (names.delete(from), names.add(to), { name: to }),
    };
    const { editor, counters } = session(new MemoryGraphs(), decoders);
    await editor.start('');
    editor.store.edit(() => doc([node('n', 'named', { source: 'a' }), node('down', 'scale'), node('src', 'fill')], [edge('n', 'down')]));
    await until(() => editor.bridge.status('down')?.state === 'done' && counters.runs.src === 1, 'the live run');
    expect(counters.runs).toEqual({ n: 1, down: 1, src: 1 });
    expect(await editor.decoderShelf.rename('a', 'c')).toBe(true);
    await until(() => counters.runs.down === 2 && editor.bridge.status('down')?.state === 'done', 'the run after the rename');
    expect(await editor.decoderShelf.remove('c')).toBe(true);
    await until(() => counters.runs.down === 3 && editor.bridge.status('down')?.state === 'done', 'the run after the delete');
    // The fill node names nothing outside the graph: it never ran again.
    expect(counters.runs).toEqual({ n: 3, down: 3, src: 1 });
  });

  it('runs nothing of a graph from outside until the user lets it, then runs it live', async () => {
    const { editor, graphs, counters } = session();
    await editor.start('');
    const chain = doc([node('a', 'fill', { value: 0.4 }), node('b', 'scale', { factor: 0.5 })], [edge('a', 'b')]);
    editor.openAsNew(chain, 'shared', [], { from: 'outside' });
    editor.store.edit((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === 'a' ? { ...n, params: { ...n.params, value: 0.6 } } : n)) }));
    await new Promise((r) => setTimeout(r, 100));
    expect(counters.runs).toEqual({});
    expect(editor.getMeta().paused).toMatchObject({ kept: false });
    await editor.flush();
    expect(graphs.graphs.get(editor.getMeta().graphId)?.paused).toBe(true);

    editor.allowRun();
    await until(() => editor.bridge.status('b')?.state === 'done', 'the live run once allowed');
    expect(counters.runs).toEqual({ a: 1, b: 1 });
    expect(editor.getMeta().paused).toBeUndefined();
    await editor.flush();
    expect(graphs.graphs.get(editor.getMeta().graphId)?.paused).toBeUndefined();
  });

  it('opens a graph file as a new graph named after it, and refuses a decoder file without a decoder store', async () => {
    const { editor } = session();
    await editor.start('');
    const graph = doc([{ id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32 }, position: { x: 0, y: 0 } }], []);
    expect(await editor.importFile(new File([serializeDocument(graph)], 'my-graph.json', { type: 'application/json' }))).toBe(true);
    expect(editor.getMeta().graphName).toBe('my-graph');
    expect(editor.store.doc.nodes.map((n) => n.id)).toEqual(['noise']);
    expect(await editor.importFile(new File([new Uint8Array(16)], 'starry.mgan'))).toBe(false);
    expect(editor.toasts.getSnapshot().map((t) => t.text)).toEqual(["Opened 'my-graph'.", "Cannot import 'starry.mgan': this editor has no decoder store."]);
  });
});
