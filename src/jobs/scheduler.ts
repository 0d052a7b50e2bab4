import { setMaxListeners } from 'node:events';
import { DrainingError, QueueFullError } from './errors.js';

/** Runs one task on some worker; resolves to its value or rejects with its (rebuilt) error. */
export type TaskRunner = (name: string, payload: unknown, signal: AbortSignal) => Promise<unknown>;

/** One task a source wants run, and where its outcome goes. */
export interface Dispatch {
  name: string;
  payload: unknown;
  /** Aborts the task where it runs (piscina ends that worker and starts another). */
  signal?: AbortSignal;
  settle(err: unknown, value?: unknown): void;
}

/** Something with tasks to run (a running job): asked for one whenever a worker is free. */
export interface TaskSource {
  next(): Dispatch | undefined;
}

interface Waiter {
  name: string;
  payload: unknown;
  signal?: AbortSignal;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  onAbort?: () => void;
}

/**
 * Hands the pool's workers out, one task per worker at a time (so piscina's own queue stays empty
 * and its full-queue error, which has no code, never happens).
 *
 * Synchronous requests (`run`) come first, in arrival order, up to `maxWaiting` waiting (then a
 * QueueFullError). Free workers then go to the task sources (running jobs) in turn, round robin: a
 * lone job gets every worker, two jobs share them. Jobs send short tasks, so a request waits at most
 * about one task's time for a worker.
 */
export class Scheduler {
  private free: number;
  private readonly waiters: Waiter[] = [];
  private readonly sources: TaskSource[] = [];
  private pumping = false;
  private again = false;
  private closed = false;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly runner: TaskRunner,
    readonly slots: number,
    private readonly maxWaiting: number,
  ) {
    this.free = slots;
    // one listener per running task (at most `slots`)
    setMaxListeners(slots + 16, this.shutdown.signal);
  }

  /** Tasks running now. */
  get running(): number {
    return this.slots - this.free;
  }

  /** Synchronous requests waiting for a worker. */
  get waiting(): number {
    return this.waiters.length;
  }

  get draining(): boolean {
    return this.closed;
  }

  /** Run a task as soon as a worker is free, ahead of jobs. `signal` aborts it (waiting or running). */
  run(name: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new DrainingError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.free === 0 && this.waiters.length >= this.maxWaiting)
      return Promise.reject(
        new QueueFullError(`${this.waiters.length} computations are already waiting for a worker`, 1),
      );
    return new Promise((resolve, reject) => {
      const w: Waiter = { name, payload, signal, resolve, reject };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i !== -1) {
            this.waiters.splice(i, 1);
            reject(abortReason(signal));
          }
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
      this.pump();
    });
  }

  /** A new source is served first; each source served goes to the back of the line. */
  addSource(source: TaskSource): void {
    if (!this.sources.includes(source)) this.sources.unshift(source);
    this.pump();
  }

  removeSource(source: TaskSource): void {
    const i = this.sources.indexOf(source);
    if (i !== -1) this.sources.splice(i, 1);
  }

  /** Ask the sources again (a source that had nothing to run may have some now). */
  pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (this.free > 0 && !this.closed) {
          const w = this.waiters.shift();
          if (w !== undefined) {
            if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
            this.start(w.name, w.payload, w.signal, (err, value) => (err ? w.reject(err) : w.resolve(value)));
            continue;
          }
          const d = this.nextFromSources();
          if (d === undefined) break;
          this.start(d.name, d.payload, d.signal, (err, value) => d.settle(err, value));
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  /** Stop: refuse new work, fail the waiting, abort what runs (piscina ends those workers). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(new DrainingError());
    }
    this.sources.length = 0;
    this.shutdown.abort(new DrainingError());
  }

  private nextFromSources(): Dispatch | undefined {
    for (let i = 0; i < this.sources.length; i++) {
      const src = this.sources[i]!;
      const d = src.next();
      if (d !== undefined) {
        this.sources.splice(i, 1);
        this.sources.push(src);
        return d;
      }
    }
    return undefined;
  }

  private start(
    name: string,
    payload: unknown,
    signal: AbortSignal | undefined,
    done: (err: unknown, value?: unknown) => void,
  ): void {
    this.free--;
    // One controller per task, fed by the caller's signal and by shutdown; its listeners go when the
    // task ends (AbortSignal.any on the long-lived shutdown signal would pile up dependants).
    const ac = new AbortController();
    const shutdown = this.shutdown.signal;
    const onAbort = () => ac.abort(signal?.aborted ? signal.reason : shutdown.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    shutdown.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      shutdown.removeEventListener('abort', onAbort);
    };
    let promise: Promise<unknown>;
    try {
      promise = this.runner(name, payload, ac.signal);
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      (value) => {
        cleanup();
        this.finish(done, null, value);
      },
      (err) => {
        cleanup();
        // piscina wraps an abort in its own AbortError; callers need the reason (client gone: 499,
        // shutdown: DrainingError, time limit) to answer rightly.
        this.finish(done, ac.signal.aborted ? abortReason(ac.signal) : (err ?? new Error('task failed')));
      },
    );
  }

  private finish(done: (err: unknown, value?: unknown) => void, err: unknown, value?: unknown): void {
    this.free++;
    try {
      done(err, value);
    } finally {
      this.pump();
    }
  }
}

function abortReason(signal: AbortSignal): Error {
  const r = signal.reason;
  if (r instanceof Error) return r;
  const err = new Error('the computation was aborted');
  err.name = 'AbortError';
  return err;
}
