/**
 * The runtime's public surface, used by the CLI and the editor. The editor only ever sees
 * plain data from here (statuses, RGBA previews), never tensors.
 */
import type { Observable } from 'rxjs';
import type { GraphDocument, ParamResource, PortRef } from '../graph/types';
import type { ProgressInfo } from '../nodes/types';
import type { TensorMemory } from './memory';
import type { RgbaImage } from '../formats/contact-sheet';

export type NodeState = 'idle' | 'waiting' | 'running' | 'paused' | 'done' | 'error' | 'cancelled';

export interface NodeStatus {
  nodeId: string;
  state: NodeState;
  /** 0..1 while running */
  progress?: number;
  info?: ProgressInfo;
  /** Milliseconds the last completed run took. */
  ms?: number;
  /** Error message when state is 'error' (or why the node waits: "input 'image' failed"). */
  error?: string;
  /** The thrown error's name when state is 'error' ('ParamError' = bad parameter: the CLI exits 2). */
  errorName?: string;
  warnings?: string[];
  /** Notes the node made (what it used: "decoder 'starry_night' (bundled)"). */
  notes?: string[];
  /** True when the result came from the cache this time. */
  cached?: boolean;
  /** With `done`: the cache key of the result (the editor tells a result it computed from one it kept). */
  key?: string;
}

/** A preview as plain pixels, ready for a canvas (RGBA, 8-bit). */
export interface PreviewImage {
  nodeId: string;
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Why a preferred backend was not used ("WebGPU: no adapter"). */
  fallbackReason?: string;
  /** CPU threads the backend computes on (WASM); absent for GPU backends. */
  threads?: number;
  /** Why WASM runs on fewer threads than asked ("the page is not cross-origin isolated"). */
  threadsReason?: string;
}

export interface RunOptions {
  /** Run only what these nodes need ("run to here"); default all sinks. */
  targets?: string[];
  /** Also run long nodes (MDAN, training, video); the CLI sets this. */
  includeLong?: boolean;
}

export interface GraphRuntimeApi {
  /** Sets the document; with `live` on, the cheap nodes it changed re-run shortly after. */
  setDocument(doc: GraphDocument): void;
  /** Turns live mode on or off (off: nothing runs unless asked); turning it on runs the live targets. */
  setLive(on: boolean): void;
  /** Runs (or reuses cached results of) what the targets need; resolves when they are done. */
  run(options?: RunOptions): Promise<Map<string, NodeStatus>>;
  readonly status$: Observable<Map<string, NodeStatus>>;
  readonly preview$: Observable<PreviewImage>;
  /** Current value of an output port (the runtime still owns it). */
  getOutput(nodeId: string, port: string): unknown;
  pause(nodeId: string): void;
  resume(nodeId: string): void;
  step(nodeId: string): void;
  cancel(nodeId?: string): void;
  clearCache(): void;
  /**
   * Things outside the graph that params of this kind name have changed (a decoder imported,
   * renamed or deleted under a name a node uses): every node with such a param, and what it feeds,
   * gets a new cache key, so none of them answers from a result made with the old contents.
   */
  resourcesChanged(kind: ParamResource): void;
  /**
   * Runs one document per value and reads the images at `outputs` after each (src/runtime/sweep.ts),
   * where the tensors are (the editor's runtime lives in a worker).
   */
  sweep?(docs: GraphDocument[], outputs: PortRef[], options?: SweepRunOptions): Promise<SweepRunResult>;
  /** TensorFlow.js memory where the runtime computes (the toolbar's figures). */
  memory?(): TensorMemory | undefined;
  dispose(): void;
}

/** A sweep (src/runtime/sweep.ts): one run per value. */
export interface SweepStep {
  /** Index of the value (0-based). */
  index: number;
  statuses: Map<string, NodeStatus>;
}

export type SweepRunResult =
  /** `images[i]` holds value i's image for each output node id. */
  | { ok: true; images: Array<Record<string, RgbaImage>>; steps: SweepStep[] }
  /** A value whose run failed or was cancelled: its statuses say why; later values did not run. */
  | { ok: false; failed: SweepStep; steps: SweepStep[]; cancelled: boolean };

export interface SweepRunOptions {
  /** Called before value `index` starts running. */
  onValue?(index: number, total: number): void;
  /** Stops before the next value (the caller also cancels the runtime to stop the current one). */
  signal?: AbortSignal;
}
