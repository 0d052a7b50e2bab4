import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { toRows } from '../core/distributions/sampling.js';
import { problemResponses } from '../schemas/common.js';
import { SampleBody, SampleResponse } from '../schemas/sample.js';
import {
  computeFor,
  distributionFrom,
  enforceLimit,
  float64LE,
  seedHeaders,
  seedOf,
  wantsBinary,
} from './helpers.js';

const sample: FastifyPluginAsyncZod = async (app) => {
  const { MAX_SAMPLE_N_JSON, MAX_SAMPLE_N_BINARY } = app.config;
  app.post(
    '/v1/sample',
    {
      schema: {
        tags: ['distributions'],
        summary: 'Seeded draws from a distribution.',
        description:
          'JSON by default. With `Accept: application/octet-stream` (preferred over application/json by ' +
          'the q-values of the Accept header; ties go to JSON) the body is little-endian float64, row-major ' +
          '(n x dim), X-Count and X-Dimension give the shape, and the seed is in the X-Seed header: as is ' +
          'for an integer seed, or a string seed of visible ASCII (0x21-0x7E; inner spaces allowed, no ' +
          'leading or trailing space); any other string seed is percent-encoded as UTF-8 ' +
          '(encodeURIComponent; decode with decodeURIComponent) and the answer also carries ' +
          '`X-Seed-Encoding: percent`.',
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
      const samples = await computeFor<Float64Array>(
        app,
        req,
        reply,
        'sample.draw',
        { distribution: dist.spec, seed, n },
        count,
      );
      // The representation depends on Accept: caches must key on it.
      reply.header('vary', 'Accept');
      if (binary) {
        // Only header-safe values: the seed goes through seedHeaders (a raw string seed may hold a
        // newline or non-Latin-1 characters, which Node refuses to write).
        return reply
          .type('application/octet-stream')
          .headers(seedHeaders(seed))
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
