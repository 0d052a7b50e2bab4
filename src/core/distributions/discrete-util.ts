import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammaln from '@stdlib/math-base-special-gammaln';
import { invalid } from '../errors.js';
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
  0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093, 0.016644691189821193,
  0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.009255462182712733, 0.00833056343336287,
  0.007573675487951841, 0.00694284010720953, 0.006408994188004207, 0.0059513701127588475,
  0.005554733551962801,
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
 * the cancellation of the naive formula when x is close to np. `d` is x - np, passed separately
 * when the caller knows it more accurately than the rounded difference.
 */
export function bd0(x: number, np: number, d = x - np): number {
  if (Math.abs(d) < 0.1 * (x + np)) {
    let v = d / (x + np);
    let s = d * v;
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
  return x * Math.log(x / np) - d;
}

const SPLITTER = 134217729; // 2^27 + 1

/** a * b as an unevaluated sum hi + lo, exactly (Dekker's product; no overflow below ~1e300). */
export function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [hi, ah * bh - hi + ah * bl + al * bh + al * bl];
}

/**
 * log P(X = x) for X ~ Binomial(n, p), x an integer in [0, n], q = 1 - p passed in (Loader 2000,
 * "Fast and accurate computation of binomial probabilities"): relative error near machine
 * precision even for n in the billions, where log C(n, x) + x log p + ... cancels badly. n p is
 * carried in double-double, and n q taken as n - n p, so that the deviations x - n p and
 * (n - x) - n q = n p - x are exact: otherwise the rounding of n p (and of q = 1 - p) would cost
 * about |x - n p| ulps, 1e-10 in the log mass 30 standard deviations out at n = 1e10.
 */
export function logBinomialPmf(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (q === 0) return x === n ? 0 : -Infinity;
  if (x === 0) return n === 0 ? 0 : n * Math.log1p(-p);
  if (x === n) return n * Math.log(p);
  if (x < 0 || x > n) return -Infinity;
  return logBinomialPmfNear(x, 0, n, p);
}

/**
 * The smooth continuation of logBinomialPmf to x = m + t for real t (0 < x < n, 0 < p < 1),
 * evaluated so that the deviation x - n p = (m - n p) + t keeps full precision even where m + t
 * itself rounds (near 1e13 the doubles are 0.002 apart): what Euler-Maclaurin integration needs.
 */
export function logBinomialPmfNear(m: number, t: number, n: number, p: number): number {
  const x = m + t;
  const [npHi, npLo] = twoProduct(n, p);
  const d = m - npHi - npLo + t; // x - np
  const nq = n - npHi - npLo;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, npHi, d) - bd0(n - x, nq, -d);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return lc - 0.5 * lf;
}

/** log P(X = x) for X ~ Poisson(rate), x a non-negative integer (Loader's saddle-point form). */
export function logPoissonPmf(x: number, rate: number): number {
  if (x < 0) return -Infinity;
  if (x === 0) return -rate;
  if (rate < x * Number.MIN_VALUE) return -rate + x * Math.log(rate) - gammaln(x + 1);
  return logPoissonPmfNear(x, 0, rate);
}

/** The smooth continuation of logPoissonPmf to x = m + t > 0, with x - rate = (m - rate) + t exact. */
export function logPoissonPmfNear(m: number, t: number, rate: number): number {
  const x = m + t;
  return -0.5 * (LN_2PI + Math.log(x)) - stirlerr(x) - bd0(x, rate, m - rate + t);
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
      if (!Number.isFinite(hi)) return upper;
      if (ok(hi)) break;
      if (hi === upper) return upper; // rounding: the cdf never quite reached p
      lo = hi;
      step *= 2;
    }
  }
  // Invariant: !ok(lo), ok(hi). (Above 2^53 the integers are not all doubles: stop when no double
  // lies strictly between.)
  while (hi - lo > 1) {
    const mid = Math.floor(lo + (hi - lo) / 2);
    if (mid <= lo || mid >= hi) break;
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
  // The standard normal quantile from erfcinv on the near tail (stdlib's normal quantile goes
  // through erfinv(2p - 1), which is -Infinity below p ~ 1e-16).
  const z = p < 0.5 ? -Math.SQRT2 * erfcinv(2 * p) : Math.SQRT2 * erfcinv(2 * (1 - p));
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
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s);
}

/** Check that `value` is an integer in the discrete support [lower, upper]. */
export function inIntegerSupport(x: number, lower: number, upper: number): boolean {
  return Number.isInteger(x) && x >= lower && x <= upper;
}

/** How far the probabilities (and mixture weights) may sum from 1. */
export const SUM_TOLERANCE = 1e-9;

/**
 * Validate a probability vector at `path`: an array of finite non-negative numbers summing to 1
 * within 1e-9. Returns the sum (the caller divides by it, so the law sums to 1 exactly).
 */
export function requireProbabilityVector(value: unknown, path: string): number {
  if (!Array.isArray(value)) invalid(path, 'is required and must be an array of numbers');
  if (value.length === 0) invalid(path, 'must have at least one entry');
  const sum = new CompensatedSum();
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${path}.${i}`, `must be a finite number`);
    if (v < 0) invalid(`${path}.${i}`, `must be >= 0 (got ${v})`);
    sum.add(v);
  }
  const s = sum.value;
  if (!(Math.abs(s - 1) <= SUM_TOLERANCE)) invalid(path, `must sum to 1 within 1e-9 (got ${s})`);
  return s;
}

/**
 * pmf(k) * (1 + r(1) + r(1) r(2) + ...): a tail of a unimodal mass function summed from the term
 * at k away from the mode, r(m) being the ratio of the m-th term to the one before (each < 1 on
 * the tail side of the mode). Stops when a term no longer changes the sum, or after maxTerms.
 * logFirst is log pmf(k), exact to rounding (Loader), so the tail is accurate to a few ulps times
 * the number of terms that matter (about 9 standard deviations' worth).
 */
export function tailSum(logFirst: number, ratio: (m: number) => number, maxTerms: number): number {
  if (logFirst === -Infinity) return 0;
  let s = 1;
  let t = 1;
  for (let m = 1; m <= maxTerms; m++) {
    t *= ratio(m);
    const s1 = s + t;
    if (s1 === s) break;
    s = s1;
  }
  const first = Math.exp(logFirst);
  return first > 1e-290 ? first * s : Math.exp(logFirst + Math.log(s));
}

// Adaptive Gauss-Kronrod quadrature (the G7-K15 pair of QUADPACK's QAG, global subdivision).

const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
/** Gauss weights of the nodes XGK[1], XGK[3], XGK[5] and the centre. */
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

/** One G7-K15 panel: the Kronrod estimate and QUADPACK's error estimate. */
function gk15(f: (x: number) => number, a: number, b: number): [number, number] {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fv1 = new Float64Array(7);
  const fv2 = new Float64Array(7);
  const fc = f(c);
  let resK = fc * WGK[7]!;
  let resG = fc * WG[3]!;
  let resAbs = Math.abs(resK);
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    const f1 = f(c - dx);
    const f2 = f(c + dx);
    fv1[j] = f1;
    fv2[j] = f2;
    resK += WGK[j]! * (f1 + f2);
    resAbs += WGK[j]! * (Math.abs(f1) + Math.abs(f2));
    if (j % 2 === 1) resG += WG[(j - 1) / 2]! * (f1 + f2);
  }
  const mean = 0.5 * resK;
  let resAsc = WGK[7]! * Math.abs(fc - mean);
  for (let j = 0; j < 7; j++) resAsc += WGK[j]! * (Math.abs(fv1[j]! - mean) + Math.abs(fv2[j]! - mean));
  const ah = Math.abs(h);
  resAsc *= ah;
  resAbs *= ah;
  let err = Math.abs((resK - resG) * h);
  if (resAsc !== 0 && err !== 0) err = resAsc * Math.min(1, ((200 * err) / resAsc) ** 1.5);
  const floor = 50 * Number.EPSILON * resAbs;
  if (floor > err) err = floor;
  return [resK * h, err];
}

/**
 * integral of f over [points[0], points[last]], the points being an initial partition (sorted).
 * Global adaptive subdivision: the panel with the largest error estimate is bisected until the
 * summed estimate is below max(absTol, relTol |integral|) or maxIntervals panels are in use.
 */
export function integrateAdaptive(
  f: (x: number) => number,
  points: readonly number[],
  absTol: number,
  relTol: number,
  maxIntervals: number,
): { value: number; error: number } {
  const a: number[] = [];
  const b: number[] = [];
  const val: number[] = [];
  const err: number[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    if (!(points[i + 1]! > points[i]!)) continue;
    const [v, e] = gk15(f, points[i]!, points[i + 1]!);
    a.push(points[i]!);
    b.push(points[i + 1]!);
    val.push(v);
    err.push(e);
  }
  let unresolved = 0; // error of panels too narrow to split
  for (;;) {
    const total = new CompensatedSum();
    let totalErr = unresolved;
    let worst = -1;
    for (let i = 0; i < val.length; i++) {
      total.add(val[i]!);
      totalErr += err[i]!;
      if (worst < 0 || err[i]! > err[worst]!) worst = i;
    }
    const value = total.value;
    if (worst < 0 || totalErr <= Math.max(absTol, relTol * Math.abs(value)) || val.length >= maxIntervals) {
      return { value, error: totalErr };
    }
    const lo = a[worst]!;
    const hi = b[worst]!;
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi) || err[worst] === 0) {
      unresolved += err[worst]!;
      err[worst] = 0;
      continue;
    }
    const [v1, e1] = gk15(f, lo, mid);
    const [v2, e2] = gk15(f, mid, hi);
    b[worst] = mid;
    val[worst] = v1;
    err[worst] = e1;
    a.push(mid);
    b.push(hi);
    val.push(v2);
    err.push(e2);
  }
}

/**
 * A tail of a lattice mass function with a large spread (sigma in the thousands or more), without
 * summing its ~9 sigma terms: the Euler-Maclaurin formula
 *   sum_{j >= m} f(j) = integral_m^inf f + f(m)/2 - f'(m)/12 + f'''(m)/720 - ...
 *   sum_{j <= m} f(j) = integral_-inf^m f + f(m)/2 + f'(m)/12 - f'''(m)/720 + ...
 * with f the smooth continuation of the mass to real x (Loader's form is valid there). Since f
 * varies on the scale sigma, the k-th derivative is f (z / sigma)^k times a polynomial in z, and the
 * first term left out, f^(5) / 30240, is below 1e-14 f for sigma >= 3000 and |z| < 38 (beyond that
 * the tail underflows). The integral is adaptive Gauss-Kronrod over a partition in units of sigma.
 *
 * `logfNear(t)` is log f(m + t) (computed without rounding m + t: see logPoissonPmfNear),
 * `g1`, `g2` are (log f)' and (log f)'' at m (to O(1/m^2) is plenty), `upper` gives the side and
 * `span` the distance from m to the end of the support on that side (Infinity if none). f must
 * decrease from m outwards: m at or beyond the mean.
 */
export function eulerMaclaurinTail(
  logfNear: (t: number) => number,
  g1: number,
  g2: number,
  upper: boolean,
  sigma: number,
  span: number,
): number {
  const l0 = logfNear(0);
  if (l0 === -Infinity) return 0;
  const s = upper ? 1 : -1;
  const points = [0];
  for (const k of [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]) {
    if (k * sigma >= span) {
      if (span > 0) points.push(s * span);
      break;
    }
    points.push(s * k * sigma);
  }
  if (!upper) points.reverse();
  const integral = integrateAdaptive((t) => Math.exp(logfNear(t) - l0), points, 0, 1e-13, 400).value;
  const d3 = g1 * g1 * g1 + 3 * g1 * g2; // f'''/f, dropping (log f)''' ~ 1/m^2
  const sum = integral + 0.5 - (s * g1) / 12 + (s * d3) / 720;
  return Math.exp(l0 + Math.log(sum));
}
