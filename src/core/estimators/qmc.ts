import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { MultivariateDistribution } from '../distributions/types.js';
import { evaluateBatch } from '../expressions/index.js';
import { cholesky } from '../linalg.js';
import { createRng } from '../rng/index.js';
import { MC_CHUNK_SIZE, type Prepared, QMC_REPLICATES } from './expectation-spec.js';
import {
  type ChunkResult,
  EXTREMES,
  emptyFold,
  type FoldedStats,
  firstNonFinite,
  foldChunk,
  valueStats,
  type Workspace,
} from './monte-carlo.js';
import { SobolSequence } from './sobol.js';
import { emptyStats, mergeStats, pushValue, standardError } from './stats.js';

/**
 * Quasi-Monte Carlo: QMC_REPLICATES independent scrambles of the Sobol sequence (stream r of the
 * seed scrambles replicate r), each of m points carried to the distribution by its quantile function
 * (univariate) or by x = mean + L z, z_j = Phi^-1(u_j) (multivariate normal, L the Cholesky factor).
 * The estimate is the mean of the replicate means; its standard error their sd / sqrt(R).
 */
class Replicate {
  readonly seq: SobolSequence;
  stats = emptyStats();
  chunk: ChunkResult;
  private readonly toX: (u: Float64Array, x: Float64Array, count: number) => void;

  constructor(
    readonly p: Prepared,
    readonly index: number,
  ) {
    const dist = p.dist;
    this.seq = new SobolSequence(dist.dim, createRng(p.spec.seed, index));
    this.chunk = {
      index,
      draws: 0,
      stats: emptyStats(),
      nonFinite: 0,
      largest: [],
      smallest: [],
      replicate: true,
    };
    if (dist.kind !== 'multivariate') {
      this.toX = (u, x, count) => {
        for (let i = 0; i < count; i++) x[i] = dist.quantile(u[i]!);
      };
    } else {
      this.toX = mvnTransform(dist);
    }
  }

  /** count more points of this replicate. */
  extend(count: number, ws: Workspace): void {
    const d = this.p.dist.dim;
    for (let done = 0; done < count; ) {
      const size = Math.min(MC_CHUNK_SIZE, count - done);
      const u = ws.x2.subarray(0, size * d);
      const x = ws.x.subarray(0, size * d);
      const fx = ws.fx.subarray(0, size);
      for (let i = 0; i < size; i++) this.seq.next(u, i * d);
      this.toX(u, x, size);
      const bad = evaluateBatch(this.p.f, x, fx);
      const part = valueStats(fx, bad, this.index);
      const c = this.chunk;
      c.draws += size;
      c.stats = mergeStats(c.stats, part.stats);
      c.nonFinite += bad;
      if (bad > 0 && c.nonFiniteExample === undefined) c.nonFiniteExample = firstNonFinite(fx, x, d);
      c.largest = [...c.largest, ...part.largest].sort((a, b) => b - a).slice(0, EXTREMES);
      c.smallest = [...c.smallest, ...part.smallest].sort((a, b) => a - b).slice(0, EXTREMES);
      done += size;
    }
  }
}

function mvnTransform(
  dist: MultivariateDistribution,
): (u: Float64Array, x: Float64Array, count: number) => void {
  const d = dist.dim;
  const mean = dist.mean();
  const L = cholesky(dist.covariance());
  const z = new Float64Array(d);
  return (u, x, count) => {
    for (let i = 0; i < count; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) z[j] = normalQuantile(u[o + j]!, 0, 1);
      for (let j = 0; j < d; j++) {
        const Lj = L[j]!;
        let s = mean[j]!;
        for (let k = 0; k <= j; k++) s += Lj[k]! * z[k]!;
        x[o + j] = s;
      }
    }
  };
}

/** Chunk r of a quasi-Monte Carlo run: scramble r with `size` points. */
export function qmcReplicate(p: Prepared, index: number, size: number, ws: Workspace): ChunkResult {
  const r = new Replicate(p, index);
  r.extend(size, ws);
  return r.chunk;
}

/** Points per replicate in the first round of a tolerance-driven run (then doubling). */
export const QMC_FIRST_ROUND = 1024;

/**
 * A whole quasi-Monte Carlo run of n points (ceil(n / R) per scramble). With a tolerance, the points
 * per scramble grow 1024, 2048, 4096, ... (each scramble extends its own sequence) until the standard
 * error of the replicate means is below it or the cap n is reached.
 */
export function runQmc(p: Prepared, n: number, ws: Workspace, signal?: { aborted: boolean }): FoldedStats {
  const m = Math.ceil(n / QMC_REPLICATES);
  const reps: Replicate[] = [];
  for (let r = 0; r < QMC_REPLICATES; r++) reps.push(new Replicate(p, r));
  const tol = p.spec.tolerance;
  let per = tol === undefined ? m : Math.min(m, QMC_FIRST_ROUND);
  let have = 0;
  for (;;) {
    for (const rep of reps) {
      if (signal?.aborted) throw new Error('aborted');
      rep.extend(per - have, ws);
    }
    have = per;
    if (have >= m) break;
    const means = emptyStats();
    for (const rep of reps) pushValue(means, rep.chunk.stats.mean);
    if (tol !== undefined && standardError(means) < tol) break;
    per = Math.min(m, 2 * per);
  }
  let folded = emptyFold();
  for (const rep of reps) folded = foldChunk(folded, rep.chunk);
  return folded;
}
