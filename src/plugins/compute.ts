import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DrainingError, QueueFullError } from '../jobs/errors.js';
import { TASKS, type TaskFn } from '../jobs/tasks.js';
import { HttpError } from './errors.js';

export interface Compute {
  /**
   * Run a named task from src/jobs/tasks.ts on the worker pool, so the event loop stays free;
   * `signal` (the request's) aborts it when the client goes away. With `size` (the draws or
   * evaluations it will do) at or below POOL_THRESHOLD_N, it runs inline instead: cheaper for
   * small work. On the pool it has COMPUTE_TIMEOUT_MS (then a 413). A full pool queue is a 429
   * with Retry-After; while shutting down, a 503.
   */
  run<T>(name: string, payload: unknown, options?: { signal?: AbortSignal; size?: number }): Promise<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    compute: Compute;
  }
}

async function computePlugin(app: FastifyInstance) {
  const { POOL_THRESHOLD_N, JOB_TEST_KINDS, COMPUTE_TIMEOUT_MS } = app.config;
  const scheduler = app.pool.scheduler;
  const extra: Record<string, TaskFn> = JOB_TEST_KINDS
    ? (await import('../jobs/test-tasks.js')).TEST_TASKS
    : {};

  app.decorate('compute', {
    async run<T>(name: string, payload: unknown, options: { signal?: AbortSignal; size?: number } = {}) {
      if (app.lifecycle.draining || scheduler.draining)
        throw new HttpError(503, 'the server is shutting down');
      if (options.size !== undefined && options.size <= POOL_THRESHOLD_N) {
        const task = Object.hasOwn(extra, name)
          ? extra[name]
          : Object.hasOwn(TASKS, name)
            ? TASKS[name]
            : undefined;
        if (task === undefined) throw new Error(`unknown task '${name}'`);
        return task(payload) as T;
      }
      // A time limit as well as the client's signal: a worker is not held for long by one request.
      const timeout = AbortSignal.timeout(COMPUTE_TIMEOUT_MS);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      try {
        return (await scheduler.run(name, payload, signal)) as T;
      } catch (err) {
        if (timeout.aborted && !options.signal?.aborted)
          throw new HttpError(
            413,
            `the computation ran over the time limit of ${COMPUTE_TIMEOUT_MS / 1000} s (COMPUTE_TIMEOUT_MS): ` +
              'ask for less work at once, or submit a job (POST /v1/jobs) for Monte Carlo work',
          );
        if (err instanceof QueueFullError)
          throw new HttpError(429, `too much work queued: ${err.message}`, {
            'retry-after': String(err.retryAfterSeconds),
          });
        if (err instanceof DrainingError) throw new HttpError(503, 'the server is shutting down');
        throw err;
      }
    },
  });
}

export default fp(computePlugin, { name: 'compute', dependencies: ['pool'] });
