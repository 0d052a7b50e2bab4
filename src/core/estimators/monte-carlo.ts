import type { Distribution, UnivariateDistribution } from '../distributions/types.js';
import { evaluateBatch } from '../expressions/index.js';
import { createRng, type Rng } from '../rng/index.js';
import { divergenceWarning, specDivergence, specVarianceDivergence, varianceWarning } from './existence.js';
import {
  type ExpectationAnswer,
  type ExpectationTaskSpec,
  MC_CHUNK_SIZE,
  type Prepared,
  QMC_REPLICATES,
  showX,
} from './expectation-spec.js';
import {
  emptyStats,
  mergeStats,
  normalInterval,
  pushValue,
  type RunningStats,
  sampleVariance,
  standardError,
  tInterval,
} from './stats.js';

/** How many extreme values of f each chunk keeps, for the heavy-tail check. */
export const EXTREMES = 4;

/**
 * What one chunk of a Monte Carlo run yields: plain data, so it crosses worker threads as is.
 * Non-finite values of f are counted and left out of the moments.
 */
export interface ChunkResult {
  index: number;
  /** Draws made (evaluations of f). */
  draws: number;
  /**
   * Moments of the finite values of f (monte_carlo, and each scramble of quasi_monte_carlo),
   * or of the finite pair means (f(x) + f(x')) / 2 (antithetic).
   */
  stats: RunningStats;
  /** antithetic: the moments of the finite single values, for the variance reduction. */
  single?: RunningStats;
  /** Values of f that were NaN or +-Infinity. */
  nonFinite: number;
  /** The first x (as a row) where f was not finite. */
  nonFiniteExample?: number[];
  /** The EXTREMES largest finite values of f, descending. */
  largest: number[];
  /** The EXTREMES smallest finite values of f, ascending. */
  smallest: number[];
  /** quasi_monte_carlo: this chunk is one whole scramble (its mean is one replicate). */
  replicate?: boolean;
}

/** A left fold of chunk results in index order (what summarizeMonteCarlo reads). */
export interface FoldedStats {
  chunks: number;
  draws: number;
  stats: RunningStats;
  single?: RunningStats;
  nonFinite: number;
  nonFiniteExample?: number[];
  largest: number[];
  smallest: number[];
  /** quasi_monte_carlo: one RunningStats per scramble, in order. */
  replicates?: RunningStats[];
}

export function emptyFold(): FoldedStats {
  return { chunks: 0, draws: 0, stats: emptyStats(), nonFinite: 0, largest: [], smallest: [] };
}

/**
 * acc followed by chunk: Chan's merge of the moments and the rest combined. Returns a new object.
 * Callers must fold chunks in index order (floating-point merging is not associative).
 */
export function foldChunk(acc: FoldedStats, chunk: ChunkResult): FoldedStats {
  const out: FoldedStats = {
    chunks: acc.chunks + 1,
    draws: acc.draws + chunk.draws,
    stats: mergeStats(acc.stats, chunk.stats),
    nonFinite: acc.nonFinite + chunk.nonFinite,
    largest: [...acc.largest, ...chunk.largest].sort((a, b) => b - a).slice(0, EXTREMES),
    smallest: [...acc.smallest, ...chunk.smallest].sort((a, b) => a - b).slice(0, EXTREMES),
  };
  if (acc.single !== undefined || chunk.single !== undefined)
    out.single = mergeStats(acc.single ?? emptyStats(), chunk.single ?? emptyStats());
  const example = acc.nonFiniteExample ?? chunk.nonFiniteExample;
  if (example !== undefined) out.nonFiniteExample = example;
  if (chunk.replicate) out.replicates = [...(acc.replicates ?? []), { ...chunk.stats }];
  else if (acc.replicates !== undefined) out.replicates = acc.replicates;
  return out;
}

/** The left fold of `chunks` (in the order given, which must be index order) onto `acc`. */
export function foldChunks(chunks: readonly ChunkResult[], acc: FoldedStats = emptyFold()): FoldedStats {
  let out = acc;
  for (const c of chunks) out = foldChunk(out, c);
  return out;
}

/**
 * Draws a run of n makes: antithetic draws in pairs (an odd n becomes n + 1), quasi-Monte Carlo in
 * QMC_REPLICATES scrambles of ceil(n / QMC_REPLICATES) points.
 */
export function effectiveDraws(method: ExpectationTaskSpec['method'], n: number): number {
  if (method === 'antithetic') return 2 * Math.ceil(n / 2);
  if (method === 'quasi_monte_carlo') return QMC_REPLICATES * Math.ceil(n / QMC_REPLICATES);
  return n;
}

/**
 * The number of chunks of a run of n: ceil(draws / MC_CHUNK_SIZE) for monte_carlo and antithetic;
 * for quasi_monte_carlo one chunk per scramble (QMC_REPLICATES, each of ceil(n / QMC_REPLICATES) points).
 */
export function chunkCount(method: ExpectationTaskSpec['method'], n: number): number {
  if (method === 'quasi_monte_carlo') return QMC_REPLICATES;
  if (method !== 'monte_carlo' && method !== 'antithetic')
    throw new Error(`${method} is not a chunked (Monte Carlo) method`);
  return Math.ceil(effectiveDraws(method, n) / MC_CHUNK_SIZE);
}

/** Draws in chunk `index` of a run of n. */
export function chunkSize(method: ExpectationTaskSpec['method'], n: number, index: number): number {
  if (method === 'quasi_monte_carlo') return Math.ceil(n / QMC_REPLICATES);
  const total = effectiveDraws(method, n);
  return Math.max(0, Math.min(MC_CHUNK_SIZE, total - index * MC_CHUNK_SIZE));
}

/** Scratch buffers reused across chunks: no allocation per draw. */
export class Workspace {
  x: Float64Array;
  x2: Float64Array;
  fx: Float64Array;
  f2: Float64Array;
  row: Float64Array;
  constructor(dim: number, size = MC_CHUNK_SIZE) {
    this.x = new Float64Array(size * dim);
    this.x2 = new Float64Array(size * dim);
    this.fx = new Float64Array(size);
    this.f2 = new Float64Array(size);
    this.row = new Float64Array(dim);
  }
}

function drawInto(dist: Distribution, rng: Rng, x: Float64Array, size: number): void {
  if (dist.kind === 'multivariate') {
    const d = dist.dim;
    for (let i = 0; i < size; i++) dist.sample(rng, x, i * d);
  } else {
    dist.sampleInto(rng, x);
  }
}

export function monteCarloChunk(p: Prepared, index: number, size: number, ws: Workspace): ChunkResult {
  const { dist, f } = p;
  const rng = createRng(p.spec.seed, index);
  const x = ws.x.subarray(0, size * dist.dim);
  const fx = ws.fx.subarray(0, size);
  drawInto(dist, rng, x, size);
  const bad = evaluateBatch(f, x, fx);
  const result = valueStats(fx, bad, index);
  result.nonFinite = bad;
  if (bad > 0) result.nonFiniteExample = firstNonFinite(fx, x, dist.dim);
  return result;
}

/** Families whose noise is symmetric about the median c (x and 2c - x have the same law). */
export const SYMMETRIC = new Set(['normal', 'student_t', 'laplace', 'cauchy', 'uniform']);

export function antitheticChunk(p: Prepared, index: number, size: number, ws: Workspace): ChunkResult {
  const dist = p.dist as UnivariateDistribution;
  const { f } = p;
  const pairs = size / 2;
  const rng = createRng(p.spec.seed, index);
  const x1 = ws.x.subarray(0, pairs);
  const x2 = ws.x2.subarray(0, pairs);
  if (SYMMETRIC.has(dist.family)) {
    // Symmetric noise: the family's own sampler, reflected about the centre.
    const c2 = 2 * dist.quantile(0.5);
    dist.sampleInto(rng, x1);
    for (let i = 0; i < pairs; i++) x2[i] = c2 - x1[i]!;
  } else {
    // Monotone inverse transform: x = F^-1(u), x' = F^-1(1 - u).
    for (let i = 0; i < pairs; i++) {
      const u = rng.uniformOpen();
      x1[i] = dist.quantile(u);
      x2[i] = dist.quantile(1 - u);
    }
  }
  const f1 = ws.fx.subarray(0, pairs);
  const f2 = ws.f2.subarray(0, pairs);
  const bad = evaluateBatch(f, x1, f1) + evaluateBatch(f, x2, f2);
  // Singles: both halves; pairs: their means where both are finite.
  const s1 = valueStats(f1, bad, index);
  const s2 = valueStats(f2, bad, index);
  const single = mergeStats(s1.stats, s2.stats);
  let stats: RunningStats;
  if (bad === 0) {
    for (let i = 0; i < pairs; i++) f1[i] = 0.5 * (f1[i]! + f2[i]!);
    stats = valueStats(f1, 0, index).stats;
  } else {
    let k = 0;
    for (let i = 0; i < pairs; i++) {
      const a = f1[i]!;
      const b = f2[i]!;
      if (a - a === 0 && b - b === 0) f1[k++] = 0.5 * (a + b);
    }
    stats = valueStats(f1.subarray(0, k), 0, index).stats;
  }
  const result: ChunkResult = {
    index,
    draws: size,
    stats,
    single,
    nonFinite: bad,
    largest: [...s1.largest, ...s2.largest].sort((a, b) => b - a).slice(0, EXTREMES),
    smallest: [...s1.smallest, ...s2.smallest].sort((a, b) => a - b).slice(0, EXTREMES),
  };
  if (bad > 0) {
    // Recompute f where needed to find an example (rare path).
    for (let i = 0; i < pairs; i++) {
      for (const xv of [x1[i]!, x2[i]!]) {
        const v = f.evaluate(xv);
        if (!(v - v === 0)) {
          result.nonFiniteExample = [xv];
          i = pairs;
          break;
        }
      }
    }
  }
  return result;
}

/** The row of x where fx is first non-finite. */
export function firstNonFinite(fx: Float64Array, x: Float64Array, dim: number): number[] | undefined {
  for (let i = 0; i < fx.length; i++) {
    const v = fx[i]!;
    if (!(v - v === 0)) return Array.from(x.subarray(i * dim, (i + 1) * dim));
  }
  return undefined;
}

function insertLargest(hi: Float64Array, v: number): number {
  let j = EXTREMES - 1;
  while (j > 0 && hi[j - 1]! < v) {
    hi[j] = hi[j - 1]!;
    j--;
  }
  hi[j] = v;
  return hi[EXTREMES - 1]!;
}

function insertSmallest(lo: Float64Array, v: number): number {
  let j = EXTREMES - 1;
  while (j > 0 && lo[j - 1]! > v) {
    lo[j] = lo[j - 1]!;
    j--;
  }
  lo[j] = v;
  return lo[EXTREMES - 1]!;
}

/**
 * Moments and extremes of a buffer of f values, by two passes: the first sums the values and keeps
 * the EXTREMES largest and smallest (one comparison each per value in the common case), the second
 * sums squared deviations from that mean with the compensating term of Chan, Golub and LeVeque. The
 * per-chunk equivalent of Welford's running update: at least as accurate, without a division per
 * value, and fast: four independent accumulators (a fixed order, so the same bits every time) keep
 * the adds from waiting on each other. `bad` > 0 says some values are not finite: they are skipped.
 */
export function valueStats(fx: Float64Array, bad: number, index: number): ChunkResult {
  if (bad !== 0) return valueStatsSkipping(fx, index);
  const len = fx.length;
  const hi = new Float64Array(EXTREMES).fill(Number.NEGATIVE_INFINITY);
  const lo = new Float64Array(EXTREMES).fill(Number.POSITIVE_INFINITY);
  let hiMin = Number.NEGATIVE_INFINITY;
  let loMax = Number.POSITIVE_INFINITY;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n4 = len - (len % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const a = fx[i]!;
    const b = fx[i + 1]!;
    const c = fx[i + 2]!;
    const d = fx[i + 3]!;
    s0 += a;
    s1 += b;
    s2 += c;
    s3 += d;
    if (a > hiMin) hiMin = insertLargest(hi, a);
    if (b > hiMin) hiMin = insertLargest(hi, b);
    if (c > hiMin) hiMin = insertLargest(hi, c);
    if (d > hiMin) hiMin = insertLargest(hi, d);
    if (a < loMax) loMax = insertSmallest(lo, a);
    if (b < loMax) loMax = insertSmallest(lo, b);
    if (c < loMax) loMax = insertSmallest(lo, c);
    if (d < loMax) loMax = insertSmallest(lo, d);
  }
  for (; i < len; i++) {
    const a = fx[i]!;
    s0 += a;
    if (a > hiMin) hiMin = insertLargest(hi, a);
    if (a < loMax) loMax = insertSmallest(lo, a);
  }
  const k = Math.min(len, EXTREMES);
  const largest = Array.from(hi.subarray(0, k));
  const smallest = Array.from(lo.subarray(0, k));
  if (len === 0) return { index, draws: 0, stats: emptyStats(), nonFinite: 0, largest, smallest };
  const mean = (s0 + s1 + (s2 + s3)) / len;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let c0 = 0;
  let c1 = 0;
  for (i = 0; i < n4; i += 4) {
    const a = fx[i]! - mean;
    const b = fx[i + 1]! - mean;
    const c = fx[i + 2]! - mean;
    const d = fx[i + 3]! - mean;
    m0 += a * a;
    m1 += b * b;
    m2 += c * c;
    m3 += d * d;
    c0 += a + b;
    c1 += c + d;
  }
  for (; i < len; i++) {
    const a = fx[i]! - mean;
    m0 += a * a;
    c0 += a;
  }
  const comp = c0 + c1;
  const ss = m0 + m1 + (m2 + m3) - (comp * comp) / len;
  const stats = { n: len, mean: mean + comp / len, m2: Math.max(0, ss) };
  return { index, draws: len, stats, nonFinite: 0, largest, smallest };
}

/** valueStats where some values are NaN or infinite: the same passes over the finite ones only. */
function valueStatsSkipping(fx: Float64Array, index: number): ChunkResult {
  const len = fx.length;
  const hi = new Float64Array(EXTREMES).fill(Number.NEGATIVE_INFINITY);
  const lo = new Float64Array(EXTREMES).fill(Number.POSITIVE_INFINITY);
  let hiMin = Number.NEGATIVE_INFINITY;
  let loMax = Number.POSITIVE_INFINITY;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const v = fx[i]!;
    if (!(v - v === 0)) continue;
    n++;
    sum += v;
    if (v > hiMin) hiMin = insertLargest(hi, v);
    if (v < loMax) loMax = insertSmallest(lo, v);
  }
  const k = Math.min(n, EXTREMES);
  const largest = Array.from(hi.subarray(0, k));
  const smallest = Array.from(lo.subarray(0, k));
  if (n === 0) return { index, draws: len, stats: emptyStats(), nonFinite: 0, largest, smallest };
  const mean = sum / n;
  let m2 = 0;
  let comp = 0;
  for (let i = 0; i < len; i++) {
    const v = fx[i]!;
    if (v - v === 0) {
      const d = v - mean;
      m2 += d * d;
      comp += d;
    }
  }
  const stats = { n, mean: mean + comp / n, m2: Math.max(0, m2 - (comp * comp) / n) };
  return { index, draws: len, stats, nonFinite: 0, largest, smallest };
}

/** Below this many finite values the heavy-tail check says nothing. */
export const HEAVY_TAIL_MIN_N = 200;
/** Warn when the EXTREMES largest squared deviations carry more than this share of their sum. */
export const HEAVY_TAIL_SHARE = 0.5;

/**
 * The heavy-tail check: the share of the sum of squared deviations (m2) carried by the EXTREMES (4)
 * values of f farthest from the mean. With a finite variance (and fourth moment) it shrinks like
 * log(n)/n (about 0.001 for a normal at n = 1e5); when the variance is infinite (Cauchy, Student t
 * with df <= 2) a few draws carry most of it at every n (median about 0.9 for a Cauchy), so the
 * sample variance never settles and neither a standard error nor, often, the mean itself exists.
 * Measured with numpy over 200 runs: a Cauchy exceeds 0.5 in 99% of runs at n >= 1e5, a normal x,
 * x^2 or exp(x) never does at n >= 1e5. A rare event (a handful of nonzero indicator values) also
 * trips it, and rightly: the estimate then rests on a few draws. Returns the share, or undefined
 * when there are too few values to judge.
 */
export function heavyTailShare(s: RunningStats, largest: number[], smallest: number[]): number | undefined {
  if (s.n < HEAVY_TAIL_MIN_N || !(s.m2 > 0)) return undefined;
  const devs = [...largest, ...smallest].map((v) => (v - s.mean) ** 2).sort((a, b) => b - a);
  let top = 0;
  for (let i = 0; i < EXTREMES && i < devs.length; i++) top += devs[i]!;
  return Math.min(1, top / s.m2);
}

function nonFiniteWarnings(folded: FoldedStats, finite: number, unit = 'draws'): string[] {
  if (folded.nonFinite === 0) return [];
  const ex = folded.nonFiniteExample ? ` (e.g. at x = ${showX(folded.nonFiniteExample)})` : '';
  const total = folded.draws;
  if (finite === 0)
    return [
      `f is not finite (NaN or +-Infinity) at all ${total} ${unit}${ex}: E[f] is undefined or infinite, so the estimate is NaN`,
    ];
  return [
    `f is not finite (NaN or +-Infinity) at ${folded.nonFinite} of ${total} ${unit}${ex}; they are left out, so the ` +
      `estimate is the mean of f over the ${finite} finite values (E[f] itself is undefined or infinite unless ` +
      'those points have probability 0)',
  ];
}

function heavyTailWarnings(s: RunningStats, folded: FoldedStats): string[] {
  const share = heavyTailShare(s, folded.largest, folded.smallest);
  if (share === undefined || share <= HEAVY_TAIL_SHARE) return [];
  return [
    `the sample variance has not settled: the ${EXTREMES} values of f farthest from the mean carry ` +
      `${(100 * share).toFixed(0)}% of the sum of squared deviations. f may have heavy tails (infinite ` +
      'variance, or no mean at all, as x under a Cauchy) or the estimate rests on a few rare draws; ' +
      'the standard error and interval are not reliable',
  ];
}

export interface SummaryInfo {
  elapsedMs: number;
  /** The n the request asked for (the cap, with a tolerance): says whether the run stopped early. */
  requestedN?: number;
  /** The same as requestedN (the job engine's name for it). */
  n?: number;
}

/** Has a run with this fold met the spec's tolerance (stdError below it)? Checked after each chunk. */
export function toleranceMet(spec: ExpectationTaskSpec, folded: FoldedStats): boolean {
  // A mean that does not exist has no standard error to meet (antithetic Cauchy pairs give 0).
  if (spec.tolerance === undefined || specDivergence(spec) !== undefined) return false;
  const se = standardError(folded.stats);
  return folded.stats.n > 1 && se < spec.tolerance;
}

/**
 * The answer of a Monte Carlo run (monte_carlo, antithetic, quasi_monte_carlo) from its folded chunks:
 * the synchronous endpoint and a job of the same body and n both end here, hence the same numbers.
 */
export function summarizeMonteCarlo(
  spec: ExpectationTaskSpec,
  folded: FoldedStats,
  info: SummaryInfo,
): ExpectationAnswer {
  const level = spec.confidence ?? 0.95;
  // The analytic check first: a mean that does not exist leads the warnings, whatever the draws say.
  const divergence = specDivergence(spec);
  const varianceDivergence = divergence === undefined ? specVarianceDivergence(spec) : undefined;
  const warnings: string[] =
    divergence !== undefined
      ? [divergenceWarning(divergence, 'sample')]
      : varianceDivergence !== undefined
        ? [varianceWarning(varianceDivergence)]
        : [];
  let estimate: number;
  let stdError: number;
  let ci: ExpectationAnswer['ci'];
  let varianceReduction: number | undefined;
  const extra: Partial<ExpectationAnswer> = {};
  const finite = spec.method === 'antithetic' ? (folded.single?.n ?? 0) : folded.stats.n;
  warnings.push(...nonFiniteWarnings(folded, finite));
  if (spec.method === 'quasi_monte_carlo') {
    const reps = (folded.replicates ?? []).filter((r) => r.n > 0);
    const means = emptyStats();
    for (const r of reps) pushValue(means, r.mean);
    estimate = reps.length > 0 ? means.mean : Number.NaN;
    stdError = reps.length > 1 ? standardError(means) : Number.NaN;
    ci = tInterval(estimate, stdError, level, Math.max(1, reps.length - 1));
    extra.replicates = reps.length;
    const mc = sampleVariance(folded.stats) / folded.stats.n;
    varianceReduction = mc / (stdError * stdError);
  } else {
    const s = folded.stats;
    estimate = s.n > 0 ? s.mean : Number.NaN;
    stdError = standardError(s);
    if (s.n > 1 && s.m2 === 0) stdError = 0;
    ci = normalInterval(estimate, stdError, level);
    if (spec.method === 'antithetic') {
      extra.pairs = s.n;
      const single = folded.single ?? emptyStats();
      varianceReduction = sampleVariance(single) / single.n / (stdError * stdError);
    }
  }
  if (Number.isNaN(estimate) && folded.nonFinite === 0) warnings.push('no draws: the estimate is NaN');
  warnings.push(...heavyTailWarnings(folded.single ?? folded.stats, folded));
  const answer: ExpectationAnswer = {
    estimate,
    method: spec.method,
    n: folded.draws,
    seed: spec.seed,
    stdError,
    ci,
    evaluations: folded.draws,
    elapsedMs: info.elapsedMs,
    nonFinite: folded.nonFinite,
    warnings,
    ...extra,
  };
  if (divergence !== undefined) answer.meanExists = false;
  if (varianceDivergence !== undefined) answer.varianceExists = false;
  if (varianceReduction !== undefined) {
    answer.varianceReduction = Number.isNaN(varianceReduction) ? Number.NaN : varianceReduction;
  }
  if (spec.tolerance !== undefined) {
    answer.tolerance = spec.tolerance;
    const cap = info.requestedN ?? info.n;
    answer.stoppedEarly = cap !== undefined && folded.draws < effectiveDraws(spec.method, cap);
    if (!(stdError < spec.tolerance))
      warnings.push(
        `the standard error ${stdError} is still above the tolerance ${spec.tolerance} after n = ${folded.draws} (the cap)`,
      );
  }
  return answer;
}
