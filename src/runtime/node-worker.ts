/**
 * One node's executions as an RxJS stream: each submitted job becomes an inner Observable and
 * `switchMap` tears down (aborts) the previous one when a newer job arrives, so superseded work
 * stops at its next `checkpoint()`.
 */
import { Observable, Subject, switchMap, type Subscription } from 'rxjs';
import { abortError } from '../util/abort';
import { NodeRunControl } from './control';

export interface NodeJob<T> {
  readonly key: string;
  /** The document changed only in values the running node takes mid-run: its result will be under `key` now. */
  rekey(key: string): void;
  readonly signal: AbortSignal;
  readonly control: NodeRunControl;
  readonly promise: Promise<T>;
  readonly settled: boolean;
  abort(reason?: string): void;
}

class Job<T> implements NodeJob<T> {
  private readonly ac = new AbortController();
  readonly control: NodeRunControl;
  readonly promise: Promise<T>;
  settled = false;
  rekey(key: string): void {
    this.key = key;
  }
  private resolveFn!: (v: T) => void;
  private rejectFn!: (e: unknown) => void;

  constructor(
    public key: string,
    private readonly work: (job: Job<T>) => Promise<T>,
    paused: boolean,
    onPauseChange: (paused: boolean) => void,
  ) {
    this.control = new NodeRunControl(this.ac.signal, { paused, onPauseChange });
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    // Callers may abandon a job's promise (a superseded run); never leave a rejection unhandled.
    this.promise.catch(() => undefined);
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  abort(reason = 'cancelled'): void {
    if (!this.settled && !this.ac.signal.aborted) this.ac.abort(abortError(reason));
  }

  start(): Promise<void> {
    return this.work(this).then(
      (v) => {
        this.settled = true;
        this.resolveFn(v);
      },
      (e: unknown) => {
        this.settled = true;
        this.rejectFn(e);
      },
    );
  }
}

export class NodeWorker<T> {
  private readonly jobs = new Subject<Job<T>>();
  private readonly subscription: Subscription;
  current?: NodeJob<T>;
  /**
   * A paused run the document moved away from (an edit upstream or of a param it cannot take
   * mid-run, or the node deleted): kept, waiting at its checkpoint with its state, so that undo can
   * bring it back. The next run of this node discards it.
   */
  parked?: NodeJob<T>;
  /** A pause requested before (or between) runs applies to the next job too. */
  pauseRequested = false;

  constructor(private readonly onPauseChange: (job: NodeJob<T>, paused: boolean) => void) {
    this.subscription = this.jobs
      .pipe(
        switchMap(
          (job) =>
            new Observable<never>((subscriber) => {
              void job.start().then(() => {
                // A pause asked for this node lasts until its current job ends.
                if (this.current === job) this.pauseRequested = false;
                subscriber.complete();
              });
              return () => job.abort('superseded by a newer run');
            }),
        ),
      )
      .subscribe();
  }

  /** Starts `work` under `key`, superseding (aborting) whatever this node was running. */
  submit(key: string, work: (job: NodeJob<T>) => Promise<T>): NodeJob<T> {
    this.parked?.abort('superseded by a newer run');
    this.parked = undefined;
    const job: Job<T> = new Job<T>(key, work, this.pauseRequested, (paused) => this.onPauseChange(job, paused));
    this.current = job;
    this.jobs.next(job);
    return job;
  }

  /** The running job for `key`, if any, so a second request joins it instead of restarting. */
  running(key: string): NodeJob<T> | undefined {
    const job = this.current;
    return job && !job.settled && !job.signal.aborted && job.key === key ? job : undefined;
  }

  cancel(reason?: string): void {
    this.current?.abort(reason);
  }

  /** Sets the current run aside, paused (see `parked`); a later run starts unpaused. */
  park(): void {
    const job = this.current;
    if (!job || job.settled || job.signal.aborted || !job.control.paused) return;
    this.parked?.abort('superseded by a newer run');
    this.parked = job;
    this.current = undefined;
    this.pauseRequested = false;
  }

  /** The parked run under `key`, made current again (still paused); undefined when there is none. */
  unpark(key: string): NodeJob<T> | undefined {
    const job = this.parked;
    if (!job || job.key !== key || job.settled || job.signal.aborted) return undefined;
    if (this.current && !this.current.settled && !this.current.signal.aborted) return undefined;
    this.parked = undefined;
    this.current = job;
    this.pauseRequested = true;
    return job;
  }

  dispose(): void {
    this.parked?.abort('runtime disposed');
    this.cancel('runtime disposed');
    this.subscription.unsubscribe();
    this.jobs.complete();
  }
}
