import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import { requireFinite, requireNumber } from './base.js';
import { isProbability } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * Uniform on [low, high]. The width high - low can overflow (low = -1e308, high = 1e308 are valid
 * inputs), so the code works with the half-width, which never does.
 */
export class Uniform implements UnivariateDistribution {
  readonly family = 'uniform';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support: { lower: number; upper: number };
  readonly spec: DistributionSpec;
  private readonly half: number;
  private readonly logWidth: number;

  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    this.support = { lower: low, upper: high };
    this.spec = { family: 'uniform', low, high };
    this.half = 0.5 * high - 0.5 * low;
    this.logWidth = Math.log(this.half) + Math.LN2;
  }

  logPdf(x: number): number {
    if (x >= this.low && x <= this.high) return -this.logWidth;
    return Number.isNaN(x) ? Number.NaN : -Infinity;
  }

  cdf(x: number): number {
    if (x <= this.low) return 0;
    if (x >= this.high) return 1;
    return (0.5 * x - 0.5 * this.low) / this.half;
  }

  sf(x: number): number {
    if (x <= this.low) return 1;
    if (x >= this.high) return 0;
    return (0.5 * this.high - 0.5 * x) / this.half;
  }

  /** From the nearer end, so that p close to 1 keeps its digits as 1 - p. */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    if (p === 0) return this.low;
    if (p === 1) return this.high;
    const x = p <= 0.5 ? this.low + 2 * p * this.half : this.high - 2 * (1 - p) * this.half;
    return Math.min(Math.max(x, this.low), this.high);
  }

  sample(rng: Rng): number {
    return this.at(rng.uniform());
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { low, high } = this;
    const width = high - low;
    if (Number.isFinite(width)) {
      for (let i = 0; i < out.length; i++) out[i] = Math.min(low + width * rng.uniform(), high);
    } else {
      for (let i = 0; i < out.length; i++) out[i] = this.at(rng.uniform());
    }
  }

  /** low + (high - low) u for u in [0, 1), kept inside [low, high] and safe from overflow. */
  private at(u: number): number {
    const { low, high } = this;
    const width = high - low;
    const x = Number.isFinite(width) ? low + width * u : low * (1 - u) + high * u;
    return Math.min(x, high);
  }

  mean(): number {
    return 0.5 * this.low + 0.5 * this.high;
  }

  variance(): number {
    return (this.half * this.half) / 3;
  }

  entropy(): number {
    return this.logWidth;
  }
}

export const uniformFamily: FamilyDef = {
  name: 'uniform',
  kind: 'continuous',
  description: 'Uniform on [low, high].',
  params: [
    { name: 'low', type: 'number', constraint: 'finite' },
    { name: 'high', type: 'number', constraint: 'finite, > low' },
  ],
  support: '[low, high]',
  create(spec) {
    const low = requireFinite(requireNumber(spec, 'low'), 'low');
    const high = requireFinite(requireNumber(spec, 'high'), 'high');
    if (!(low < high)) invalid('high', `must be greater than low (got low = ${low}, high = ${high})`);
    return new Uniform(low, high);
  },
};
