/**
 * The graph runtime: runs a document's nodes, caches their outputs by key, cancels superseded work,
 * and reports per-node status and previews as RxJS streams. See docs/runtime.md.
 */
import * as tf from '@tensorflow/tfjs';
import { BehaviorSubject, debounceTime, Observable, Subject, type Subscription } from 'rxjs';
import type { GraphDocument, ParamResource, ParamValue, PortRef, PortType } from '../graph/types';
import { emptyDocument } from '../graph/document';
import { upstreamOf } from '../graph/topo';
import type { NodeRegistry } from '../nodes/registry';
import type { NodeEnv, NodeOutputs, RunContext } from '../nodes/types';
import { backendProblem } from './backend';
import { isAbortError } from '../util/abort';
import { disposeValue } from './dispose';
import { NodeWorker, type NodeJob } from './node-worker';
import { compilePlan, liveTargetIds, servesPlan, sinkIds, type Plan, type PlannedNode } from './plan';
import { isImageTensor, startPreviewReadback } from './preview';
import { ResultCache, type CacheEntry } from './result-cache';
import { tensorMemory, type TensorMemory } from './memory';
import { runSweep, type SweepRunOptions, type SweepRunResult } from './sweep';
import type { GraphRuntimeApi, NodeStatus, PreviewImage, RunOptions } from './types';

export interface GraphRuntimeOptions {
  registry: NodeRegistry;
  env: NodeEnv;
  /**
   * Live updates: after every `setDocument` and whenever a long node finishes (it feeds the cheap
   * nodes after it), once things are quiet, run the live targets (`liveTargetIds`).
   */
  live?: boolean;
  /** At most one preview per node per this many ms (default 250). */
  previewIntervalMs?: number;
  /** Quiet time after the last trigger before a live run starts (default 30). */
  liveDebounceMs?: number;
  /** Results kept per long node, so undoing a param change is instant (default 3; other nodes keep 1). */
  longResultsKept?: number;
}

type NodeResult =
  | { ok: true; entry: CacheEntry }
  | { ok: false; state: 'error' | 'cancelled' | 'waiting' | 'idle'; reason: string };

interface RunState {
  plan: Plan;
  options: RunOptions;
  targets: Set<string>;
  results: Map<string, Promise<NodeResult>>;
  leases: CacheEntry[];
}

function errorInfo(e: unknown): { message: string; name: string } {
  return e instanceof Error ? { message: e.message, name: e.name } : { message: String(e), name: 'Error' };
}

function blockedReason(port: string, from: string, r: Exclude<NodeResult, { ok: true }>): string {
  switch (r.state) {
    case 'error':
      return `input '${port}' from '${from}' failed`;
    case 'cancelled':
      return `input '${port}' from '${from}' was cancelled`;
    case 'idle':
      return `input '${port}' from '${from}' has not run (long node: run it to continue)`;
    default:
      return `input '${port}' from '${from}' is waiting (${r.reason})`;
  }
}

export class GraphRuntime implements GraphRuntimeApi {
  private readonly registry: NodeRegistry;
  private readonly env: NodeEnv;
  private readonly previewIntervalMs: number;
  private plan: Plan;
  private readonly resourceRevisions = new Map<ParamResource, number>();
  private readonly cache = new ResultCache();
  private readonly longResultsKept: number;
  private readonly workers = new Map<string, NodeWorker<CacheEntry>>();
  private readonly statusSubject = new BehaviorSubject<Map<string, NodeStatus>>(new Map());
  private readonly previewSubject = new Subject<PreviewImage>();
  private readonly lastPreviewAt = new Map<string, number>();
  /** What a paused run set aside by an edit had (its status, its mid-run params), for when undo brings it back. */
  private readonly parkedRuns = new Map<string, { status: NodeStatus; tuned?: Record<string, ParamValue> }>();
  /** Params edited while a long node ran, when only its `midRun` params changed (ctx.tuned). */
  private readonly tunedParams = new Map<string, Record<string, ParamValue>>();
  private readonly liveTrigger = new Subject<void>();
  private readonly liveSubscription: Subscription;
  private live: boolean;
  private disposed = false;

  readonly status$: Observable<Map<string, NodeStatus>> = this.statusSubject.asObservable();
  readonly preview$: Observable<PreviewImage> = this.previewSubject.asObservable();

  constructor(options: GraphRuntimeOptions) {
    this.registry = options.registry;
    this.env = options.env;
    this.previewIntervalMs = options.previewIntervalMs ?? 250;
    this.longResultsKept = options.longResultsKept ?? 3;
    this.plan = { doc: emptyDocument(), order: [], nodes: new Map() };
    this.live = !!options.live;
    this.liveSubscription = this.liveTrigger.pipe(debounceTime(options.liveDebounceMs ?? 30)).subscribe(() => this.runLive());
  }

  get document(): GraphDocument {
    return this.plan.doc;
  }

  /** Each node's current cache key (for tests, debugging and the editor's "stale" marks). */
  cacheKeyOf(nodeId: string): string | undefined {
    return this.plan.nodes.get(nodeId)?.key;
  }

  setDocument(doc: GraphDocument): void {
    this.assertAlive();
    const plan = compilePlan(doc, this.registry, this.resourceRevisions);
    const before = this.plan;
    this.plan = plan;
    /** Statuses this change decides (a run set aside or brought back), over the usual ones. */
    const restored = new Map<string, NodeStatus>();
    for (const [id, worker] of this.workers) {
      const planned = plan.nodes.get(id);
      const was = before.nodes.get(id);
      const job = worker.current;
      // Only values the running node takes at its next step changed: it goes on, under the new key.
      if (planned && job && !job.settled && job.key !== planned.key && was && job.key === was.key && was.tuneKey !== undefined && was.tuneKey === planned.tuneKey) {
        job.rekey(planned.key);
        this.tunedParams.set(id, planned.params);
        continue;
      }
      // Back at a set-aside paused run's document (undo): that run again, paused where it was.
      if (planned && worker.parked?.key === planned.key && worker.unpark(planned.key)) {
        const kept = this.parkedRuns.get(id);
        this.parkedRuns.delete(id);
        if (kept?.tuned) this.tunedParams.set(id, kept.tuned);
        restored.set(id, kept?.status ?? { nodeId: id, state: 'paused' });
        continue;
      }
      // A paused run is never thrown away by an edit: it waits, set aside, for an undo.
      if (job && !job.settled && job.control.paused && job.key !== planned?.key) {
        this.parkedRuns.set(id, { status: this.statusOf(id), tuned: this.tunedParams.get(id) });
        worker.park();
        if (planned) restored.set(id, { nodeId: id, state: 'idle', info: { message: 'paused run set aside: undo brings it back' } });
        continue;
      }
      // Work for a removed node, or under a key the document no longer has, can only give a stale result.
      if (!planned || (worker.current && worker.current.key !== planned.key)) worker.cancel('superseded by a change to the graph');
      if (!planned && !worker.parked) {
        worker.dispose();
        this.workers.delete(id);
      }
    }
    for (const id of this.cache.nodeIds()) {
      if (!plan.nodes.has(id)) for (const entry of this.cache.remove(id)) this.evict(entry);
    }
    const statuses = new Map<string, NodeStatus>();
    for (const [id, planned] of plan.nodes) {
      const prev = this.statusSubject.value.get(id);
      const kept = this.cache.peek(id, planned.key);
      const upToDate = kept !== undefined && servesPlan(planned, kept.outputs);
      statuses.set(id, restored.get(id) ?? (prev && (upToDate || prev.state === 'running' || prev.state === 'paused') ? prev : { nodeId: id, state: 'idle' }));
    }
    this.statusSubject.next(statuses);
    if (this.live) this.liveTrigger.next();
  }

  setLive(on: boolean): void {
    if (this.disposed || on === this.live) return;
    this.live = on;
    if (on) this.liveTrigger.next();
  }

  async run(options: RunOptions = {}): Promise<Map<string, NodeStatus>> {
    this.assertAlive();
    const plan = this.plan;
    const targets = options.targets ?? sinkIds(plan);
    for (const id of targets) if (!plan.nodes.has(id)) throw new Error(`cannot run node '${id}': it is not in the graph`);
    const needed = new Set<string>([...targets, ...upstreamOf(plan.doc, targets)]);
    const state: RunState = { plan, options, targets: new Set(targets), results: new Map(), leases: [] };
    for (const id of plan.order) {
      if (needed.has(id)) state.results.set(id, this.evaluate(state, plan.nodes.get(id)!));
    }
    try {
      await Promise.all(state.results.values());
    } finally {
      for (const entry of state.leases) this.release(entry);
    }
    const statuses = new Map<string, NodeStatus>();
    for (const id of needed) {
      const s = this.statusSubject.value.get(id);
      if (s) statuses.set(id, s);
    }
    return statuses;
  }

  private runLive(): void {
    // A trigger from before live mode was turned off runs nothing.
    if (this.disposed || !this.live) return;
    const targets = liveTargetIds(this.plan);
    // Node failures show in their statuses; a live run has no caller to hand a rejection to.
    if (targets.length) this.run({ targets }).catch(() => undefined);
  }

  getOutput(nodeId: string, port: string): unknown {
    const key = this.plan.nodes.get(nodeId)?.key;
    return key === undefined ? undefined : this.cache.peek(nodeId, key)?.outputs[port];
  }

  pause(nodeId: string): void {
    const worker = this.workerFor(nodeId);
    worker.pauseRequested = true;
    const job = worker.current;
    if (job && !job.settled) job.control.pause();
  }

  resume(nodeId: string): void {
    const worker = this.workerFor(nodeId);
    worker.pauseRequested = false;
    worker.current?.control.resume();
  }

  step(nodeId: string): void {
    this.workers.get(nodeId)?.current?.control.step();
  }

  cancel(nodeId?: string): void {
    if (nodeId === undefined) for (const worker of this.workers.values()) worker.cancel();
    else this.workers.get(nodeId)?.cancel();
  }

  resourcesChanged(kind: ParamResource): void {
    this.assertAlive();
    this.resourceRevisions.set(kind, (this.resourceRevisions.get(kind) ?? 0) + 1);
    this.setDocument(this.plan.doc);
  }

  sweep(docs: GraphDocument[], outputs: PortRef[], options?: SweepRunOptions): Promise<SweepRunResult> {
    return runSweep(this, docs, outputs, options);
  }

  memory(): TensorMemory {
    return tensorMemory();
  }

  clearCache(): void {
    for (const entry of this.cache.clear()) this.evict(entry);
    const statuses = new Map(this.statusSubject.value);
    for (const [id, s] of statuses) if (s.state === 'done') statuses.set(id, { nodeId: id, state: 'idle' });
    this.statusSubject.next(statuses);
  }

  dispose(): void {
    if (this.disposed) return;
    for (const worker of this.workers.values()) worker.dispose();
    this.workers.clear();
    this.clearCache();
    this.liveSubscription.unsubscribe();
    this.disposed = true;
    this.statusSubject.complete();
    this.previewSubject.complete();
    this.liveTrigger.complete();
  }

  // ---- evaluation -------------------------------------------------------------------------

  private async evaluate(run: RunState, planned: PlannedNode): Promise<NodeResult> {
    const id = planned.node.id;
    const cached = this.cache.take(id, planned.key);
    if (cached && servesPlan(planned, cached.outputs)) {
      this.lease(run, cached);
      const prev = this.statusSubject.value.get(id);
      this.setStatus({ nodeId: id, state: 'done', ms: cached.ms, cached: true, key: cached.key, warnings: prev?.warnings, notes: prev?.notes });
      return { ok: true, entry: cached };
    }
    if (planned.problem) {
      this.setStatus({ nodeId: id, state: 'error', error: planned.problem.message, errorName: planned.problem.name });
      return { ok: false, state: 'error', reason: planned.problem.message };
    }
    const def = planned.def!;
    if (def.long && !run.options.includeLong && !run.targets.has(id) && !this.workerFor(id).running(planned.key)) {
      // Not an error: long nodes wait for an explicit run (the card's run button, or the CLI).
      const message = cached ? 'long node: run it again to compute the outputs wired since it ran' : 'long node: run it to compute';
      this.setStatus({ nodeId: id, state: 'idle', info: { message } });
      return { ok: false, state: 'idle', reason: 'long node not run' };
    }
    if (!this.workerFor(id).running(planned.key)) this.setStatus({ nodeId: id, state: 'waiting' });
    const inputs: Record<string, unknown> = {};
    for (const port of def.inputs) {
      const from = planned.inputs.get(port.name);
      if (!from) {
        if (port.optional) continue;
        const reason = `input '${port.name}' is not connected`;
        this.setStatus({ nodeId: id, state: 'error', error: reason });
        return { ok: false, state: 'error', reason };
      }
      const r = await run.results.get(from.node);
      if (!r) {
        const reason = `input '${port.name}' comes from '${from.node}', which is not in the graph`;
        this.setStatus({ nodeId: id, state: 'error', error: reason });
        return { ok: false, state: 'error', reason };
      }
      if (!r.ok) {
        const reason = blockedReason(port.name, from.node, r);
        this.setStatus({ nodeId: id, state: 'waiting', error: reason });
        return { ok: false, state: 'waiting', reason };
      }
      const value = r.entry.outputs[from.port];
      if (value === undefined) {
        const reason = `input '${port.name}' from '${from.node}' has no value (no output '${from.port}' there)`;
        this.setStatus({ nodeId: id, state: 'waiting', error: reason });
        return { ok: false, state: 'waiting', reason };
      }
      inputs[port.name] = value;
    }
    const worker = this.workerFor(id);
    let job = worker.running(planned.key);
    if (!job) {
      // A run started before the latest setDocument may reuse work that is still current, but must not
      // start work under a key the document no longer has: that would supersede the newer run's job.
      if (run.plan !== this.plan && this.plan.nodes.get(id)?.key !== planned.key) {
        return { ok: false, state: 'cancelled', reason: 'superseded by a change to the graph' };
      }
      job = worker.submit(planned.key, (j) => this.execute(planned, inputs, j));
    }
    try {
      const entry = await job.promise;
      this.lease(run, entry);
      return { ok: true, entry };
    } catch (e) {
      const info = errorInfo(e);
      if (isAbortError(e)) {
        if (worker.current === job) this.setStatus({ nodeId: id, state: 'cancelled', error: info.message });
        return { ok: false, state: 'cancelled', reason: info.message };
      }
      return { ok: false, state: 'error', reason: info.message };
    }
  }

  private async execute(planned: PlannedNode, inputs: Record<string, unknown>, job: NodeJob<CacheEntry>): Promise<CacheEntry> {
    const id = planned.node.id;
    const def = planned.def!;
    const worker = this.workerFor(id);
    const isCurrent = () => worker.current === job && !job.signal.aborted;
    const warnings: string[] = [];
    const notes: string[] = [];
    // Warnings and notes travel with every status the node has while it runs and once it is done.
    const messages = () => ({ ...(warnings.length ? { warnings: [...warnings] } : {}), ...(notes.length ? { notes: [...notes] } : {}) });
    let progress = 0;
    this.setStatus({ nodeId: id, state: job.control.paused ? 'paused' : 'running', progress: 0 });
    this.tunedParams.delete(id);
    this.parkedRuns.delete(id);
    const ctx: RunContext = {
      nodeId: id,
      inputs,
      params: planned.params,
      wiredOutputs: planned.wiredOutputs,
      tuned: () => (worker.current === job ? this.tunedParams.get(id) : undefined) ?? planned.params,
      signal: job.signal,
      control: job.control,
      env: this.env,
      progress: (fraction, info) => {
        progress = Math.min(1, Math.max(0, fraction));
        if (isCurrent()) {
          this.setStatus({ nodeId: id, state: job.control.paused ? 'paused' : 'running', progress, info, ...messages() });
        }
      },
      preview: (image) => {
        if (isCurrent()) this.offerPreview(id, image, false);
      },
      warn: (message) => {
        warnings.push(message);
        if (isCurrent()) this.setStatus({ ...this.statusOf(id), ...messages() });
      },
      note: (message) => {
        notes.push(message);
        if (isCurrent()) this.setStatus({ ...this.statusOf(id), ...messages() });
      },
    };
    const started = performance.now();
    let outputs: NodeOutputs;
    try {
      // Let the caller register the job before it does synchronous work (and yield between nodes).
      await Promise.resolve();
      if (job.signal.aborted) throw job.signal.reason;
      const problem = backendProblem();
      if (problem) throw new Error(`${problem}: the backend cannot compute any more; save the graph and restart (CLI) or reload the page`);
      outputs = planned.node.bypass ? this.bypassOutputs(planned, inputs) : await def.run(ctx);
    } catch (e) {
      if (job.signal.aborted) throw isAbortError(e) ? e : job.signal.reason;
      const info = errorInfo(e);
      if (isCurrent()) this.setStatus({ nodeId: id, state: 'error', error: info.message, errorName: info.name, ...messages() });
      throw e;
    }
    if (job.signal.aborted) {
      disposeValue(outputs);
      throw job.signal.reason;
    }
    // Under the job's key: params taken mid-run (ctx.tuned) moved it to the document's latest.
    const entry = { ...this.adoptOutputs(planned, inputs, outputs), key: job.key };
    entry.ms = performance.now() - started;
    // An on-demand output nothing takes may be left out (servesPlan reruns the node once it is wired).
    const missing = def.outputs.filter((p) => entry.outputs[p.name] === undefined && (!p.onDemand || planned.wiredOutputs.has(p.name))).map((p) => p.name);
    if (missing.length && !planned.node.bypass) {
      this.evict(entry);
      const message = `node '${id}' (${def.type}) produced no value for output ${missing.map((m) => `'${m}'`).join(', ')}`;
      this.setStatus({ nodeId: id, state: 'error', error: message, errorName: 'Error' });
      throw new Error(message);
    }
    for (const dropped of this.cache.store(entry, def.long ? this.longResultsKept : 1)) this.evict(dropped);
    this.setStatus({ nodeId: id, state: 'done', ms: entry.ms, cached: false, key: entry.key, ...messages() });
    if (def.long && this.live) this.liveTrigger.next();
    const firstImage = def.outputs.find((p) => p.type === 'Image');
    const image = firstImage && entry.outputs[firstImage.name];
    if (isImageTensor(image)) this.offerPreview(id, image, true);
    return entry;
  }

  /** Bypass: the first connected input, cloned, on the first output of a matching type. */
  private bypassOutputs(planned: PlannedNode, inputs: Record<string, unknown>): NodeOutputs {
    const def = planned.def!;
    const input = def.inputs.find((p) => inputs[p.name] !== undefined);
    if (!input) throw new Error(`bypassed node '${planned.node.id}' has no connected input to pass through`);
    const accepts = (Array.isArray(input.type) ? input.type : [input.type]) as PortType[];
    const output = def.outputs.find((p) => accepts.includes(p.type as PortType));
    if (!output) throw new Error(`bypassed node '${planned.node.id}' has no output of the type of input '${input.name}'`);
    const value = inputs[input.name];
    return { [output.name]: value instanceof tf.Tensor ? tf.clone(value) : value };
  }

  /** Takes ownership of a node's outputs; an input handed back as is (against the rules) is cloned, or borrowed. */
  private adoptOutputs(planned: PlannedNode, inputs: Record<string, unknown>, outputs: NodeOutputs): CacheEntry {
    const inputValues = new Set(Object.values(inputs));
    const owned: NodeOutputs = { ...outputs };
    const borrowed = new Set<string>();
    for (const [port, value] of Object.entries(outputs)) {
      if (value === undefined || !inputValues.has(value)) continue;
      if (value instanceof tf.Tensor) owned[port] = tf.clone(value);
      else borrowed.add(port);
    }
    return { nodeId: planned.node.id, key: planned.key, outputs: owned, borrowed, users: 0, evicted: false, ms: 0 };
  }

  // ---- ownership --------------------------------------------------------------------------

  private lease(run: RunState, entry: CacheEntry): void {
    entry.users++;
    run.leases.push(entry);
  }

  private release(entry: CacheEntry): void {
    entry.users--;
    if (entry.evicted && entry.users <= 0) this.disposeEntry(entry);
  }

  /** Removes an entry from use; its values are disposed once no run still reads them. */
  private evict(entry: CacheEntry): void {
    if (entry.evicted) return;
    entry.evicted = true;
    if (entry.users <= 0) this.disposeEntry(entry);
  }

  private disposeEntry(entry: CacheEntry): void {
    // One `seen` set across ports: a value on two ports (or shared inside them) is released once.
    const seen = new Set<unknown>();
    for (const [port, value] of Object.entries(entry.outputs)) if (!entry.borrowed.has(port)) disposeValue(value, seen);
    entry.outputs = {};
  }

  // ---- status and previews ----------------------------------------------------------------

  private workerFor(nodeId: string): NodeWorker<CacheEntry> {
    let worker = this.workers.get(nodeId);
    if (!worker) {
      worker = new NodeWorker<CacheEntry>((job, paused) => {
        if (worker!.current !== job || job.settled) return;
        const s = this.statusOf(nodeId);
        this.setStatus({ ...s, state: paused ? 'paused' : 'running' });
      });
      this.workers.set(nodeId, worker);
    }
    return worker;
  }

  private statusOf(nodeId: string): NodeStatus {
    return this.statusSubject.value.get(nodeId) ?? { nodeId, state: 'idle' };
  }

  private setStatus(status: NodeStatus): void {
    if (this.disposed) return;
    const next = new Map(this.statusSubject.value);
    next.set(status.nodeId, status);
    this.statusSubject.next(next);
  }

  private offerPreview(nodeId: string, image: tf.Tensor3D, final: boolean): void {
    if (!this.previewSubject.observed || image.isDisposed || !isImageTensor(image)) return;
    const now = performance.now();
    if (!final && now - (this.lastPreviewAt.get(nodeId) ?? -Infinity) < this.previewIntervalMs) return;
    this.lastPreviewAt.set(nodeId, now);
    startPreviewReadback(nodeId, image).then(
      (preview) => {
        if (!this.disposed) this.previewSubject.next(preview);
      },
      () => undefined,
    );
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('the runtime was disposed');
  }
}
