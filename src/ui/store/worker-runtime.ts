/**
 * The page's side of the runtime worker (src/worker/runtime-worker.ts): a GraphRuntimeApi
 * the editor uses as if the runtime were here, while every tensor lives in the worker. Statuses and
 * previews arrive as messages; runs, sweeps and the decoder store are calls that answer once. It also
 * serves the worker's video sources from this window's video elements (ImageBitmaps, transferred) and
 * hands video-out frames to `videoFrameBus`.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { GraphDocument, ParamResource, PortRef } from '../../graph/types';
import type { TensorMemory } from '../../runtime/memory';
import type { SweepRunOptions, SweepRunResult } from '../../runtime/sweep';
import type { BackendInfo, GraphRuntimeApi, NodeStatus, PreviewImage, RunOptions } from '../../runtime/types';
import type { DecoderSample } from '../../platform/common/decoder-sample';
import { remoteError, type FromWorker, type PlainOutputs, type ToWorker, type WorkerCallName, type WorkerCalls, type WorkerStart } from '../../worker/protocol';
import { pageVideoSource, type BitmapFrames } from '../../platform/browser/video-elements';
import { videoFrameBus } from '../../platform/browser/video-frame-bus';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onSweepValue?(index: number, total: number): void;
}

export class WorkerRuntime implements GraphRuntimeApi {
  private readonly statusSubject = new BehaviorSubject<Map<string, NodeStatus>>(new Map());
  private readonly previewSubject = new Subject<PreviewImage>();
  private readonly outputs = new Map<string, PlainOutputs>();
  private readonly pending = new Map<number, Pending>();
  private nextCall = 1;
  private latestMemory?: TensorMemory;
  private readonly videoSources = new Map<number, BitmapFrames>();
  private readonly videoStreams = new Map<number, { frames: AsyncGenerator<ImageBitmap>; abort: AbortController }>();
  private started?: { resolve(v: { backend: BackendInfo; problem?: string }): void; reject(e: Error): void };

  readonly status$: Observable<Map<string, NodeStatus>> = this.statusSubject.asObservable();
  readonly preview$: Observable<PreviewImage> = this.previewSubject.asObservable();

  private constructor(
    private readonly worker: Worker,
    private readonly baseUrl: string,
  ) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    worker.onerror = (e) => this.started?.reject(new Error(`the runtime worker failed to load: ${e.message || 'unknown error'}`));
  }

  /** Starts the worker's backend (`start.backend` / `threads` as asked in the URL) and resolves when it is ready. */
  static async start(worker: Worker, start: WorkerStart): Promise<{ runtime: WorkerRuntime; backend: BackendInfo; problem?: string }> {
    const runtime = new WorkerRuntime(worker, start.baseUrl);
    const ready = new Promise<{ backend: BackendInfo; problem?: string }>((resolve, reject) => (runtime.started = { resolve, reject }));
    runtime.send({ type: 'start', start });
    const { backend, problem } = await ready;
    return { runtime, backend, problem };
  }

  setDocument(doc: GraphDocument): void {
    this.send({ type: 'setDocument', doc });
  }
  setLive(on: boolean): void {
    this.send({ type: 'setLive', on });
  }
  run(options: RunOptions = {}): Promise<Map<string, NodeStatus>> {
    return this.call('run', [options]);
  }
  /** What the editor reads of an output (a patch sampler's grid); tensors stay in the worker. */
  getOutput(nodeId: string, port: string): unknown {
    return this.outputs.get(nodeId)?.[port];
  }
  pause(nodeId: string): void {
    this.send({ type: 'control', action: 'pause', nodeId });
  }
  resume(nodeId: string): void {
    this.send({ type: 'control', action: 'resume', nodeId });
  }
  step(nodeId: string): void {
    this.send({ type: 'control', action: 'step', nodeId });
  }
  cancel(nodeId?: string): void {
    this.send({ type: 'control', action: 'cancel', nodeId });
  }
  clearCache(): void {
    this.send({ type: 'clearCache' });
  }
  resourcesChanged(kind: ParamResource): void {
    this.send({ type: 'resourcesChanged', kind });
  }
  /** The worker's TensorFlow.js memory, as of its last report (about once a second). */
  memory(): TensorMemory | undefined {
    return this.latestMemory;
  }
  sweep(docs: GraphDocument[], outputs: PortRef[], options: SweepRunOptions = {}): Promise<SweepRunResult> {
    const id = this.nextCall;
    options.signal?.addEventListener('abort', () => this.send({ type: 'stopSweep', id }), { once: true });
    return this.call('sweep', [docs, outputs], options.onValue) as Promise<SweepRunResult>;
  }
  /** The decoder store (yours in IndexedDB, bundled ones from the site), opened in the worker. */
  readonly decoders = {
    importFile: (bytes: Uint8Array, name?: string) => this.call('decoders.importFile', [bytes, name]),
    entries: () => this.call('decoders.entries', []),
    exportFile: (name: string) => this.call('decoders.exportFile', [name]),
    remove: (name: string) => this.call('decoders.remove', [name]),
    rename: (from: string, to: string) => this.call('decoders.rename', [from, to]),
    sample: (name: string): Promise<DecoderSample> => this.call('decoders.sample', [name]),
  };
  dispose(): void {
    for (const { abort } of this.videoStreams.values()) abort.abort();
    this.worker.terminate();
  }

  private send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private call<N extends WorkerCallName>(name: N, args: unknown[], onSweepValue?: (index: number, total: number) => void): Promise<ReturnType<WorkerCalls[N]>> {
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onSweepValue });
      this.send({ type: 'call', id, name, args });
    });
  }

  /** Statuses, previews and memory figures waiting for the next frame. */
  private queued: FromWorker[] = [];
  private flushScheduled = false;

  /**
   * Statuses, previews and memory figures wait for the next animation frame and apply together, so
   * the page renders once per frame however many the worker sends (an MDAN's iterations, a
   * training's batches); a hidden tab, which gets no frames, applies them within 200 ms. Any other
   * message first applies what waits, so the order stays the worker's.
   */
  private receive(m: FromWorker): void {
    if (m.type === 'status' || m.type === 'preview' || m.type === 'memory') {
      this.queued.push(m);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        const flush = () => this.flushQueued();
        if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
        setTimeout(flush, 200);
      }
      return;
    }
    this.flushQueued();
    this.onMessage(m);
  }

  private flushQueued(): void {
    this.flushScheduled = false;
    for (const m of this.queued.splice(0)) this.onMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'started':
        this.started?.resolve({ backend: m.backend, problem: m.problem });
        return;
      case 'failed':
        this.started?.reject(new Error(m.error));
        return;
      case 'status': {
        for (const [id, plain] of Object.entries(m.outputs ?? {})) this.outputs.set(id, plain);
        const next = new Map<string, NodeStatus>();
        const prev = this.statusSubject.value;
        const changed = new Map(m.changed.map((s) => [s.nodeId, s]));
        for (const id of m.ids) {
          const status = changed.get(id) ?? prev.get(id);
          if (status) next.set(id, status);
        }
        for (const id of [...this.outputs.keys()]) if (!next.has(id)) this.outputs.delete(id);
        this.statusSubject.next(next);
        return;
      }
      case 'preview':
        this.previewSubject.next(m.preview);
        return;
      case 'memory':
        this.latestMemory = m.memory;
        return;
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(remoteError(m.error, m.name));
        return;
      }
      case 'sweepValue':
        this.pending.get(m.id)?.onSweepValue?.(m.index, m.total);
        return;
      case 'videoOut':
        videoFrameBus.publish(m.key, m.frame);
        return;
      case 'videoOpen':
        pageVideoSource(this.baseUrl)
          .open(m.ref, m.options)
          .then(
            (frames) => {
              this.videoSources.set(m.id, frames);
              this.send({ type: 'videoOpened', id: m.id, ok: true, width: frames.width, height: frames.height, fps: frames.fps, frameCount: frames.frameCount });
            },
            (e: unknown) => this.send({ type: 'videoOpened', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' }),
          );
        return;
      case 'videoNext':
        void this.nextVideoFrame(m.stream, m.source);
        return;
      case 'videoClose': {
        const stream = this.videoStreams.get(m.stream);
        this.videoStreams.delete(m.stream);
        if (stream) {
          stream.abort.abort();
          void stream.frames.return(undefined);
        }
        return;
      }
    }
  }

  /** The next frame of a stream, transferred; the stream opens (the element loads, the camera starts) on its first. */
  private async nextVideoFrame(streamId: number, sourceId: number): Promise<void> {
    try {
      let stream = this.videoStreams.get(streamId);
      if (!stream) {
        const source = this.videoSources.get(sourceId);
        if (!source) throw new Error('the video source was closed');
        const abort = new AbortController();
        stream = { frames: source.open(abort.signal), abort };
        this.videoStreams.set(streamId, stream);
      }
      const next = await stream.frames.next();
      if (next.done) {
        this.videoStreams.delete(streamId);
        this.send({ type: 'videoFrame', stream: streamId });
      } else {
        this.send({ type: 'videoFrame', stream: streamId, frame: next.value }, [next.value]);
      }
    } catch (e) {
      this.videoStreams.delete(streamId);
      this.send({ type: 'videoFrame', stream: streamId, error: e instanceof Error ? e.message : String(e), errorName: e instanceof Error ? e.name : 'Error' });
    }
  }
}
