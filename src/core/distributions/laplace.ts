import type { Rng } from '../rng/index.js';
import { requireFinite, requireNumber, requirePositive } from './base.js';
import { isProbability } from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** The standard Laplace quantile, from the nearer tail: log(2p), or -log(2(1 - p)) with 1 - p exact. */
function stdQuantile(p: number): number {
  return p < 0.5 ? Math.log(2 * p) : -Math.log(2 * (1 - p));
}

/** Laplace (double exponential): density exp(-|x - loc| / scale) / (2 scale). */
export class Laplace implements UnivariateDistribution {
  readonly family = 'laplace';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: -Infinity, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logNorm: number;

  constructor(
    readonly loc: number,
    readonly scale: number,
  ) {
    this.spec = { family: 'laplace', loc, scale };
    this.logNorm = -(Math.LN2 + Math.log(scale));
  }

  logPdf(x: number): number {
    return this.logNorm - Math.abs(x - this.loc) / this.scale;
  }

  /** e^z / 2 below loc, 1 - e^{-z} / 2 above: the exponential keeps the lower tail's digits. */
  cdf(x: number): number {
    const z = (x - this.loc) / this.scale;
    return z <= 0 ? 0.5 * Math.exp(z) : 1 - 0.5 * Math.exp(-z);
  }

  sf(x: number): number {
    const z = (x - this.loc) / this.scale;
    return z >= 0 ? 0.5 * Math.exp(-z) : 1 - 0.5 * Math.exp(z);
  }

  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    return this.loc + this.scale * stdQuantile(p);
  }

  /** Inverse transform of a uniform on the open interval (0, 1), so both logs are finite. */
  sample(rng: Rng): number {
    return this.loc + this.scale * stdQuantile(rng.uniformOpen());
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { loc, scale } = this;
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * stdQuantile(rng.uniformOpen());
  }

  mean(): number {
    return this.loc;
  }

  variance(): number {
    return 2 * this.scale * this.scale;
  }

  entropy(): number {
    return 1 - this.logNorm;
  }
}

export const laplaceFamily: FamilyDef = {
  name: 'laplace',
  kind: 'continuous',
  description: 'Laplace (double exponential): density exp(-|x - loc| / scale) / (2 scale).',
  params: [
    { name: 'loc', type: 'number', constraint: 'finite' },
    { name: 'scale', type: 'number', constraint: '> 0' },
  ],
  support: '(-inf, inf)',
  create(spec) {
    const loc = requireFinite(requireNumber(spec, 'loc'), 'loc');
    const scale = requirePositive(requireNumber(spec, 'scale'), 'scale');
    return new Laplace(loc, scale);
  },
};
