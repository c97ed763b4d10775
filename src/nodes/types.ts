/**
 * A node type: its ports, parameters, doc card and `run`.
 * One file per node type in this folder; `registry.ts` lists them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NodeTypeSpec, ParamValue } from '../graph/types';
import type { NodeServices } from '../services/node-services';

/** Progress a long node reports; the UI charts `losses` and shows iteration/total. */
export interface ProgressInfo {
  iteration?: number;
  total?: number;
  losses?: Record<string, number>;
  /** Short human text: "iteration 12/100", "decoding tile 3/8". */
  message?: string;
  /** Extra data for teaching views (e.g. D's per-patch score map as a small 2-D array). */
  extra?: Record<string, unknown>;
}

/**
 * Pause / step / cancel for long nodes. A long node calls `await control.checkpoint()` once per
 * iteration: it resolves at once while running, waits while paused (resolving once per `step()`),
 * and throws an AbortError when the run was cancelled or superseded.
 */
export interface RunControl {
  checkpoint(): Promise<void>;
  readonly paused: boolean;
}

/** Where an image comes from; the platform environment knows how to load each kind. */
export type ImageRef =
  | { kind: 'sample'; name: string }
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  /** A file the user dropped in the browser, stored under this asset key. */
  | { kind: 'asset'; key: string };

/** How messages name an image carried in the graph (a data: URL in `url`). */
export const EMBEDDED_IMAGE = 'the image embedded in the graph';

/**
 * What a node may use of its platform (Node files vs browser IndexedDB/fetch). Implemented in
 * src/platform/{node,browser}/env.ts.
 */
export interface NodeEnv {
  platform: 'node' | 'browser';
  /** Decodes an image to float32 [H, W, 3] in [0, 1]. Errors name the source. */
  loadImage(ref: ImageRef, signal?: AbortSignal): Promise<tf.Tensor3D>;
  /** How messages name an image when the platform knows better than the ref (a dropped file's own name). */
  describeImage?(ref: ImageRef): Promise<string | undefined>;
  /** Names of bundled samples (`image-source`'s `sample` param). */
  sampleNames(): string[];
  /** Reads raw bytes from a path (Node) or URL. */
  readBytes(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array>;
  services: NodeServices;
}

export interface RunContext<P = Record<string, ParamValue>> {
  /** The id of the node instance being run (names its output files, keys its live views). */
  nodeId: string;
  /** Input values by port name; an unconnected optional port is `undefined`. Never dispose these. */
  inputs: Record<string, unknown>;
  /** Validated params with defaults filled in (typed by the node's declaration: define-node.ts). */
  params: P;
  /**
   * The params as they are now: those marked `midRun` may have changed since the run started (the
   * user edited them while it ran); a long node reads them once per step.
   */
  tuned?(): Record<string, ParamValue>;
  /** Aborted when the run is cancelled or superseded by a newer one. */
  signal: AbortSignal;
  control: RunControl;
  env: NodeEnv;
  /** fraction in 0..1 */
  progress(fraction: number, info?: ProgressInfo): void;
  /** Offers a preview image [H, W, 3] in [0, 1]; the runtime copies what it keeps (throttled). The node still owns it. */
  preview(image: tf.Tensor3D): void;
  /** A warning shown on the node and printed by the CLI ("content image resized to 128x96"). */
  warn(message: string): void;
  /** A note shown on the node and printed by the CLI, not a problem ("decoder 'starry_night' (bundled)"). */
  note(message: string): void;
  /**
   * The node's outputs that an edge takes in this document (the CLI writes only what reaches an
   * image-out, so that is what it saves too). Absent when the node runs outside a graph (a test, a
   * script): then every output is wanted. Read it through `outputWanted`.
   */
  wiredOutputs?: ReadonlySet<string>;
}

/** Whether something takes `output` (always, outside a graph): what a node asks before computing an `onDemand` output. */
export function outputWanted(ctx: Pick<RunContext, 'wiredOutputs'>, output: string): boolean {
  return ctx.wiredOutputs === undefined || ctx.wiredOutputs.has(output);
}

/**
 * What `run` returns: one value per output port. The runtime owns these from then on and
 * disposes them (tensors, arrays/objects of tensors, or anything with a `dispose()` method)
 * when the cache evicts them. Never return an input tensor itself: return `tf.clone(x)`.
 */
export type NodeOutputs = Record<string, unknown>;

export interface NodeDefinition extends NodeTypeSpec {
  run(ctx: RunContext): Promise<NodeOutputs>;
  /**
   * Long nodes: the work a run will do, counted from the params and the nodes feeding it, for the
   * time estimate shown before it runs (src/runtime/estimate.ts prices it).
   */
  estimateWork?: WorkEstimator;
}

/** Kinds of work with a measured cost (REFERENCE_SECONDS in src/runtime/estimate.ts). */
export type WorkKind = 'mdan-setup' | 'mdan-iteration' | 'mgan-step' | 'decode-megapixel';

/**
 * One kind of work a node does. `perIteration` units of `kind` per step of the node's own
 * iteration counter (the iteration/total it reports), `iterations` of them, or undefined when the
 * count is only known once it runs (a video to its end). `counted` marks the part the reported
 * iteration counter counts, whose measured pace calibrates the backend's factor.
 */
export interface WorkPart {
  kind: WorkKind;
  perIteration: number;
  iterations: number | undefined;
  counted?: boolean;
  /** What one iteration of this part is ("iteration", "training step", "frame"). */
  each?: string;
  /** What this part is, for the estimate's breakdown: "100 iterations at 128 px". */
  label: string;
}

/** A node feeding another, as much of it as a work estimate needs. */
export interface UpstreamNode {
  type: string;
  params: Record<string, ParamValue>;
  /** The node wired into input `port`, if any. */
  input(port: string): UpstreamNode | undefined;
}

export type WorkEstimator = (params: Record<string, ParamValue>, input: (port: string) => UpstreamNode | undefined) => WorkPart[];


/** A stream of frames (video): defined with the frame helpers in src/method/video/frames.ts. */
export type { Frames } from '../method/video/frames';

/** Typed errors a node throws for bad input; the CLI maps these to exit code 2. */
export class ParamError extends Error {
  constructor(
    public readonly nodeId: string | undefined,
    public readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

/**
 * The error of reading or fetching what one param names, with the param's name in front (its kind
 * kept; a cancellation passes through as is), so the message says which param to change.
 */
export function aboutParam(param: string, e: unknown): unknown {
  if (!(e instanceof Error) || e.name === 'AbortError' || e.message.startsWith(`param '${param}'`)) return e;
  e.message = `param '${param}': ${e.message}`;
  return e;
}
