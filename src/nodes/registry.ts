/**
 * The catalogue of node types. Each node type lives in its own file in this folder;
 * add one import and one entry to ALL_NODES per new type.
 */
import type { NodeTypeLookup } from '../graph/types';
import type { NodeDefinition } from './types';
import { imageSourceNode } from './image-source';
import { perlinNoiseNode } from './perlin-noise';
import { brownNoiseNode } from './brown-noise';
import { resizeNode } from './resize';
import { blendNode } from './blend';
import { imageOutNode } from './image-out';
import { vgg19TapNode } from './vgg19-tap';
import { patchSamplerNode } from './patch-sampler';
import { discriminatorNode } from './discriminator';
import { mdanOptimiserNode } from './mdan-optimiser';
import { imageSetNode } from './image-set';
import { mganTrainerNode } from './mgan-trainer';
import { mganDecoderNode } from './mgan-decoder';
import { videoSourceNode } from './video-source';
import { videoOutNode } from './video-out';

const ALL_NODES: NodeDefinition[] = [
  // images: sources, noise, resizing, blending, output
  imageSourceNode,
  perlinNoiseNode,
  brownNoiseNode,
  resizeNode,
  blendNode,
  imageOutNode,
  // VGG19 and MDAN
  vgg19TapNode,
  patchSamplerNode,
  discriminatorNode,
  mdanOptimiserNode,
  // MGAN
  imageSetNode,
  mganTrainerNode,
  mganDecoderNode,
  // video
  videoSourceNode,
  videoOutNode,
];

export class NodeRegistry implements NodeTypeLookup {
  private readonly byType = new Map<string, NodeDefinition>();
  constructor(defs: NodeDefinition[]) {
    for (const def of defs) {
      if (this.byType.has(def.type)) throw new Error(`node type '${def.type}' is registered twice`);
      this.byType.set(def.type, def);
    }
  }
  get(type: string): NodeDefinition | undefined {
    return this.byType.get(type);
  }
  list(): NodeDefinition[] {
    return [...this.byType.values()];
  }
}

export const nodeRegistry = new NodeRegistry(ALL_NODES);
