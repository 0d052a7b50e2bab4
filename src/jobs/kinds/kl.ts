/**
 * Kind 'kl': POST /v1/kl as a job. planKl validates the body exactly as the endpoint does and works
 * out every exact quantity; the Monte Carlo part runs in chunks of KL_CHUNK_SIZE draws (chunk i from
 * stream i of the seed) through the task 'kl.chunks', folded with mergeKlStats in chunk order, and
 * summarizeKlMonteCarlo gives the endpoint's answer: the same bits as POST /v1/kl for the same body
 * and seed (elapsedMs aside). A body that needs no Monte Carlo (every quantity exact) succeeds at once.
 */
import type { z } from 'zod';
import {
  emptyKlStats,
  type KlChunkStats,
  type KlPlan,
  type KlRequest,
  klChunkCount,
  klChunksPayload,
  klPlanCost,
  klProgress,
  mergeKlStats,
  planKl,
  summarizeKlMonteCarlo,
} from '../../core/divergence/index.js';
import { invalid } from '../../core/errors.js';
import { randomSeed } from '../../core/rng/index.js';
import { KlBody } from '../../schemas/kl.js';
import { defineKind } from './types.js';

type Body = Omit<z.infer<typeof KlBody>, 'n'> & { n: number };

/** The fold and how far it has got (chunks of the plan's size, the last one short). */
interface KlFold {
  stats: KlChunkStats;
  chunks: number;
  chunkSize: number;
  n: number;
}

export const klKind = defineKind<Body, KlPlan, KlChunkStats, KlFold>({
  name: 'kl',
  summary:
    'KL(p || q), KL(q || p) and Jensen-Shannon: the body of POST /v1/kl (n draws from each of p and q).',
  bodySchema: KlBody,
  prepare(body) {
    if (body.n < 2) invalid('n', `must be an integer of at least 2 (got ${body.n})`);
    const seed = body.seed ?? randomSeed();
    const plan = planKl({ ...body, seed } as KlRequest);
    return { spec: plan, n: body.n, seed };
  },
  prepareCost: (body) => klPlanCost(body.p as KlRequest['p'], body.q as KlRequest['q']),
  chunkCount: (plan, n) => klChunkCount(plan, n),
  chunkTask: 'kl.chunks',
  taskPayload: (plan, firstChunk, count, n) => klChunksPayload(plan, firstChunk, count, n),
  chunksOf: (result) => result as KlChunkStats[],
  empty: (plan) => ({
    stats: emptyKlStats(),
    chunks: 0,
    chunkSize: plan.mc?.chunkSize ?? 1,
    n: plan.mc?.n ?? 0,
  }),
  merge: (acc, chunk) => ({ ...acc, stats: mergeKlStats(acc.stats, chunk), chunks: acc.chunks + 1 }),
  count: (acc) => Math.min(acc.chunks * acc.chunkSize, acc.n),
  progress: (plan, acc) => klProgress(plan, acc.stats),
  summarize: (plan, acc, info) => ({ ...summarizeKlMonteCarlo(plan, acc.stats), elapsedMs: info.elapsedMs }),
});
