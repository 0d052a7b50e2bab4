import gammaln from '@stdlib/math-base-special-gammaln';
import log1p from '@stdlib/math-base-special-log1p';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Rng } from '../rng/index.js';

/**
 * Shared numerics for the discrete families: Loader's saddle-point log masses, the quantile search,
 * compensated sums, entropy by summation and Walker/Vose alias tables.
 */

const LN_2PI = 1.8378770664093453;

/**
 * stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula, for integer
 * n >= 1. Exact values (computed with mpmath) up to 15, the asymptotic series beyond (Loader 2000).
 */
const STIRLERR_TABLE = [
  0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093,
  0.016644691189821193, 0.013876128823070748, 0.01189670994589177, 0.010411265261972096,
  0.009255462182712733, 0.00833056343336287, 0.007573675487951841, 0.00694284010720953,
  0.006408994188004207, 0.0059513701127588475, 0.005554733551962801,
];

const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

export function stirlerr(n: number): number {
  if (n <= 15) {
    if (Number.isInteger(n)) return STIRLERR_TABLE[n]!;
    return gammaln(n + 1) - (n + 0.5) * Math.log(n) + n - 0.5 * LN_2PI;
  }
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/**
 * bd0(x, np) = x log(x / np) + np - x, the deviance term of Loader's algorithm, computed without
 * the cancellation of the naive formula when x is close to np.
 */
export function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / np) + np - x;
}

/**
 * log P(X = x) for X ~ Binomial(n, p), x an integer in [0, n], q = 1 - p passed in (Loader 2000,
 * "Fast and accurate computation of binomial probabilities"): relative error near machine
 * precision even for n in the millions, where log C(n, x) + x log p + ... cancels badly.
 */
export function logBinomialPmf(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (q === 0) return x === n ? 0 : -Infinity;
  if (x === 0) return n === 0 ? 0 : n * log1p(-p);
  if (x === n) return n * Math.log(p);
  if (x < 0 || x > n) return -Infinity;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + log1p(-x / n);
  return lc - 0.5 * lf;
}

/** log P(X = x) for X ~ Poisson(rate), x a non-negative integer (Loader's saddle-point form). */
export function logPoissonPmf(x: number, rate: number): number {
  if (x < 0) return -Infinity;
  if (x === 0) return -rate;
  if (rate < x * Number.MIN_VALUE) return -rate + x * Math.log(rate) - gammaln(x + 1);
  return -0.5 * (LN_2PI + Math.log(x)) - stirlerr(x) - bd0(x, rate);
}

/** Neumaier's compensated sum: exact to about one rounding for sums of mixed signs and sizes. */
export class CompensatedSum {
  private s = 0;
  private c = 0;

  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }

  get value(): number {
    return this.s + this.c;
  }
}

/**
 * Shannon entropy -sum p(k) log p(k) over the integers from..to (inclusive), from the log mass.
 * The caller chooses a range that leaves out only negligible mass.
 */
export function entropyBySummation(logPmf: (k: number) => number, from: number, to: number): number {
  const sum = new CompensatedSum();
  for (let k = from; k <= to; k++) {
    const l = logPmf(k);
    if (l === -Infinity) continue;
    sum.add(-Math.exp(l) * l);
  }
  return sum.value;
}

/**
 * The smallest integer k in [lower, upper] with cdf(k) >= p: the quantile of a discrete law.
 *
 * For p <= 1/2 the test is cdf(k) >= p; above, the equivalent sf(k) <= 1 - p (1 - p is exact for
 * p in [1/2, 1]), so quantiles at p = 1 - 1e-12 are as accurate as at 1e-12. The search starts at
 * `guess` (any number: a normal approximation is plenty), gallops outward in doubling steps and
 * then bisects, so it costs O(log |guess - answer|) evaluations and is exact whatever the guess.
 * quantile(0) is `lower` and quantile(1) is `upper` (Infinity for an unbounded support).
 */
export function discreteQuantile(
  p: number,
  lower: number,
  upper: number,
  cdf: (k: number) => number,
  sf: (k: number) => number,
  guess: number,
): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return lower;
  if (p === 1) return upper;
  const q = 1 - p;
  const ok = p <= 0.5 ? (k: number) => cdf(k) >= p : (k: number) => sf(k) <= q;
  let g = Number.isFinite(guess) ? Math.round(guess) : lower;
  if (g < lower) g = lower;
  if (g > upper) g = upper;
  let lo: number;
  let hi: number;
  if (ok(g)) {
    // Gallop down to a k that fails (or the bottom of the support).
    hi = g;
    let step = 1;
    for (;;) {
      if (hi === lower) return lower;
      lo = Math.max(lower, hi - step);
      if (!ok(lo)) break;
      hi = lo;
      step *= 2;
    }
  } else {
    lo = g;
    let step = 1;
    for (;;) {
      if (lo >= upper) return upper;
      hi = Math.min(upper, lo + step);
      if (ok(hi)) break;
      if (hi === upper) return upper; // rounding: the cdf never quite reached p
      lo = hi;
      step *= 2;
    }
  }
  // Invariant: !ok(lo), ok(hi).
  while (hi - lo > 1) {
    const mid = Math.floor(lo + (hi - lo) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * A starting point for discreteQuantile from the mean, standard deviation and skewness: the
 * Cornish-Fisher expansion to first order. Accuracy only affects speed.
 */
export function cornishFisherGuess(p: number, mean: number, sd: number, skewness: number): number {
  if (!(p > 0 && p < 1)) return mean;
  const z = normalQuantile(p, 0, 1);
  return mean + sd * (z + (skewness * (z * z - 1)) / 6);
}

/**
 * Walker's alias method in Vose's numerically stable construction: O(k) to build, O(1) per draw
 * (one integer and one uniform). Weights need not be normalised; zero weights are never drawn.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const k = weights.length;
    this.size = k;
    this.prob = new Float64Array(k);
    this.alias = new Int32Array(k);
    let total = 0;
    for (let i = 0; i < k; i++) total += weights[i]!;
    const scaled = new Float64Array(k);
    const small: number[] = [];
    const large: number[] = [];
    let firstPositive = 0;
    for (let i = k - 1; i >= 0; i--) {
      scaled[i] = (weights[i]! / total) * k;
      if (weights[i]! > 0) firstPositive = i;
      if (scaled[i]! < 1) small.push(i);
      else large.push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const l = small.pop()!;
      const g = large.pop()!;
      this.prob[l] = scaled[l]!;
      this.alias[l] = g;
      scaled[g] = scaled[g]! + scaled[l]! - 1;
      if (scaled[g]! < 1) small.push(g);
      else large.push(g);
    }
    // What is left has scaled weight 1 up to rounding.
    for (const i of large) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
    for (const i of small) {
      this.prob[i] = weights[i]! > 0 ? 1 : 0;
      this.alias[i] = weights[i]! > 0 ? i : firstPositive;
    }
  }

  sample(rng: Rng): number {
    const i = rng.integer(this.size);
    return rng.uniform() < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** log(sum exp(values)), robust to -Infinity entries and to overflow. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity || max === Infinity || Number.isNaN(max)) return max;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s);
}

/** Check that `value` is an integer in the discrete support [lower, upper]. */
export function inIntegerSupport(x: number, lower: number, upper: number): boolean {
  return Number.isInteger(x) && x >= lower && x <= upper;
}
