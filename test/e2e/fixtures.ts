/** Graphs several browser tests use. */
import type { GraphDocument } from '../../src/graph/types';

/** An unguided MDAN small enough for the browser's WASM backend (32 px result, 8-channel D). */
export function tinyMdan(params: { iterations: number; previewEvery: number }): GraphDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 64 }, position: { x: 0, y: 0 } },
      {
        id: 'mdan',
        type: 'mdan-optimiser',
        version: 1,
        params: { size: 32, exampleSize: 64, dChannels: 8, seed: 1, ...params },
        position: { x: 300, y: 0 },
      },
    ],
    edges: [{ from: { node: 'texture', port: 'image' }, to: { node: 'mdan', port: 'texture' } }],
    meta: {},
  };
}
