import { createDistribution } from '../distributions/registry.js';
import type { Distribution, DistributionSpec } from '../distributions/types.js';
import { emptyStats, mergeStats, pushValue, type RunningStats } from '../estimators/stats.js';
import { createRng, type Rng, type Seed } from '../rng/index.js';
import { logRatioToMidpoint } from './numeric.js';

/**
 * Monte Carlo KL, reverse KL and Jensen-Shannon, chunked like every Monte Carlo engine here:
 * draws [i * chunkSize, (i + 1) * chunkSize) of a run of n form chunk i, which draws from
 * createRng(seed, i): first its x ~ p (when forward or JS is wanted), then its y ~ q (when reverse
 * or JS is wanted). Each chunk's values go into RunningStats by Welford; chunks are folded left to
 * right in chunk order with mergeStats (Chan). So the answer depends only on (p, q, quantities,
 * seed, n, chunkSize): the same synchronously, as a job on any number of workers, or over a socket.
 *
 * For x ~ p: forward gets log p(x) - log q(x), JS gets log p(x) - log m(x) with m = (p + q) / 2,
 * and -log p(x) estimates p's entropy where it has no exact form. For y ~ q the same with the
 * roles swapped.
 */

/** Draws per chunk: the synchronous endpoint and the job engine both use it. */
export const KL_CHUNK_SIZE = 65_536;
/** Draws evaluated per block inside a chunk (bounds the scratch memory for any dimension). */
const BLOCK = 4096;

export interface KlQuantities {
  forward: boolean;
  reverse: boolean;
  jensenShannon: boolean;
}

/** The payload of the pool task 'kl.chunks': chunks [firstChunk, firstChunk + chunkCount) of a run of n. */
export interface KlChunksPayload {
  /** Canonical specs (a probability vector travels as a categorical spec). */
  p: DistributionSpec;
  q: DistributionSpec;
  seed: Seed;
  firstChunk: number;
  chunkCount: number;
  n: number;
  /** Default KL_CHUNK_SIZE. */
  chunkSize?: number;
  /** Default: all three. */
  quantities?: KlQuantities;
}

/** One chunk's statistics (plain data); an empty RunningStats where a quantity was not asked for. */
export interface KlChunkStats {
  /** Draws from each side (x ~ p and/or y ~ q) in this chunk. */
  draws: number;
  /** log p(x) - log q(x), x ~ p. */
  forward: RunningStats;
  /** log q(y) - log p(y), y ~ q. */
  reverse: RunningStats;
  /** log p(x) - log m(x), x ~ p. */
  jsP: RunningStats;
  /** log q(y) - log m(y), y ~ q. */
  jsQ: RunningStats;
  /** -log p(x), x ~ p: an entropy estimate for p where it has no exact form. */
  negLogP: RunningStats;
  /** Draws x ~ p with q(x) = 0 (KL(p || q) is then infinite), and the first of them. */
  pOutsideQ: number;
  firstPOutsideQ: number | number[] | null;
  /** Draws y ~ q with p(y) = 0, and the first. */
  qOutsideP: number;
  firstQOutsideP: number | number[] | null;
  /** Draws whose log densities were not finite numbers (a point rounded onto a singular end). */
  skipped: number;
}

export function emptyKlStats(): KlChunkStats {
  return {
    draws: 0,
    forward: emptyStats(),
    reverse: emptyStats(),
    jsP: emptyStats(),
    jsQ: emptyStats(),
    negLogP: emptyStats(),
    pOutsideQ: 0,
    firstPOutsideQ: null,
    qOutsideP: 0,
    firstQOutsideP: null,
    skipped: 0,
  };
}

/** acc followed by chunk (a new object): fold chunks left to right in chunk order. */
export function mergeKlStats(acc: KlChunkStats, chunk: KlChunkStats): KlChunkStats {
  return {
    draws: acc.draws + chunk.draws,
    forward: mergeStats(acc.forward, chunk.forward),
    reverse: mergeStats(acc.reverse, chunk.reverse),
    jsP: mergeStats(acc.jsP, chunk.jsP),
    jsQ: mergeStats(acc.jsQ, chunk.jsQ),
    negLogP: mergeStats(acc.negLogP, chunk.negLogP),
    pOutsideQ: acc.pOutsideQ + chunk.pOutsideQ,
    firstPOutsideQ: acc.firstPOutsideQ ?? chunk.firstPOutsideQ,
    qOutsideP: acc.qOutsideP + chunk.qOutsideP,
    firstQOutsideP: acc.firstQOutsideP ?? chunk.firstQOutsideP,
    skipped: acc.skipped + chunk.skipped,
  };
}

export function foldKlStats(chunks: readonly KlChunkStats[]): KlChunkStats {
  let acc = emptyKlStats();
  for (const c of chunks) acc = mergeKlStats(acc, c);
  return acc;
}

/** Draw `count` points of `d` from rng in blocks, calling visit(point, index-in-block, block). */
function drawBlocks(
  d: Distribution,
  rng: Rng,
  count: number,
  visit: (buf: Float64Array, i: number, point: number | Float64Array) => void,
): void {
  const dim = d.dim;
  const buf = new Float64Array(Math.min(BLOCK, count) * dim);
  for (let done = 0; done < count; done += BLOCK) {
    const m = Math.min(BLOCK, count - done);
    if (d.kind === 'multivariate') {
      for (let i = 0; i < m; i++) d.sample(rng, buf, i * dim);
      for (let i = 0; i < m; i++) visit(buf, i, buf.subarray(i * dim, (i + 1) * dim));
    } else {
      const view = m === buf.length ? buf : buf.subarray(0, m);
      d.sampleInto(rng, view);
      for (let i = 0; i < m; i++) visit(buf, i, view[i]!);
    }
  }
}

const copyPoint = (x: number | Float64Array): number | number[] =>
  typeof x === 'number' ? x : Array.from(x);

/** One chunk: `count` draws from stream `index` of the seed. */
export function klChunk(
  p: Distribution,
  q: Distribution,
  seed: Seed,
  index: number,
  count: number,
  quantities: KlQuantities,
): KlChunkStats {
  const s = emptyKlStats();
  s.draws = count;
  const rng = createRng(seed, index);
  const lpOf = p.logPdf.bind(p) as (x: number | Float64Array) => number;
  const lqOf = q.logPdf.bind(q) as (x: number | Float64Array) => number;
  const needP = quantities.forward || quantities.jensenShannon;
  const needQ = quantities.reverse || quantities.jensenShannon;
  if (needP) {
    drawBlocks(p, rng, count, (_b, _i, x) => {
      const lp = lpOf(x);
      const lq = lqOf(x);
      if (!Number.isFinite(lp) || Number.isNaN(lq) || lq === Number.POSITIVE_INFINITY) {
        s.skipped++;
        return;
      }
      pushValue(s.negLogP, -lp);
      if (quantities.jensenShannon) pushValue(s.jsP, logRatioToMidpoint(lp, lq));
      if (quantities.forward) {
        if (lq === Number.NEGATIVE_INFINITY) {
          if (s.pOutsideQ++ === 0) s.firstPOutsideQ = copyPoint(x);
        } else {
          pushValue(s.forward, lp - lq);
        }
      }
    });
  }
  if (needQ) {
    drawBlocks(q, rng, count, (_b, _i, y) => {
      const lq = lqOf(y);
      const lp = lpOf(y);
      if (!Number.isFinite(lq) || Number.isNaN(lp) || lp === Number.POSITIVE_INFINITY) {
        s.skipped++;
        return;
      }
      if (quantities.jensenShannon) pushValue(s.jsQ, logRatioToMidpoint(lq, lp));
      if (quantities.reverse) {
        if (lp === Number.NEGATIVE_INFINITY) {
          if (s.qOutsideP++ === 0) s.firstQOutsideP = copyPoint(y);
        } else {
          pushValue(s.reverse, lq - lp);
        }
      }
    });
  }
  return s;
}

const ALL: KlQuantities = { forward: true, reverse: true, jensenShannon: true };

/** The pool task 'kl.chunks': one KlChunkStats per chunk, in chunk order (plain data). */
export function klChunks(payload: KlChunksPayload): KlChunkStats[] {
  const chunkSize = payload.chunkSize ?? KL_CHUNK_SIZE;
  const quantities = payload.quantities ?? ALL;
  const p = createDistribution(payload.p, 'p');
  const q = createDistribution(payload.q, 'q');
  const out: KlChunkStats[] = [];
  for (let i = payload.firstChunk; i < payload.firstChunk + payload.chunkCount; i++) {
    const start = i * chunkSize;
    const count = Math.max(0, Math.min(chunkSize, payload.n - start));
    out.push(count > 0 ? klChunk(p, q, payload.seed, i, count, quantities) : emptyKlStats());
  }
  return out;
}
