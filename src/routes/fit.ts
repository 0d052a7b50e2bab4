import { type FastifyPluginAsyncZod, validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { invalid } from '../core/errors.js';
import { fromFloat64, fromJson } from '../core/fit/data.js';
import {
  FIT_FAMILIES,
  type FitData,
  type FitOptions,
  type FitTaskPayload,
  type FitTaskResult,
  isFitFamily,
  unwrapFitTask,
} from '../core/fit/index.js';
import { MAX_AUTO_COMPONENTS } from '../core/fit/mixture.js';
import type { Seed } from '../core/rng/index.js';
import { HttpError } from '../plugins/errors.js';
import { problemResponses } from '../schemas/common.js';
import { FitBody, FitQuery, FitResponse, MAX_FIT_POINTS } from '../schemas/fit.js';
import { computeFor, seedOf } from './helpers.js';

const CLOSED_FORM = new Set([
  'normal',
  'lognormal',
  'exponential',
  'poisson',
  'bernoulli',
  'binomial',
  'geometric',
]);

/**
 * The work of a fit in draw-equivalents, the unit of POOL_THRESHOLD_N (at or below it the fit runs
 * inline, above it on the worker pool with the request's signal). A closed-form fit is one or two
 * cheap passes (~2 ms for 1e6 points, a fifth of a draw per point); the KS test sorts the data
 * (~20 ms for 1e6) and selection-based fits (laplace, uniform, categorical) are a few passes; the
 * Newton fits evaluate logs per point per iteration (gamma only once: its Newton step is on two
 * sums); EM costs components x iterations passes. So a closed-form normal fit of 1e6 points runs
 * inline; anything heavier on 1e5 points goes to the pool.
 */
export function fitWork(families: readonly string[], n: number, dim: number, opts: FitOptions): number {
  const points = n * dim;
  let perPoint = 0;
  for (const f of families) {
    if (CLOSED_FORM.has(f)) perPoint += 0.2;
    else if (f === 'gamma') perPoint += 0.5;
    // Without components, k = 1..MAX_AUTO_COMPONENTS are all fitted.
    else if (f === 'mixture')
      perPoint += 20 * dim * (opts.components ?? (MAX_AUTO_COMPONENTS * (MAX_AUTO_COMPONENTS + 1)) / 2);
    else if (f === 'multivariate_normal' || f === 'uniform' || f === 'categorical') perPoint += 1;
    else perPoint += 10;
    if (opts.goodnessOfFit !== false && f !== 'multivariate_normal' && f !== 'dirichlet') perPoint += 2;
  }
  return points * perPoint;
}

function seedFromQuery(s: string | undefined): Seed | undefined {
  if (s === undefined) return undefined;
  if (/^\d{1,16}$/.test(s) && Number(s) <= Number.MAX_SAFE_INTEGER) return Number(s);
  return s;
}

const fit: FastifyPluginAsyncZod = async (app) => {
  const { FIT_BODY_LIMIT } = app.config;

  // Raw little-endian float64 bodies, for this route only (the plugin is encapsulated).
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: FIT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/v1/fit',
    {
      bodyLimit: FIT_BODY_LIMIT,
      schema: {
        tags: ['fitting'],
        summary: 'Maximum-likelihood fit of a family (or a ranked list of families) to data.',
        description:
          'Closed forms where they exist (normal, lognormal, exponential, poisson, bernoulli, binomial with ' +
          'known trials, geometric, categorical, uniform, laplace, multivariate_normal); Newton iterations ' +
          'for gamma, beta, student_t, weibull, cauchy and dirichlet; EM for Gaussian mixtures. Standard ' +
          'errors and intervals from the observed information, AIC, BIC, and a Kolmogorov-Smirnov test ' +
          'for univariate continuous fits. The returned `distribution` can be sent as is to /v1/density, ' +
          '/v1/sample, /v1/kl and the rest.\n\n' +
          'Large data: send `Content-Type: application/octet-stream` with the raw little-endian float64 ' +
          'values (row-major, n x dim) as the body, and the parameters in the query string, e.g. ' +
          '`POST /v1/fit?family=gamma` or `?family=mixture&components=3&dim=2&seed=7`. A body whose length ' +
          `is not a multiple of 8 bytes is a 400. Up to ${MAX_FIT_POINTS} points either way; the body ` +
          `limit of this route is FIT_BODY_LIMIT (default 32 MiB).\n\n` +
          'A value outside the family’s support (a negative value for gamma, 1.5 for beta, 2.5 for ' +
          'poisson), too few points, or constant data where a scale must be positive is a 400 naming ' +
          'the problem and the first offending index (data.<i>). A fit that does not converge is still ' +
          'a 200, with converged: false and a note saying why.',
        body: FitBody,
        querystring: FitQuery,
        response: { 200: FitResponse, ...problemResponses },
      },
      // The zod validator, except that a binary body (a Buffer from the octet-stream parser above) is
      // passed through: its parameters are in the query string, validated by FitQuery.
      validatorCompiler: (req) => {
        const inner = validatorCompiler(req as unknown as Parameters<typeof validatorCompiler>[0]);
        if (req.httpPart !== 'body') return inner;
        return (data: unknown) => (Buffer.isBuffer(data) ? { value: data } : inner(data));
      },
    },
    async (req, reply) => {
      const raw = req.body as unknown;
      let families: string | string[];
      let data: FitData;
      let opts: FitOptions;
      if (Buffer.isBuffer(raw)) {
        const q = req.query;
        if (q.family === undefined)
          invalid('family', 'is required in the query string with a binary body (e.g. ?family=gamma)');
        const list = q.family.split(',').map((s) => s.trim());
        for (const f of list)
          if (!isFitFamily(f)) invalid('family', `unknown family '${f}'; one of ${FIT_FAMILIES.join(', ')}`);
        families = list.length === 1 ? list[0]! : list;
        if (raw.byteLength === 0) invalid('body', 'is empty: there is nothing to fit');
        if (raw.byteLength / 8 > MAX_FIT_POINTS * (q.dim ?? 1) && raw.byteLength % 8 === 0)
          throw new HttpError(
            413,
            `the body holds ${raw.byteLength / 8} numbers; the limit is ${MAX_FIT_POINTS} points`,
          );
        data = fromFloat64(raw, q.dim ?? 1);
        opts = {
          confidence: q.confidence ?? 0.95,
          maxIterations: q.maxIterations,
          tolerance: q.tolerance,
          components: q.components,
          trials: q.trials,
          categories: q.categories,
          seed: seedFromQuery(q.seed),
          goodnessOfFit: q.goodnessOfFit !== 'false',
        };
      } else {
        if (Object.keys(req.query).length > 0)
          invalid(
            Object.keys(req.query)[0]!,
            'query parameters are for binary (application/octet-stream) bodies; with JSON put them in the body',
          );
        const body = req.body;
        if (body.data.length > MAX_FIT_POINTS)
          throw new HttpError(
            413,
            `data has ${body.data.length} points; the limit is ${MAX_FIT_POINTS} (MAX_FIT_POINTS)`,
          );
        families = body.family;
        data = fromJson(body.data);
        opts = {
          confidence: body.confidence,
          maxIterations: body.maxIterations,
          tolerance: body.tolerance,
          components: body.components,
          trials: body.trials,
          categories: body.categories,
          seed: body.seed,
          goodnessOfFit: body.goodnessOfFit,
        };
      }
      const list = Array.isArray(families) ? families : [families];
      if (list.includes('mixture')) opts.seed = seedOf(opts.seed);
      const payload: FitTaskPayload = {
        family: families,
        values: data.values,
        n: data.n,
        dim: data.dim,
        rows: data.rows,
        finite: data.finite,
        options: opts,
      };
      const size = fitWork(list, data.n, data.dim, opts);
      const r = await computeFor<FitTaskResult>(app, req, reply, 'fit.run', payload, size);
      return unwrapFitTask(r) as z.infer<typeof FitResponse>;
    },
  );
};

export default fit;
