/** Fake node types for graph tests (the real node files are written elsewhere, in parallel). */
import type { GraphDocument, NodeTypeLookup, NodeTypeSpec, ParamValue } from '../../src/graph/types';

const base = { category: 'test', doc: 'A test node.' };

export const noiseSpec: NodeTypeSpec = {
  ...base,
  type: 'noise',
  version: 1,
  title: 'Noise',
  inputs: [],
  outputs: [{ name: 'image', type: 'Image' }],
  params: [
    { name: 'width', type: 'number', default: 64, min: 8, max: 4096, integer: true, description: 'width in pixels' },
    { name: 'octaves', type: 'number', default: 4, min: 1, max: 8, integer: true, description: 'octaves' },
    { name: 'scale', type: 'number', default: 0.5, min: 0, max: 1, description: 'scale' },
    { name: 'seed', type: 'seed', default: 1, description: 'seed' },
    { name: 'color', type: 'boolean', default: false, description: 'colour noise' },
  ],
};

export const blendSpec: NodeTypeSpec = {
  ...base,
  type: 'blend',
  version: 1,
  title: 'Blend',
  inputs: [
    { name: 'a', type: 'Image' },
    { name: 'b', type: 'Image' },
    { name: 'mask', type: 'Image', optional: true },
  ],
  outputs: [{ name: 'image', type: 'Image' }],
  params: [
    { name: 'mode', type: 'string', default: 'mix', options: ['mix', 'multiply', 'screen'], description: 'how' },
    { name: 'amount', type: 'number', default: 0.5, min: 0, max: 1, description: 'how much of b' },
  ],
};

export const tapSpec: NodeTypeSpec = {
  ...base,
  type: 'tap',
  version: 1,
  title: 'Layer tap',
  inputs: [{ name: 'image', type: ['Image', 'Frames'] }],
  outputs: [{ name: 'features', type: 'Features' }],
  params: [{ name: 'layer', type: 'string', default: 'relu4_1', options: ['relu3_1', 'relu4_1', 'relu5_1'], description: 'layer' }],
};

export const samplerSpec: NodeTypeSpec = {
  ...base,
  type: 'sampler',
  version: 1,
  title: 'Patch sampler',
  inputs: [{ name: 'features', type: 'Features' }],
  outputs: [{ name: 'patches', type: 'Patches' }],
  params: [{ name: 'size', type: 'number', default: 3, min: 1, max: 9, integer: true, description: 'patch size' }],
};

export const outSpec: NodeTypeSpec = {
  ...base,
  type: 'out',
  version: 1,
  title: 'Image out',
  inputs: [{ name: 'image', type: 'Image' }],
  outputs: [],
  params: [{ name: 'name', type: 'string', default: 'result', description: 'file name' }],
};

/**
 * A type at version 3 whose params were renamed over time: v1 `radius` → v2 `size`; v2 → v3 added
 * `quality` (default) and scaled `size` from pixels to a fraction of 100.
 */
export const legacySpec: NodeTypeSpec = {
  ...base,
  type: 'legacy',
  version: 3,
  title: 'Legacy',
  inputs: [{ name: 'image', type: 'Image', optional: true }],
  outputs: [{ name: 'image', type: 'Image' }],
  params: [
    { name: 'size', type: 'number', default: 0.25, min: 0, max: 1, description: 'size as a fraction' },
    { name: 'quality', type: 'string', default: 'high', options: ['low', 'high'], description: 'quality' },
  ],
  migrate(params, fromVersion) {
    const out: Record<string, ParamValue> = { ...params };
    if (fromVersion < 2) {
      out.size = out.radius ?? null;
      delete out.radius;
    }
    if (fromVersion < 3 && typeof out.size === 'number') out.size = out.size / 100;
    return out;
  },
};

export const ALL_SPECS = [noiseSpec, blendSpec, tapSpec, samplerSpec, outSpec, legacySpec];

export const types: NodeTypeLookup = {
  get: (type) => ALL_SPECS.find((s) => s.type === type),
};

/** noise1, noise2 → blend1 → out1: a small valid graph. */
export function sampleDocument(): GraphDocument {
  return {
    schemaVersion: 1,
    meta: { title: 'test' },
    nodes: [
      { id: 'noise1', type: 'noise', version: 1, params: { octaves: 6 }, position: { x: 0, y: 0 } },
      { id: 'noise2', type: 'noise', version: 1, params: { seed: 7 }, position: { x: 0, y: 200 } },
      { id: 'blend1', type: 'blend', version: 1, params: { mode: 'screen' }, position: { x: 300, y: 100 } },
      { id: 'out1', type: 'out', version: 1, params: {}, position: { x: 600, y: 100 } },
    ],
    edges: [
      { from: { node: 'noise1', port: 'image' }, to: { node: 'blend1', port: 'a' } },
      { from: { node: 'noise2', port: 'image' }, to: { node: 'blend1', port: 'b' } },
      { from: { node: 'blend1', port: 'image' }, to: { node: 'out1', port: 'image' } },
    ],
  };
}
