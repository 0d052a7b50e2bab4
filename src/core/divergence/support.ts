import { createDistribution } from '../distributions/registry.js';
import type { Distribution, DistributionSpec, UnivariateDistribution } from '../distributions/types.js';
import { fmt } from './numeric.js';
import { mixtureParts } from './params.js';

/**
 * Where a distribution lives, as far as absolute continuity goes: two distributions on different
 * spaces (a density on the line and a mass function on the integers; a density on R^k and a
 * Dirichlet on the simplex, a null set of R^k) are mutually singular, so KL is infinite both ways
 * and Jensen-Shannon is log 2.
 */
export function spaceOf(d: Distribution): string {
  return spaceOfSpec(d.spec, d);
}

function spaceOfSpec(spec: DistributionSpec, d?: Distribution): string {
  if (spec.family === 'mixture') {
    const { weights, components } = mixtureParts(spec);
    const spaces = new Set<string>();
    components.forEach((c, i) => {
      if (weights[i]! > 0) spaces.add(spaceOfSpec(c));
    });
    return spaces.size === 1 ? [...spaces][0]! : 'mixed';
  }
  const dist = d ?? createDistribution(spec);
  if (dist.kind === 'discrete') return 'the integers (a mass function)';
  if (dist.kind === 'continuous') return 'the real line (a density)';
  if (spec.family === 'dirichlet') return `the ${dist.dim - 1}-simplex in R^${dist.dim}`;
  return `R^${dist.dim} (a density)`;
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The support of a univariate continuous distribution as a union of disjoint closed intervals
 * (the families' densities are positive on the whole of their support interval; a mixture's
 * support is the union of its components').
 */
export function supportIntervals(d: UnivariateDistribution): Interval[] {
  if (d.family !== 'mixture') return [{ lower: d.support.lower, upper: d.support.upper }];
  const { weights, components } = mixtureParts(d.spec);
  const all: Interval[] = [];
  components.forEach((c, i) => {
    if (weights[i]! > 0) all.push(...supportIntervals(createDistribution(c) as UnivariateDistribution));
  });
  return mergeIntervals(all);
}

function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.lower - b.lower);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.lower <= last.upper) last.upper = Math.max(last.upper, iv.upper);
    else out.push({ ...iv });
  }
  return out;
}

/** The first part of the union `inner` that the union `outer` does not cover (up to endpoints). */
export function uncovered(inner: Interval[], outer: Interval[]): Interval | undefined {
  for (const iv of inner) {
    let at = iv.lower;
    // Walk along iv through the covering intervals of `outer` (merged, sorted).
    for (const o of outer) {
      if (o.upper <= at) continue;
      if (o.lower > at) return { lower: at, upper: Math.min(o.lower, iv.upper) };
      at = o.upper;
      if (at >= iv.upper) break;
    }
    if (at < iv.upper) return { lower: at, upper: iv.upper };
  }
  return undefined;
}

const interval = (iv: Interval) => `(${fmt(iv.lower)}, ${fmt(iv.upper)})`;

/**
 * For univariate continuous p and q: why KL(p || q) is infinite by support (p has density where q
 * has none), or undefined when p's support lies inside q's. `pName`/`qName` are the names in the
 * message ("p", "q").
 */
export function continuousSupportViolation(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  pName: string,
  qName: string,
): string | undefined {
  const gap = uncovered(supportIntervals(p), supportIntervals(q));
  if (gap === undefined) return undefined;
  const mass = Math.max(0, Math.min(1, p.cdf(gap.upper) - p.cdf(gap.lower)));
  const massText = mass > 0 ? ` (probability ${fmt(mass)})` : '';
  return (
    `the support of ${pName} is not inside that of ${qName}: ${pName} has density on ` +
    `${interval(gap)}${massText}, where ${qName}'s density is 0`
  );
}
