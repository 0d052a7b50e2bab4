import { z } from 'zod';
import { MAX_MIXTURE_COMPONENTS } from '../core/distributions/mixture.js';
import { finite, vector } from './common.js';

/**
 * The wire shape of a distribution: one strict object per family, told apart by `family`.
 * zod checks types and simple signs (so they show in the OpenAPI document); the core's
 * FamilyDef.create checks every mathematical rule again (positive definiteness, sums to 1, ...),
 * because workers and tests build distributions without HTTP.
 */
const fam = <T extends string, S extends z.ZodRawShape>(family: T, shape: S, description: string) =>
  z.strictObject({ family: z.literal(family), ...shape }).describe(description);

const pos = z.number().positive();

export const Normal = fam(
  'normal',
  { mean: finite, std: pos.optional(), variance: pos.optional() },
  'N(mean, variance). Exactly one of std or variance; the second argument of N is the variance.',
);
export const Lognormal = fam('lognormal', { mu: finite, sigma: pos }, 'log x ~ N(mu, sigma^2).');
export const Uniform = fam('uniform', { low: finite, high: finite }, 'Uniform on [low, high], low < high.');
export const Exponential = fam('exponential', { rate: pos }, 'Exponential with the given rate, x >= 0.');
export const Gamma = fam(
  'gamma',
  { shape: pos, rate: pos.optional(), scale: pos.optional() },
  'Gamma(shape, rate) or Gamma(shape, scale = 1/rate): exactly one of rate or scale.',
);
export const Beta = fam('beta', { alpha: pos, beta: pos }, 'Beta(alpha, beta) on (0, 1).');
export const StudentT = fam(
  'student_t',
  { df: pos, loc: finite.optional(), scale: pos.optional() },
  "Student's t with df degrees of freedom, loc (default 0) and scale (default 1).",
);
export const Laplace = fam('laplace', { loc: finite, scale: pos }, 'Laplace (double exponential).');
export const Cauchy = fam('cauchy', { loc: finite, scale: pos }, 'Cauchy: no mean, no variance.');
export const Weibull = fam('weibull', { shape: pos, scale: pos }, 'Weibull, x >= 0.');
export const Bernoulli = fam('bernoulli', { p: finite.min(0).max(1) }, 'Bernoulli on {0, 1}.');
export const Binomial = fam(
  'binomial',
  { n: z.number().int().min(0), p: finite.min(0).max(1) },
  'Binomial on {0..n}.',
);
export const Poisson = fam('poisson', { rate: pos }, 'Poisson on {0, 1, ...}.');
export const Geometric = fam(
  'geometric',
  { p: finite.gt(0).max(1) },
  'Trials up to and including the first success, on {1, 2, ...}.',
);
export const Categorical = fam(
  'categorical',
  { probs: z.array(finite.min(0)).min(1) },
  'Categorical on {0..k-1}; probs non-negative and summing to 1 within 1e-9.',
);
export const MultivariateNormal = fam(
  'multivariate_normal',
  { mean: vector.min(1), cov: z.array(vector).min(1) },
  'N(mean, cov) on R^d; cov symmetric positive definite.',
);
export const Dirichlet = fam('dirichlet', { alpha: z.array(pos).min(2) }, 'Dirichlet on the simplex.');

export interface MixtureSpec {
  family: 'mixture';
  weights: number[];
  components: DistributionSpecIn[];
}

export const Mixture: z.ZodType<MixtureSpec> = z
  .strictObject({
    family: z.literal('mixture'),
    weights: z.array(finite.min(0)).min(1),
    get components() {
      return z.array(Distribution).min(1).max(MAX_MIXTURE_COMPONENTS);
    },
  })
  .describe('A finite mixture: weights summing to 1, components of one dimension and kind.')
  .meta({ id: 'Mixture' });

export type DistributionSpecIn =
  | z.infer<typeof Normal>
  | z.infer<typeof Lognormal>
  | z.infer<typeof Uniform>
  | z.infer<typeof Exponential>
  | z.infer<typeof Gamma>
  | z.infer<typeof Beta>
  | z.infer<typeof StudentT>
  | z.infer<typeof Laplace>
  | z.infer<typeof Cauchy>
  | z.infer<typeof Weibull>
  | z.infer<typeof Bernoulli>
  | z.infer<typeof Binomial>
  | z.infer<typeof Poisson>
  | z.infer<typeof Geometric>
  | z.infer<typeof Categorical>
  | z.infer<typeof MultivariateNormal>
  | z.infer<typeof Dirichlet>
  | MixtureSpec;

export const Distribution: z.ZodType<DistributionSpecIn> = z
  .discriminatedUnion('family', [
    Normal,
    Lognormal,
    Uniform,
    Exponential,
    Gamma,
    Beta,
    StudentT,
    Laplace,
    Cauchy,
    Weibull,
    Bernoulli,
    Binomial,
    Poisson,
    Geometric,
    Categorical,
    MultivariateNormal,
    Dirichlet,
    // biome-ignore lint/suspicious/noExplicitAny: zod needs the recursive member as a plain object schema
    Mixture as any,
  ])
  .describe('A distribution: a family and its parameters.')
  .meta({ id: 'Distribution' });
