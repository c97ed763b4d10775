/** Notes and frames never run: adding, editing or moving them changes no cache key, so nothing re-runs. */
import { describe, expect, it } from 'vitest';
import { addFrame, addNote, moveCanvasItems, setNoteText } from '../../src/graph/annotations';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { createNodeEnv } from '../../src/platform/node/env';
import { GraphRuntime } from '../../src/runtime/runtime';

const doc: GraphDocument = {
  schemaVersion: 2,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 16, height: 16, scale: 4, octaves: 2 }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 300, y: 0 } },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta: {},
};

describe('annotations and the runtime', () => {
  it('leave every cache key alone and run nothing', async () => {
    const runtime = new GraphRuntime({ registry: nodeRegistry, env: createNodeEnv() });
    runtime.setDocument(doc);
    await runtime.run();
    const keys = doc.nodes.map((n) => runtime.cacheKeyOf(n.id));
    let annotated = addNote(doc, { x: 0, y: -100 }, '**why**').doc;
    annotated = addFrame(annotated, { x: -20, y: -20, width: 300, height: 300 }, { nodes: ['noise'] }).doc;
    annotated = setNoteText(moveCanvasItems(annotated, { frames: { 'frame-1': { x: 0, y: 0 } } }), 'note-1', 'changed');
    runtime.setDocument(annotated);
    expect(doc.nodes.map((n) => runtime.cacheKeyOf(n.id))).toEqual(keys);
    const statuses = await runtime.run();
    expect([...statuses.values()].map((s) => [s.nodeId, s.state, s.cached]).sort()).toEqual([
      ['noise', 'done', true],
      ['out', 'done', true],
    ]);
    runtime.dispose();
  });
});
