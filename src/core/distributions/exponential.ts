import type { Rng } from '../rng/index.js';
import { requireNumber, requirePositive } from './base.js';
import { isProbability } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Exponential with the given rate (mean 1 / rate), on [0, inf). */
export class Exponential implements UnivariateDistribution {
  readonly family = 'exponential';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: 0, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logRate: number;

  constructor(readonly rate: number) {
    this.spec = { family: 'exponential', rate };
    this.logRate = Math.log(rate);
  }

  logPdf(x: number): number {
    if (x >= 0) return this.logRate - this.rate * x;
    return Number.isNaN(x) ? Number.NaN : -Infinity;
  }

  /** 1 - e^{-rate x} by expm1, so that a small x keeps its digits. */
  cdf(x: number): number {
    if (x > 0) return -Math.expm1(-this.rate * x);
    return Number.isNaN(x) ? Number.NaN : 0;
  }

  sf(x: number): number {
    if (x > 0) return Math.exp(-this.rate * x);
    return Number.isNaN(x) ? Number.NaN : 1;
  }

  /** -log(1 - p) / rate: log1p(-p) below the median, log of the exact 1 - p above it. */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    return (p <= 0.5 ? -Math.log1p(-p) : -Math.log(1 - p)) / this.rate;
  }

  sample(rng: Rng): number {
    return rng.exponential() / this.rate;
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const rate = this.rate;
    for (let i = 0; i < out.length; i++) out[i] = rng.exponential() / rate;
  }

  mean(): number {
    return 1 / this.rate;
  }

  variance(): number {
    return 1 / (this.rate * this.rate);
  }

  entropy(): number {
    return 1 - this.logRate;
  }
}

export const exponentialFamily: FamilyDef = {
  name: 'exponential',
  kind: 'continuous',
  description: 'Exponential with rate `rate` (mean 1 / rate).',
  params: [{ name: 'rate', type: 'number', constraint: '> 0' }],
  support: '[0, inf)',
  create(spec) {
    return new Exponential(requirePositive(requireNumber(spec, 'rate'), 'rate'));
  },
};
