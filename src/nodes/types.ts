/**
 * A node type: its ports, parameters, doc card and `run`.
 * One file per node type in this folder; `registry.ts` lists them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NodeTypeSpec, ParamValue } from '../graph/types';

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

/**
 * Platform services a node may use (Node files vs browser IndexedDB/fetch). Implemented in
 * src/platform/{node,browser}/env.ts. Issues add optional members here as they need them.
 */
export interface NodeEnv {
  platform: 'node' | 'browser';
  /** Decodes an image to float32 [H, W, 3] in [0, 1]. Errors name the source. */
  loadImage(ref: ImageRef, signal?: AbortSignal): Promise<tf.Tensor3D>;
  /** Names of bundled samples (`image-source`'s `sample` param). */
  sampleNames(): string[];
  /** Reads raw bytes from a path (Node) or URL. */
  readBytes(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Named services later issues add (weights loader, decoder store, video decoder...). */
  services: Record<string, unknown>;
}

export interface RunContext {
  /** The id of the node instance being run (names its output files, keys its live views). */
  nodeId: string;
  /** Input values by port name; an unconnected optional port is `undefined`. Never dispose these. */
  inputs: Record<string, unknown>;
  /** Validated params with defaults filled in. */
  params: Record<string, ParamValue>;
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
}

/**
 * What `run` returns: one value per output port. The runtime owns these from then on and
 * disposes them (tensors, arrays/objects of tensors, or anything with a `dispose()` method)
 * when the cache evicts them. Never return an input tensor itself: return `tf.clone(x)`.
 */
export type NodeOutputs = Record<string, unknown>;

export interface NodeDefinition extends NodeTypeSpec {
  run(ctx: RunContext): Promise<NodeOutputs>;
}

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
