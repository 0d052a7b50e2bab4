import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { toRows } from '../core/distributions/sampling.js';
import { problemResponses } from '../schemas/common.js';
import { SampleBody, SampleResponse } from '../schemas/sample.js';
import { clientGone, distributionFrom, enforceLimit, float64LE, seedOf, wantsBinary } from './helpers.js';

const sample: FastifyPluginAsyncZod = async (app) => {
  const { MAX_SAMPLE_N_JSON, MAX_SAMPLE_N_BINARY } = app.config;
  app.post(
    '/v1/sample',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Seeded draws from a distribution.',
        description:
          'JSON by default; with `Accept: application/octet-stream` the body is little-endian float64, ' +
          'row-major (n x dim), and the seed is in the X-Seed header (X-Count and X-Dimension give the shape).',
        body: SampleBody,
        response: { 200: SampleResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { n } = req.body;
      const dist = distributionFrom(req.body.distribution);
      const binary = wantsBinary(req.headers.accept);
      const count = n * dist.dim;
      if (binary) {
        enforceLimit('n x dimension', count, MAX_SAMPLE_N_BINARY);
      } else {
        enforceLimit(
          'n x dimension',
          count,
          MAX_SAMPLE_N_JSON,
          `; ask for Accept: application/octet-stream (up to ${MAX_SAMPLE_N_BINARY})`,
        );
      }
      const seed = seedOf(req.body.seed);
      // Large draws run on the worker pool (same numbers: the draw depends only on spec, seed and n).
      const { signal, done } = clientGone(req, reply);
      let samples: Float64Array;
      try {
        samples = await app.compute.run<Float64Array>(
          'sample.draw',
          { distribution: dist.spec, seed, n },
          { signal, size: count },
        );
      } finally {
        done();
      }
      if (binary) {
        return reply
          .type('application/octet-stream')
          .header('x-seed', String(seed))
          .header('x-count', String(n))
          .header('x-dimension', String(dist.dim))
          .send(float64LE(samples) as never);
      }
      return {
        distribution: dist.spec as z.infer<typeof SampleResponse>['distribution'],
        n,
        seed,
        samples: dist.kind === 'multivariate' ? toRows(samples, dist.dim) : Array.from(samples),
      };
    },
  );
};

export default sample;
