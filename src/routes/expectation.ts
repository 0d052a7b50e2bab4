import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DistributionSpec } from '../core/distributions/types.js';
import { type ConditionalAnswer, sampleConditional } from '../core/estimators/conditional.js';
import {
  type ExpectationAnswer,
  type ExpectationRequest,
  estimateWork,
  prepareExpectationRequest,
  runExpectation,
} from '../core/estimators/expectation.js';
import { problemResponses } from '../schemas/common.js';
import {
  ConditionalBody,
  ConditionalResponse,
  ExpectationBody,
  ExpectationResponse,
} from '../schemas/expectation.js';
import { computeFor, enforceLimit, seedOf } from './helpers.js';

const expectation: FastifyPluginAsyncZod = async (app) => {
  const { MAX_SYNC_N, POOL_THRESHOLD_N, MAX_SAMPLE_N_JSON } = app.config;

  app.post(
    '/v1/expectation',
    {
      schema: {
        tags: ['estimation'],
        summary: 'E_p[f(x)] by Monte Carlo, antithetic, quasi-Monte Carlo, Riemann sum or quadrature.',
        description:
          'A Monte Carlo answer (monte_carlo, antithetic, quasi_monte_carlo) carries stdError and ci; riemann ' +
          'and quadrature carry errorEstimate. Values of f that are NaN or infinite are counted (nonFinite) and ' +
          'explained in warnings, never hidden; so is a sample variance that does not settle (heavy tails, ' +
          'e.g. x under a Cauchy). Same seed, same answer, bit for bit (and the same as a job of the same body ' +
          'and n). n over MAX_SYNC_N is a 413 (use POST /v1/jobs); above POOL_THRESHOLD_N the work runs on ' +
          'the worker pool. A method that cannot apply (riemann for a multivariate family) is a 400 listing ' +
          'those that can.',
        body: ExpectationBody,
        response: { 200: ExpectationResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const request: ExpectationRequest = {
        distribution: body.distribution as DistributionSpec,
        f: body.f,
        method: body.method,
        confidence: body.confidence,
        seed: seedOf(body.seed),
      };
      if (body.n !== undefined) request.n = body.n;
      if (body.tolerance !== undefined) request.tolerance = body.tolerance;
      // n first (a huge n is a 413 whatever else is wrong), then everything else, before any work.
      if (body.n !== undefined)
        enforceLimit('n', body.n, MAX_SYNC_N, '; submit a job (POST /v1/jobs) for more');
      const { spec, n } = prepareExpectationRequest(request);
      enforceLimit('n', n, MAX_SYNC_N, '; submit a job (POST /v1/jobs) for more');
      request.n = n;
      // n in plain-normal-draw units: a slow quantile or density (a mixture's) or a long f counts more.
      const size = n <= POOL_THRESHOLD_N ? estimateWork(spec, n) : n;
      if (size <= POOL_THRESHOLD_N) return runExpectation(request);
      return computeFor<ExpectationAnswer>(app, req, reply, 'expectation.run', request, size);
    },
  );

  app.post(
    '/v1/sample/conditional',
    {
      schema: {
        tags: ['distributions'],
        summary: 'The probabilistic mapping p(z | x) = N(mean(x), std(x)^2), sampled by reparameterisation.',
        description:
          'z = mean(x) + std(x) * eps, eps ~ N(0, 1): eps is scaled by the STANDARD DEVIATION std(x), not the ' +
          'variance. One row of samplesPerX draws per x. A std(x) that is not positive and finite (or a mean(x) ' +
          'that is not finite) is a 400 naming that x; x.length * samplesPerX over MAX_SAMPLE_N_JSON is a 413.',
        body: ConditionalBody,
        response: { 200: ConditionalResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { x, mean, std, samplesPerX } = req.body;
      const total = x.length * samplesPerX;
      enforceLimit('x.length x samplesPerX', total, MAX_SAMPLE_N_JSON);
      const request = { x, mean, std, samplesPerX, seed: seedOf(req.body.seed) };
      // Draws plus the two expressions at every x (a long expression costs about a draw per 4
      // characters); the task checks std(x) > 0 wherever it runs (a 400 naming that x).
      const size = total + (x.length * (mean.length + std.length)) / 4;
      if (size <= POOL_THRESHOLD_N) return sampleConditional(request);
      return computeFor<ConditionalAnswer>(app, req, reply, 'conditional.sample', request, size);
    },
  );
};

export default expectation;
