import gamma from '@stdlib/math-base-special-gamma';
import type { Rng } from '../rng/index.js';
import { requireNumber, requirePositive } from './base.js';
import { EULER_GAMMA, isProbability, weibullVarianceFactor } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Weibull(shape k, scale lambda) on [0, inf): P(X > x) = exp(-(x / lambda)^k). */
export class Weibull implements UnivariateDistribution {
  readonly family = 'weibull';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: 0, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logNorm: number;
  private readonly invShape: number;

  constructor(
    readonly shape: number,
    readonly scale: number,
  ) {
    this.spec = { family: 'weibull', shape, scale };
    this.logNorm = Math.log(shape) - Math.log(scale);
    this.invShape = 1 / shape;
  }

  logPdf(x: number): number {
    if (!(x > 0)) {
      if (x === 0) return this.shape < 1 ? Infinity : this.shape === 1 ? this.logNorm : -Infinity;
      return Number.isNaN(x) ? Number.NaN : -Infinity;
    }
    if (x === Infinity) return -Infinity;
    const z = x / this.scale;
    return this.logNorm + (this.shape - 1) * Math.log(z) - z ** this.shape;
  }

  /** 1 - exp(-(x / lambda)^k) by expm1, so that a small x keeps its digits. */
  cdf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 0;
    return -Math.expm1(-((x / this.scale) ** this.shape));
  }

  sf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 1;
    return Math.exp(-((x / this.scale) ** this.shape));
  }

  /**
   * lambda (-log(1 - p))^{1/k}, with log1p(-p) below the median and log of the exact 1 - p above it.
   * (stdlib computes log(1 - p) throughout, so for p = 1e-12 the rounding of 1 - p leaves 4 digits.)
   */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    const e = p <= 0.5 ? -Math.log1p(-p) : -Math.log(1 - p);
    return this.scale * e ** this.invShape;
  }

  /** Inverse transform: lambda (-log U)^{1/k} with U uniform on (0, 1) (U and 1 - U have one law). */
  sample(rng: Rng): number {
    return this.scale * (-Math.log(rng.uniformOpen())) ** this.invShape;
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { scale, invShape } = this;
    for (let i = 0; i < out.length; i++) out[i] = scale * (-Math.log(rng.uniformOpen())) ** invShape;
  }

  mean(): number {
    return this.scale * gamma(1 + this.invShape);
  }

  /** lambda^2 [Gamma(1 + 2/k) - Gamma(1 + 1/k)^2], the bracket by a series for large k (see the helper). */
  variance(): number {
    return this.scale * this.scale * weibullVarianceFactor(this.invShape);
  }

  entropy(): number {
    return EULER_GAMMA * (1 - this.invShape) - this.logNorm + 1;
  }
}

export const weibullFamily: FamilyDef = {
  name: 'weibull',
  kind: 'continuous',
  description: 'Weibull(shape k, scale lambda): P(X > x) = exp(-(x / lambda)^k) for x >= 0.',
  params: [
    { name: 'shape', type: 'number', constraint: '> 0' },
    { name: 'scale', type: 'number', constraint: '> 0' },
  ],
  support: '[0, inf)',
  create(spec) {
    const shape = requirePositive(requireNumber(spec, 'shape'), 'shape');
    const scale = requirePositive(requireNumber(spec, 'scale'), 'scale');
    return new Weibull(shape, scale);
  },
};
