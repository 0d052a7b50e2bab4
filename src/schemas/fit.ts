import { z } from 'zod';
import { FIT_FAMILIES } from '../core/fit/index.js';
import { Confidence, NumberOut, Seed } from './common.js';
import { Distribution } from './distribution.js';

/** Most points a fit takes (JSON or binary). */
export const MAX_FIT_POINTS = 1_000_000;
export const MAX_COMPONENTS = 20;

const FAMILY_LIST = FIT_FAMILIES.join(', ');

/** An unknown name, named back with the list of what would do. */
const unknownFamily = (input: unknown) =>
  typeof input === 'string'
    ? `unknown family '${input.length > 40 ? `${input.slice(0, 40)}...` : input}'; one of: ${FAMILY_LIST}`
    : `must be a family name, one of: ${FAMILY_LIST}`;

export const FitFamily = z
  .enum(FIT_FAMILIES, { error: (iss) => unknownFamily(iss.input) })
  .describe(
    "A family name; 'mixture' is a Gaussian mixture of `components` normals (multivariate normals for rows).",
  );

const FamilyField = z
  .union(
    [
      FitFamily,
      z
        .array(FitFamily)
        .min(1, `must list 1 to ${FIT_FAMILIES.length} families`)
        .max(FIT_FAMILIES.length, `must list 1 to ${FIT_FAMILIES.length} families`),
    ],
    {
      // A string: name it back. A list of a fitting length: no message here, so the error mapping
      // reports the list's own issue with its index (`family.1: unknown family 'nope'; ...`).
      error: (iss) => {
        if (iss.code !== 'invalid_union') return undefined;
        const input = iss.input;
        if (typeof input === 'string') return unknownFamily(input);
        if (Array.isArray(input) && input.length >= 1 && input.length <= FIT_FAMILIES.length)
          return undefined;
        if (Array.isArray(input))
          return `must list 1 to ${FIT_FAMILIES.length} families (got ${input.length})`;
        return `must be a family name or a list of 1 to ${FIT_FAMILIES.length} of them; one of: ${FAMILY_LIST}`;
      },
    },
  )
  .describe('One family, or a list to fit each and rank them by AIC.');

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * The data: numbers, or rows of numbers. Checked by one loop rather than a zod union per element
 * (3-7x faster on 1e6 points) that reports the first bad value by its index, e.g. `data.17`
 * for `null` or for `1e400` (which JSON.parse reads as Infinity).
 */
const DataField = z
  .array(z.unknown())
  .superRefine((data, ctx) => {
    // Over the limit is the handler's 413, not a 400.
    if (data.length === 0 || data.length > MAX_FIT_POINTS) return;
    const rows = Array.isArray(data[0]);
    const dim = rows ? (data[0] as unknown[]).length : 1;
    const bad = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (rows && dim === 0) return bad([0], 'a row must hold at least one number');
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!rows) {
        if (typeof v !== 'number' || !Number.isFinite(v))
          return bad(
            [i],
            Array.isArray(v)
              ? 'must be a number like data.0 (numbers and rows mixed)'
              : `must be a finite number (got ${describeValue(v)})`,
          );
        continue;
      }
      if (!Array.isArray(v))
        return bad([i], `must be a row of ${dim} numbers like data.0 (got ${describeValue(v)})`);
      if (v.length !== dim) return bad([i], `must have ${dim} numbers like data.0 (got ${v.length})`);
      for (let j = 0; j < dim; j++) {
        const e = v[j];
        if (typeof e !== 'number' || !Number.isFinite(e))
          return bad([i, j], `must be a finite number (got ${describeValue(e)})`);
      }
    }
  })
  .meta({
    anyOf: [
      { type: 'array', items: { type: 'number' } },
      { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    ],
  })
  .describe(
    `The sample: finite numbers (univariate families), or rows of d finite numbers (multivariate_normal, ` +
      `dirichlet, a multivariate mixture). At most ${MAX_FIT_POINTS} points; for large data send the ` +
      'raw float64 body instead (see the description of the operation).',
  );

const options = {
  components: z
    .number()
    .int()
    .min(1)
    .max(MAX_COMPONENTS)
    .optional()
    .describe(
      "Number of Gaussian components for family 'mixture'; without it, k = 1..5 are fitted and the lowest " +
        'BIC wins (a note says so and lists the BICs).',
    ),
  trials: z
    .number()
    .int()
    .min(1)
    .max(1e9)
    .optional()
    .describe(
      "The known number of trials n of each observation for family 'binomial' (only p is fitted); without " +
        'it, n is the largest count in the data (the smallest n they allow), held fixed, and a note says so.',
    ),
  categories: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe(
      "Number of categories k for family 'categorical' (values in 0..k-1); default the largest value + 1.",
    ),
  seed: Seed.optional().describe(
    'Seed of the random starts of a mixture fit (the answer reports the one used).',
  ),
  maxIterations: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('Cap on Newton iterations (default 200) or EM iterations (default 2000).'),
  tolerance: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe(
      'Convergence tolerance: Newton stops when the predicted gain in log-likelihood is below ' +
        'tolerance x |log-likelihood| (default 1e-12); EM when the relative change of the log-likelihood ' +
        'is below it (default 1e-10).',
    ),
  confidence: Confidence,
};

export const FitBody = z
  .strictObject({
    family: FamilyField,
    data: DataField,
    ...options,
    goodnessOfFit: z
      .boolean()
      .default(true)
      .describe(
        'Compute the Kolmogorov-Smirnov test for univariate continuous fits (costs a sort of the data).',
      ),
  })
  .describe('A maximum-likelihood fit request.');

/** Query-string numbers are strings: parsed strictly (no "1e3" for an integer, no blanks). */
const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a non-negative integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const numParam = z
  .string()
  .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'must be a number')
  .transform(Number)
  .pipe(z.number().gt(0).lt(1));

/** For a binary (application/octet-stream) body the parameters come in the query string. */
export const FitQuery = z
  .strictObject({
    family: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Required with a binary body: a family, or a comma-separated list (e.g. gamma,weibull,lognormal).',
      ),
    dim: intParam(1, 1000).optional().describe('Binary body only: the dimension d of each row (default 1).'),
    components: intParam(1, MAX_COMPONENTS).optional(),
    trials: intParam(1, 1e9).optional(),
    categories: intParam(1, 100_000).optional(),
    seed: z
      .string()
      .max(256)
      .optional()
      .describe('A seed: digits are read as an integer, anything else as a string.'),
    maxIterations: intParam(1, 100_000).optional(),
    tolerance: numParam.optional(),
    confidence: numParam.optional(),
    goodnessOfFit: z.enum(['true', 'false']).optional(),
  })
  .describe('Parameters of a binary-body fit (with a JSON body, put them in the body instead).');

const Interval = z.object({ low: NumberOut, high: NumberOut });

export const FitResult = z
  .object({
    family: FitFamily,
    distribution: Distribution.describe('The fitted distribution: a valid input to every other endpoint.'),
    logLikelihood: NumberOut.describe('log-likelihood at the estimate (log mass for discrete families)'),
    n: z.number().int().describe('number of points'),
    parameters: z.number().int().describe('number of free parameters k (for AIC and BIC)'),
    aic: NumberOut.describe('2k - 2 log L'),
    bic: NumberOut.describe('k log n - 2 log L'),
    standardErrors: z
      .record(z.string(), NumberOut)
      .describe(
        'By parameter name (e.g. "shape", "probs[2]", "components[1].mean", "cov[0][1]"): square roots of ' +
          'the diagonal of the inverse observed information (the Hessian of -log L) at the estimate. ' +
          'Non-regular cases (uniform endpoints, laplace loc, estimates on a boundary) say so in notes.',
      ),
    confidenceIntervals: z
      .record(z.string(), Interval)
      .describe(
        'Wald intervals at level `confidence`, built on the scale where the parameter is free (log for ' +
          'positive, logit for probabilities) so they stay in range.',
      ),
    confidence: z.number(),
    method: z.enum(['closed_form', 'newton', 'em']),
    converged: z
      .boolean()
      .describe('false means the estimate is not a maximum: read notes, do not use it blindly'),
    iterations: z.number().int(),
    goodnessOfFit: z
      .object({
        test: z.literal('kolmogorov_smirnov'),
        statistic: NumberOut,
        pValue: NumberOut,
        note: z.string(),
      })
      .optional()
      .describe('Univariate continuous fits: the KS statistic and p-value against the fitted distribution.'),
    logLikelihoodTrace: z.array(NumberOut).optional().describe('EM: the log-likelihood at each iteration'),
    unbiased: z
      .record(z.string(), z.union([NumberOut, z.array(z.array(NumberOut))]))
      .optional()
      .describe(
        'Unbiased alternatives to biased MLEs (normal variance and std, multivariate normal cov, uniform ends).',
      ),
    seed: Seed.optional().describe('The seed used for the random starts (mixture).'),
    notes: z.array(z.string()).optional(),
  })
  .meta({ id: 'FitResult' });

export const FitRanking = z.object({
  ranking: z
    .array(
      FitResult.extend({
        rank: z.number().int(),
        deltaAic: NumberOut,
        akaikeWeight: NumberOut.describe('exp(-deltaAic / 2), normalised over the ranking'),
      }),
    )
    .describe('The fits, best (smallest AIC) first.'),
  best: FitFamily.describe('The family with the smallest AIC.'),
  excluded: z
    .array(z.object({ family: z.string(), reason: z.string() }))
    .optional()
    .describe('Families the data cannot come from (values outside the support, too few points), with why.'),
});

export const FitResponse = z.union([FitResult, FitRanking]);
