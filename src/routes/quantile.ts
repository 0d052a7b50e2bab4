import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { quantileCost } from '../core/distributions/cost.js';
import type { DistributionSpec } from '../core/distributions/types.js';
import { problemResponses } from '../schemas/common.js';
import { QuantileBody, QuantileResponse } from '../schemas/density.js';
import { computeFor } from './helpers.js';

const quantile: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/quantile',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Quantiles (inverse cdf) of a univariate distribution.',
        description:
          'For a discrete family, the smallest x with cdf(x) >= p. Large work (many quantiles of a big ' +
          'mixture) runs on the worker pool, within COMPUTE_TIMEOUT_MS.',
        body: QuantileBody,
        response: { 200: QuantileResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const spec = req.body.distribution as DistributionSpec;
      const size = req.body.p.length * quantileCost(spec);
      return computeFor<{ x: number[] }>(app, req, reply, 'quantile.run', req.body, size);
    },
  );
};

export default quantile;
