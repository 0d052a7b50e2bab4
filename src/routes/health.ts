import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Status = z.object({ status: z.enum(['ok', 'ready', 'draining']) });

const health: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      schema: { tags: ['operations'], summary: 'Liveness: the process answers.', response: { 200: Status } },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 503 while draining for shutdown.',
        response: { 200: Status, 503: Status },
      },
    },
    async (_req, reply) => {
      if (app.lifecycle.draining) return reply.code(503).send({ status: 'draining' as const });
      return { status: 'ready' as const };
    },
  );
};

export default health;
