/**
 * Kind 'expectation': POST /v1/expectation as a job. The body, its validation (the same zod schema
 * and the same prepareExpectationRequest), the chunks (the engine's own chunking: MC_CHUNK_SIZE
 * draws, chunk i from stream i of the seed), the fold (foldChunk, in chunk order) and the answer
 * (summarizeMonteCarlo) are the synchronous endpoint's, so a job's result equals the endpoint's
 * answer for the same body and seed, bit for bit (elapsedMs aside).
 */
import type { z } from 'zod';
import { invalid } from '../../core/errors.js';
import {
  type ChunkResult,
  chunkCount,
  type ExpectationRequest,
  type ExpectationTaskSpec,
  emptyFold,
  type FoldedStats,
  foldChunk,
  monteCarloProgress,
  prepareExpectationRequest,
  QMC_REPLICATES,
  summarizeMonteCarlo,
  toleranceMet,
} from '../../core/estimators/expectation.js';
import { randomSeed } from '../../core/rng/index.js';
import { HttpError } from '../../plugins/errors.js';
import { ExpectationBody } from '../../schemas/expectation.js';
import { defineKind } from './types.js';

type Body = Omit<z.infer<typeof ExpectationBody>, 'n'> & { n: number };

/**
 * A quasi-Monte Carlo job has one chunk per scramble (QMC_REPLICATES of n / QMC_REPLICATES points):
 * a chunk is the unit of progress and of cancellation, so its size is capped.
 */
export const QMC_JOB_MAX_POINTS_PER_SCRAMBLE = 2 ** 24;

export const expectationKind = defineKind<Body, ExpectationTaskSpec, ChunkResult, FoldedStats>({
  name: 'expectation',
  summary: 'E_p[f(x)] by monte_carlo, antithetic or quasi_monte_carlo: the body of POST /v1/expectation.',
  bodySchema: ExpectationBody,
  prepare(body) {
    const seed = body.seed ?? randomSeed();
    const { spec, n } = prepareExpectationRequest({ ...body, seed } as ExpectationRequest);
    switch (spec.method) {
      case 'monte_carlo':
      case 'antithetic':
        break;
      case 'quasi_monte_carlo': {
        if (spec.tolerance !== undefined)
          invalid(
            'tolerance',
            'a quasi_monte_carlo job runs a fixed n; use POST /v1/expectation for a tolerance',
          );
        const perScramble = Math.ceil(n / QMC_REPLICATES);
        if (perScramble > QMC_JOB_MAX_POINTS_PER_SCRAMBLE)
          throw new HttpError(
            413,
            `n = ${n} is over the limit of ${QMC_JOB_MAX_POINTS_PER_SCRAMBLE * QMC_REPLICATES} for a ` +
              `quasi_monte_carlo job (${QMC_REPLICATES} scrambles of at most ${QMC_JOB_MAX_POINTS_PER_SCRAMBLE} points)`,
          );
        break;
      }
      default:
        invalid(
          'method',
          `a job runs monte_carlo, antithetic or quasi_monte_carlo; ${spec.method} is deterministic and quick: ` +
            'use POST /v1/expectation',
        );
    }
    return { spec, n, seed };
  },
  chunkCount: (spec, n) => chunkCount(spec.method, n),
  chunkTask: 'expectation.chunks',
  taskPayload: (spec, firstChunk, count, n) => ({ spec, firstChunk, chunkCount: count, n }),
  chunksOf: (result) => result as ChunkResult[],
  empty: () => emptyFold(),
  merge: foldChunk,
  count: (acc) => acc.draws,
  progress(spec, acc) {
    const p = monteCarloProgress(spec, acc);
    return { estimate: p.estimate, stdError: p.stdError ?? Number.NaN, ci: p.ci!, nonFinite: p.nonFinite };
  },
  summarize: (spec, acc, info) =>
    summarizeMonteCarlo(spec, acc, { elapsedMs: info.elapsedMs, requestedN: info.n }),
  done: (spec, acc) => toleranceMet(spec, acc),
});
