import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { describeCost } from '../core/distributions/cost.js';
import type { Description } from '../core/distributions/evaluate.js';
import type { DistributionSpec } from '../core/distributions/types.js';
import { problemResponses } from '../schemas/common.js';
import { DescribeBody, DescribeResponse } from '../schemas/density.js';
import { computeFor } from './helpers.js';

const describe: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/describe',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Exact mean, variance, standard deviation, entropy (nats) and support.',
        description:
          'A moment that does not exist (Cauchy) is "NaN"; an infinite one is "Infinity". A mixture’s ' +
          'entropy is a quadrature per component: for big mixtures it runs on the worker pool, within ' +
          'COMPUTE_TIMEOUT_MS.',
        body: DescribeBody,
        response: { 200: DescribeResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const size = describeCost(req.body.distribution as DistributionSpec);
      return computeFor<Description>(app, req, reply, 'describe.run', req.body, size);
    },
  );
};

export default describe;
