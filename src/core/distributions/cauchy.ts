import type { Rng } from '../rng/index.js';
import { requireFinite, requireNumber, requirePositive } from './base.js';
import { isProbability, LOG_PI, log1pSquare } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * The standard Cauchy quantile tan(pi (p - 1/2)), written so that both tails keep their digits
 * (stdlib's form is the plain tan, which at p = 1e-12 evaluates tan near -pi/2, where the rounding
 * of pi (p - 1/2) costs about 4 digits, and beyond about p = 1e-16 it cannot resolve the tail at all):
 * -1 / tan(pi p) for p < 1/4, 1 / tan(pi (1 - p)) for p > 3/4, the tan in between (p - 1/2 is exact).
 */
function stdQuantile(p: number): number {
  if (p < 0.25) return -1 / Math.tan(Math.PI * p);
  if (p > 0.75) return 1 / Math.tan(Math.PI * (1 - p));
  return Math.tan(Math.PI * (p - 0.5));
}

/** Cauchy (Lorentz) with location loc and scale (half width at half maximum) scale. No mean or variance. */
export class Cauchy implements UnivariateDistribution {
  readonly family = 'cauchy';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: -Infinity, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logNorm: number;

  constructor(
    readonly loc: number,
    readonly scale: number,
  ) {
    this.spec = { family: 'cauchy', loc, scale };
    this.logNorm = -(LOG_PI + Math.log(scale));
  }

  logPdf(x: number): number {
    const z = (x - this.loc) / this.scale;
    if (!Number.isFinite(z)) return Number.isNaN(z) ? Number.NaN : -Infinity;
    return this.logNorm - log1pSquare(z);
  }

  /** atan2(1, -z) / pi: equal to 1/2 + atan(z) / pi, but without the cancellation in the lower tail. */
  cdf(x: number): number {
    return Math.atan2(1, -(x - this.loc) / this.scale) / Math.PI;
  }

  sf(x: number): number {
    return Math.atan2(1, (x - this.loc) / this.scale) / Math.PI;
  }

  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    return this.loc + this.scale * stdQuantile(p);
  }

  /** Inverse transform of a uniform on the open interval (0, 1). */
  sample(rng: Rng): number {
    return this.loc + this.scale * stdQuantile(rng.uniformOpen());
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { loc, scale } = this;
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * stdQuantile(rng.uniformOpen());
  }

  /** The mean does not exist: NaN, never a number. */
  mean(): number {
    return Number.NaN;
  }

  /** The variance does not exist either. */
  variance(): number {
    return Number.NaN;
  }

  entropy(): number {
    return Math.log(4 * Math.PI) + Math.log(this.scale);
  }
}

export const cauchyFamily: FamilyDef = {
  name: 'cauchy',
  kind: 'continuous',
  description:
    'Cauchy with location loc and scale scale: density 1 / (pi scale (1 + ((x - loc) / scale)^2)). It has no mean and no variance.',
  params: [
    { name: 'loc', type: 'number', constraint: 'finite' },
    { name: 'scale', type: 'number', constraint: '> 0' },
  ],
  support: '(-inf, inf)',
  create(spec) {
    const loc = requireFinite(requireNumber(spec, 'loc'), 'loc');
    const scale = requirePositive(requireNumber(spec, 'scale'), 'scale');
    return new Cauchy(loc, scale);
  },
};
