import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// STUB: to be replaced by the real routes.
const jobs: FastifyPluginAsyncZod = async () => {};

export default jobs;
