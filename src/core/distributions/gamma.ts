import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import { requireNumber, requirePositive, requirePositiveAtMost } from './base.js';

/** Largest shape: see requirePositiveAtMost. */
export const MAX_GAMMA_SHAPE = 1e12;

import {
  gammaIncInv,
  gammaP,
  gammaQ,
  HALF_LOG_2PI,
  isProbability,
  logGammaPrefix,
} from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * Gamma(shape k, rate b), density b^k x^{k-1} e^{-b x} / Gamma(k) on (0, inf). Built from either a
 * rate or a scale = 1 / rate; x is standardised with the parameter the client gave (x * rate or
 * x / scale), so no rounded reciprocal enters.
 */
export class Gamma implements UnivariateDistribution {
  readonly family = 'gamma';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: 0, upper: Infinity };
  readonly spec: DistributionSpec;
  /** The rate, or the scale when `byScale`. */
  private readonly param: number;
  private readonly byScale: boolean;
  private readonly logRate: number;

  constructor(
    readonly shape: number,
    by: { rate: number } | { scale: number },
  ) {
    this.byScale = 'scale' in by;
    this.param = 'scale' in by ? by.scale : by.rate;
    this.spec =
      'scale' in by ? { family: 'gamma', shape, scale: by.scale } : { family: 'gamma', shape, rate: by.rate };
    this.logRate = this.byScale ? -Math.log(this.param) : Math.log(this.param);
  }

  get rate(): number {
    return this.byScale ? 1 / this.param : this.param;
  }

  get scale(): number {
    return this.byScale ? this.param : 1 / this.param;
  }

  /** x in units of the scale: x * rate or x / scale. */
  private std(x: number): number {
    return this.byScale ? x / this.param : x * this.param;
  }

  /** To x from the standard Gamma(k, 1) variate z. */
  private unstd(z: number): number {
    return this.byScale ? z * this.param : z / this.param;
  }

  logPdf(x: number): number {
    if (!(x > 0)) {
      if (x === 0) return this.shape < 1 ? Infinity : this.shape === 1 ? this.logRate : -Infinity;
      return Number.isNaN(x) ? Number.NaN : -Infinity;
    }
    if (x === Infinity) return -Infinity;
    // log(z^k e^-z / Gamma(k)) - log z + log(rate), the first term kept accurate for a large shape.
    const z = this.std(x);
    return logGammaPrefix(this.shape, z) - Math.log(z) + this.logRate;
  }

  /** The regularised lower incomplete gamma P(k, x / scale) (our own: stdlib's is off for k > 200). */
  cdf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 0;
    return gammaP(this.shape, this.std(x));
  }

  /** The regularised upper incomplete gamma Q(k, x / scale), computed directly (not 1 - P). */
  sf(x: number): number {
    if (!(x > 0)) return Number.isNaN(x) ? Number.NaN : 1;
    return gammaQ(this.shape, this.std(x));
  }

  /** Inverts P below the median and Q (at the exact 1 - p) above it. */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    return this.unstd(p <= 0.5 ? gammaIncInv(this.shape, p, false) : gammaIncInv(this.shape, 1 - p, true));
  }

  sample(rng: Rng): number {
    return this.unstd(rng.gamma(this.shape));
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { shape, param } = this;
    if (this.byScale) {
      for (let i = 0; i < out.length; i++) out[i] = rng.gamma(shape) * param;
    } else {
      for (let i = 0; i < out.length; i++) out[i] = rng.gamma(shape) / param;
    }
  }

  mean(): number {
    return this.unstd(this.shape);
  }

  variance(): number {
    return this.unstd(this.unstd(this.shape));
  }

  /**
   * k - log(rate) + log Gamma(k) + (1 - k) digamma(k). For large k the terms are ~k log k and cancel
   * to ~0.5 log k, so from k = 250 on it uses the Stirling expansion of the sum (scipy's, with one
   * more term): (1 + log(2 pi k)) / 2 - 1/(3k) - 1/(12k^2) - 1/(90k^3) + 1/(120k^4) + 1/(210k^5),
   * whose omitted terms are below 1e-17 there.
   */
  entropy(): number {
    const k = this.shape;
    if (k < 250) return k - this.logRate + gammaln(k) + (1 - k) * digamma(k);
    const r = 1 / k;
    return (
      0.5 +
      HALF_LOG_2PI +
      0.5 * Math.log(k) -
      this.logRate -
      r * (1 / 3 + r * (1 / 12 + r * (1 / 90 - r * (1 / 120 + r / 210))))
    );
  }
}

export const gammaFamily: FamilyDef = {
  name: 'gamma',
  kind: 'continuous',
  description:
    'Gamma(shape, rate): density rate^shape x^(shape-1) e^(-rate x) / Gamma(shape). Give exactly one of rate or scale = 1 / rate.',
  params: [
    { name: 'shape', type: 'number', constraint: `> 0 and <= ${MAX_GAMMA_SHAPE}` },
    { name: 'rate', type: 'number', constraint: '> 0; exactly one of rate or scale', optional: true },
    { name: 'scale', type: 'number', constraint: '> 0; exactly one of rate or scale', optional: true },
  ],
  support: '(0, inf)',
  create(spec) {
    const shape = requirePositiveAtMost(
      requireNumber(spec, 'shape'),
      'shape',
      MAX_GAMMA_SHAPE,
      'beyond it the incomplete gamma takes too long to evaluate',
    );
    const hasRate = spec.rate !== undefined;
    const hasScale = spec.scale !== undefined;
    if (hasRate === hasScale) {
      invalid(hasRate ? 'scale' : 'rate', 'give exactly one of rate or scale');
    }
    return hasRate
      ? new Gamma(shape, { rate: requirePositive(requireNumber(spec, 'rate'), 'rate') })
      : new Gamma(shape, { scale: requirePositive(requireNumber(spec, 'scale'), 'scale') });
  },
};
