import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import type { DistributionSpec, FamilyDef, MultivariateDistribution } from './types.js';

/** How far a point's coordinates may sum from 1 and still be on the simplex (rounding slack). */
const SIMPLEX_TOLERANCE = 1e-9;

/**
 * Dirichlet(alpha) on the (k-1)-simplex {x in R^k : x_i >= 0, sum x_i = 1}; dim is k.
 * Density prod x_i^(alpha_i - 1) / B(alpha), B(alpha) = prod Gamma(alpha_i) / Gamma(sum alpha).
 */

/** Largest k: describe answers a k x k covariance (1,000 is already 22 MB of JSON). */
export const MAX_DIRICHLET_K = 1000;

export class Dirichlet implements MultivariateDistribution {
  readonly family = 'dirichlet';
  readonly kind = 'multivariate';
  readonly dim: number;
  readonly supportText: string;
  private readonly alpha: Float64Array;
  private readonly alpha0: number;
  private readonly logB: number;
  private readonly logG: Float64Array;

  constructor(
    alpha: readonly number[],
    readonly spec: DistributionSpec = { family: 'dirichlet', alpha: alpha.slice() },
  ) {
    const k = alpha.length;
    this.dim = k;
    this.supportText = `the ${k - 1}-simplex {x in R^${k}: x_i >= 0, sum x_i = 1}`;
    this.alpha = Float64Array.from(alpha);
    let a0 = 0;
    let lg = 0;
    for (const a of alpha) {
      a0 += a;
      lg += gammaln(a);
    }
    this.alpha0 = a0;
    this.logB = lg - gammaln(a0);
    this.logG = new Float64Array(k);
  }

  /**
   * sum (alpha_i - 1) log x_i - log B(alpha) on the simplex (coordinates in [0, 1] summing to 1
   * within 1e-9), -Infinity off it. On a face (some x_i = 0) the limit: -Infinity for alpha_i > 1,
   * +Infinity for alpha_i < 1, and no contribution for alpha_i = 1.
   */
  logPdf(x: ArrayLike<number>): number {
    const k = this.dim;
    if (x.length !== k) invalid('x', `must be a point of ${k} numbers (got ${x.length})`);
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) return Number.NaN;
      if (!(v >= 0 && v <= 1)) return -Infinity;
      sum += v;
    }
    if (!(Math.abs(sum - 1) <= SIMPLEX_TOLERANCE)) return -Infinity;
    let s = -this.logB;
    for (let i = 0; i < k; i++) {
      const am1 = this.alpha[i]! - 1;
      if (am1 !== 0) s += am1 * Math.log(x[i]!);
    }
    return s;
  }

  /**
   * x_i = G_i / sum G_j with G_i ~ Gamma(alpha_i, 1), formed in log space from rng.logGamma so that
   * small alphas (whose gamma variates underflow to 0) still give a proper point on the simplex.
   */
  sample(rng: Rng, out: Float64Array, offset: number): void {
    const { dim: k, alpha, logG } = this;
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      const g = rng.logGamma(alpha[i]!);
      logG[i] = g;
      if (g > max) max = g;
    }
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.exp(logG[i]! - max);
    const lse = max + Math.log(s);
    for (let i = 0; i < k; i++) out[offset + i] = Math.exp(logG[i]! - lse);
  }

  /** alpha / alpha0. */
  mean(): number[] {
    return Array.from(this.alpha, (a) => a / this.alpha0);
  }

  /** Cov_ij = (delta_ij m_i - m_i m_j) / (alpha0 + 1), m = alpha / alpha0. */
  covariance(): number[][] {
    const m = this.mean();
    const c = this.alpha0 + 1;
    return m.map((mi, i) => m.map((mj, j) => ((i === j ? mi : 0) - mi * mj) / c));
  }

  /** log B(alpha) + (alpha0 - k) psi(alpha0) - sum (alpha_i - 1) psi(alpha_i), in closed form. */
  entropy(): number {
    let s = this.logB + (this.alpha0 - this.dim) * digamma(this.alpha0);
    for (const a of this.alpha) s -= (a - 1) * digamma(a);
    return s;
  }
}

export const dirichletFamily: FamilyDef = {
  name: 'dirichlet',
  kind: 'multivariate',
  description: 'Dirichlet(alpha) on the (k-1)-simplex in R^k: k >= 2 concentrations alpha_i > 0.',
  params: [
    {
      name: 'alpha',
      type: 'number[]',
      constraint: `2 to ${MAX_DIRICHLET_K} entries, each finite and > 0`,
    },
  ],
  support: 'the simplex {x : x_i >= 0, sum x_i = 1}',
  create(spec) {
    const alpha = spec.alpha;
    if (!Array.isArray(alpha)) invalid('alpha', 'is required and must be an array of numbers');
    if (alpha.length < 2) invalid('alpha', `must have at least 2 entries (got ${alpha.length})`);
    if (alpha.length > MAX_DIRICHLET_K)
      invalid(
        'alpha',
        `must have at most ${MAX_DIRICHLET_K} entries (got ${alpha.length}): its covariance has k^2 entries`,
      );
    for (let i = 0; i < alpha.length; i++) {
      const a = alpha[i];
      if (typeof a !== 'number' || !Number.isFinite(a) || !(a > 0)) {
        invalid(`alpha.${i}`, `must be a finite number > 0 (got ${a})`);
      }
    }
    const a = (alpha as number[]).slice();
    return new Dirichlet(a, { family: 'dirichlet', alpha: a });
  },
};
