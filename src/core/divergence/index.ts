/**
 * KL divergence and its relatives (POST /v1/kl, job kind 'kl').
 *
 * For the job engine: `planKl(body)` validates and computes everything exact (a plain-data plan;
 * `plan.mc` describes the Monte Carlo run, absent when none is needed), `klChunkCount(plan, n)`,
 * `klChunksPayload(plan, firstChunk, chunkCount, n)` is the payload of the task 'kl.chunks', whose
 * answer is one KlChunkStats per chunk; fold them with `mergeKlStats` from `emptyKlStats()` in chunk
 * order, report `klProgress(plan, acc)` and finish with `summarizeKlMonteCarlo(plan, acc)`.
 */
export { type ClosedForm, closedFormKl, closedFormPairs, hasClosedFormPair } from './closed-form.js';
export { type NumericResult, summedJs, summedKl, vectorSpec } from './discrete.js';
export {
  DEFAULT_KL_N,
  defaultKlN,
  type ExactQuantity,
  type KlMethod,
  type KlOptions,
  type KlPlan,
  type KlRequest,
  type KlResult,
  type KlRunPayload,
  klChunkCount,
  klChunksPayload,
  klPlanCost,
  klProgress,
  klWorkSize,
  MIN_DEFAULT_KL_N,
  planKl,
  runKl,
  summarizeKlMonteCarlo,
  type UsedMethod,
} from './kl.js';
export {
  emptyKlStats,
  foldKlStats,
  KL_CHUNK_SIZE,
  type KlChunkStats,
  type KlChunksPayload,
  type KlQuantities,
  klChunk,
  klChunks,
  mergeKlStats,
} from './monte-carlo.js';
export { quadratureJs, quadratureKl } from './quadrature.js';
