import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';
import { requireNumber, requireProbability } from './base.js';
import {
  cornishFisherGuess,
  discreteQuantile,
  entropyBySummation,
  eulerMaclaurinTail,
  inIntegerSupport,
  logBinomialPmf,
  logBinomialPmfNear,
  tailSum,
} from './discrete-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/** Below this n * min(p, 1 - p) the sampler inverts the cdf by sequential search; above, BTRS. */
const INVERSION_LIMIT = 30;
/** Up to this variance the cdf and sf are sums of the masses; beyond, Euler-Maclaurin (see cdf). */
const TAIL_SUM_LIMIT = 1e7;
/** Above this variance the entropy uses its asymptotic expansion instead of a sum over the support. */
const ENTROPY_SUM_LIMIT = 1e5;

/** Binomial(n, p) on {0..n}: the number of successes in n independent Bernoulli(p) trials. */
export class Binomial implements UnivariateDistribution {
  readonly family = 'binomial';
  readonly kind = 'discrete';
  readonly dim = 1;
  readonly support: { lower: number; upper: number };
  private readonly q: number;
  /** The sampler works with the smaller of p and q and reflects: ps = min(p, q). */
  private readonly flip: boolean;
  private readonly ps: number;
  private readonly qs: number;
  private readonly useInversion: boolean;
  // Inversion constants.
  private readonly f0: number;
  private readonly bound: number;
  // BTRS constants (Hörmann 1993).
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  private readonly vr: number;
  private readonly alpha: number;
  private readonly mode: number;
  private readonly logPmfMode: number;
  private cachedEntropy: number | undefined;

  constructor(
    readonly n: number,
    readonly p: number,
    readonly spec: DistributionSpec = { family: 'binomial', n, p },
  ) {
    this.support = { lower: 0, upper: n };
    const q = 1 - p;
    this.q = q;
    this.flip = p > 0.5;
    const ps = this.flip ? q : p;
    const qs = this.flip ? p : q;
    this.ps = ps;
    this.qs = qs;
    const np = n * ps;
    this.useInversion = np < INVERSION_LIMIT;
    this.f0 = Math.exp(n * Math.log1p(-ps));
    this.bound = Math.min(n, np + 10 * Math.sqrt(np * qs + 1));
    const spq = Math.sqrt(np * qs);
    this.b = 1.15 + 2.53 * spq;
    this.a = -0.0873 + 0.0248 * this.b + 0.01 * ps;
    this.c = np + 0.5;
    this.vr = 0.92 - 4.2 / this.b;
    this.alpha = (2.83 + 5.1 / this.b) * spq;
    this.mode = Math.floor((n + 1) * ps);
    this.logPmfMode = logBinomialPmf(this.mode, n, ps, qs);
  }

  logPdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (!inIntegerSupport(x, 0, this.n)) return -Infinity;
    return logBinomialPmf(x, this.n, this.p, this.q);
  }

  /**
   * P(X <= k). Below the mean, the sum of the masses from k down (each term (j + 1) q / ((n - j) p)
   * of the one above, so it converges geometrically): accurate to ~1e-14 relative even in the far
   * tail. At and above the mean, 1 - sf(k), which is then at least about 1/2. The masses come from
   * Loader's log mass. For variance n p q > 1e7, where the sum would take more than ~3e4 terms, the
   * same tails by the Euler-Maclaurin formula (eulerMaclaurinTail), equally accurate and O(1) in n.
   * (stdlib's incomplete beta function is not used: for n above ~1e8 it is wrong in the installed
   * version, even returning negative values.)
   */
  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 0;
    if (k >= this.n) return 1;
    if (this.p === 0) return 1;
    if (this.p === 1) return 0;
    return k < this.n * this.p ? this.lowerTail(k) : 1 - this.upperTail(k);
  }

  /** P(X > k) = I_p(k + 1, n - k): the sum of the masses above k, above the mean; 1 - cdf(k) below. */
  sf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 1;
    if (k >= this.n) return 0;
    if (this.p === 0) return 0;
    if (this.p === 1) return 1;
    return k < this.n * this.p ? 1 - this.lowerTail(k) : this.upperTail(k);
  }

  /** sum_{j <= k} P(X = j), for k below the mean. */
  private lowerTail(k: number): number {
    const { n, p, q } = this;
    if (n * p * q > TAIL_SUM_LIMIT && k > 0) return this.eulerMaclaurin(k, false);
    return tailSum(logBinomialPmf(k, n, p, q), (m) => ((k - m + 1) * q) / ((n - k + m) * p), k);
  }

  /** sum_{j > k} P(X = j), for k at or above the mean (and k < n). */
  private upperTail(k: number): number {
    const { n, p, q } = this;
    if (n * p * q > TAIL_SUM_LIMIT && k + 1 < n) return this.eulerMaclaurin(k + 1, true);
    return tailSum(logBinomialPmf(k + 1, n, p, q), (m) => ((n - k - m) * p) / ((k + m + 1) * q), n - k - 1);
  }

  /**
   * The tail from m by eulerMaclaurinTail, with (log f)' = psi(n - m + 1) - psi(m + 1) + log(p / q)
   * and (log f)'' = -psi'(n - m + 1) - psi'(m + 1), to O(1/m^2):
   * log((n - m + 1/2) p / ((m + 1/2) q)) and -1/(m + 1/2) - 1/(n - m + 1/2).
   */
  private eulerMaclaurin(m: number, upper: boolean): number {
    const { n, p, q } = this;
    const g1 = Math.log1p((n * p - m + (p - q) / 2) / ((m + 0.5) * q));
    const g2 = -1 / (m + 0.5) - 1 / (n - m + 0.5);
    return eulerMaclaurinTail(
      (t) => logBinomialPmfNear(m, t, n, p),
      g1,
      g2,
      upper,
      Math.sqrt(n * p * q),
      upper ? n - m : m,
    );
  }

  quantile(p: number): number {
    const sd = Math.sqrt(this.variance());
    const skew = sd > 0 ? (this.q - this.p) / sd : 0;
    return discreteQuantile(
      p,
      0,
      this.n,
      (k) => this.cdf(k),
      (k) => this.sf(k),
      cornishFisherGuess(p, this.mean(), sd, skew),
    );
  }

  /**
   * Exact sampling. With m = min(p, 1 - p): for n m < 30, inversion by sequential search from 0
   * (expected n m + 1 steps); otherwise Hörmann's BTRS transformed rejection (1993), whose
   * acceptance test uses the accurate log mass, so it stays exact for n in the billions.
   * For p > 1/2 it draws n - Binomial(n, 1 - p).
   */
  sample(rng: Rng): number {
    const { n } = this;
    if (n === 0 || this.p === 0) return 0;
    if (this.p === 1) return n;
    const k = this.useInversion ? this.sampleInversion(rng) : this.sampleBtrs(rng);
    return this.flip ? n - k : k;
  }

  private sampleInversion(rng: Rng): number {
    const { n, ps, qs, f0, bound } = this;
    let x = 0;
    let px = f0;
    let u = rng.uniform();
    while (u > px) {
      x++;
      if (x > bound) {
        // Rounding left u above the summed masses (or u fell in the negligible tail): redraw.
        x = 0;
        px = f0;
        u = rng.uniform();
      } else {
        u -= px;
        px = ((n - x + 1) * ps * px) / (x * qs);
      }
    }
    return x;
  }

  private sampleBtrs(rng: Rng): number {
    const { n, ps, qs, a, b, c, vr, alpha, logPmfMode } = this;
    for (;;) {
      const u = rng.uniform() - 0.5;
      const v = rng.uniformOpen();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || k > n) continue;
      const lv = Math.log((v * alpha) / (a / (us * us) + b));
      if (lv <= logBinomialPmf(k, n, ps, qs) - logPmfMode) return k;
    }
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.sample(rng);
  }

  mean(): number {
    return this.n * this.p;
  }

  variance(): number {
    return this.n * this.p * this.q;
  }

  /**
   * Shannon entropy. For variance n p q <= 1e5, the exact (compensated) sum over mean +- (40 sd + 40):
   * the mass left out is below 1e-50. Beyond, the Edgeworth expansion
   *   H = log(2 pi e n p q) / 2 - (1 - 4 p q) / (12 n p q) + O((n p q)^-2),
   * whose error there is below 1e-11 absolute (the sum there would be over 25,000 terms).
   */
  entropy(): number {
    if (this.cachedEntropy !== undefined) return this.cachedEntropy;
    const { n, p, q } = this;
    const v = n * p * q;
    let h: number;
    if (v === 0) h = 0;
    else if (v > ENTROPY_SUM_LIMIT) {
      h = 0.5 * Math.log(2 * Math.PI * Math.E * v) - (1 - 4 * p * q) / (12 * v);
    } else {
      const m = n * p;
      const w = 40 * Math.sqrt(v) + 40;
      const from = Math.max(0, Math.floor(m - w));
      const to = Math.min(n, Math.ceil(m + w));
      h = entropyBySummation((k) => logBinomialPmf(k, n, p, q), from, to);
    }
    this.cachedEntropy = h;
    return h;
  }
}

export const binomialFamily: FamilyDef = {
  name: 'binomial',
  kind: 'discrete',
  description: 'Binomial(n, p) on {0..n}: the number of successes in n independent trials.',
  params: [
    { name: 'n', type: 'integer', constraint: '>= 0' },
    { name: 'p', type: 'number', constraint: 'in [0, 1]' },
  ],
  support: '{0, 1, ..., n}',
  create(spec) {
    const n = requireNumber(spec, 'n');
    if (!Number.isSafeInteger(n) || n < 0) {
      invalid('n', `must be an integer >= 0 (and below 2^53) (got ${n})`);
    }
    const p = requireProbability(requireNumber(spec, 'p'), 'p');
    return new Binomial(n, p, { family: 'binomial', n, p });
  },
};
