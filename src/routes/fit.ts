import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// STUB: to be replaced by the real routes.
const fit: FastifyPluginAsyncZod = async () => {};

export default fit;
