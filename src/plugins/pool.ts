import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Piscina } from 'piscina';
import { type Envelope, type TaskMessage, unwrap } from '../jobs/envelope.js';
import { Scheduler } from '../jobs/scheduler.js';

export interface Pool {
  /** Hands the workers out: synchronous requests first, then running jobs in turn. */
  readonly scheduler: Scheduler;
  readonly size: number;
  readonly piscina: Piscina<TaskMessage, Envelope>;
  /** Workers started so far (replacements of crashed ones included). */
  readonly workersCreated: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    pool: Pool;
  }
}

/**
 * The worker entry to load. Compiled code (dist/) runs dist/src/jobs/worker.js. Under tsx or vitest
 * this module is a .ts file and so is the worker; Node 20 cannot load .ts in a worker and
 * `--import tsx` registers nothing off the main thread, so a small bootstrap registers tsx in the
 * worker and then loads worker.ts.
 */
export function workerTarget(from: string = import.meta.url): { filename: string; execArgv?: string[] } {
  if (from.endsWith('.ts')) return { filename: new URL('../jobs/worker-tsx.cjs', from).href, execArgv: [] };
  return { filename: new URL('../jobs/worker.js', from).href };
}

async function poolPlugin(app: FastifyInstance) {
  const { POOL_SIZE, WORKER_MAX_OLD_MB, MAX_WAITING_TASKS, JOB_TEST_KINDS } = app.config;
  const target = workerTarget();
  const piscina = new Piscina<TaskMessage, Envelope>({
    ...target,
    minThreads: POOL_SIZE,
    maxThreads: POOL_SIZE,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    // The scheduler never has more tasks out than workers; this only catches a bug.
    maxQueue: POOL_SIZE * 2,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_MAX_OLD_MB },
    workerData: { testTasks: JOB_TEST_KINDS },
  });
  let created = 0;
  piscina.on('workerCreate', () => created++);
  // A worker that dies rejects its own task; this catches what piscina reports outside any task.
  piscina.on('error', (err: unknown) => app.log.error({ err }, 'worker pool error'));

  const scheduler = new Scheduler(
    async (name, payload, signal) => unwrap(await piscina.run({ name, payload }, { signal })),
    POOL_SIZE,
    MAX_WAITING_TASKS,
  );
  app.decorate('pool', { scheduler, size: POOL_SIZE, piscina, workersCreated: () => created });

  app.addHook('onClose', async () => {
    scheduler.close();
    await piscina.destroy();
  });
}

export default fp(poolPlugin, { name: 'pool' });
