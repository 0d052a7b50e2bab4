import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DrainingError, QueueFullError } from '../jobs/errors.js';
import type { Job } from '../jobs/job.js';
import { jobKinds } from '../jobs/kinds/index.js';
import type { AnyJobKind } from '../jobs/kinds/types.js';
import { JobManager } from '../jobs/manager.js';
import type { JobBody } from '../schemas/jobs.js';
import { HttpError } from './errors.js';

export interface Jobs {
  readonly manager: JobManager;
  /** The kinds this process offers, by name. */
  readonly kinds: ReadonlyMap<string, AnyJobKind>;
  /**
   * Create a job from a body already checked against the job schema: n over MAX_JOB_N is a 413, the
   * kind's own rules a 400 (InvalidInputError), a full queue a 429 with Retry-After, draining a 503.
   */
  /** Validate, prepare (on the pool when that is heavy) and submit a job. */
  create(body: JobBody): Promise<Job>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

async function jobsPlugin(app: FastifyInstance) {
  const c = app.config;
  const kinds = new Map(jobKinds({ testKinds: c.JOB_TEST_KINDS }).map((k) => [k.name, k]));
  const manager = new JobManager({
    scheduler: app.pool.scheduler,
    maxRunning: c.MAX_RUNNING_JOBS,
    maxQueued: c.MAX_QUEUED_JOBS,
    ttlMs: c.JOB_TTL_MS,
    maxRetained: c.MAX_RETAINED_JOBS,
    taskTargetMs: c.JOB_TASK_TARGET_MS,
    maxChunksPerTask: 4096,
    workerMaxOldMb: c.WORKER_MAX_OLD_MB,
    taskTimeoutMs: c.COMPUTE_TIMEOUT_MS,
  });

  async function create(body: JobBody): Promise<Job> {
    if (app.lifecycle.draining || manager.draining) throw new HttpError(503, 'the server is shutting down');
    const kind = kinds.get(body.kind);
    if (kind === undefined) throw new HttpError(400, `kind: unknown job kind '${body.kind}'`);
    const { kind: _kind, progressIntervalMs, ...rest } = body;
    if (body.n > c.MAX_JOB_N)
      throw new HttpError(
        413,
        `n = ${body.n} is over the limit of ${c.MAX_JOB_N} draws for a job (MAX_JOB_N)`,
      );
    const cost = kind.prepareCost?.(rest) ?? 0;
    const prepared =
      cost > c.POOL_THRESHOLD_N
        ? await app.compute.run<ReturnType<typeof kind.prepare>>(
            'job.prepare',
            { kind: body.kind, body: rest },
            { size: cost },
          )
        : kind.prepare(rest);
    if (app.lifecycle.draining || manager.draining) throw new HttpError(503, 'the server is shutting down');
    try {
      return manager.submit(kind, prepared, progressIntervalMs);
    } catch (err) {
      if (err instanceof QueueFullError)
        throw new HttpError(429, err.message, { 'retry-after': String(err.retryAfterSeconds) });
      if (err instanceof DrainingError) throw new HttpError(503, 'the server is shutting down');
      throw err;
    }
  }

  app.decorate('jobs', { manager, kinds, create });

  // Shutdown order: sockets hear "shutdown" first, then jobs are cancelled; synchronous work still
  // running after part of the grace period is aborted so the process exits in time.
  app.addHook('preClose', async () => {
    await app.sockets.shutdown();
    manager.close();
    const abortAfter = Math.max(0, Math.floor(c.SHUTDOWN_GRACE_MS / 2) - 500);
    setTimeout(() => app.pool.scheduler.close(), abortAfter).unref();
  });
  app.addHook('onClose', async () => manager.clear());
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['pool', 'websocket'] });
