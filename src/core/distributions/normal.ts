import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import { requireFinite, requireNumber, requirePositive } from './base.js';
import { HALF_LOG_2PI, stdNormalCdf, stdNormalQuantile, stdNormalSf } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** N(mean, variance): the lecture's convention, the second argument is the variance. */
export class Normal implements UnivariateDistribution {
  readonly family = 'normal';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: -Infinity, upper: Infinity };
  private readonly logStd: number;

  constructor(
    readonly mu: number,
    readonly sigma: number,
    readonly spec: DistributionSpec = { family: 'normal', mean: mu, std: sigma },
  ) {
    this.logStd = Math.log(sigma);
  }

  logPdf(x: number): number {
    const z = (x - this.mu) / this.sigma;
    return -0.5 * z * z - this.logStd - HALF_LOG_2PI;
  }

  cdf(x: number): number {
    return stdNormalCdf((x - this.mu) / this.sigma);
  }

  /** Through erfc of the upper tail: reflecting x about the mean would round 2 * mean - x. */
  sf(x: number): number {
    return stdNormalSf((x - this.mu) / this.sigma);
  }

  /** Accurate at p = 1e-12 and 1 - 1e-12 (stdlib's erfinv(2p - 1) is not: see stdNormalQuantile). */
  quantile(p: number): number {
    return this.mu + this.sigma * stdNormalQuantile(p);
  }

  /** The reparameterised draw z = mean + std * eps: eps is scaled by the standard deviation. */
  sample(rng: Rng): number {
    return this.mu + this.sigma * rng.normal();
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { mu, sigma } = this;
    for (let i = 0; i < out.length; i++) out[i] = mu + sigma * rng.normal();
  }

  mean(): number {
    return this.mu;
  }

  variance(): number {
    return this.sigma * this.sigma;
  }

  entropy(): number {
    return 0.5 + HALF_LOG_2PI + this.logStd;
  }
}

export const normalFamily: FamilyDef = {
  name: 'normal',
  kind: 'continuous',
  description:
    'N(mean, variance). Give exactly one of std or variance; the second argument of N is the variance.',
  params: [
    { name: 'mean', type: 'number', constraint: 'finite' },
    { name: 'std', type: 'number', constraint: '> 0; exactly one of std or variance', optional: true },
    { name: 'variance', type: 'number', constraint: '> 0; exactly one of std or variance', optional: true },
  ],
  support: '(-inf, inf)',
  create(spec) {
    const mean = requireFinite(requireNumber(spec, 'mean'), 'mean');
    const hasStd = spec.std !== undefined;
    const hasVar = spec.variance !== undefined;
    if (hasStd === hasVar) {
      invalid(hasStd ? 'variance' : 'std', 'give exactly one of std or variance');
    }
    const sigma = hasStd
      ? requirePositive(requireNumber(spec, 'std'), 'std')
      : Math.sqrt(requirePositive(requireNumber(spec, 'variance'), 'variance'));
    const canonical = hasStd
      ? { family: 'normal', mean, std: sigma }
      : { family: 'normal', mean, variance: spec.variance as number };
    return new Normal(mean, sigma, canonical);
  },
};
