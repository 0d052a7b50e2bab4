import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../schemas/common.js';
import { QuantileBody, QuantileResponse } from '../schemas/density.js';
import { univariateFrom } from './helpers.js';

const quantile: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/quantile',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Quantiles (inverse cdf) of a univariate distribution.',
        description: 'For a discrete family, the smallest x with cdf(x) >= p.',
        body: QuantileBody,
        response: { 200: QuantileResponse, ...problemResponses },
      },
    },
    async (req) => {
      const dist = univariateFrom(req.body.distribution);
      return { x: req.body.p.map((p) => dist.quantile(p)) };
    },
  );
};

export default quantile;
