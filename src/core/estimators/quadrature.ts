import type { UnivariateDistribution } from '../distributions/types.js';

/**
 * Numerical integration.
 *
 * `integrate` is adaptive Gauss-Kronrod (10-point Gauss embedded in the 21-point Kronrod rule, as
 * QUADPACK's qk21) with a global error heap: the interval with the largest error estimate is bisected
 * until the total error is within tolerance or the evaluation budget is spent. Infinite ranges are
 * mapped to finite ones (x = a + t/(1-t), x = b - t/(1-t), x = t/(1-t^2)); Kronrod nodes are interior,
 * so the singular endpoints of those maps are never evaluated.
 *
 * `sumDiscrete` sums f(k) p(k) over the support of a discrete family up to a negligible tail mass.
 * `integrateAgainst` integrates f(x) p(x) over the support of a continuous family, split at quantiles.
 */

export interface IntegrateOptions {
  /** Absolute error target (default 1e-13). */
  absTol?: number;
  /** Relative error target (default 1e-12). */
  relTol?: number;
  /** Budget of integrand evaluations (default 200,000). */
  maxEvaluations?: number;
}

export interface IntegrateResult {
  value: number;
  /** Estimated absolute error (QUADPACK's conservative estimate, summed over subintervals). */
  errorEstimate: number;
  evaluations: number;
  /** Whether the error target was met within the budget. */
  converged: boolean;
}

// QUADPACK's qk21 constants (to double precision): Kronrod nodes (descending, the last is the centre)
// and weights; Gauss weights for xgk[1], xgk[3], ...
const XGK = [
  0.9956571630258081, 0.9739065285171717, 0.9301574913557082, 0.8650633666889845, 0.7808177265864169,
  0.6794095682990244, 0.5627571346686047, 0.4333953941292472, 0.2943928627014602, 0.14887433898163122, 0,
];
const WGK = [
  0.011694638867371874, 0.032558162307964725, 0.054755896574351995, 0.07503967481091996, 0.0931254545836976,
  0.10938715880229764, 0.12349197626206584, 0.13470921731147334, 0.14277593857706009, 0.14773910490133849,
  0.1494455540029169,
];
const WG = [
  0.06667134430868814, 0.1494513491505806, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287,
];

const EPS = Number.EPSILON;
const UFLOW = Number.MIN_VALUE * 1e10;

interface Segment {
  a: number;
  b: number;
  value: number;
  error: number;
  /** Too narrow to bisect further (floating-point resolution reached). */
  final: boolean;
}

/** One 21-point Gauss-Kronrod rule on [a, b] with QUADPACK's error estimate. */
function gk21(g: (x: number) => number, a: number, b: number): Segment {
  const centr = 0.5 * (a + b);
  const hlgth = 0.5 * (b - a);
  const fc = g(centr);
  let resk = WGK[10]! * fc;
  let resg = 0;
  let resabs = Math.abs(resk);
  const fv1 = new Float64Array(10);
  const fv2 = new Float64Array(10);
  for (let j = 0; j < 10; j++) {
    const absc = hlgth * XGK[j]!;
    const f1 = g(centr - absc);
    const f2 = g(centr + absc);
    fv1[j] = f1;
    fv2[j] = f2;
    const sum = f1 + f2;
    resk += WGK[j]! * sum;
    resabs += WGK[j]! * (Math.abs(f1) + Math.abs(f2));
    if (j % 2 === 1) resg += WG[(j - 1) / 2]! * sum;
  }
  const reskh = resk * 0.5;
  let resasc = WGK[10]! * Math.abs(fc - reskh);
  for (let j = 0; j < 10; j++) resasc += WGK[j]! * (Math.abs(fv1[j]! - reskh) + Math.abs(fv2[j]! - reskh));
  const value = resk * hlgth;
  resabs *= Math.abs(hlgth);
  resasc *= Math.abs(hlgth);
  let error = Math.abs((resk - resg) * hlgth);
  if (resasc !== 0 && error !== 0) error = resasc * Math.min(1, ((200 * error) / resasc) ** 1.5);
  if (resabs > UFLOW / (50 * EPS)) error = Math.max(EPS * 50 * resabs, error);
  // Bisection stops where the interval's nodes would no longer be distinct numbers.
  const final = Math.abs(hlgth) <= 1000 * EPS * Math.max(Math.abs(centr), UFLOW);
  return { a, b, value, error: Number.isNaN(error) ? Number.POSITIVE_INFINITY : error, final };
}

/** A max-heap of segments by error estimate. */
class ErrorHeap {
  readonly items: Segment[] = [];
  push(s: Segment): void {
    const h = this.items;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.error >= h[i]!.error) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Segment | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.error > h[m]!.error) m = l;
        if (r < h.length && h[r]!.error > h[m]!.error) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** Neumaier-compensated sum. */
function accurateSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** The integrand on a finite variable, with the change of variables for an infinite a and/or b. */
function finiteForm(
  f: (x: number) => number,
  a: number,
  b: number,
): { g: (t: number) => number; lo: number; hi: number } {
  // Where f vanishes the Jacobian may overflow; 0 * Infinity must stay 0, not NaN.
  const times = (fx: number, jac: number) => (fx === 0 ? 0 : fx * jac);
  if (Number.isFinite(a) && Number.isFinite(b)) return { g: f, lo: a, hi: b };
  if (Number.isFinite(a)) {
    // x = a + t / (1 - t), t in [0, 1)
    return {
      g: (t) => {
        const u = 1 - t;
        return times(f(a + t / u), 1 / (u * u));
      },
      lo: 0,
      hi: 1,
    };
  }
  if (Number.isFinite(b)) {
    // x = b - t / (1 - t), t in [0, 1)
    return {
      g: (t) => {
        const u = 1 - t;
        return times(f(b - t / u), 1 / (u * u));
      },
      lo: 0,
      hi: 1,
    };
  }
  // x = t / (1 - t^2), t in (-1, 1)
  return {
    g: (t) => {
      const u = 1 - t * t;
      return times(f(t / u), (1 + t * t) / (u * u));
    },
    lo: -1,
    hi: 1,
  };
}

/**
 * ∫_a^b f(x) dx for finite or infinite a, b (a > b gives the negative of ∫_b^a). The answer meets
 * |error| <= max(absTol, relTol |value|) when `converged`; otherwise it is the best estimate within
 * the evaluation budget, with its error estimate.
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  options: IntegrateOptions = {},
): IntegrateResult {
  const absTol = options.absTol ?? 1e-13;
  const relTol = options.relTol ?? 1e-12;
  const maxEvaluations = options.maxEvaluations ?? 200_000;
  if (Number.isNaN(a) || Number.isNaN(b))
    return { value: Number.NaN, errorEstimate: Number.NaN, evaluations: 0, converged: false };
  if (a === b) return { value: 0, errorEstimate: 0, evaluations: 0, converged: true };
  if (a > b) {
    const r = integrate(f, b, a, options);
    return { ...r, value: -r.value };
  }
  const { g, lo, hi } = finiteForm(f, a, b);
  const heap = new ErrorHeap();
  const done: Segment[] = [];
  let evaluations = 21;
  const first = gk21(g, lo, hi);
  (first.final ? done : heap.items).push(first);
  let total = first.value;
  let totalError = first.error;
  const target = () => Math.max(absTol, relTol * Math.abs(total));
  while (heap.items.length > 0 && totalError > target() && evaluations + 42 <= maxEvaluations) {
    const s = heap.pop()!;
    const mid = 0.5 * (s.a + s.b);
    const left = gk21(g, s.a, mid);
    const right = gk21(g, mid, s.b);
    evaluations += 42;
    total += left.value + right.value - s.value;
    totalError += left.error + right.error - s.error;
    for (const part of [left, right]) (part.final ? done : heap).push(part);
    // Bisection that no longer shrinks the error (a non-integrable point, NaN) ends the search.
    if (!Number.isFinite(total)) break;
  }
  // Recompute from the pieces: the running totals drift by rounding.
  const pieces = [...heap.items, ...done];
  const value = accurateSum(pieces.map((s) => s.value));
  const errorEstimate = accurateSum(pieces.map((s) => s.error));
  const converged =
    Number.isFinite(value) && errorEstimate <= Math.max(absTol, relTol * Math.abs(value)) * (1 + 1e-9);
  return { value, errorEstimate, evaluations, converged };
}

export interface DiscreteSumResult {
  value: number;
  /** Probability mass outside the summed range (left out of the sum). */
  truncatedMass: number;
  /** Number of terms summed (= evaluations of f). */
  terms: number;
  /** Σ |f(k) p(k)|, for a rounding-error bound. */
  sumAbs: number;
  lower: number;
  upper: number;
  /** False when the range needed more than `maxTerms` terms (then it is cut, and truncatedMass says how much). */
  converged: boolean;
}

/**
 * Σ f(k) p(k) over a discrete family's support, from the tailMass/2 quantile to the point past which
 * the survival function is below tailMass/2 (or the support bounds). Neumaier-compensated.
 */
export function sumDiscrete(
  f: (k: number) => number,
  dist: UnivariateDistribution,
  tailMass = 1e-16,
  maxTerms = 10_000_000,
): DiscreteSumResult {
  const half = tailMass / 2;
  const { lower: supLo, upper: supHi } = dist.support;
  let lower = Number.isFinite(supLo) ? supLo : Number.NEGATIVE_INFINITY;
  if (half > 0) {
    const q = dist.quantile(half);
    if (Number.isFinite(q) && q > lower) lower = q;
  }
  if (!Number.isFinite(lower)) lower = Math.floor(dist.quantile(Math.max(half, 1e-300)));
  lower = Math.ceil(lower);
  // Upper end: the smallest k (searched by doubling then bisection) with sf(k) <= half.
  let upper: number;
  if (Number.isFinite(supHi) && (half === 0 || dist.sf(supHi - 1) <= half)) {
    upper = supHi;
    if (half > 0) upper = searchUpper(dist, lower, supHi, half);
  } else {
    upper = searchUpper(dist, lower, Number.isFinite(supHi) ? supHi : Number.POSITIVE_INFINITY, half);
  }
  let converged = true;
  if (upper - lower + 1 > maxTerms) {
    upper = lower + maxTerms - 1;
    converged = false;
  }
  let sum = 0;
  let c = 0;
  let terms = 0;
  let sumAbs = 0;
  for (let k = lower; k <= upper; k++) {
    const p = Math.exp(dist.logPdf(k));
    terms++;
    if (p === 0) continue;
    const v = f(k) * p;
    sumAbs += Math.abs(v);
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const below = lower > supLo ? dist.cdf(lower - 1) : 0;
  const above = upper < supHi ? dist.sf(upper) : 0;
  return { value: sum + c, truncatedMass: below + above, terms, sumAbs, lower, upper, converged };
}

/** Smallest integer k in [from, cap] with sf(k) <= half (cap when none is). */
function searchUpper(dist: UnivariateDistribution, from: number, cap: number, half: number): number {
  if (half <= 0) return cap;
  const median = Math.max(from, Math.ceil(dist.quantile(0.5)));
  if (dist.sf(median) <= half) return Math.min(median, cap);
  const v = dist.variance();
  let step = Number.isFinite(v) && v > 0 ? Math.max(1, Math.ceil(Math.sqrt(v))) : 1;
  let lo = median;
  let hi = median + step;
  while (hi < cap && dist.sf(hi) > half) {
    lo = hi;
    step *= 2;
    hi = median + step;
    if (hi > 2 ** 52) return cap;
  }
  if (hi >= cap) return cap;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dist.sf(mid) <= half) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface AgainstResult extends IntegrateResult {
  /** Probability mass left out of the integral (0 when the whole support is integrated). */
  truncatedMass: number;
  /** The break points used, support bounds included. */
  breakpoints: number[];
}

/** Quantile levels where `integrateAgainst` splits an infinite or long range. */
const SPLIT_LEVELS = [1e-12, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1 - 1e-6, 1 - 1e-12];

/**
 * E[f(X)] = ∫ f(x) p(x) dx for a continuous family, over its whole support, split at quantiles
 * (1e-12, 1e-6, 0.01, quartiles, 0.99, 1-1e-6, 1-1e-12) so that every piece has the bulk of the mass
 * in view; the two outer pieces run to the support bounds (through the change of variables where
 * those are infinite), so nothing is truncated. Where p(x) is 0 the integrand is 0 whatever f is.
 * The budget and tolerances are shared across the pieces (a budget under 210 evaluations splits at
 * the median only, or not at all; each piece gets at least one 21-point rule).
 */
export function integrateAgainst(
  f: (x: number) => number,
  dist: UnivariateDistribution,
  options: IntegrateOptions = {},
): AgainstResult {
  const absTol = options.absTol ?? 1e-13;
  const relTol = options.relTol ?? 1e-12;
  const maxEvaluations = options.maxEvaluations ?? 200_000;
  const { lower, upper } = dist.support;
  const points = [lower];
  // A budget too small for one 21-point rule per piece splits at the median only, or not at all.
  const levels =
    maxEvaluations >= 21 * (SPLIT_LEVELS.length + 1) ? SPLIT_LEVELS : maxEvaluations >= 42 ? [0.5] : [];
  for (const level of levels) {
    const q = dist.quantile(level);
    if (Number.isFinite(q) && q > points[points.length - 1]! && q < upper) points.push(q);
  }
  points.push(upper);
  const integrand = (x: number) => {
    const p = Math.exp(dist.logPdf(x));
    return p === 0 ? 0 : f(x) * p;
  };
  const pieces = points.length - 1;
  let value = 0;
  let errorEstimate = 0;
  let evaluations = 0;
  let converged = true;
  const parts: number[] = [];
  for (let i = 0; i < pieces; i++) {
    const r = integrate(integrand, points[i]!, points[i + 1]!, {
      absTol: absTol / pieces,
      relTol,
      maxEvaluations: Math.max(21, Math.floor(maxEvaluations / pieces)),
    });
    parts.push(r.value);
    errorEstimate += r.errorEstimate;
    evaluations += r.evaluations;
    converged &&= r.converged;
  }
  value = accurateSum(parts);
  if (!converged && Number.isFinite(value))
    converged = errorEstimate <= Math.max(absTol, relTol * Math.abs(value));
  return { value, errorEstimate, evaluations, converged, truncatedMass: 0, breakpoints: points };
}
