/**
 * E_p[f(X)] by five methods (POST /v1/expectation, and expectation jobs).
 *
 * Monte Carlo runs (monte_carlo, antithetic) are cut into chunks of MC_CHUNK_SIZE draws; chunk i
 * draws from createRng(seed, i), yields plain-data moments (ChunkResult), and the run's moments are
 * the left fold of Chan's merge over the chunks in index order. quasi_monte_carlo is chunked by
 * scramble (chunk r = scramble r). So the job engine can run `expectationChunks` over any ranges on
 * any workers, fold with `foldChunks` in order, and call `summarizeMonteCarlo` to get, bit for bit,
 * the answer of the synchronous endpoint (`runExpectation`) for the same body and n.
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../rng/index.js';
import { runQuadrature, runRiemann } from './deterministic.js';
import {
  checkN,
  type ExpectationAnswer,
  type ExpectationRequest,
  type ExpectationTaskSpec,
  type Prepared,
  prepareExpectation,
  resolveN,
} from './expectation-spec.js';
import {
  antitheticChunk,
  type ChunkResult,
  chunkCount,
  chunkSize,
  emptyFold,
  type FoldedStats,
  foldChunk,
  monteCarloChunk,
  SYMMETRIC,
  summarizeMonteCarlo,
  toleranceMet,
  Workspace,
} from './monte-carlo.js';
import { qmcReplicate, runQmc } from './qmc.js';

export * from './expectation-spec.js';
export {
  type ChunkResult,
  chunkCount,
  chunkSize,
  effectiveDraws,
  emptyFold,
  type FoldedStats,
  foldChunk,
  foldChunks,
  HEAVY_TAIL_SHARE,
  heavyTailShare,
  type SummaryInfo,
  summarizeMonteCarlo,
  toleranceMet,
} from './monte-carlo.js';

/**
 * Validate a body of POST /v1/expectation (already of the right JSON types) exactly as the endpoint
 * does, before any heavy work: the distribution, f (compiled with the distribution's dimension),
 * whether the method applies, n against the method's minimum. Returns the task spec and the n to run
 * (the method's default when the body has none). The seed must already be chosen. Throws
 * InvalidInputError. The caller checks n against its own limit (MAX_SYNC_N, MAX_JOB_N).
 */
export function prepareExpectationRequest(req: ExpectationRequest): { spec: ExpectationTaskSpec; n: number } {
  const spec: ExpectationTaskSpec = {
    distribution: req.distribution,
    f: req.f,
    method: req.method,
    seed: req.seed,
    confidence: req.confidence ?? 0.95,
  };
  if (req.tolerance !== undefined) spec.tolerance = req.tolerance;
  const n = resolveN(spec.method, req.n, spec.tolerance);
  prepareExpectation(spec);
  checkN(spec.method, n);
  return { spec, n };
}

/** The progress numbers of a Monte Carlo fold (estimate, stdError, ci), as summarizeMonteCarlo computes them. */
export function monteCarloProgress(
  spec: ExpectationTaskSpec,
  folded: FoldedStats,
): Pick<ExpectationAnswer, 'estimate' | 'stdError' | 'ci' | 'nonFinite'> {
  const a = summarizeMonteCarlo(spec, folded, { elapsedMs: 0 });
  return { estimate: a.estimate, stdError: a.stdError ?? Number.NaN, ci: a.ci!, nonFinite: a.nonFinite };
}

/** Per-point cost (ns) below which a run counts as plain draws; above it, n is scaled up. */
const BASE_NS_PER_POINT = 100;
const PROBE_POINTS = 256;
/** A probe stops after this long (ms): a slow operation is known to be slow soon enough. */
const PROBE_MS = 1;
let probeRng: ReturnType<typeof createRng> | undefined;

/** The smaller of two timings (warm JIT for the second) of op over up to 256 points, in ns per point. */
function probeNs(op: (i: number) => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 2; rep++) {
    const t = performance.now();
    let i = 0;
    while (i < PROBE_POINTS) {
      op(i++);
      // Checked after every point: one point can itself be slow (a quantile by inversion).
      if (performance.now() - t > PROBE_MS) break;
    }
    best = Math.min(best, ((performance.now() - t) * 1e6) / i);
  }
  return best;
}

/**
 * The work of a run in plain draws: n, scaled up when one point of this method for this distribution
 * and f (a draw, or a quantile for antithetic and quasi-Monte Carlo, or a density for riemann and
 * quadrature, plus f) measures above 100 ns in a short probe (at most ~2 ms). A mixture's quantile
 * by numerical inversion costs tens of microseconds, so its quasi-Monte Carlo run goes to the worker
 * pool at a far smaller n than a normal's. The route compares it with POOL_THRESHOLD_N; the answer
 * does not depend on where it runs.
 */
export function estimateWork(spec: ExpectationTaskSpec, n: number): number {
  const { dist, f } = prepareExpectation(spec);
  probeRng ??= createRng('likely/work-probe', 0);
  const rng = probeRng;
  const method = spec.method;
  let ns: number;
  if (dist.kind === 'multivariate') {
    const row = new Float64Array(dist.dim);
    ns = probeNs(() => {
      dist.sample(rng, row, 0);
      f.evaluateVector(row);
    });
    if (method === 'quasi_monte_carlo') ns += dist.dim * dist.dim;
  } else if (method === 'riemann' || method === 'quadrature') {
    ns = probeNs((i) => f.evaluate(dist.logPdf((i + 0.5) / PROBE_POINTS)));
  } else if (method === 'monte_carlo' || (method === 'antithetic' && SYMMETRIC.has(dist.family))) {
    ns = probeNs(() => f.evaluate(dist.sample(rng)));
  } else {
    ns = probeNs((i) => f.evaluate(dist.quantile((i + 0.5) / PROBE_POINTS)));
  }
  return n * Math.max(1, ns / BASE_NS_PER_POINT);
}

/** Something with an `aborted` flag (an AbortSignal): checked between chunks. */
export interface AbortFlag {
  readonly aborted: boolean;
}

/** One chunk of a prepared run (monte_carlo, antithetic: MC_CHUNK_SIZE draws; quasi_monte_carlo: one scramble). */
export function runChunk(p: Prepared, index: number, n: number, ws: Workspace): ChunkResult {
  const size = chunkSize(p.spec.method, n, index);
  switch (p.spec.method) {
    case 'monte_carlo':
      return monteCarloChunk(p, index, size, ws);
    case 'antithetic':
      return antitheticChunk(p, index, size, ws);
    case 'quasi_monte_carlo':
      return qmcReplicate(p, index, size, ws);
    default:
      throw new Error(`${p.spec.method} is not a chunked method`);
  }
}

/**
 * Chunks firstChunk .. firstChunk + count − 1 (clipped to chunkCount(method, n)) of a run of n:
 * pure, plain data in and out, the same bits in any thread. For the job engine's workers.
 * Throws InvalidInputError if the spec is invalid.
 */
export function expectationChunks(
  spec: ExpectationTaskSpec,
  firstChunk: number,
  count: number,
  n: number,
): ChunkResult[] {
  const p = prepareExpectation(spec);
  const ws = new Workspace(p.dist.dim);
  const total = chunkCount(spec.method, n);
  const out: ChunkResult[] = [];
  for (let i = firstChunk; i < firstChunk + count && i < total; i++) out.push(runChunk(p, i, n, ws));
  return out;
}

/** A whole chunked run (monte_carlo, antithetic), chunk after chunk, stopping once a tolerance is met. */
export function runChunked(p: Prepared, n: number, signal?: AbortFlag): FoldedStats {
  const ws = new Workspace(p.dist.dim);
  const count = chunkCount(p.spec.method, n);
  let folded = emptyFold();
  for (let i = 0; i < count; i++) {
    if (signal?.aborted) throw abortError();
    folded = foldChunk(folded, runChunk(p, i, n, ws));
    if (toleranceMet(p.spec, folded)) break;
  }
  return folded;
}

function abortError(): Error {
  const err = new Error('the expectation was aborted');
  err.name = 'AbortError';
  return err;
}

/**
 * The whole request: the answer of POST /v1/expectation (the 'expectation.run' task). `req.seed`
 * must be set (the route picks one when the client sends none). Throws InvalidInputError for a bad
 * distribution, f, method or n.
 */
export function runExpectation(req: ExpectationRequest, signal?: AbortFlag): ExpectationAnswer {
  const start = performance.now();
  const { spec, n } = prepareExpectationRequest(req);
  const p = prepareExpectation(spec);
  const elapsed = () => Math.round((performance.now() - start) * 1000) / 1000;
  switch (spec.method) {
    case 'monte_carlo':
    case 'antithetic': {
      const folded = runChunked(p, n, signal);
      return summarizeMonteCarlo(spec, folded, { elapsedMs: elapsed(), requestedN: n });
    }
    case 'quasi_monte_carlo': {
      const folded = runQmc(p, n, new Workspace(p.dist.dim), signal);
      return summarizeMonteCarlo(spec, folded, {
        elapsedMs: elapsed(),
        requestedN: n,
      });
    }
    case 'riemann': {
      const a = runRiemann(p, n);
      return { ...a, elapsedMs: elapsed() };
    }
    case 'quadrature': {
      const a = runQuadrature(p, n);
      return { ...a, elapsedMs: elapsed() };
    }
  }
}
