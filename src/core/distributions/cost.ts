/**
 * Rough costs of work on a distribution, in units of one plain univariate draw (about 10 ns here).
 * They decide only where work runs: at or below POOL_THRESHOLD_N inline, above it on the worker pool
 * (with a time limit), so that no request can hold the event loop. Orders of magnitude are what
 * matter; each figure was measured on this machine's cheapest and dearest cases.
 */
import type { DistributionSpec } from './types.js';

/** Special-function cdfs (incomplete gamma and beta): about 0.3-1 us an evaluation. */
const SPECIAL_CDF = new Set(['gamma', 'beta', 'student_t', 'binomial', 'poisson', 'geometric']);

const componentsOf = (spec: DistributionSpec) => (spec.components as DistributionSpec[] | undefined) ?? [];

/** The cost of a spec, given the cost of a plain univariate family (the one recursion over mixtures). */
function costOf(spec: DistributionSpec, plain: (spec: DistributionSpec) => number): number {
  switch (spec.family) {
    case 'multivariate_normal': {
      const d = (spec.mean as number[]).length;
      return Math.max(1, (d * d) / 2);
    }
    case 'dirichlet':
      return 4 * (spec.alpha as number[]).length;
    case 'mixture':
      return componentsOf(spec).reduce((t, c) => t + costOf(c, plain), 1);
    default:
      return plain(spec);
  }
}

/** One draw plus one log density (what a Monte Carlo KL does per point). */
export function drawCost(spec: DistributionSpec): number {
  return costOf(spec, () => 1);
}

/**
 * One log density plus one cdf. The incomplete gamma behind gamma and Poisson cdfs grows with the
 * shape (about 0.1 ms at 1e12, measured), hence the sqrt term.
 */
export function evaluationCost(spec: DistributionSpec): number {
  return costOf(spec, (s) => {
    if (s.family === 'categorical') return 1 + (s.probs as number[]).length / 8;
    if (s.family === 'gamma') return 50 + Math.sqrt(s.shape as number) / 100;
    if (s.family === 'poisson') return 50 + Math.sqrt(s.rate as number) / 100;
    return SPECIAL_CDF.has(s.family) ? 50 : 2;
  });
}

/**
 * One quantile. Closed forms cost an evaluation; Newton-refined or searched ones (gamma, beta, t,
 * the discrete families: a binomial with n = 1e9 measured 45 us) tens of cdfs; a mixture's is a
 * bracketed search over its cdf (about 60 steps) after one quantile per component.
 */
export function quantileCost(spec: DistributionSpec): number {
  if (spec.family === 'mixture')
    return componentsOf(spec).reduce((t, c) => t + quantileCost(c), 60 * evaluationCost(spec));
  if (spec.family === 'binomial') return 5000;
  // Newton or a search: a few cdfs, up to a few hundred for huge shapes (26 ms at shape 1e12).
  const e = evaluationCost(spec);
  return SPECIAL_CDF.has(spec.family) ? 2 * e + 200 * (e - 50) : e;
}

/**
 * Points of a typical adaptive quadrature: 200 intervals of 21 Gauss-Kronrod points. Smooth
 * integrands need far fewer; heavy tails can take ten times as many (the limit is 2,000 intervals),
 * which the pool's time limit bounds.
 */
export const TYPICAL_QUADRATURE_POINTS = 200 * 21;

/**
 * The exact moments and entropy (POST /v1/describe). Free for a family in closed form; a mixture's
 * entropy is an adaptive quadrature per component, each point one component quantile and one
 * mixture density.
 */
export function describeCost(spec: DistributionSpec): number {
  // The answer holds a d x d covariance (a Cholesky factor for the entropy of the normal).
  if (spec.family === 'dirichlet') return (spec.alpha as number[]).length ** 2;
  if (spec.family === 'multivariate_normal') return (spec.mean as number[]).length ** 3 / 3;
  if (spec.family !== 'mixture') return 10;
  // A multivariate mixture's entropy is a Monte Carlo estimate of 200,000 draws.
  if (isMultivariateSpec(spec)) return 200_000 * evaluationCost(spec);
  const comps = componentsOf(spec);
  const perPoint = evaluationCost(spec) + comps.reduce((t, c) => t + quantileCost(c), 0) / comps.length;
  return comps.length * TYPICAL_QUADRATURE_POINTS * perPoint;
}

/** Whether a spec is of a multivariate family (a mixture is of its components' kind). */
export function isMultivariateSpec(spec: DistributionSpec): boolean {
  if (spec.family === 'mixture') {
    const first = componentsOf(spec)[0];
    return first !== undefined && isMultivariateSpec(first);
  }
  return spec.family === 'multivariate_normal' || spec.family === 'dirichlet';
}
