import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import { requireNumber } from './base.js';
import { discreteQuantile, inIntegerSupport } from './discrete-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * Geometric(p) on {1, 2, ...}: the number of trials up to and including the first success, so
 * P(X = k) = (1 - p)^(k - 1) p and P(X > k) = (1 - p)^k. (stdlib and scipy's `nbinom` count the
 * failures instead, on {0, 1, ...}; scipy.stats.geom agrees with this one.)
 */
export class Geometric implements UnivariateDistribution {
  readonly family = 'geometric';
  readonly kind = 'discrete';
  readonly dim = 1;
  readonly support = { lower: 1, upper: Infinity };
  /** log(1 - p): -Infinity when p = 1. */
  private readonly log1mp: number;
  private readonly logP: number;

  constructor(
    readonly p: number,
    readonly spec: DistributionSpec = { family: 'geometric', p },
  ) {
    this.log1mp = Math.log1p(-p);
    this.logP = Math.log(p);
  }

  logPdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (!inIntegerSupport(x, 1, Infinity)) return -Infinity;
    if (x === 1) return this.logP;
    return (x - 1) * this.log1mp + this.logP;
  }

  /** P(X <= k) = 1 - (1 - p)^k, as -expm1(k log(1 - p)) for accuracy at small p. */
  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 1) return 0;
    return -Math.expm1(k * this.log1mp);
  }

  sf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 1) return 1;
    return Math.exp(k * this.log1mp);
  }

  /** Closed form ceil(log(1 - u) / log(1 - p)), checked (and nudged) by the exact integer search. */
  quantile(p: number): number {
    const guess = this.p === 1 ? 1 : Math.ceil(Math.log1p(-p) / this.log1mp);
    return discreteQuantile(
      p,
      1,
      Infinity,
      (k) => this.cdf(k),
      (k) => this.sf(k),
      guess,
    );
  }

  /** Inversion: X = ceil(log(u) / log(1 - p)) for u uniform on (0, 1), since P(X > k) = P(u < (1 - p)^k). */
  sample(rng: Rng): number {
    const k = Math.ceil(Math.log(rng.uniformOpen()) / this.log1mp);
    return Math.max(k, 1);
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const l = this.log1mp;
    for (let i = 0; i < out.length; i++) {
      const k = Math.ceil(Math.log(rng.uniformOpen()) / l);
      out[i] = Math.max(k, 1);
    }
  }

  mean(): number {
    return 1 / this.p;
  }

  variance(): number {
    return (1 - this.p) / (this.p * this.p);
  }

  /** H = (-(1 - p) log(1 - p) - p log p) / p, in closed form (0 for p = 1). */
  entropy(): number {
    const { p } = this;
    if (p === 1) return 0;
    return (-(1 - p) * this.log1mp - p * this.logP) / p;
  }
}

export const geometricFamily: FamilyDef = {
  name: 'geometric',
  kind: 'discrete',
  description: 'Geometric(p) on {1, 2, ...}: the number of trials up to and including the first success.',
  params: [{ name: 'p', type: 'number', constraint: 'in (0, 1]' }],
  support: '{1, 2, 3, ...}',
  create(spec) {
    const p = requireNumber(spec, 'p');
    if (!(p > 0 && p <= 1)) invalid('p', `must be a probability in (0, 1] (got ${p})`);
    return new Geometric(p, { family: 'geometric', p });
  },
};
