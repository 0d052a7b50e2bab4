import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { evaluationCost } from '../core/distributions/cost.js';
import type { DensityAnswer } from '../core/distributions/evaluate.js';
import type { DistributionSpec } from '../core/distributions/types.js';
import { problemResponses } from '../schemas/common.js';
import { DensityBody, DensityResponse } from '../schemas/density.js';
import { computeFor } from './helpers.js';

const density: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/density',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Log density (or log mass), density and cdf at points.',
        description:
          'Outside the support the log density is "-Infinity". Large work (many points of a big mixture) ' +
          'runs on the worker pool, within COMPUTE_TIMEOUT_MS.',
        body: DensityBody,
        response: { 200: DensityResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const spec = req.body.distribution as DistributionSpec;
      const size = req.body.x.length * evaluationCost(spec);
      return computeFor<DensityAnswer>(app, req, reply, 'density.run', req.body, size);
    },
  );
};

export default density;
