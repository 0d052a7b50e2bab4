import type { Rng } from '../rng/index.js';
import { requireNumber, requirePositiveAtMost } from './base.js';

/** Largest rate: its cdf is an incomplete gamma of shape ~rate (see MAX_GAMMA_SHAPE). */
export const MAX_POISSON_RATE = 1e12;

import {
  cornishFisherGuess,
  discreteQuantile,
  entropyBySummation,
  eulerMaclaurinTail,
  inIntegerSupport,
  logPoissonPmf,
  logPoissonPmfNear,
  tailSum,
} from './discrete-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Below this rate the sampler inverts the cdf by sequential search; from it on, PTRS. */
const PTRS_LIMIT = 10;
/** Up to this rate the cdf and sf are sums of the masses; beyond, Euler-Maclaurin (see cdf). */
const TAIL_SUM_LIMIT = 1e7;
/** Above this rate the entropy uses its asymptotic expansion instead of a sum over the support. */
const ENTROPY_SUM_LIMIT = 1e4;

/** Poisson(rate) on {0, 1, ...}. */
export class Poisson implements UnivariateDistribution {
  readonly family = 'poisson';
  readonly kind = 'discrete';
  readonly dim = 1;
  readonly support = { lower: 0, upper: Infinity };
  private readonly expMinusRate: number;
  private readonly bound: number;
  // PTRS constants (Hörmann 1993).
  private readonly a: number;
  private readonly b: number;
  private readonly logInvAlpha: number;
  private readonly vr: number;
  private cachedEntropy: number | undefined;

  constructor(
    readonly rate: number,
    readonly spec: DistributionSpec = { family: 'poisson', rate },
  ) {
    this.expMinusRate = Math.exp(-rate);
    this.bound = Math.ceil(rate + 40 * Math.sqrt(rate) + 40);
    const slam = Math.sqrt(rate);
    this.b = 0.931 + 2.53 * slam;
    this.a = -0.059 + 0.02483 * this.b;
    this.logInvAlpha = Math.log(1.1239 + 1.1328 / (this.b - 3.4));
    this.vr = 0.9277 - 3.6224 / (this.b - 2);
  }

  logPdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (!inIntegerSupport(x, 0, Infinity)) return -Infinity;
    return logPoissonPmf(x, this.rate);
  }

  /**
   * P(X <= k). Below the mean, the sum of the masses from k down (each term k/rate of the one
   * above, so it converges geometrically): accurate to ~1e-14 relative even at 1e-300. At and above
   * the mean, 1 - sf(k), which is then at least about 1/2. The masses come from Loader's log mass.
   * For rate > 1e7, where the sum would take more than ~3e4 terms, the same tails by the
   * Euler-Maclaurin formula (eulerMaclaurinTail), equally accurate and O(1) in the rate.
   * (stdlib's incomplete gamma function is not used: at arguments above ~1e4 it is wrong in the
   * third digit in the version installed here.)
   */
  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 0;
    if (k === Infinity) return 1;
    return k < this.rate ? this.lowerTail(k) : 1 - this.upperTail(k);
  }

  /** P(X > k): the sum of the masses from k + 1 up above the mean, 1 - cdf(k) below it. */
  sf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 1;
    if (k === Infinity) return 0;
    return k < this.rate ? 1 - this.lowerTail(k) : this.upperTail(k);
  }

  /** sum_{j <= k} P(X = j), for k below the mean. */
  private lowerTail(k: number): number {
    const r = this.rate;
    if (r > TAIL_SUM_LIMIT && k > 0) return this.eulerMaclaurin(k, false);
    return tailSum(logPoissonPmf(k, r), (m) => (k - m + 1) / r, k);
  }

  /** sum_{j > k} P(X = j), for k at or above the mean. */
  private upperTail(k: number): number {
    const r = this.rate;
    if (r > TAIL_SUM_LIMIT) return this.eulerMaclaurin(k + 1, true);
    return tailSum(logPoissonPmf(k + 1, r), (m) => r / (k + 1 + m), 100 * Math.sqrt(r) + 1000);
  }

  /**
   * The tail from m by eulerMaclaurinTail, with (log f)' = log(rate) - psi(m + 1) and
   * (log f)'' = -psi'(m + 1), both to O(1/m^2).
   */
  private eulerMaclaurin(m: number, upper: boolean): number {
    const r = this.rate;
    const y = m + 0.5;
    return eulerMaclaurinTail(
      (t) => logPoissonPmfNear(m, t, r),
      -Math.log1p((y - r) / r),
      -1 / y,
      upper,
      Math.sqrt(r),
      upper ? Infinity : m,
    );
  }

  quantile(p: number): number {
    const sd = Math.sqrt(this.rate);
    return discreteQuantile(
      p,
      0,
      Infinity,
      (k) => this.cdf(k),
      (k) => this.sf(k),
      cornishFisherGuess(p, this.rate, sd, 1 / sd),
    );
  }

  /**
   * Exact sampling: for rate < 10, inversion by sequential search from 0; from 10 on, Hörmann's
   * PTRS transformed rejection (1993), with the acceptance test on the accurate (Loader) log mass.
   */
  sample(rng: Rng): number {
    return this.rate < PTRS_LIMIT ? this.sampleInversion(rng) : this.samplePtrs(rng);
  }

  private sampleInversion(rng: Rng): number {
    const { rate, expMinusRate, bound } = this;
    let x = 0;
    let px = expMinusRate;
    let u = rng.uniform();
    while (u > px) {
      x++;
      if (x > bound) {
        // Rounding left u above the summed masses: redraw.
        x = 0;
        px = expMinusRate;
        u = rng.uniform();
      } else {
        u -= px;
        px *= rate / x;
      }
    }
    return x;
  }

  private samplePtrs(rng: Rng): number {
    const { rate, a, b, logInvAlpha, vr } = this;
    for (;;) {
      const u = rng.uniform() - 0.5;
      const v = rng.uniformOpen();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + rate + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= logPoissonPmf(k, rate)) return k;
    }
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.sample(rng);
  }

  mean(): number {
    return this.rate;
  }

  variance(): number {
    return this.rate;
  }

  /**
   * Shannon entropy. For rate <= 1e4, the exact (compensated) sum over rate +- (40 sd + 40), which
   * leaves out mass below 1e-50. Beyond, the asymptotic expansion
   *   H = log(2 pi e rate) / 2 - 1/(12 rate) - 1/(24 rate^2) - 19/(360 rate^3) + O(rate^-4),
   * whose error there is below 1e-16: no loop over a support of millions of points.
   */
  entropy(): number {
    if (this.cachedEntropy !== undefined) return this.cachedEntropy;
    const r = this.rate;
    let h: number;
    if (r > ENTROPY_SUM_LIMIT) {
      const inv = 1 / r;
      h = 0.5 * Math.log(2 * Math.PI * Math.E * r) - inv * (1 / 12 + inv * (1 / 24 + (inv * 19) / 360));
    } else {
      const w = 40 * Math.sqrt(r) + 40;
      h = entropyBySummation((k) => logPoissonPmf(k, r), Math.max(0, Math.floor(r - w)), Math.ceil(r + w));
    }
    this.cachedEntropy = h;
    return h;
  }
}

export const poissonFamily: FamilyDef = {
  name: 'poisson',
  kind: 'discrete',
  description: 'Poisson(rate) on {0, 1, ...}: mean and variance both equal the rate.',
  params: [{ name: 'rate', type: 'number', constraint: `> 0 and <= ${MAX_POISSON_RATE}` }],
  support: '{0, 1, 2, ...}',
  create(spec) {
    const rate = requirePositiveAtMost(
      requireNumber(spec, 'rate'),
      'rate',
      MAX_POISSON_RATE,
      'beyond it the cdf (an incomplete gamma) takes too long to evaluate',
    );
    return new Poisson(rate, { family: 'poisson', rate });
  },
};
