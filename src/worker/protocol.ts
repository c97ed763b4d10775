/**
 * The messages between the editor's page and the runtime worker (src/worker/runtime-worker.ts).
 * Everything here is plain data for `postMessage`: documents and edits go in; statuses, previews
 * (RGBA buffers, transferred), memory figures, sweep images and video frames come out. Neither side
 * imports TensorFlow.js through this file.
 */
import type { GraphDocument, ParamResource, PortRef } from '../graph/types';
import type { VideoOpenOptions, VideoRef } from '../services/video';
import type { TensorMemory } from '../runtime/memory';
import type { BackendInfo, BackendName, NodeStatus, PreviewImage, RunOptions } from '../runtime/types';
import type { VideoFrameMessage } from '../platform/browser/video-frame-bus';

/** What the page asks for when the worker starts. */
export interface WorkerStart {
  /** The backend asked for in the URL (`?backend=`), if any; `threads` likewise. */
  backend?: BackendName;
  threads?: number;
  /** The site's base URL, absolute (the worker's own URL is under `assets/`). */
  baseUrl: string;
}

/** Calls the page may make that answer once (`call` → `reply`). */
export interface WorkerCalls {
  run(options: RunOptions): Map<string, NodeStatus>;
  /** A sweep: one document per value, the image at each output after each (src/runtime/sweep.ts). */
  sweep(docs: GraphDocument[], outputs: PortRef[]): SweepReply;
  'decoders.importFile'(bytes: Uint8Array, name?: string): { name: string };
  'decoders.entries'(): unknown[];
  'decoders.exportFile'(name: string): Uint8Array;
  'decoders.remove'(name: string): void;
  'decoders.rename'(from: string, to: string): { name: string };
  'decoders.sample'(name: string): { width: number; height: number; data: Uint8ClampedArray };
}
export type WorkerCallName = keyof WorkerCalls;

export type SweepReply =
  | { ok: true; images: Array<Record<string, { width: number; height: number; data: Uint8ClampedArray }>>; steps: Array<{ index: number; statuses: Map<string, NodeStatus> }> }
  | { ok: false; failed: { index: number; statuses: Map<string, NodeStatus> }; steps: Array<{ index: number; statuses: Map<string, NodeStatus> }>; cancelled: boolean };

/** Page → worker. */
export type ToWorker =
  | { type: 'start'; start: WorkerStart }
  | { type: 'setDocument'; doc: GraphDocument }
  | { type: 'setLive'; on: boolean }
  | { type: 'control'; action: 'pause' | 'resume' | 'step' | 'cancel'; nodeId?: string }
  | { type: 'clearCache' }
  | { type: 'resourcesChanged'; kind: ParamResource }
  | { type: 'call'; id: number; name: WorkerCallName; args: unknown[] }
  /** Stops the sweep running under call `id` before its next value. */
  | { type: 'stopSweep'; id: number }
  /** A video source's answer: its size and rate, or why it cannot be opened. */
  | { type: 'videoOpened'; id: number; ok: true; width: number; height: number; fps: number; frameCount?: number }
  | { type: 'videoOpened'; id: number; ok: false; error: string; name: string }
  /** The next frame of a video stream (an ImageBitmap, transferred), or its end. */
  | { type: 'videoFrame'; stream: number; frame?: ImageBitmap; error?: string; errorName?: string };

/** Worker → page. */
export type FromWorker =
  | { type: 'started'; backend: BackendInfo; problem?: string }
  | { type: 'failed'; error: string }
  /** Changed statuses (same object as last time = not sent) and every node id the runtime knows. */
  | { type: 'status'; changed: NodeStatus[]; ids: string[]; outputs?: Record<string, PlainOutputs> }
  | { type: 'preview'; preview: PreviewImage }
  | { type: 'memory'; memory: TensorMemory }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string; name: string }
  /** A sweep's progress: value `index` of `total` starts. */
  | { type: 'sweepValue'; id: number; index: number; total: number }
  /** A video-out frame for the editor's view (pixels transferred). */
  | { type: 'videoOut'; key: string; frame: VideoFrameMessage }
  /** A video source to open on the page (video elements and the camera exist only there). */
  | { type: 'videoOpen'; id: number; ref: VideoRef; options: VideoOpenOptions }
  /** Frames of an opened source: `next` asks for one more, `close` ends it. */
  | { type: 'videoNext'; stream: number; source: number; width: number; height: number }
  | { type: 'videoClose'; stream: number };

/**
 * The plain part of a node's outputs that the editor reads (a patch sampler's grid), by port: tensors
 * stay in the worker.
 */
export type PlainOutputs = Record<string, { grid?: unknown }>;

/** An Error rebuilt on this side of the message, keeping its name (AbortError, ParamError, VideoError). */
export function remoteError(message: string, name: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
