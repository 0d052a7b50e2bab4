import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DistributionSpec } from '../core/distributions/types.js';
import {
  type KlChunkStats,
  type KlRequest,
  type KlResult,
  klChunks,
  klChunksPayload,
  klPlanCost,
  klWorkSize,
  planKl,
  summarizeKlMonteCarlo,
} from '../core/divergence/index.js';
import { problemResponses } from '../schemas/common.js';
import { KlBody, KlResponse } from '../schemas/kl.js';
import { computeFor, enforceLimit, seedOf } from './helpers.js';

const kl: FastifyPluginAsyncZod = async (app) => {
  const { MAX_SYNC_N, POOL_THRESHOLD_N } = app.config;

  app.post(
    '/v1/kl',
    {
      schema: {
        tags: ['estimation'],
        summary: 'KL(p || q), KL(q || p) and the Jensen-Shannon divergence, in nats.',
        description:
          'p and q are two distributions of one space (a multivariate p against a univariate q, or two ' +
          'dimensions, is a 400), or two probability vectors of one length. Each quantity is computed by ' +
          'the best method available for it (see `method`); `methods` says which. Closed forms exist for ' +
          'normal, lognormal, uniform, exponential, gamma, beta, laplace, cauchy, weibull, multivariate_normal, ' +
          'dirichlet, bernoulli, binomial (same n), poisson, geometric and categorical against themselves, and ' +
          'for cross pairs such as exponential || gamma, normal || laplace, X || normal (X with a variance), ' +
          'beta || uniform. Where the support of p is not inside that of q (uniform(0, 2) against ' +
          'uniform(0, 1); a Poisson against a binomial; a density against a mass function), forward is ' +
          '"Infinity" and `note` says why. Monte Carlo quantities carry stdErrors and cis (forward also ' +
          'as stdError and ci) and the seed: same seed, same answer, bit for bit, and the same as a job ' +
          "(kind 'kl') of the same body and n. crossEntropy = entropyP + forward.",
        body: KlBody,
        response: { 200: KlResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const started = performance.now();
      const body = req.body;
      if (body.n !== undefined)
        enforceLimit('n', body.n, MAX_SYNC_N, '; submit a job (POST /v1/jobs) for more');
      const request: KlRequest = {
        p: body.p as DistributionSpec | number[],
        q: body.q as DistributionSpec | number[],
        method: body.method,
        confidence: body.confidence,
        seed: seedOf(body.seed),
      };
      if (body.n !== undefined) request.n = body.n;
      // Planning itself can be heavy (quadratures over big mixtures): then all of it goes to the pool.
      const planCost = klPlanCost(request.p, request.q);
      if (planCost > POOL_THRESHOLD_N) {
        const r = await computeFor<KlResult>(app, req, reply, 'kl.run', request, planCost);
        return { ...r, elapsedMs: performance.now() - started };
      }
      const plan = planKl(request);
      let chunks: KlChunkStats[] = [];
      if (plan.mc !== undefined) {
        const payload = klChunksPayload(plan);
        // Draws times their cost (a 100-dimensional normal costs far more than a univariate one).
        const size = klWorkSize(plan);
        if (size <= POOL_THRESHOLD_N) {
          chunks = klChunks(payload);
        } else {
          chunks = await computeFor<KlChunkStats[]>(app, req, reply, 'kl.chunks', payload, size);
        }
      }
      return { ...summarizeKlMonteCarlo(plan, chunks), elapsedMs: performance.now() - started };
    },
  );
};

export default kl;
