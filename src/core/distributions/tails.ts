import type { DistributionSpec } from './types.js';

/**
 * Tail indices: how heavy the tails of a univariate distribution are, from its spec alone.
 *
 * The tail index of a tail is the largest a such that E[|X|^s] restricted to that tail is finite for
 * every s < a. For the heavy-tailed families here the density falls exactly like |x|^-(a+1) in both
 * tails (Cauchy: a = 1; Student t: a = df), so E|g(X)| is infinite as soon as |g(x)| >= c |x|^a in
 * either tail; a mixture's tail is at least as heavy as its heaviest component's (weight w_i times its
 * density is a lower bound), so its index is the smallest over the components that take part. Every
 * other family has all polynomial moments (normal, laplace, exponential, gamma, weibull and lognormal
 * tails fall faster than any power; uniform, beta and the discrete families with a finite support
 * have no tail at all): index Infinity.
 */
export interface TailIndices {
  /** The tail towards -infinity (Infinity where the support is bounded below or the tail is light). */
  lower: number;
  /** The tail towards +infinity. */
  upper: number;
}

/** Families whose every polynomial moment exists (both tail indices Infinity). */
export const LIGHT_TAILED_FAMILIES: ReadonlySet<string> = new Set([
  'normal',
  'lognormal',
  'uniform',
  'exponential',
  'gamma',
  'beta',
  'laplace',
  'weibull',
  'bernoulli',
  'binomial',
  'poisson',
  'geometric',
  'categorical',
  'multivariate_normal',
  'dirichlet',
]);

const LIGHT: TailIndices = { lower: Number.POSITIVE_INFINITY, upper: Number.POSITIVE_INFINITY };

/**
 * The tail indices of a distribution spec (already validated, e.g. Distribution.spec). undefined for
 * a family not listed here or a malformed spec: no claim is made about it.
 */
export function tailIndices(spec: DistributionSpec): TailIndices | undefined {
  if (LIGHT_TAILED_FAMILIES.has(spec.family)) return { ...LIGHT };
  switch (spec.family) {
    case 'cauchy':
      return { lower: 1, upper: 1 };
    case 'student_t': {
      const df = spec.df;
      return typeof df === 'number' && df > 0 ? { lower: df, upper: df } : undefined;
    }
    case 'mixture': {
      const { weights, components } = spec;
      if (!Array.isArray(weights) || !Array.isArray(components) || weights.length !== components.length)
        return undefined;
      const out = { ...LIGHT };
      for (let i = 0; i < components.length; i++) {
        // A component of weight 0 takes no part in the mixture.
        if (!((weights[i] as number) > 0)) continue;
        const c = components[i] as DistributionSpec | undefined;
        if (c === null || typeof c !== 'object' || typeof c.family !== 'string') return undefined;
        const t = tailIndices(c);
        if (t === undefined) return undefined;
        out.lower = Math.min(out.lower, t.lower);
        out.upper = Math.min(out.upper, t.upper);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** The tail index of the heavier tail: the largest a with E|X|^s finite for all s < a (Cauchy 1, Student t df). */
export function tailIndex(spec: DistributionSpec): number | undefined {
  const t = tailIndices(spec);
  return t === undefined ? undefined : Math.min(t.lower, t.upper);
}
