import type { Rng } from '../rng/index.js';
import { requireNumber, requireProbability } from './base.js';
import { discreteQuantile } from './discrete-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Bernoulli(p) on {0, 1}: P(X = 1) = p. p = 0 and p = 1 are allowed (point masses). */
export class Bernoulli implements UnivariateDistribution {
  readonly family = 'bernoulli';
  readonly kind = 'discrete';
  readonly dim = 1;
  readonly support = { lower: 0, upper: 1 };
  private readonly q: number;
  private readonly logP: number;
  private readonly logQ: number;

  constructor(
    readonly p: number,
    readonly spec: DistributionSpec = { family: 'bernoulli', p },
  ) {
    this.q = 1 - p;
    this.logP = Math.log(p);
    this.logQ = Math.log1p(-p);
  }

  logPdf(x: number): number {
    if (x === 0) return this.logQ;
    if (x === 1) return this.logP;
    return Number.isNaN(x) ? Number.NaN : -Infinity;
  }

  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (x < 0) return 0;
    return x < 1 ? this.q : 1;
  }

  sf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (x < 0) return 1;
    return x < 1 ? this.p : 0;
  }

  quantile(p: number): number {
    return discreteQuantile(
      p,
      0,
      1,
      (k) => this.cdf(k),
      (k) => this.sf(k),
      0,
    );
  }

  /** 1 with probability p: u < p for u uniform on [0, 1) (never 1 when p = 0, always when p = 1). */
  sample(rng: Rng): number {
    return rng.uniform() < this.p ? 1 : 0;
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const p = this.p;
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < p ? 1 : 0;
  }

  mean(): number {
    return this.p;
  }

  variance(): number {
    return this.p * this.q;
  }

  /** -p log p - q log q, with 0 log 0 = 0. */
  entropy(): number {
    const a = this.p > 0 ? -this.p * this.logP : 0;
    const b = this.q > 0 ? -this.q * this.logQ : 0;
    return a + b;
  }
}

export const bernoulliFamily: FamilyDef = {
  name: 'bernoulli',
  kind: 'discrete',
  description: 'Bernoulli(p) on {0, 1}: 1 ("success") with probability p.',
  params: [{ name: 'p', type: 'number', constraint: 'in [0, 1]' }],
  support: '{0, 1}',
  create(spec) {
    const p = requireProbability(requireNumber(spec, 'p'), 'p');
    return new Bernoulli(p, { family: 'bernoulli', p });
  },
};
