import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// STUB: to be replaced by the real routes.
const expectation: FastifyPluginAsyncZod = async () => {};

export default expectation;
