import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import density from './density.js';
import describe from './describe.js';
import distributions from './distributions.js';
import expectation from './expectation.js';
import fit from './fit.js';
import health from './health.js';
import jobs from './jobs.js';
import kl from './kl.js';
import quantile from './quantile.js';
import sample from './sample.js';

/** Every route plugin, in one list. */
async function routes(app: FastifyInstance) {
  await app.register(health);
  await app.register(distributions);
  await app.register(sample);
  await app.register(density);
  await app.register(quantile);
  await app.register(describe);
  await app.register(expectation);
  await app.register(kl);
  await app.register(fit);
  await app.register(jobs);
}

export default fp(routes, { name: 'routes' });
