/**
 * The editor's runtime worker: the graph runtime and TensorFlow.js (WebGPU, WebGL, WASM on every core)
 * run here, off the page's main thread, so panning, typing and reading never wait for a tensor. The
 * page (src/ui/store/worker-runtime.ts) sends documents, edits and run controls; this sends
 * back statuses, previews (pixels transferred), memory figures and video-out frames. Video sources are
 * read on the page (video elements and the camera exist only there) and arrive as ImageBitmaps.
 * IndexedDB stores, fetch and image decoding (createImageBitmap, OffscreenCanvas) work here as on a page.
 * Messages: src/worker/protocol.ts.
 */
import type { GraphDocument } from '../graph/types';
import { editorNodeRegistry } from '../nodes/editor-registry';
import type { VideoOpenOptions, VideoRef } from '../services/video';
import { initBackend } from '../runtime/backend';
import { tensorMemory } from '../runtime/memory';
import { GraphRuntime } from '../runtime/runtime';
import { runSweep } from '../runtime/sweep';
import type { BackendInfo, NodeStatus } from '../runtime/types';
import type { DecoderCatalog } from '../services/decoder-catalog';
import { createDecoderSampler } from '../platform/common/decoder-sample';
import { createBrowserEnv } from '../platform/browser/env';
import { remoteError, type FromWorker, type PlainOutputs, type ToWorker, type WorkerCallName, type WorkerStart } from './protocol';
import type { BitmapFrames, BitmapVideoSource } from '../platform/browser/video-elements';
import { setBundledWasmPaths } from '../platform/browser/wasm-paths';
import { browserWasmThreading } from '../platform/browser/wasm-threads';

const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Memory figures for the toolbar, this often while the page is open. */
const MEMORY_EVERY_MS = 1000;

async function chooseBackend(start: WorkerStart): Promise<{ info: BackendInfo; problem?: string }> {
  const { backend, threads } = start;
  const options = { threads, wasmThreading: browserWasmThreading };
  if (!backend) return { info: await initBackend(undefined, options) };
  try {
    return { info: await initBackend(backend, options) };
  } catch (e) {
    return { info: await initBackend(undefined, options), problem: `${e instanceof Error ? e.message : e}; chose automatically.` };
  }
}

/** Video sources on the page, answered through messages: one open per source, frames pulled one at a time. */
class PageVideoLink implements BitmapVideoSource {
  private nextId = 1;
  private readonly opening = new Map<number, { resolve(v: { width: number; height: number; fps: number; frameCount?: number }): void; reject(e: Error): void }>();
  private readonly waiting = new Map<number, { resolve(frame: ImageBitmap | undefined): void; reject(e: Error): void }>();

  open(ref: VideoRef, options: VideoOpenOptions, signal?: AbortSignal): Promise<BitmapFrames> {
    const id = this.nextId++;
    const opened = new Promise<{ width: number; height: number; fps: number; frameCount?: number }>((resolve, reject) => {
      this.opening.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    post({ type: 'videoOpen', id, ref, options });
    return opened.then((size) => ({ ...size, open: (frameSignal?: AbortSignal) => this.frames(id, size, frameSignal) }));
  }

  private async *frames(source: number, size: { width: number; height: number }, signal?: AbortSignal): AsyncGenerator<ImageBitmap> {
    const stream = this.nextId++;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const next = new Promise<ImageBitmap | undefined>((resolve, reject) => {
          this.waiting.set(stream, { resolve, reject });
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        post({ type: 'videoNext', stream, source, width: size.width, height: size.height });
        const frame = await next;
        if (!frame) return;
        yield frame;
      }
    } finally {
      this.waiting.delete(stream);
      post({ type: 'videoClose', stream });
    }
  }

  onOpened(m: Extract<ToWorker, { type: 'videoOpened' }>): void {
    const waiter = this.opening.get(m.id);
    this.opening.delete(m.id);
    if (!waiter) return;
    if (m.ok) waiter.resolve({ width: m.width, height: m.height, fps: m.fps, frameCount: m.frameCount });
    else waiter.reject(remoteError(m.error, m.name));
  }

  onFrame(m: Extract<ToWorker, { type: 'videoFrame' }>): void {
    const waiter = this.waiting.get(m.stream);
    this.waiting.delete(m.stream);
    if (!waiter) {
      m.frame?.close();
      return;
    }
    if (m.error !== undefined) waiter.reject(remoteError(m.error, m.errorName ?? 'Error'));
    else waiter.resolve(m.frame);
  }
}

/** The runtime and its services, once started. */
class WorkerHost {
  private readonly sent = new Map<string, NodeStatus>();
  private readonly sweeps = new Map<number, AbortController>();
  private doc?: GraphDocument;
  private readonly sample;
  private readonly decoders?: DecoderCatalog;

  constructor(
    readonly runtime: GraphRuntime,
    env: ReturnType<typeof createBrowserEnv>,
  ) {
    this.decoders = env.services.decoders as DecoderCatalog | undefined;
    this.sample = createDecoderSampler(env);
    runtime.status$.subscribe((all) => this.sendStatuses(all));
    runtime.preview$.subscribe((preview) => post({ type: 'preview', preview }, [preview.data.buffer]));
    const memory = () => post({ type: 'memory', memory: tensorMemory() });
    memory();
    setInterval(memory, MEMORY_EVERY_MS);
  }

  handle(m: ToWorker): void {
    switch (m.type) {
      case 'setDocument':
        this.doc = m.doc;
        this.runtime.setDocument(m.doc);
        return;
      case 'setLive':
        this.runtime.setLive(m.on);
        return;
      case 'control':
        if (m.action === 'cancel') this.runtime.cancel(m.nodeId);
        else if (m.nodeId !== undefined) this.runtime[m.action](m.nodeId);
        return;
      case 'clearCache':
        this.runtime.clearCache();
        return;
      case 'resourcesChanged':
        this.runtime.resourcesChanged(m.kind);
        return;
      case 'stopSweep':
        this.sweeps.get(m.id)?.abort();
        return;
      case 'call':
        this.call(m.id, m.name, m.args).then(
          ({ value, transfer }) => post({ type: 'reply', id: m.id, ok: true, value }, transfer),
          (e: unknown) => post({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' }),
        );
        return;
    }
  }

  private async call(id: number, name: WorkerCallName, args: unknown[]): Promise<{ value: unknown; transfer?: Transferable[] }> {
    const decoders = () => {
      if (!this.decoders) throw new Error('no decoder store here');
      return this.decoders;
    };
    switch (name) {
      case 'run':
        return { value: await this.runtime.run(args[0] as Parameters<GraphRuntime['run']>[0]) };
      case 'sweep': {
        const abort = new AbortController();
        this.sweeps.set(id, abort);
        try {
          const [docs, outputs] = args as Parameters<typeof runSweep> extends [unknown, infer D, infer O, ...unknown[]] ? [D, O] : never;
          const result = await runSweep(this.runtime, docs, outputs, {
            signal: abort.signal,
            onValue: (index, total) => post({ type: 'sweepValue', id, index, total }),
          });
          const transfer = result.ok ? result.images.flatMap((row) => Object.values(row).map((image) => image.data.buffer)) : [];
          return { value: result, transfer };
        } finally {
          this.sweeps.delete(id);
          // The sweep leaves its last document in the runtime; the page sets its own again.
          if (this.doc) this.runtime.setDocument(this.doc);
        }
      }
      case 'decoders.importFile':
        return { value: await decoders().importFile(args[0] as Uint8Array, args[1] as string | undefined) };
      case 'decoders.entries':
        return { value: await decoders().entries() };
      case 'decoders.exportFile':
        return { value: await decoders().exportFile(args[0] as string) };
      case 'decoders.remove':
        return { value: await decoders().remove(args[0] as string) };
      case 'decoders.rename':
        return { value: await decoders().rename(args[0] as string, args[1] as string) };
      case 'decoders.sample': {
        const sample = await this.sample(args[0] as string);
        return { value: sample, transfer: [sample.data.buffer] };
      }
    }
  }

  /** Sends only the statuses that changed (the runtime keeps an unchanged node's object), with what the UI reads of new outputs. */
  private sendStatuses(all: Map<string, NodeStatus>): void {
    const changed: NodeStatus[] = [];
    let outputs: Record<string, PlainOutputs> | undefined;
    for (const [id, status] of all) {
      if (this.sent.get(id) === status) continue;
      this.sent.set(id, status);
      changed.push(status);
      if (status.state === 'done') {
        const plain = this.plainOutputs(id);
        if (plain) (outputs ??= {})[id] = plain;
      }
    }
    for (const id of [...this.sent.keys()]) if (!all.has(id)) this.sent.delete(id);
    post({ type: 'status', changed, ids: [...all.keys()], outputs });
  }

  /** A patch sampler's grid (plain numbers; the patches tensor stays here). */
  private plainOutputs(nodeId: string): PlainOutputs | undefined {
    const node = this.runtime.document.nodes.find((n) => n.id === nodeId);
    const def = node && editorNodeRegistry.get(node.type);
    if (!def) return undefined;
    let plain: PlainOutputs | undefined;
    for (const port of def.outputs) {
      const value = this.runtime.getOutput(nodeId, port.name) as { grid?: unknown } | undefined;
      if (value && typeof value === 'object' && 'grid' in value) (plain ??= {})[port.name] = { grid: value.grid };
    }
    return plain;
  }
}

const video = new PageVideoLink();
let host: WorkerHost | undefined;
/** Messages that arrive while the backend starts wait for it, in order. */
const early: ToWorker[] = [];

async function start(options: WorkerStart): Promise<void> {
  await setBundledWasmPaths();
  const { info, problem } = await chooseBackend(options);
  const env = createBrowserEnv({
    baseUrl: options.baseUrl,
    // The sink keeps its last frame (sent again as the done marker): the page gets a copy of the pixels.
    video: { source: video, publish: (key, frame) => {
      const data = frame.data.slice();
      post({ type: 'videoOut', key, frame: { ...frame, data } }, [data.buffer]);
    } },
  });
  // Live mode: edits re-run the cheap nodes they touch once the user pauses for 40 ms.
  const runtime = new GraphRuntime({ registry: editorNodeRegistry, env, live: true, liveDebounceMs: 40 });
  host = new WorkerHost(runtime, env);
  post({ type: 'started', backend: info, problem });
  for (const m of early.splice(0)) host.handle(m);
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'start') {
    start(m.start).catch((error: unknown) => post({ type: 'failed', error: error instanceof Error ? error.message : String(error) }));
  } else if (m.type === 'videoOpened') video.onOpened(m);
  else if (m.type === 'videoFrame') video.onFrame(m);
  else if (host) host.handle(m);
  else early.push(m);
};
