import { tailIndices } from '../distributions/tails.js';
import type { UnivariateDistribution } from '../distributions/types.js';
import type { Growth } from '../expressions/index.js';
import { divergenceWarning, growthOf, meanDivergence } from './existence.js';
import { type ExpectationAnswer, type Prepared, showX } from './expectation-spec.js';
import { integrateAgainst, sumDiscrete } from './quadrature.js';

/** riemann truncates an infinite support where the mass beyond is below this (half on each side). */
export const RIEMANN_TAIL_MASS = 1e-12;
/** quadrature of a discrete family sums up to this tail mass. */
export const DISCRETE_TAIL_MASS = 1e-16;
/** Points in the first round of a tolerance-driven riemann sum (then doubling). */
export const RIEMANN_FIRST_ROUND = 1000;

/** f wrapped to count (and remember one of) the points where it is not finite. */
function counting(f: (x: number) => number) {
  const state = { bad: 0, example: undefined as number | undefined };
  const fn = (x: number) => {
    const v = f(x);
    if (!(v - v === 0)) {
      state.bad++;
      if (state.example === undefined) state.example = x;
    }
    return v;
  };
  return { fn, state };
}

function nonFiniteWarning(bad: number, total: number, example: number | undefined): string {
  const ex = example === undefined ? '' : ` (e.g. at x = ${showX([example])})`;
  return (
    `f is not finite (NaN or +-Infinity) at ${bad} of ${total} evaluation points where p(x) > 0${ex}: ` +
    'E[f] is undefined or infinite there, so the estimate is NaN'
  );
}

/** The span of a riemann sum: the support, cut at the 5e-13 and 1 - 5e-13 quantiles where it is infinite. */
export function riemannRange(dist: UnivariateDistribution): {
  low: number;
  high: number;
  truncatedMass: number;
} {
  const half = RIEMANN_TAIL_MASS / 2;
  const { lower, upper } = dist.support;
  const low = Number.isFinite(lower) ? lower : dist.quantile(half);
  const high = Number.isFinite(upper) ? upper : dist.quantile(1 - half);
  const truncatedMass =
    (Number.isFinite(lower) ? 0 : dist.cdf(low)) + (Number.isFinite(upper) ? 0 : dist.sf(high));
  return { low, high, truncatedMass };
}

/**
 * The lecture's sum Σ f(x_i) p(x_i) (x_i − x_{i−1}) over n equal cells of [low, high], each
 * represented by its midpoint x_i (so x_i − x_{i−1} = h = (high − low) / n). Midpoints keep the sum
 * off the support's ends, where a density may be infinite (beta, gamma with shape < 1).
 */
export function riemannSum(
  f: (x: number) => number,
  dist: UnivariateDistribution,
  low: number,
  high: number,
  n: number,
): number {
  const h = (high - low) / n;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = low + (i + 0.5) * h;
    const p = Math.exp(dist.logPdf(x));
    if (p === 0) continue;
    const v = f(x) * p;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return (sum + c) * h;
}

/**
 * The error of the n-cell sum, from the sums over n, ceil(n/2) and ceil(n/4) cells: with
 * d1 = S_n - S_{n/2}, d2 = S_{n/2} - S_{n/4} and r = |d2 / d1| (2^p for a rule converging at order p),
 * the corrections still to come sum to |d1| / (r - 1) (at least |d1| / 15, claiming no more than
 * order 4); a sequence that is not shrinking (r <= 1) gets |d1| + |d2|. For the uniform x^2 this is
 * the exact error 1 / (12 n^2); for a slowly converging sum (a density singular at an end) it is large,
 * as it should be.
 */
export function riemannError(sn: number, sHalf: number, sQuarter: number): number {
  const d1 = Math.abs(sn - sHalf);
  const d2 = Math.abs(sHalf - sQuarter);
  if (d1 === 0) return d2 === 0 ? 0 : Number.EPSILON * Math.abs(sn);
  const r = d2 / d1;
  if (!(r > 1)) return d1 + d2;
  return Math.max(d1 / (r - 1), d1 / 15);
}

/**
 * The safety factor on riemann's truncation term (riemannTruncation). Beyond an end t of the range,
 * with P(X > t) = 5e-13, the tail carries ∫_t^∞ f p = f(t) P(X > t) (1 + ε). For a tail falling
 * faster than any power, ε is small for any f of moderate growth: for a normal tail and f ~ x^g,
 * Mills' ratio gives ε = g / t^2 + O(t^-4) (t = 7.13 standard deviations here: ε = 0.04 for x^2,
 * 0.2 for x^10); for an exponential tail (laplace, gamma, t = 27 scales here) ε ≈ g / (t - g)
 * (0.08 for x^2); for a lognormal and f = x, 0.2 to 0.7 for sigma 1 to 3. A factor of 2 covers all of
 * these. For a power tail p ~ |x|^-(a+1) and |f| ≲ |x|^g with g < a the ratio is a / (a - g) (3 for
 * x^2 under a Student t with df 3), which multiplies the factor (riemannTailFactor).
 */
export const RIEMANN_TRUNCATION_SAFETY = 2;

/**
 * The factor on |f(end)| times the mass beyond an end, for the tail towards +infinity (side 1) or
 * -infinity (side -1): RIEMANN_TRUNCATION_SAFETY for a light tail, times a / (a - g) for a power tail
 * of index a against an f known to grow at most like |x|^g; Infinity when f is known to grow like
 * |x|^a or faster there (the tail integral may be infinite: no bound on what it carries).
 */
export function riemannTailFactor(dist: UnivariateDistribution, growth: Growth, side: 1 | -1): number {
  const tails = tailIndices(dist.spec);
  const a = tails === undefined ? Number.POSITIVE_INFINITY : side === 1 ? tails.upper : tails.lower;
  if (!Number.isFinite(a)) return RIEMANN_TRUNCATION_SAFETY;
  const g = (side === 1 ? growth.positive : growth.negative).upper.power;
  // An f whose growth is not understood gets the plain rule: nothing better is known.
  if (g === Number.POSITIVE_INFINITY) return RIEMANN_TRUNCATION_SAFETY;
  if (g >= a) return Number.POSITIVE_INFINITY;
  return RIEMANN_TRUNCATION_SAFETY * Math.max(1, a / (a - g));
}

/**
 * An estimate of |what the tails beyond [low, high] carry| for riemann: for each truncated end, the
 * larger of |f| at the end and at the point farther out with a quarter of that mass beyond it (so an
 * f that happens to vanish at the end, an indicator switching on just past it, is not missed; for a
 * growing f this adds little: 7.33 against 7.13 for a normal, a factor 4^(g/a) <= 4 on |x|^g under a
 * power tail of index a > g), times the mass beyond the end, times riemannTailFactor. Infinity where f
 * is not finite there.
 */
export function riemannTruncation(
  f: (x: number) => number,
  dist: UnivariateDistribution,
  low: number,
  high: number,
  growth: Growth,
): number {
  let total = 0;
  const side = (end: number, mass: number, far: number, dir: 1 | -1) => {
    if (!(mass > 0)) return;
    let size = Math.abs(f(end));
    if (Number.isFinite(far)) size = Math.max(size, Math.abs(f(far)));
    if (!Number.isFinite(size)) {
      total = Number.POSITIVE_INFINITY;
      return;
    }
    if (size === 0) return;
    total += size * mass * riemannTailFactor(dist, growth, dir);
  };
  if (!Number.isFinite(dist.support.lower)) {
    const mass = dist.cdf(low);
    side(low, mass, dist.quantile(mass / 4), -1);
  }
  if (!Number.isFinite(dist.support.upper)) {
    const mass = dist.sf(high);
    side(high, mass, dist.quantile(1 - mass / 4), 1);
  }
  return total;
}

/**
 * riemann for a continuous family: the midpoint sum over n cells, with an error estimate that adds
 * riemannError's (the cells, from the sums over n/2 and n/4 cells as well) and riemannTruncation's
 * (the tails cut off an infinite support: far larger than the cells' error for a smooth f that is
 * large out there, as x^2 under a normal). With a tolerance, n doubles from 1000 until the error
 * estimate is below it (n is the cap), or until the cells' error is below the truncation's when that
 * alone is above the tolerance (more cells cannot help then).
 * A discrete family's points are the integers of its support (x_i − x_{i−1} = 1): the exact sum,
 * truncated at a tail mass of 1e-12, with at most n terms.
 */
export function runRiemann(p: Prepared, n: number): Omit<ExpectationAnswer, 'elapsedMs'> {
  const dist = p.dist as UnivariateDistribution;
  const tol = p.spec.tolerance;
  const { fn, state } = counting(p.f.evaluate);
  const warnings: string[] = [];
  if (dist.kind === 'discrete') {
    const r = sumDiscrete(fn, dist, RIEMANN_TAIL_MASS, n);
    const answer = discreteAnswer(p, r, state, warnings);
    warnings.push(
      `for a discrete family the points are the integers ${r.lower}..${r.upper} of the support ` +
        `(x_i - x_{i-1} = 1): the sum is exact up to the truncated mass ${r.truncatedMass.toExponential(2)}`,
    );
    return answer;
  }
  const { low, high, truncatedMass } = riemannRange(dist);
  const divergence = meanDivergence(dist, p.f);
  const truncation = riemannTruncation(p.f.evaluate, dist, low, high, growthOf(p.f));
  const sums = new Map<number, number>();
  let evaluations = 0;
  const sumOver = (cells: number) => {
    let v = sums.get(cells);
    if (v === undefined) {
      v = riemannSum(fn, dist, low, high, cells);
      evaluations += cells;
      sums.set(cells, v);
    }
    return v;
  };
  let points = tol === undefined ? n : Math.min(n, RIEMANN_FIRST_ROUND);
  let estimate: number;
  let cellsError: number;
  let errorEstimate: number;
  for (;;) {
    estimate = sumOver(points);
    const half = Math.ceil(points / 2);
    cellsError = riemannError(estimate, sumOver(half), sumOver(Math.ceil(half / 2)));
    errorEstimate = cellsError + truncation;
    if (tol === undefined || errorEstimate < tol || points >= n || state.bad > 0) break;
    if (truncation >= tol && cellsError < truncation) break;
    points = Math.min(n, 2 * points);
  }
  if (truncatedMass > 0)
    warnings.push(
      `the support is infinite: the points span [${showX([low])}, ${showX([high])}] (the ${RIEMANN_TAIL_MASS / 2} ` +
        `and 1 - ${RIEMANN_TAIL_MASS / 2} quantiles); the mass outside, ${truncatedMass.toExponential(2)}, is left out, ` +
        `and the error estimate includes what it may carry (${truncation.toExponential(2)}: |f| at each end times ` +
        `the mass beyond it, times a safety factor of at least ${RIEMANN_TRUNCATION_SAFETY})`,
    );
  const settled = Math.max(1e-6, 1e-3 * Math.abs(estimate));
  if (state.bad > 0) {
    warnings.unshift(nonFiniteWarning(state.bad, evaluations, state.example));
    estimate = Number.NaN;
    errorEstimate = Number.NaN;
  } else if (divergence === undefined) {
    if (tol === undefined && cellsError > settled) {
      warnings.push(
        `the sum has not settled at n = ${points} cells (error estimate ${cellsError.toExponential(2)}): raise n, ` +
          'or use quadrature (a density singular at an end of its support, or mass far from most cells, converges slowly)',
      );
    }
    if (!Number.isFinite(truncation)) {
      warnings.push(
        'what the tails beyond the points carry cannot be bounded (f grows as fast as the tails of the ' +
          'distribution allow, or is not finite out there), so the error estimate is Infinity; use quadrature, ' +
          'which integrates the whole support',
      );
    } else if (tol === undefined ? truncation > settled : truncation >= tol) {
      warnings.push(
        `the tails beyond the points may carry about ${truncation.toExponential(2)}, and no number of cells ` +
          'changes that; use quadrature, which integrates the whole support',
      );
    }
  }
  if (divergence !== undefined) {
    warnings.unshift(divergenceWarning(divergence, 'integral'));
    if (!Number.isNaN(errorEstimate)) errorEstimate = Number.POSITIVE_INFINITY;
  }
  // Every value of f was finite, yet the sum is not: the cells themselves overflowed (a range
  // wider than the largest double, or cells below the smallest). Never a silent NaN.
  if (!Number.isFinite(estimate) && state.bad === 0)
    warnings.unshift(
      `the sum is ${estimate} although f was finite at every point: the range [${low}, ${high}] is beyond ` +
        'what double precision can split into cells; use quadrature, or rescale the distribution',
    );
  const answer: Omit<ExpectationAnswer, 'elapsedMs'> = {
    estimate,
    method: 'riemann',
    n: points,
    errorEstimate,
    evaluations,
    nonFinite: state.bad,
    warnings,
    truncatedMass,
    range: { low, high },
  };
  if (divergence !== undefined) answer.meanExists = false;
  if (tol !== undefined) {
    answer.tolerance = tol;
    answer.converged = errorEstimate < tol;
    // Before n because the target was met (not because the truncation alone is above it).
    answer.stoppedEarly = points < n && answer.converged;
  }
  return answer;
}

function discreteAnswer(
  p: Prepared,
  r: ReturnType<typeof sumDiscrete>,
  state: { bad: number; example: number | undefined },
  warnings: string[],
): Omit<ExpectationAnswer, 'elapsedMs'> {
  const f = p.f.evaluate;
  const edge = Math.max(Math.abs(f(r.lower)), Math.abs(f(r.upper)));
  let estimate = r.value;
  let errorEstimate =
    r.truncatedMass * (Number.isFinite(edge) ? edge : 0) + 2 * r.terms * Number.EPSILON * r.sumAbs;
  if (!r.converged)
    warnings.push(
      `the support needs more than n = ${r.terms} terms: the sum stops at ${r.upper}, leaving out a mass of ` +
        `${r.truncatedMass.toExponential(2)}; raise n`,
    );
  if (state.bad > 0) {
    warnings.unshift(nonFiniteWarning(state.bad, r.terms, state.example));
    estimate = Number.NaN;
    errorEstimate = Number.NaN;
  }
  return {
    estimate,
    method: p.spec.method,
    n: r.terms,
    errorEstimate,
    evaluations: r.terms,
    nonFinite: state.bad,
    warnings,
    converged: r.converged,
    truncatedMass: r.truncatedMass,
    range: { low: r.lower, high: r.upper },
  };
}

/**
 * quadrature: adaptive Gauss-Kronrod over the whole support of a continuous family (split at
 * quantiles; infinite ends mapped to finite ones), with n as the budget of evaluations and the
 * tolerance (default 1e-13 absolute, 1e-12 relative) as the error target; for a discrete family the
 * exact sum over the support up to a tail mass of 1e-16 (at most n terms).
 */
export function runQuadrature(p: Prepared, n: number): Omit<ExpectationAnswer, 'elapsedMs'> {
  const dist = p.dist as UnivariateDistribution;
  const tol = p.spec.tolerance;
  const { fn, state } = counting(p.f.evaluate);
  const warnings: string[] = [];
  if (dist.kind === 'discrete') {
    const r = sumDiscrete(fn, dist, DISCRETE_TAIL_MASS, n);
    return discreteAnswer(p, r, state, warnings);
  }
  const r = integrateAgainst(
    fn,
    dist,
    tol === undefined ? { maxEvaluations: n } : { absTol: tol, relTol: 0, maxEvaluations: n },
  );
  let estimate = r.value;
  let errorEstimate = r.errorEstimate;
  const divergence = meanDivergence(dist, p.f);
  if (divergence !== undefined) warnings.push(divergenceWarning(divergence, 'integral'));
  if (state.bad > 0) {
    warnings.push(nonFiniteWarning(state.bad, r.evaluations, state.example));
    estimate = Number.NaN;
    errorEstimate = Number.NaN;
  } else if (divergence !== undefined) {
    // Whatever the rule's error estimate says (a symmetric f can cancel between the pieces), the
    // integral is infinite.
    errorEstimate = Number.POSITIVE_INFINITY;
  } else if (!r.converged) {
    warnings.push(
      `the adaptive quadrature did not reach its error target within n = ${n} evaluations (error estimate ` +
        `${r.errorEstimate.toExponential(2)}): the integral may not exist (heavy tails: E[x] under a Cauchy has ` +
        'none) or f may be too rough; a larger n or monte_carlo may help',
    );
  }
  const answer: Omit<ExpectationAnswer, 'elapsedMs'> = {
    estimate,
    method: 'quadrature',
    n: r.evaluations,
    errorEstimate,
    evaluations: r.evaluations,
    nonFinite: state.bad,
    warnings,
    converged: r.converged && state.bad === 0 && divergence === undefined,
    truncatedMass: r.truncatedMass,
  };
  if (divergence !== undefined) answer.meanExists = false;
  if (tol !== undefined) answer.tolerance = tol;
  return answer;
}
