import { DrainingError, QueueFullError } from './errors.js';
import { Job, type JobTuning, type Progress, TERMINAL } from './job.js';
import type { AnyJobKind, Prepared } from './kinds/types.js';
import type { Scheduler } from './scheduler.js';

export interface ManagerOptions extends JobTuning {
  scheduler: Scheduler;
  /** Jobs running at once. */
  maxRunning: number;
  /** Jobs waiting to run; beyond it submit() throws QueueFullError. */
  maxQueued: number;
  /** How long a finished job is kept. */
  ttlMs: number;
  /** Finished jobs kept at most. */
  maxRetained: number;
}

export interface JobSummary {
  id: string;
  kind: string;
  status: Job['status'];
  created: string;
  finished?: string;
  progress: Pick<Progress, 'n' | 'target' | 'estimate' | 'stdError'> | null;
}

/**
 * The jobs of this process: a FIFO queue, up to maxRunning running (each a task source of the
 * scheduler), finished ones kept for ttlMs. Jobs start in submission order.
 */
export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private readonly running = new Set<Job>();
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: ManagerOptions) {}

  get draining(): boolean {
    return this.closed;
  }

  get counts(): { queued: number; running: number; finished: number } {
    return {
      queued: this.queue.length,
      running: this.running.size,
      finished: this.jobs.size - this.queue.length - this.running.size,
    };
  }

  /** Queue (or start) a validated job. Throws QueueFullError (429) or DrainingError (503). */
  submit(kind: AnyJobKind, prepared: Prepared<unknown>, progressIntervalMs: number): Job {
    if (this.closed) throw new DrainingError();
    const startsNow = this.running.size < this.opts.maxRunning && this.queue.length === 0;
    if (!startsNow && this.queue.length >= this.opts.maxQueued)
      throw new QueueFullError(
        `the job queue is full (${this.queue.length} waiting, ${this.running.size} running)`,
        this.retryAfterSeconds(),
      );
    const job = new Job(kind, prepared.spec, prepared.n, prepared.seed, progressIntervalMs, this.opts);
    job.onEnd = (j) => this.ended(j);
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.startQueued();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Newest first, at most `limit`, optionally of one status. */
  list(limit: number, status?: Job['status']): { jobs: JobSummary[]; total: number } {
    const all = [...this.jobs.values()];
    const out: JobSummary[] = [];
    let total = 0;
    for (let i = all.length - 1; i >= 0; i--) {
      const j = all[i]!;
      if (status !== undefined && j.status !== status) continue;
      total++;
      if (out.length < limit) out.push(summary(j));
    }
    return { jobs: out, total };
  }

  /**
   * Cancel a queued or running job. 'cancelled' also for one already cancelled; 'finished' for one
   * that succeeded or failed; undefined for an unknown id.
   */
  cancel(id: string, reason?: string): 'cancelled' | 'finished' | undefined {
    const job = this.jobs.get(id);
    if (job === undefined) return undefined;
    if (job.status === 'cancelled') return 'cancelled';
    if (TERMINAL.has(job.status)) return 'finished';
    job.cancel(reason);
    return 'cancelled';
  }

  /** Shutdown: refuse new jobs and cancel every queued and running one. */
  close(reason = 'the server is shutting down'): void {
    this.closed = true;
    for (const job of [...this.queue, ...this.running]) job.cancel(reason);
  }

  /** Forget every job and timer (after close). */
  clear(): void {
    for (const t of this.expiry.values()) clearTimeout(t);
    this.expiry.clear();
    this.jobs.clear();
  }

  /**
   * A guess at when a slot frees: the soonest a running job should finish, 1 s to 60 s (a cancelled
   * or failed job frees one sooner, unpredictably, so a client should not be told to wait hours).
   */
  retryAfterSeconds(): number {
    let best = Number.POSITIVE_INFINITY;
    for (const j of this.running) {
      const p = j.progress;
      if (p && p.samplesPerSecond > 0) best = Math.min(best, (p.target - p.n) / p.samplesPerSecond);
    }
    if (!Number.isFinite(best)) return 5;
    return Math.min(60, Math.max(1, Math.ceil(best)));
  }

  private startQueued(): void {
    while (!this.closed && this.running.size < this.opts.maxRunning && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running.add(job);
      job.start();
      this.opts.scheduler.addSource(job);
    }
  }

  private ended(job: Job): void {
    const q = this.queue.indexOf(job);
    if (q !== -1) this.queue.splice(q, 1);
    if (this.running.delete(job)) this.opts.scheduler.removeSource(job);
    this.expire(job);
    this.evict();
    this.startQueued();
  }

  private expire(job: Job): void {
    const t = setTimeout(() => {
      this.expiry.delete(job.id);
      this.jobs.delete(job.id);
    }, this.opts.ttlMs);
    t.unref();
    this.expiry.set(job.id, t);
  }

  /** Keep at most maxRetained finished jobs: the oldest go first. */
  private evict(): void {
    let excess = this.counts.finished - this.opts.maxRetained;
    if (excess <= 0) return;
    for (const [id, j] of this.jobs) {
      if (excess <= 0) break;
      if (!j.terminal) continue;
      clearTimeout(this.expiry.get(id));
      this.expiry.delete(id);
      this.jobs.delete(id);
      excess--;
    }
  }
}

function summary(j: Job): JobSummary {
  const s: JobSummary = {
    id: j.id,
    kind: j.kind.name,
    status: j.status,
    created: j.created.toISOString(),
    progress: j.progress
      ? {
          n: j.progress.n,
          target: j.progress.target,
          estimate: j.progress.estimate,
          stdError: j.progress.stdError,
        }
      : null,
  };
  if (j.finished) s.finished = j.finished.toISOString();
  return s;
}
