/**
 * The paper's Fig. 2 as wires: VGG19 tap → patch sampler → discriminator → MDAN optimiser (or MGAN
 * trainer). What travels is a plain spec, never tensors the runner would have to take apart:
 *
 * - the tap's `features` carry their layer; the sampler's `sampling` output (a PatchSpec port) is
 *   that layer with its own size and stride;
 * - a discriminator wired to a sampler takes its patch size from it and carries the layer and stride
 *   on (MdanDiscriminator.sampling), also out of an optimiser that trained it;
 * - a runner given a D runs with the D's patch size and width, and with its layer and stride when it
 *   carries them. Whatever is not wired comes from the runner's own params.
 *
 * The rules are here once: the nodes apply them to the values at run time, and `traceWiring` applies
 * them to the document (what the editor shows before anything runs: which params a wire sets, and from
 * which node). No TensorFlow.js.
 */
import { resolveParams } from '../graph/params';
import type { GraphDocument, GraphNode, NodeTypeLookup, ParamValue, PortRef } from '../graph/types';
import type { PatchSampling } from '../method/mdan/discriminator';

/** The value on a PatchSpec port: which patches to judge (a VGG19 layer, their size and stride, in feature cells). */
export interface PatchSpec {
  layer: string;
  size: number;
  stride: number;
}

/** What a connected discriminator decides for its runner. */
export interface DiscriminatorSpec {
  patchSize: number;
  channels: number;
  sampling?: PatchSampling;
}

/** The runner's params a wired D can set, and the D's field each one takes. */
export const WIRED_BY_DISCRIMINATOR = {
  layer: 'layer',
  patchSize: 'patchSize',
  patchStride: 'patchStride',
  dChannels: 'channels',
} as const;
export type WiredRunnerParam = keyof typeof WIRED_BY_DISCRIMINATOR;

export interface RunnerPatchSettings {
  layer: string;
  patchSize: number;
  patchStride: number;
  dChannels: number;
}

/** The settings a D sets for its runner (the rest stay the runner's own). */
export function discriminatorOverrides(d: DiscriminatorSpec | undefined): Partial<RunnerPatchSettings> {
  if (!d) return {};
  return {
    patchSize: d.patchSize,
    dChannels: d.channels,
    ...(d.sampling ? { layer: d.sampling.layer, patchStride: d.sampling.patchStride } : {}),
  };
}

/** A discriminator node's patch size and sampling: from the sampler wired to it, else its own patchSize. */
export function discriminatorSampling(patchSize: number, spec: PatchSpec | undefined): { patchSize: number; sampling?: PatchSampling } {
  return spec ? { patchSize: spec.size, sampling: { layer: spec.layer, patchStride: spec.stride } } : { patchSize };
}

/** One setting a wire decides: its value where the document says it, and the node it comes from. */
export interface WiredSetting {
  /** The setting's name: a param of the node when it has one (then it overrides it). */
  name: string;
  /** Undefined where only running can tell (a layer from a node that is not a VGG19 tap). */
  value: ParamValue | undefined;
  /** The node that sets it. */
  from: { node: string; title: string };
}

type Traced = Partial<Record<'layer' | 'patchSize' | 'patchStride' | 'channels', Omit<WiredSetting, 'name'>>>;

const MAX_DEPTH = 64;

interface Tracer {
  doc: GraphDocument;
  types: NodeTypeLookup;
  byId: Map<string, GraphNode>;
}

function source(t: Tracer, node: GraphNode): WiredSetting['from'] {
  return { node: node.id, title: node.label ?? t.types.get(node.type)?.title ?? node.type };
}

function paramsOf(t: Tracer, node: GraphNode): Record<string, ParamValue> {
  const spec = t.types.get(node.type);
  return spec ? resolveParams(spec, node.params, node.id).params : node.params;
}

function inputOf(t: Tracer, nodeId: string, port: string): PortRef | undefined {
  return t.doc.edges.find((e) => e.to.node === nodeId && e.to.port === port)?.from;
}

/** A sampler's spec as the document sets it. */
function tracePatchSpec(t: Tracer, sampler: GraphNode): Traced {
  const params = paramsOf(t, sampler);
  const here = source(t, sampler);
  const featuresFrom = inputOf(t, sampler.id, 'features');
  const tap = featuresFrom && t.byId.get(featuresFrom.node);
  return {
    patchSize: { value: params.size, from: here },
    patchStride: { value: params.stride, from: here },
    ...(tap ? { layer: { value: tap.type === 'vgg19-tap' ? paramsOf(t, tap).layer : undefined, from: source(t, tap) } } : {}),
  };
}

/** What the D on output `ref` decides, as the document sets it (undefined: nothing the document can tell). */
function traceDiscriminator(t: Tracer, ref: PortRef, depth: number): Traced | undefined {
  const node = t.byId.get(ref.node);
  if (!node || depth > MAX_DEPTH) return undefined;
  const params = paramsOf(t, node);
  const here = source(t, node);
  if (node.type === 'discriminator') {
    const samplerRef = inputOf(t, node.id, 'sampling');
    const sampler = samplerRef && t.byId.get(samplerRef.node);
    const wired = sampler?.type === 'patch-sampler' ? tracePatchSpec(t, sampler) : undefined;
    return { patchSize: { value: params.patchSize, from: here }, ...wired, channels: { value: params.channels, from: here } };
  }
  if (node.type === 'mdan-optimiser' && ref.port === 'discriminator') {
    // The trained D is the one it was given (with what that carries), or a fresh one of its own settings.
    const given = inputOf(t, node.id, 'discriminator');
    if (given) return traceDiscriminator(t, given, depth + 1);
    return { patchSize: { value: params.patchSize, from: here }, channels: { value: params.dChannels, from: here } };
  }
  return undefined;
}

/**
 * The settings of node `nodeId` that wires decide, as the document stands: for an MDAN optimiser its
 * layer, patchSize, patchStride and dChannels (those a connected D sets); for an MGAN trainer the
 * layer, patch size and stride of its MDAN targets; for a discriminator its patchSize from a sampler.
 */
export function traceWiring(doc: GraphDocument, nodeId: string, types: NodeTypeLookup): WiredSetting[] {
  const t: Tracer = { doc, types, byId: new Map(doc.nodes.map((n) => [n.id, n])) };
  const node = t.byId.get(nodeId);
  if (!node) return [];
  if (node.type === 'discriminator') {
    const samplerRef = inputOf(t, nodeId, 'sampling');
    const sampler = samplerRef && t.byId.get(samplerRef.node);
    if (!sampler) return [];
    const traced = sampler.type === 'patch-sampler' ? tracePatchSpec(t, sampler) : { patchSize: { value: undefined, from: source(t, sampler) } };
    return traced.patchSize ? [{ name: 'patchSize', ...traced.patchSize }] : [];
  }
  if (node.type !== 'mdan-optimiser' && node.type !== 'mgan-trainer') return [];
  const dRef = inputOf(t, nodeId, 'discriminator');
  if (!dRef) return [];
  const d = traceDiscriminator(t, dRef, 0) ?? {
    patchSize: { value: undefined, from: source(t, t.byId.get(dRef.node) ?? node) },
    channels: { value: undefined, from: source(t, t.byId.get(dRef.node) ?? node) },
  };
  const settings: WiredSetting[] = [];
  for (const [name, field] of Object.entries(WIRED_BY_DISCRIMINATOR)) {
    // The trainer's MDAN targets take D's patches; its own D in training is the MGAN one.
    if (node.type === 'mgan-trainer' && name === 'dChannels') continue;
    const traced = d[field];
    if (traced) settings.push({ name, ...traced });
  }
  return settings;
}

/** "VGG19 features 'tap'": the node a wired setting comes from. */
export function describeSource(from: WiredSetting['from']): string {
  return from.title === from.node ? `'${from.node}'` : `${from.title} '${from.node}'`;
}

/** "layer relu3_1 from VGG19 features 'tap'": one wired setting in words. */
export function describeWiredSetting(s: WiredSetting): string {
  return `${s.name}${s.value === undefined ? '' : ` ${String(s.value)}`} from ${describeSource(s.from)}`;
}
