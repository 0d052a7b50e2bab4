import { z } from 'zod';
import {
  DEFAULT_N,
  DEFAULT_TOLERANCE_CAP,
  METHODS,
  QMC_REPLICATES,
} from '../core/estimators/expectation-spec.js';
import { Confidence, finite, NumberOut, Seed } from './common.js';
import { Distribution } from './distribution.js';

/** A function in the service's expression language (checked by its parser: a bad one is a 400 with the column). */
export const Expression = (what: string) =>
  z
    .string()
    .describe(
      `${what}: an expression in x (x[0] .. x[d-1] for a d-dimensional distribution) with + - * / ^, ` +
        'comparisons (1 or 0), && || !, ?:, pi, e and the whitelisted functions; at most 1,000 characters.',
    );

/** A whole number from `min`; a huge one is a 413 naming the limit (checked by the route), not a vague 400. */
const Count = (min: number) => z.number().min(min).refine(Number.isInteger, 'must be an integer');

export const ExpectationMethod = z
  .enum(METHODS)
  .default('monte_carlo')
  .describe(
    'monte_carlo: the mean of f over n draws (chunks of 65,536 draws, chunk i from stream i of the seed). ' +
      "antithetic: pairs x, x' (x' = 2c - x for the symmetric families normal, student_t, laplace, cauchy, " +
      'uniform; else F^-1(u), F^-1(1 - u)). quasi_monte_carlo: scrambled Sobol points through the quantile ' +
      `function (Cholesky for multivariate_normal), ${QMC_REPLICATES} independent scrambles give the error. ` +
      "riemann: the lecture's sum of f(x_i) p(x_i) (x_i - x_{i-1}) over n cells of the support (cut at the " +
      '5e-13 quantiles where infinite). quadrature: adaptive Gauss-Kronrod over the whole support (exact ' +
      'summation for a discrete family). Multivariate families: monte_carlo, and quasi_monte_carlo for ' +
      'multivariate_normal.',
  );

export const ExpectationBody = z.strictObject({
  distribution: Distribution,
  f: Expression('The function whose expectation is wanted'),
  method: ExpectationMethod,
  n: Count(1)
    .optional()
    .describe(
      `Draws (monte_carlo, antithetic: default ${DEFAULT_N.monte_carlo}; quasi_monte_carlo: default ` +
        `${DEFAULT_N.quasi_monte_carlo}, split over ${QMC_REPLICATES} scrambles, best when n / ${QMC_REPLICATES} is a ` +
        `power of 2), cells (riemann: default ${DEFAULT_N.riemann}) or the budget of evaluations (quadrature: ` +
        `default ${DEFAULT_N.quadrature}). With a tolerance it is the cap (default ${DEFAULT_TOLERANCE_CAP}). ` +
        'Over MAX_SYNC_N is a 413; above POOL_THRESHOLD_N the work runs on the worker pool.',
    ),
  tolerance: z
    .number()
    .positive()
    .optional()
    .describe(
      'Stop early once the error is below it: Monte Carlo methods check stdError after each chunk (antithetic ' +
        'the same; quasi_monte_carlo doubles its points per scramble from 1,024); riemann doubles its cells ' +
        'from 1,000 until errorEstimate is below it; quadrature takes it as its absolute error target.',
    ),
  confidence: Confidence,
  seed: Seed.optional(),
});

export const Interval = z
  .object({ level: z.number(), low: NumberOut, high: NumberOut })
  .describe('A confidence interval for E[f].');

export const ExpectationResponse = z.object({
  estimate: NumberOut.describe('The estimate of E[f]; "NaN" (with a warning) when f is nowhere finite.'),
  method: z.enum(METHODS),
  n: z.number().int().describe('Draws, points or evaluations actually used.'),
  seed: Seed.optional().describe('The seed used (random methods).'),
  stdError: NumberOut.optional().describe('Standard error (always, for the Monte Carlo methods).'),
  ci: Interval.optional().describe('Confidence interval (always, for the Monte Carlo methods).'),
  errorEstimate: NumberOut.optional().describe('Estimated absolute error (riemann, quadrature).'),
  evaluations: z.number().int().describe('Evaluations of f.'),
  elapsedMs: z.number(),
  nonFinite: z
    .number()
    .int()
    .describe(
      'Draws or points where f was NaN or +-Infinity (left out of a Monte Carlo mean; see warnings).',
    ),
  warnings: z
    .array(z.string())
    .describe(
      'Plain-language warnings: a mean that does not exist (see meanExists), non-finite values of f, a sample variance that has not settled (heavy ' +
        'tails: the 4 values farthest from the mean carry over half the sum of squared deviations), ' +
        'truncation of an infinite support, a quadrature that did not converge.',
    ),
  meanExists: z
    .literal(false)
    .optional()
    .describe(
      'false when E[f(x)] certainly does not exist: f grows at least as fast as the tails of p allow ' +
        '(x under a Cauchy; x^2 under a Student t with df <= 2; a mixture with such a component). The ' +
        'estimate and its standard error then do not converge as n grows, and warnings says so first. ' +
        'Absent when no such claim is made.',
    ),
  varianceExists: z
    .literal(false)
    .optional()
    .describe(
      'Monte Carlo methods: false when Var f(x) is certainly infinite though the mean exists (x under a ' +
        'Student t with df <= 2, x^2 with df <= 4): the estimate converges more slowly than 1/sqrt(n) and ' +
        'stdError and ci understate the error; warnings says so first.',
    ),
  varianceReduction: NumberOut.optional().describe(
    'antithetic, quasi_monte_carlo: (Var f / n) / stdError^2, the variance of plain Monte Carlo at the same ' +
      'n over the variance achieved (> 1 is better).',
  ),
  stoppedEarly: z.boolean().optional().describe('With a tolerance: stopped before n because it was met.'),
  tolerance: z.number().optional(),
  converged: z.boolean().optional().describe('riemann, quadrature: whether the error target was met.'),
  truncatedMass: NumberOut.optional().describe('riemann, quadrature: the probability mass left out.'),
  range: z
    .object({ low: NumberOut, high: NumberOut })
    .optional()
    .describe('riemann: the span of the points.'),
  replicates: z.number().int().optional().describe('quasi_monte_carlo: independent scrambles.'),
  pairs: z.number().int().optional().describe('antithetic: pairs used.'),
});

export const ConditionalBody = z.strictObject({
  x: z.array(finite).min(1).describe('The conditioning values: one row of z per x.'),
  mean: Expression('mean(x)'),
  std: Expression('std(x), the STANDARD DEVIATION (must be > 0 and finite at every x)'),
  samplesPerX: Count(1)
    .default(1)
    .describe('Draws per x (x.length * samplesPerX is limited by MAX_SAMPLE_N_JSON).'),
  seed: Seed.optional(),
});

export const ConditionalResponse = z.object({
  seed: Seed,
  z: z.array(z.array(NumberOut)).describe('z[i][j] = mean(x[i]) + std(x[i]) * eps_ij, eps_ij ~ N(0, 1).'),
});
