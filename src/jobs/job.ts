import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../core/errors.js';
import type { ConfidenceInterval } from '../core/estimators/stats.js';
import type { Seed } from '../core/rng/index.js';
import { TaskError } from './envelope.js';
import { DrainingError } from './errors.js';
import type { AnyJobKind } from './kinds/types.js';
import type { Dispatch, TaskSource } from './scheduler.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/** The latest numbers of a running (or finished) job. */
export interface Progress {
  n: number;
  target: number;
  estimate: number;
  stdError: number;
  ci: ConfidenceInterval;
  samplesPerSecond: number;
  elapsedMs: number;
  [extra: string]: unknown;
}

export interface JobError {
  /** task_failed: the computation threw; worker_crashed: the worker exited; out_of_memory: it hit
   * its memory limit; invalid_input: the input broke a rule only the computation could see. */
  code: 'task_failed' | 'worker_crashed' | 'out_of_memory' | 'too_slow' | 'invalid_input' | 'internal';
  message: string;
}

export type JobEvent =
  | ({ type: 'progress'; jobId: string } & Progress)
  | { type: 'result'; jobId: string; result: unknown; progress: Progress | null }
  | { type: 'error'; jobId: string; error: JobError }
  | { type: 'cancelled'; jobId: string; reason: string };

export type JobListener = (event: JobEvent) => void;

export interface JobTuning {
  /** Target duration of one task (ms): the batch size adapts to it. */
  taskTargetMs: number;
  /** Most chunks in one task. */
  maxChunksPerTask: number;
  /** For messages about out-of-memory workers. */
  workerMaxOldMb?: number;
  /**
   * Longest one task may run (ms): a job whose single chunk takes longer fails with a clear error
   * instead of holding a worker for hours.
   */
  taskTimeoutMs?: number;
}

/** The reason a job task was stopped for taking too long. */
export class TaskTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`one task ran over the time limit of ${ms / 1000} s`);
    this.name = 'TaskTimeoutError';
  }
}

const now = () => performance.now();

/**
 * One job: its spec, its state, and the engine that runs it. As a TaskSource it hands the scheduler
 * batches of consecutive chunks; results may come back in any order and are buffered until they can
 * be folded in chunk order.
 */
export class Job implements TaskSource {
  readonly id = randomUUID();
  readonly created = new Date();
  status: JobStatus = 'queued';
  started?: Date;
  finished?: Date;
  result?: unknown;
  error?: JobError;
  cancelReason?: string;
  progress: Progress | null = null;

  readonly totalChunks: number;

  private acc: unknown;
  private nextChunk = 0;
  private merged = 0;
  private readonly pending = new Map<number, unknown[]>();
  private inflight = 0;
  /** Aborts the tasks in flight when the job ends early. */
  private readonly stop = new AbortController();
  private chunksPerTask = 1;
  private msPerChunk: number | undefined;
  private startedAt = 0;
  private version = 0;
  private emittedVersion = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<JobListener>();
  /** Called once when the job reaches a terminal status. */
  onEnd: (job: Job) => void = () => {};

  constructor(
    readonly kind: AnyJobKind,
    /** Dropped when the job ends: a finished job keeps only its answer (bodies may be large). */
    private spec: unknown,
    readonly target: number,
    readonly seed: Seed,
    readonly progressIntervalMs: number,
    private readonly tuning: JobTuning,
  ) {
    this.totalChunks = kind.chunkCount(spec, target);
    this.acc = kind.empty(spec);
  }

  get terminal(): boolean {
    return TERMINAL.has(this.status);
  }

  /** Tasks of this job in the pool now. */
  get tasksInFlight(): number {
    return this.inflight;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Listen to progress and the final event; returns the unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The event a subscriber gets for a finished job (undefined while it runs). */
  finalEvent(): JobEvent | undefined {
    switch (this.status) {
      case 'succeeded':
        return { type: 'result', jobId: this.id, result: this.result, progress: this.progress };
      case 'failed':
        return { type: 'error', jobId: this.id, error: this.error! };
      case 'cancelled':
        return { type: 'cancelled', jobId: this.id, reason: this.cancelReason ?? 'cancelled' };
      default:
        return undefined;
    }
  }

  start(): void {
    if (this.status !== 'queued') return;
    this.status = 'running';
    this.started = new Date();
    this.startedAt = now();
    this.ticker = setInterval(() => this.tick(), this.progressIntervalMs);
    this.ticker.unref();
    // Nothing to draw (every quantity exact): done as soon as the manager has it running.
    if (this.totalChunks === 0) setImmediate(() => this.status === 'running' && this.succeed());
  }

  /** Stop at once: no more tasks are sent; results still in flight are dropped when they land. */
  cancel(reason = 'cancelled by the client'): boolean {
    // Tasks in flight are stopped where they run (their workers are replaced), freeing the pool.
    if (this.terminal) return false;
    this.cancelReason = reason;
    this.end('cancelled');
    return true;
  }

  next(): Dispatch | undefined {
    if (this.status !== 'running' || this.nextChunk >= this.totalChunks) return undefined;
    const first = this.nextChunk;
    const count = Math.min(this.chunksPerTask, this.totalChunks - first);
    this.nextChunk += count;
    this.inflight++;
    const t0 = now();
    // The job's stop signal (cancel, failure) and, per task, the time limit.
    const limit = this.tuning.taskTimeoutMs;
    const timer = limit === undefined ? undefined : new AbortController();
    const timeout =
      limit === undefined ? undefined : setTimeout(() => timer!.abort(new TaskTimeoutError(limit)), limit);
    timeout?.unref();
    return {
      name: this.kind.chunkTask,
      payload: this.kind.taskPayload(this.spec, first, count, this.target),
      signal: timer === undefined ? this.stop.signal : AbortSignal.any([this.stop.signal, timer.signal]),
      settle: (err, value) => {
        clearTimeout(timeout);
        this.onTask(first, count, now() - t0, err, value);
      },
    };
  }

  private onTask(first: number, count: number, ms: number, err: unknown, value: unknown): void {
    this.inflight--;
    if (this.status !== 'running') return;
    if (err) {
      this.fail(describeFailure(err, this.tuning.workerMaxOldMb));
      return;
    }
    this.adapt(ms / count);
    let chunks: unknown[];
    try {
      chunks = this.kind.chunksOf(value);
      if (!Array.isArray(chunks) || chunks.length !== count)
        throw new Error(`task '${this.kind.chunkTask}' answered ${chunks?.length} chunks for ${count}`);
    } catch (e) {
      this.fail({ code: 'internal', message: (e as Error).message });
      return;
    }
    this.pending.set(first, chunks);
    const before = this.merged;
    try {
      for (;;) {
        const batch = this.pending.get(this.merged);
        if (batch === undefined) break;
        this.pending.delete(this.merged);
        for (const chunk of batch) {
          this.acc = this.kind.merge(this.acc, chunk);
          this.merged++;
          if (this.kind.done?.(this.spec, this.acc)) {
            this.snapshot();
            this.succeed();
            return;
          }
        }
      }
      // Out of order: nothing to fold until the earlier chunks land.
      if (this.merged === before) return;
      this.snapshot();
      if (this.merged === this.totalChunks) this.succeed();
    } catch (e) {
      this.fail({ code: 'internal', message: (e as Error).message });
    }
  }

  /** Batch size: aim for tasks of taskTargetMs, growing at most 4x at a time. */
  private adapt(msPerChunk: number): void {
    const m = Math.max(msPerChunk, 1e-3);
    this.msPerChunk = this.msPerChunk === undefined ? m : 0.5 * this.msPerChunk + 0.5 * m;
    const ideal = Math.floor(this.tuning.taskTargetMs / this.msPerChunk);
    this.chunksPerTask = Math.max(1, Math.min(ideal, this.chunksPerTask * 4, this.tuning.maxChunksPerTask));
  }

  private snapshot(): void {
    const n = this.kind.count(this.acc);
    const elapsedMs = now() - this.startedAt;
    const p = this.kind.progress(this.spec, this.acc);
    this.progress = {
      ...p,
      n,
      target: this.target,
      samplesPerSecond: elapsedMs > 0 ? (n / elapsedMs) * 1000 : 0,
      elapsedMs,
    };
    this.version++;
  }

  private tick(): void {
    if (this.version === this.emittedVersion || this.progress === null) return;
    this.emittedVersion = this.version;
    this.emit({ type: 'progress', jobId: this.id, ...this.progress });
  }

  private succeed(): void {
    try {
      this.result = this.kind.summarize(this.spec, this.acc, {
        n: this.target,
        seed: this.seed,
        elapsedMs: now() - this.startedAt,
      });
    } catch (e) {
      if (e instanceof InvalidInputError) this.fail({ code: 'invalid_input', message: e.message });
      else this.fail({ code: 'internal', message: (e as Error).message });
      return;
    }
    this.tick(); // the last progress (n = target) before the result
    this.end('succeeded');
  }

  private fail(error: JobError): void {
    if (this.terminal) return;
    this.error = error;
    this.end('failed');
  }

  private end(status: 'succeeded' | 'failed' | 'cancelled'): void {
    this.status = status;
    // Tasks still running are stopped where they run, after a grace of two task lengths: a normal
    // task ends sooner and keeps its worker (a stopped worker costs ~0.4 s to replace), a runaway
    // one (a chunk of costly draws) does not hold the worker.
    if (this.inflight > 0) {
      const stop = this.stop;
      setTimeout(() => stop.abort(new Error(`the job ${status}`)), 2 * this.tuning.taskTargetMs).unref();
    }
    this.finished = new Date();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.pending.clear();
    this.acc = undefined;
    this.spec = undefined;
    const event = this.finalEvent();
    if (event) this.emit(event);
    this.listeners.clear();
    this.onEnd(this);
  }

  private emit(event: JobEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // a subscriber's failure is its own business
      }
    }
  }
}

/** What went wrong in the pool, in words for the client. */
export function describeFailure(err: unknown, maxOldMb?: number): JobError {
  const e = err as Error & { code?: string };
  if (e instanceof InvalidInputError) return { code: 'invalid_input', message: e.message };
  if (e instanceof TaskTimeoutError)
    return {
      code: 'too_slow',
      message:
        `one task (a single chunk of draws at the least) ran over the time limit of ${e.ms / 1000} s ` +
        '(COMPUTE_TIMEOUT_MS): each draw is too costly here (a quantile by numerical inversion, a costly f); it was stopped',
    };
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return {
      code: 'out_of_memory',
      message: `the worker ran out of memory${maxOldMb ? ` (limit ${maxOldMb} MiB)` : ''}; it was replaced`,
    };
  const exit = /worker exited with code:? ?(-?\d+)/i.exec(e?.message ?? '');
  if (exit)
    return { code: 'worker_crashed', message: `the worker exited (code ${exit[1]}); it was replaced` };
  if (e instanceof TaskError) return { code: 'task_failed', message: `the computation failed: ${e.message}` };
  if (e instanceof DrainingError || e?.name === 'AbortError')
    return { code: 'internal', message: 'the computation was stopped' };
  return { code: 'internal', message: e?.message ?? 'internal error' };
}
