import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { runTask } from '../jobs/tasks.js';

export interface Compute {
  /**
   * Run a named task from src/jobs/tasks.ts. Heavy work goes to the worker pool so the event loop
   * stays free; `signal` aborts it when the client goes away.
   */
  run<T>(name: string, payload: unknown, options?: { signal?: AbortSignal }): Promise<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    compute: Compute;
  }
}

// PLACEHOLDER until the piscina pool lands: runs the task inline.
async function computePlugin(app: FastifyInstance) {
  app.decorate('compute', {
    async run<T>(name: string, payload: unknown): Promise<T> {
      return runTask(name, payload) as T;
    },
  });
}

export default fp(computePlugin, { name: 'compute' });
