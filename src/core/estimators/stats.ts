import quantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Running moments of a stream of values: count, mean and M2 = sum of squared deviations (Welford).
 * Chunks of work each produce one; `mergeStats` combines two (Chan, Golub and LeVeque, 1979).
 * Floating-point merging is not associative, so every consumer folds chunk stats left to right in
 * chunk order: that is what makes a job's numbers independent of how many workers ran it.
 */
export interface RunningStats {
  n: number;
  mean: number;
  m2: number;
}

export function emptyStats(): RunningStats {
  return { n: 0, mean: 0, m2: 0 };
}

/** Welford's update with one value (mutates and returns `s`). */
export function pushValue(s: RunningStats, value: number): RunningStats {
  s.n += 1;
  const delta = value - s.mean;
  s.mean += delta / s.n;
  s.m2 += delta * (value - s.mean);
  return s;
}

/** Statistics of an array of values. */
export function statsOf(values: ArrayLike<number>): RunningStats {
  const s = emptyStats();
  for (let i = 0; i < values.length; i++) pushValue(s, values[i]!);
  return s;
}

/** Chan's pairwise combination: the stats of a followed by b. Returns a new object. */
export function mergeStats(a: RunningStats, b: RunningStats): RunningStats {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + ((delta * delta * a.n) / n) * b.n,
  };
}

/** Unbiased sample variance (n - 1 in the denominator). */
export function sampleVariance(s: RunningStats): number {
  return s.n > 1 ? s.m2 / (s.n - 1) : Number.NaN;
}

/** Standard error of the mean. */
export function standardError(s: RunningStats): number {
  return s.n > 1 ? Math.sqrt(sampleVariance(s) / s.n) : Number.NaN;
}

export interface ConfidenceInterval {
  level: number;
  low: number;
  high: number;
}

/** A normal-approximation interval estimate ± z * stdError at the given level. */
export function normalInterval(estimate: number, stdError: number, level: number): ConfidenceInterval {
  const z = quantile(0.5 + level / 2, 0, 1);
  return { level, low: estimate - z * stdError, high: estimate + z * stdError };
}

/**
 * A Student-t interval estimate ± t_{df} * stdError: for an estimate that is the mean of a few
 * independent replicates (quasi-Monte Carlo's scrambles), with df = replicates - 1.
 */
export function tInterval(estimate: number, stdError: number, level: number, df: number): ConfidenceInterval {
  const t = tQuantile(0.5 + level / 2, df);
  return { level, low: estimate - t * stdError, high: estimate + t * stdError };
}
