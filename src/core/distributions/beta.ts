import betainc from '@stdlib/math-base-special-betainc';
import betaincinv from '@stdlib/math-base-special-betaincinv';
import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';
import type { Rng } from '../rng/index.js';
import { requireNumber, requirePositiveAtMost } from './base.js';

/** Largest alpha and beta: past it the incomplete beta loses digits (5e-8 at 1e10, 1e-9 at 1e8). */
export const MAX_BETA_PARAMETER = 1e8;

import { betaIncLower, betaIncUpperSmallX, isProbability } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Beta(alpha, beta) on (0, 1): density x^{alpha-1} (1-x)^{beta-1} / B(alpha, beta). */
export class Beta implements UnivariateDistribution {
  readonly family = 'beta';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: 0, upper: 1 };
  readonly spec: DistributionSpec;
  private readonly logB: number;

  constructor(
    readonly alpha: number,
    readonly beta: number,
  ) {
    this.spec = { family: 'beta', alpha, beta };
    this.logB = betaln(alpha, beta);
  }

  logPdf(x: number): number {
    if (!(x > 0 && x < 1)) {
      if (x === 0) return edge(this.alpha, this.logB);
      if (x === 1) return edge(this.beta, this.logB);
      return Number.isNaN(x) ? Number.NaN : -Infinity;
    }
    return (this.alpha - 1) * Math.log(x) + (this.beta - 1) * Math.log1p(-x) - this.logB;
  }

  /** The regularised incomplete beta I_x(alpha, beta) (stdlib's, with the far tail patched: see the helper). */
  cdf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 0;
    if (x >= 1) return 1;
    return betaIncLower(x, this.alpha, this.beta);
  }

  /**
   * The upper tail 1 - I_x(alpha, beta), never as a rounded 1 - cdf where that is small. stdlib's
   * betainc(..., upper = true) is off for alpha = beta = 1/2 at small x (relative error 8e-12 at
   * x = 2.5e-12), while its lower tail is accurate everywhere we checked, so: I_{1-x}(beta, alpha)
   * when 1 - x is exact (x >= 1/2), 1 - I_x when that is at least 1/2, and the upper tail otherwise.
   */
  sf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 1;
    if (x >= 1) return 0;
    if (x >= 0.5) return betaIncLower(1 - x, this.beta, this.alpha);
    const lower = betainc(x, this.alpha, this.beta);
    return lower <= 0.5 ? 1 - lower : betaIncUpperSmallX(x, this.alpha, this.beta);
  }

  /**
   * Inverts the lower tail below the median, the upper tail (at the exact 1 - p) above it.
   * stdlib's betaincinv is the start; it is good to about 1e-14 for moderate p but not in the far
   * tails with larger parameters (beta(30, 30) at p = 1e-300: 3e-9 relative; beta(500, 30): 7e-2),
   * so a few Newton steps on log I_x against log x (or against log(1 - x) near 1, which is where
   * the digits are) finish the job with the accurate cdf and sf above.
   */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    if (p === 0) return 0;
    if (p === 1) return 1;
    const upper = p > 0.5;
    const tail = upper ? 1 - p : p;
    let x = betaincinv(tail, this.alpha, this.beta, upper);
    if (!(x > 0 && x < 1)) return x;
    const logTail = Math.log(tail);
    for (let i = 0; i < 50; i++) {
      const f = upper ? this.sf(x) : this.cdf(x);
      if (!(f > 0)) break;
      const nearOne = x > 0.5;
      const y = nearOne ? 1 - x : x;
      // d log F / d log y, with F the tail being inverted and y = x or 1 - x.
      const sign = (upper ? -1 : 1) * (nearOne ? -1 : 1);
      const slope = (sign * y * Math.exp(this.logPdf(x))) / f;
      const step = Math.max(-1, Math.min(1, (Math.log(f) - logTail) / slope));
      if (!Number.isFinite(step)) break;
      const yNext = y * Math.exp(-step);
      const next = nearOne ? 1 - yNext : yNext;
      if (!(next > 0 && next < 1)) break;
      x = next;
      if (Math.abs(step) < 1e-15) break;
    }
    return x;
  }

  /**
   * X = G_a / (G_a + G_b) for independent Gamma(alpha, 1) and Gamma(beta, 1), formed from their logs
   * as 1 / (1 + e^{log G_b - log G_a}): with a small alpha or beta the gamma variates themselves
   * underflow to 0 (shape 1e-3 gives values like 1e-300), their logs do not.
   */
  sample(rng: Rng): number {
    const la = rng.logGamma(this.alpha);
    return 1 / (1 + Math.exp(rng.logGamma(this.beta) - la));
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { alpha, beta } = this;
    for (let i = 0; i < out.length; i++) {
      const la = rng.logGamma(alpha);
      out[i] = 1 / (1 + Math.exp(rng.logGamma(beta) - la));
    }
  }

  mean(): number {
    return this.alpha / (this.alpha + this.beta);
  }

  variance(): number {
    const { alpha, beta } = this;
    const s = alpha + beta;
    return ((alpha / s) * (beta / s)) / (s + 1);
  }

  entropy(): number {
    const { alpha, beta } = this;
    return (
      this.logB -
      (alpha - 1) * digamma(alpha) -
      (beta - 1) * digamma(beta) +
      (alpha + beta - 2) * digamma(alpha + beta)
    );
  }
}

/** The log density at an end whose exponent is `a - 1`: +inf for a < 1, -inf for a > 1, finite at a = 1. */
function edge(a: number, logB: number): number {
  if (a < 1) return Infinity;
  if (a > 1) return -Infinity;
  return -logB;
}

export const betaFamily: FamilyDef = {
  name: 'beta',
  kind: 'continuous',
  description: 'Beta(alpha, beta) on (0, 1): density x^(alpha-1) (1-x)^(beta-1) / B(alpha, beta).',
  params: [
    { name: 'alpha', type: 'number', constraint: `> 0 and <= ${MAX_BETA_PARAMETER}` },
    { name: 'beta', type: 'number', constraint: `> 0 and <= ${MAX_BETA_PARAMETER}` },
  ],
  support: '(0, 1)',
  create(spec) {
    const why = 'beyond it the incomplete beta loses accuracy';
    const alpha = requirePositiveAtMost(requireNumber(spec, 'alpha'), 'alpha', MAX_BETA_PARAMETER, why);
    const beta = requirePositiveAtMost(requireNumber(spec, 'beta'), 'beta', MAX_BETA_PARAMETER, why);
    return new Beta(alpha, beta);
  },
};
