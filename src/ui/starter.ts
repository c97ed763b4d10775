/**
 * The graph a first open shows: two cheap nodes that run at once, so a new user sees a live
 * preview and can turn a slider before opening a preset.
 */
import type { GraphDocument } from '../graph/types';

export const STARTER_NAME = 'Start here: Perlin noise';

export const STARTER_GRAPH: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    {
      id: 'noise',
      type: 'perlin-noise',
      version: 1,
      params: { width: 128, height: 128, scale: 32, octaves: 4, seed: 1, color: true },
      position: { x: 0, y: 0 },
    },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 }, label: 'Your first output' },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta: {
    description: 'Perlin noise into an image output. Change scale or octaves and the preview follows; open Presets for the paper’s pipelines.',
  },
};
