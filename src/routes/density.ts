import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invalid } from '../core/errors.js';
import { problemResponses } from '../schemas/common.js';
import { DensityBody, DensityResponse } from '../schemas/density.js';
import { distributionFrom } from './helpers.js';

const density: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/density',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Log density (or log mass), density and cdf at points.',
        body: DensityBody,
        response: { 200: DensityResponse, ...problemResponses },
      },
    },
    async (req) => {
      const dist = distributionFrom(req.body.distribution);
      const xs = req.body.x;
      const logDensity = new Array<number>(xs.length);
      if (dist.kind === 'multivariate') {
        for (let i = 0; i < xs.length; i++) {
          const row = xs[i];
          if (!Array.isArray(row) || row.length !== dist.dim) {
            invalid(
              `x.${i}`,
              `must be a point of ${dist.dim} numbers for this ${dist.dim}-dimensional distribution`,
            );
          }
          logDensity[i] = dist.logPdf(row);
        }
        return { logDensity, density: logDensity.map(Math.exp) };
      }
      const cdf = new Array<number>(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        if (typeof x !== 'number') invalid(`x.${i}`, 'must be a number for a univariate distribution');
        logDensity[i] = dist.logPdf(x);
        cdf[i] = dist.cdf(x);
      }
      return { logDensity, density: logDensity.map(Math.exp), cdf };
    },
  );
};

export default density;
