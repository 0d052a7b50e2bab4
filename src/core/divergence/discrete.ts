import type { DistributionSpec, UnivariateDistribution } from '../distributions/types.js';
import { invalid } from '../errors.js';
import { sumDiscrete } from '../estimators/quadrature.js';
import { fmt, logRatioToMidpoint } from './numeric.js';

/** The result of a numerical method (summation or quadrature), with its error estimate. */
export interface NumericResult {
  value: number;
  errorEstimate: number;
  evaluations: number;
  converged: boolean;
  note?: string;
}

/** A probability vector is read as this categorical distribution; the sum tolerance is the family's. */
const SUM_TOLERANCE = 1e-9;

/**
 * Check a plain probability vector (non-negative entries summing to 1 within 1e-9) and return it
 * as a categorical spec. Errors name `path` and the entry.
 */
export function vectorSpec(v: readonly number[], path: string): DistributionSpec {
  if (v.length === 0) invalid(path, 'must have at least one entry');
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) invalid(`${path}.${i}`, `must be a finite number (got ${x})`);
    if (x < 0) invalid(`${path}.${i}`, `must be >= 0: a probability cannot be negative (got ${x})`);
    sum += x;
  }
  if (!(Math.abs(sum - 1) <= SUM_TOLERANCE))
    invalid(path, `must sum to 1 within ${SUM_TOLERANCE} (sums to ${sum})`);
  return { family: 'categorical', probs: v.slice() };
}

/** At most this many outcomes are summed exactly, end to end, as a "closed form". */
export const MAX_EXACT_OUTCOMES = 1_000_000;

/** Whether d has finite support small enough to sum over completely (an exact finite sum). */
export function smallFiniteSupport(d: UnivariateDistribution): boolean {
  const { lower, upper } = d.support;
  return Number.isFinite(lower) && Number.isFinite(upper) && upper - lower + 1 <= MAX_EXACT_OUTCOMES;
}

/** The first outcome k at or above `from` (up to `to`) with p(k) > 0, scanning at most 10^6 steps. */
function firstPositive(p: UnivariateDistribution, from: number, to: number): number | undefined {
  for (let k = from, steps = 0; k <= to && steps < 1_000_000; k++, steps++) {
    if (p.logPdf(k) > Number.NEGATIVE_INFINITY) return k;
  }
  return undefined;
}

const outsideNote = (pName: string, qName: string, k: number, pk: number) =>
  `${pName} gives probability ${fmt(pk)} to outcome ${k}, where ${qName} gives 0: ` +
  `KL(${pName} || ${qName}) is infinite`;

/**
 * KL(p || q) for discrete p and q, summed over p's support up to a tail mass of 1e-16 (the whole
 * support when it is small and finite). An outcome with p > 0 = q makes it Infinity, and the note
 * names the first such outcome; the tails beyond the summed range are checked through q's support
 * bounds and p's cdf and survival function, so a q that stops short of p's tail is caught too.
 */
export function summedKl(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  pName = 'p',
  qName = 'q',
): NumericResult {
  const exact = smallFiniteSupport(p);
  let first: number | undefined;
  let absSum = 0;
  const r = sumDiscrete(
    (k) => {
      const lp = p.logPdf(k);
      const lq = q.logPdf(k);
      if (lq === Number.NEGATIVE_INFINITY) {
        if (first === undefined) first = k;
        return 0;
      }
      const v = lp - lq;
      absSum += Math.abs(v) * Math.exp(lp);
      return v;
    },
    p,
    exact ? 0 : 1e-16,
  );
  const infinite = (note: string): NumericResult => ({
    value: Number.POSITIVE_INFINITY,
    errorEstimate: 0,
    evaluations: r.terms,
    converged: true,
    note,
  });
  if (first !== undefined) return infinite(outsideNote(pName, qName, first, Math.exp(p.logPdf(first))));
  const tails = tailViolation(p, q, pName, qName);
  if (tails !== undefined) return infinite(tails);
  // Error: rounding of the compensated sum, plus the truncated tail at the size of its end terms.
  const ends = [r.lower, r.upper].map((k) => Math.abs(p.logPdf(k) - q.logPdf(k)));
  const tailError = r.truncatedMass * Math.max(1, ...ends.filter(Number.isFinite));
  return {
    value: Math.max(0, r.value),
    errorEstimate: tailError + 4 * Number.EPSILON * absSum,
    evaluations: r.terms,
    converged: r.converged,
  };
}

/** Does p put mass beyond either end of q's support (checked through p's cdf and sf)? */
function tailViolation(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  pName: string,
  qName: string,
): string | undefined {
  const qs = q.support;
  const ps = p.support;
  if (qs.upper < ps.upper && p.sf(qs.upper) > 0) {
    const k = firstPositive(p, qs.upper + 1, ps.upper) ?? qs.upper + 1;
    return outsideNote(pName, qName, k, Math.exp(p.logPdf(k)));
  }
  if (qs.lower > ps.lower && p.cdf(qs.lower - 1) > 0) {
    const k = firstPositive(p, ps.lower, qs.lower - 1) ?? ps.lower;
    return outsideNote(pName, qName, k, Math.exp(p.logPdf(k)));
  }
  return undefined;
}

/**
 * Why KL(p || q) is infinite for discrete p and q, without summing: an outcome of p's (small, finite)
 * support that q does not have, or p's mass beyond q's support bounds. Undefined when there is none
 * (for p of infinite support, only the bounds are checked).
 */
export function discreteSupportViolation(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  pName = 'p',
  qName = 'q',
): string | undefined {
  if (smallFiniteSupport(p)) {
    for (let k = p.support.lower; k <= p.support.upper; k++) {
      const lp = p.logPdf(k);
      if (lp > Number.NEGATIVE_INFINITY && q.logPdf(k) === Number.NEGATIVE_INFINITY)
        return outsideNote(pName, qName, k, Math.exp(lp));
    }
    return undefined;
  }
  return tailViolation(p, q, pName, qName);
}

/** JS(p, q) = (KL(p || m) + KL(q || m)) / 2, m = (p + q) / 2, each half summed over its own support. */
export function summedJs(p: UnivariateDistribution, q: UnivariateDistribution): NumericResult {
  const half = (a: UnivariateDistribution, b: UnivariateDistribution) => {
    const exact = smallFiniteSupport(a);
    return sumDiscrete((k) => logRatioToMidpoint(a.logPdf(k), b.logPdf(k)), a, exact ? 0 : 1e-16);
  };
  const x = half(p, q);
  const y = half(q, p);
  const value = Math.min(Math.LN2, Math.max(0, 0.5 * (x.value + y.value)));
  return {
    value,
    // Each integrand lies in (-inf, log 2]; the tails carry at most their mass times a few nats.
    errorEstimate: Math.LN2 * (x.truncatedMass + y.truncatedMass) + 4 * Number.EPSILON,
    evaluations: x.terms + y.terms,
    converged: x.converged && y.converged,
  };
}
