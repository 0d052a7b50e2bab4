import { z } from 'zod';
import { DEFAULT_KL_N, KL_CHUNK_SIZE, MIN_DEFAULT_KL_N } from '../core/divergence/index.js';
import { Confidence, finite, NumberOut, Seed } from './common.js';
import { Distribution } from './distribution.js';

export const ProbabilityVector = z
  .array(finite)
  .min(1)
  .describe('A probability vector: non-negative numbers summing to 1 within 1e-9 (outcomes 0..k-1).');

/**
 * An operand that is neither an array nor an object gets its own message; otherwise the error
 * handler maps the union to the branch that matches the input's shape (q.mean: expected a number).
 */
const operandError = (iss: { code?: string; input?: unknown }) => {
  if (iss.code !== 'invalid_union') return undefined;
  const input = iss.input;
  if (input === null || typeof input !== 'object')
    return 'must be a distribution (an object with a family) or a probability vector (an array of numbers)';
  return undefined;
};

const Operand = (name: string) =>
  z
    .union([ProbabilityVector, Distribution], { error: operandError })
    .describe(
      `${name}: a distribution, or a probability vector (then the other must be one too, of the same length).`,
    );

export const KlMethod = z
  .enum(['auto', 'closed_form', 'quadrature', 'monte_carlo'])
  .default('auto')
  .describe(
    'auto: for each quantity the best method available: an exact form where one exists (a closed form of ' +
      'the pair, an exact finite sum for a discrete p of finite support, Infinity where the ' +
      'supports do not nest), else quadrature in one dimension (exact summation over the support for ' +
      'discrete distributions), else Monte Carlo. An explicit method is used for forward (a 400 when it ' +
      'cannot apply, e.g. closed_form for a pair without one: the message lists the pairs that have one) ' +
      'and for reverse and jensenShannon where it applies, else their best method; `methods` says which ' +
      'was used. Infinity by support is exact and reported as closed_form whatever the method.',
  );

export const KlBody = z.strictObject({
  p: Operand('p'),
  q: Operand('q'),
  method: KlMethod,
  n: z
    .number()
    .min(2)
    .refine(Number.isInteger, 'must be an integer')
    .optional()
    .describe(
      `Monte Carlo draws from each of p and q (default ${DEFAULT_KL_N}; for costly pairs, high-dimensional ` +
        `normals, fewer, down to ${MIN_DEFAULT_KL_N}); ignored when no quantity needs Monte ` +
        `Carlo. Chunks of ${KL_CHUNK_SIZE} draws, chunk i from stream i of the seed (its draws from p, then ` +
        'from q). Over MAX_SYNC_N is a 413 (submit a job); when the draws times their cost (a d-dimensional ' +
        'normal counts d^2 / 2) pass POOL_THRESHOLD_N, the work runs on the worker pool.',
    ),
  seed: Seed.optional(),
  confidence: Confidence,
});

const Interval = z
  .object({ level: z.number(), low: NumberOut, high: NumberOut })
  .describe('A normal-approximation confidence interval.');

const UsedMethod = z.enum(['closed_form', 'quadrature', 'monte_carlo']);
const PerQuantity = <T extends z.ZodType>(t: T) =>
  z.object({ forward: t.optional(), reverse: t.optional(), jensenShannon: t.optional() });

export const KlResponse = z.object({
  forward: NumberOut.describe(
    'KL(p || q) in nats; "Infinity" where the support of p is not inside that of q.',
  ),
  reverse: NumberOut.describe('KL(q || p) in nats.'),
  jensenShannon: NumberOut.describe(
    'Jensen-Shannon divergence (KL(p || m) + KL(q || m)) / 2, m = (p + q) / 2: in [0, log 2].',
  ),
  method: UsedMethod.describe('The method used for forward.'),
  methods: z.object({ forward: UsedMethod, reverse: UsedMethod, jensenShannon: UsedMethod }),
  units: z.literal('nats'),
  stdError: NumberOut.optional().describe('Standard error of forward (when it is Monte Carlo).'),
  ci: Interval.optional().describe('Confidence interval of forward (when it is Monte Carlo).'),
  stdErrors: PerQuantity(NumberOut).optional().describe('Standard errors of every Monte Carlo quantity.'),
  cis: PerQuantity(Interval).optional().describe('Confidence intervals of every Monte Carlo quantity.'),
  errorEstimates: PerQuantity(NumberOut)
    .optional()
    .describe('Estimated absolute errors of every quadrature (or truncated summation) quantity.'),
  crossEntropy: NumberOut.optional().describe('H(p, q) = H(p) + KL(p || q), in nats.'),
  entropyP: NumberOut.optional().describe('H(p), in nats (Shannon entropy for a discrete p).'),
  n: z
    .number()
    .int()
    .optional()
    .describe('Monte Carlo draws from each of p and q, when random numbers were used.'),
  seed: Seed.optional().describe('The seed, when random numbers were used.'),
  note: z.string().optional().describe('Why a value is infinite, and anything else worth knowing.'),
  elapsedMs: z.number().optional(),
});
