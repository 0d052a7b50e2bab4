import type { Rng } from '../rng/index.js';
import { requireFinite, requireNumber, requirePositive } from './base.js';
import { HALF_LOG_2PI, stdNormalCdf, stdNormalQuantile, stdNormalSf } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** log X ~ N(mu, sigma^2): mu and sigma are the mean and standard deviation of log X. */
export class Lognormal implements UnivariateDistribution {
  readonly family = 'lognormal';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: 0, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logSigma: number;

  constructor(
    readonly mu: number,
    readonly sigma: number,
  ) {
    this.spec = { family: 'lognormal', mu, sigma };
    this.logSigma = Math.log(sigma);
  }

  logPdf(x: number): number {
    if (!(x > 0)) return x <= 0 ? -Infinity : Number.NaN;
    if (x === Infinity) return -Infinity;
    const logX = Math.log(x);
    const z = (logX - this.mu) / this.sigma;
    return -0.5 * z * z - logX - this.logSigma - HALF_LOG_2PI;
  }

  cdf(x: number): number {
    if (!(x > 0)) return x <= 0 ? 0 : Number.NaN;
    return stdNormalCdf((Math.log(x) - this.mu) / this.sigma);
  }

  sf(x: number): number {
    if (!(x > 0)) return x <= 0 ? 1 : Number.NaN;
    return stdNormalSf((Math.log(x) - this.mu) / this.sigma);
  }

  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * stdNormalQuantile(p));
  }

  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * rng.normal());
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { mu, sigma } = this;
    for (let i = 0; i < out.length; i++) out[i] = Math.exp(mu + sigma * rng.normal());
  }

  mean(): number {
    return Math.exp(this.mu + 0.5 * this.sigma * this.sigma);
  }

  /** (e^{sigma^2} - 1) e^{2 mu + sigma^2}, with expm1 so that a small sigma keeps its digits. */
  variance(): number {
    const s2 = this.sigma * this.sigma;
    return Math.expm1(s2) * Math.exp(2 * this.mu + s2);
  }

  entropy(): number {
    return this.mu + 0.5 + HALF_LOG_2PI + this.logSigma;
  }
}

export const lognormalFamily: FamilyDef = {
  name: 'lognormal',
  kind: 'continuous',
  description: 'Lognormal: log x ~ N(mu, sigma^2), so mu and sigma are the mean and std of log x.',
  params: [
    { name: 'mu', type: 'number', constraint: 'finite' },
    { name: 'sigma', type: 'number', constraint: '> 0' },
  ],
  support: '(0, inf)',
  create(spec) {
    const mu = requireFinite(requireNumber(spec, 'mu'), 'mu');
    const sigma = requirePositive(requireNumber(spec, 'sigma'), 'sigma');
    return new Lognormal(mu, sigma);
  },
};
