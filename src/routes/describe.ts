import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getFamily } from '../core/distributions/registry.js';
import { problemResponses } from '../schemas/common.js';
import { DescribeBody, DescribeResponse } from '../schemas/density.js';
import { distributionFrom } from './helpers.js';

const describe: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/describe',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Exact mean, variance, standard deviation, entropy (nats) and support.',
        description: 'A moment that does not exist (Cauchy) is "NaN"; an infinite one is "Infinity".',
        body: DescribeBody,
        response: { 200: DescribeResponse, ...problemResponses },
      },
    },
    async (req) => {
      const dist = distributionFrom(req.body.distribution);
      const text = getFamily(dist.family)?.support ?? '';
      if (dist.kind === 'multivariate') {
        const covariance = dist.covariance();
        const variance = covariance.map((row, i) => row[i]!);
        return {
          family: dist.family,
          kind: dist.kind,
          dim: dist.dim,
          mean: dist.mean(),
          variance,
          std: variance.map(Math.sqrt),
          entropy: dist.entropy(),
          support: { text: dist.supportText },
          covariance,
        };
      }
      const variance = dist.variance();
      return {
        family: dist.family,
        kind: dist.kind,
        dim: 1,
        mean: dist.mean(),
        variance,
        std: Math.sqrt(variance),
        entropy: dist.entropy(),
        support: { text, lower: dist.support.lower, upper: dist.support.upper },
      };
    },
  );
};

export default describe;
