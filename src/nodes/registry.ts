/**
 * The catalogue of node types: the built-in ones (each in its own file in this folder; add one import
 * and one entry to ALL_NODES per new type) and those of installed node packages (node-package.ts).
 */
import type { NodeTypeLookup } from '../graph/types';
import type { NodeDefinition } from './types';
import type { NodePackage } from './node-package';
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
import { gramOptimiserNode } from './gram-optimiser';
import { imageSetNode } from './image-set';
import { mganTrainerNode } from './mgan-trainer';
import { mganDecoderNode } from './mgan-decoder';
import { speedComparisonNode } from './speed-comparison';
import { decoderChannelsNode } from './decoder-channels';
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
  gramOptimiserNode,
  // MGAN
  imageSetNode,
  mganTrainerNode,
  mganDecoderNode,
  speedComparisonNode,
  decoderChannelsNode,
  // video
  videoSourceNode,
  videoOutNode,
];

/** Where a node type comes from: built in, or the name of the node package that provides it. */
export const BUILT_IN = 'built-in';

export class NodeRegistry implements NodeTypeLookup {
  private readonly byType = new Map<string, NodeDefinition>();
  private readonly providers = new Map<string, string>();
  constructor(defs: NodeDefinition[], packages: NodePackage[] = []) {
    for (const def of defs) this.add(def, BUILT_IN);
    for (const pkg of packages) for (const def of pkg.nodes) this.add(def, pkg.name);
  }
  private add(def: NodeDefinition, provider: string): void {
    const taken = this.providers.get(def.type);
    if (taken === BUILT_IN && provider !== BUILT_IN) throw new Error(`node package '${provider}': node type '${def.type}' is a built-in type; give yours another name`);
    if (taken !== undefined) throw new Error(`node type '${def.type}' is registered twice (${taken === provider ? provider : `${taken} and ${provider}`})`);
    this.byType.set(def.type, def);
    this.providers.set(def.type, provider);
  }
  get(type: string): NodeDefinition | undefined {
    return this.byType.get(type);
  }
  list(): NodeDefinition[] {
    return [...this.byType.values()];
  }
  /** BUILT_IN, the package that provides `type`, or undefined when none does. */
  providerOf(type: string): string | undefined {
    return this.providers.get(type);
  }
}

/** The built-in node types. */
export const nodeRegistry = new NodeRegistry(ALL_NODES);

/** The built-in node types and those of the installed packages (a type already taken is an error naming both). */
export function createNodeRegistry(packages: NodePackage[]): NodeRegistry {
  return new NodeRegistry(ALL_NODES, packages);
}
