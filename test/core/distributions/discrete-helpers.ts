/**
 * Shared helpers for the discrete, multivariate and mixture tests: the scipy/mpmath fixture
 * (test/fixtures/discrete.json, written by test/reference/discrete.py), tolerance checks and the
 * goodness-of-fit statistics used on the samplers.
 */
import { readFileSync } from 'node:fs';
import chisqQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import { expect } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type {
  DistributionSpec,
  MultivariateDistribution,
  UnivariateDistribution,
} from '../../../src/core/distributions/types.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createRng, type Rng } from '../../../src/core/rng/index.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON has no Infinity or NaN: the fixture writes them as strings. */
function decode(v: Json): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return Number.NaN;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === 'spec' ? x : decode(x);
    return out;
  }
  return v;
}

export interface DiscreteCase {
  name: string;
  spec: DistributionSpec;
  points: number[];
  logpmf: number[];
  cdf: number[];
  sf: number[];
  p: number[];
  quantile: number[];
  mean: number;
  variance: number;
  entropy: number;
}

export interface MultivariateCase {
  name: string;
  spec: DistributionSpec;
  points: number[][];
  logpdf: number[];
  mean: number[];
  covariance: number[][];
  entropy: number;
}

export interface MixtureCase {
  name: string;
  spec: DistributionSpec;
  kind: 'continuous' | 'discrete' | 'multivariate';
  points: (number | number[])[];
  logpdf: number[];
  cdf?: number[];
  sf?: number[];
  p?: number[];
  quantile?: number[];
  mean: number | number[];
  variance?: number;
  covariance?: number[][];
  entropy: number;
  entropyQuadratureError?: number;
}

export interface Fixture {
  discrete: DiscreteCase[];
  multivariate: MultivariateCase[];
  mixtures: MixtureCase[];
  linalg: {
    known: { matrix: number[][]; cholesky: number[][]; logdet: number };
    random: {
      matrix: number[][];
      cholesky: number[][];
      b: number[];
      solve: number[];
      logdet: number;
      inverse: number[][];
      cond: number;
    };
    notPositiveDefinite: { matrix: number[][]; pivot: number };
  };
}

let cached: Fixture | undefined;

export function fixture(): Fixture {
  if (cached === undefined) {
    const url = new URL('../../fixtures/discrete.json', import.meta.url);
    cached = decode(JSON.parse(readFileSync(url, 'utf8')) as Json) as Fixture;
  }
  return cached;
}

export function univariate(spec: DistributionSpec): UnivariateDistribution {
  const d = createDistribution(spec);
  if (d.kind === 'multivariate') throw new Error(`${spec.family} is multivariate`);
  return d;
}

export function multivariate(spec: DistributionSpec): MultivariateDistribution {
  const d = createDistribution(spec);
  if (d.kind !== 'multivariate') throw new Error(`${spec.family} is univariate`);
  return d;
}

/**
 * |actual - expected| <= rel |expected| + abs, with equal infinities (and NaNs) accepted.
 * `what` names the value in the failure message.
 */
export function expectClose(actual: number, expected: number, rel: number, abs: number, what: string): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tol = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(
      `${what}: got ${actual}, expected ${expected} (error ${Math.abs(actual - expected)}, tolerance ${tol})`,
    );
  }
}

/** expectClose element by element. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  abs: number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, rel, abs, `${what}[${i}]`);
}

/** Matrices equal to `rel` times the largest absolute entry of `expected`. */
export function expectMatrixClose(actual: number[][], expected: number[][], rel: number, what: string): void {
  const scale = Math.max(...expected.flat().map(Math.abs));
  expect(actual.length, `${what}: rows`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expectAllClose(actual[i]!, expected[i]!, 0, rel * scale, `${what}[${i}]`);
  }
}

/** Expect `fn` to throw an InvalidInputError whose first issue names `path`. */
export function expectInvalid(fn: () => unknown, path: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected an InvalidInputError at ${path}`).toBeInstanceOf(InvalidInputError);
  const err = caught as InvalidInputError;
  expect(err.issues[0]?.path).toBe(path);
  if (message !== undefined) expect(err.issues[0]?.message).toMatch(message);
}

/** The chi-square critical value at level alpha for df degrees of freedom. */
export function chiSquareCritical(df: number, alpha = 0.001): number {
  return chisqQuantile(1 - alpha, df);
}

/**
 * Pearson's chi-square goodness of fit of integer draws to a discrete law. Cells are the integers
 * from quantile(1e-12) to quantile(1 - 1e-12), the end cells taking the tails (cdf and sf), and
 * adjacent cells are pooled until each expects at least 5 draws.
 */
export function chiSquareGof(
  d: UnivariateDistribution,
  draws: Float64Array,
): { stat: number; df: number; critical: number } {
  const n = draws.length;
  const lo = d.quantile(1e-12);
  const hi = d.quantile(1 - 1e-12);
  const counts = new Map<number, number>();
  for (const x of draws) {
    const k = Math.min(hi, Math.max(lo, x));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const cells: { expected: number; observed: number }[] = [];
  let cur = { expected: 0, observed: 0 };
  for (let k = lo; k <= hi; k++) {
    let prob: number;
    if (k === lo && k === hi) prob = 1;
    else if (k === lo) prob = d.cdf(k);
    else if (k === hi) prob = d.sf(k - 1);
    else prob = Math.exp(d.logPdf(k));
    cur.expected += n * prob;
    cur.observed += counts.get(k) ?? 0;
    if (cur.expected >= 5) {
      cells.push(cur);
      cur = { expected: 0, observed: 0 };
    }
  }
  if (cur.expected > 0 || cur.observed > 0) {
    if (cells.length === 0) cells.push(cur);
    else {
      const last = cells[cells.length - 1]!;
      last.expected += cur.expected;
      last.observed += cur.observed;
    }
  }
  let stat = 0;
  for (const c of cells) stat += ((c.observed - c.expected) * (c.observed - c.expected)) / c.expected;
  const df = Math.max(1, cells.length - 1);
  return { stat, df, critical: chiSquareCritical(df) };
}

/** The Kolmogorov-Smirnov statistic of draws against a continuous cdf. */
export function ksStatistic(cdf: (x: number) => number, draws: Float64Array): number {
  const xs = Float64Array.from(draws).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** The asymptotic KS critical value sqrt(-log(alpha / 2) / 2) / sqrt(n). */
export function ksCritical(n: number, alpha = 0.001): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/** Sample mean and (unbiased) variance, and the sample fourth central moment. */
export function moments(xs: Float64Array): { mean: number; variance: number; m4: number } {
  const n = xs.length;
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / n;
  let s2 = 0;
  let s4 = 0;
  for (const x of xs) {
    const d = x - mean;
    s2 += d * d;
    s4 += d * d * d * d;
  }
  return { mean, variance: s2 / (n - 1), m4: s4 / n };
}

/**
 * Check the sample mean and variance of univariate draws against the exact ones, within 5
 * standard errors: sqrt(var / n) for the mean and sqrt((mu4 - var^2) / n) for the variance, mu4
 * the sample fourth central moment.
 */
export function expectMomentsWithin5Se(d: UnivariateDistribution, draws: Float64Array, what: string): void {
  const n = draws.length;
  const { mean, variance, m4 } = moments(draws);
  const v = d.variance();
  const seMean = Math.sqrt(v / n);
  const seVar = Math.sqrt(Math.max(m4 - v * v, 0) / n);
  if (v === 0) {
    expect(mean, what).toBe(d.mean());
    expect(variance, what).toBe(0);
    return;
  }
  expectClose(mean, d.mean(), 0, 5 * seMean, `${what}: sample mean`);
  expectClose(variance, v, 0, 5 * seVar, `${what}: sample variance`);
}

/** n draws of a univariate distribution by sample(). */
export function drawMany(d: UnivariateDistribution, rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = d.sample(rng);
  return out;
}

/** Draw n points into a flat row-major array. */
export function drawPoints(d: MultivariateDistribution, seed: number | string, n: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n * d.dim);
  for (let i = 0; i < n; i++) d.sample(rng, out, i * d.dim);
  return out;
}

/**
 * Sample mean and covariance within 5 standard errors of the exact ones. The standard errors are
 * estimated from the sample itself: sd(x_i) / sqrt(n) for a mean, and
 * sd((x_i - m_i)(x_j - m_j)) / sqrt(n) for a covariance entry.
 */
export function expectMeanCovWithin5Se(d: MultivariateDistribution, xs: Float64Array, what: string): void {
  const k = d.dim;
  const n = xs.length / k;
  const mean = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < k; i++) mean[i]! += xs[r * k + i]! / n;
  const mu = d.mean();
  const cov = d.covariance();
  for (let i = 0; i < k; i++) {
    let s2 = 0;
    for (let r = 0; r < n; r++) s2 += (xs[r * k + i]! - mean[i]!) ** 2;
    const se = Math.sqrt(s2 / (n - 1) / n);
    expectClose(mean[i]!, mu[i]!, 0, 5 * se, `${what}: mean[${i}]`);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      let s2 = 0;
      for (let r = 0; r < n; r++) {
        const p = (xs[r * k + i]! - mean[i]!) * (xs[r * k + j]! - mean[j]!);
        s += p;
        s2 += p * p;
      }
      const c = s / (n - 1);
      const se = Math.sqrt(Math.max(s2 / n - (s / n) ** 2, 0) / n);
      expectClose(c, cov[i]![j]!, 0, 5 * se + 1e-15, `${what}: cov[${i}][${j}]`);
    }
  }
}
