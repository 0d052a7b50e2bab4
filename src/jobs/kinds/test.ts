/**
 * Kind 'test' (enabled by JOB_TEST_KINDS only): E[x^2] under N(0, 1) with a small, configurable
 * chunk size, a per-chunk delay and an optional failure, so the engine, the pool's fault handling
 * and the streams can be tested without the real estimators.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import {
  emptyStats,
  mergeStats,
  normalInterval,
  type RunningStats,
  standardError,
} from '../../core/estimators/stats.js';
import type { Seed as SeedT } from '../../core/rng/index.js';
import { randomSeed } from '../../core/rng/index.js';
import { Confidence, Seed } from '../../schemas/common.js';
import { type TestChunksPayload, testChunk } from '../test-tasks.js';
import { defineKind } from './types.js';

export const TestBody = z.strictObject({
  n: z.number().int().min(1),
  seed: Seed.optional(),
  confidence: Confidence,
  chunkSize: z.number().int().min(1).max(10_000_000).default(10_000),
  chunkDelayMs: z.number().min(0).max(60_000).default(0),
  fail: z
    .strictObject({ mode: z.enum(['throw', 'exit', 'oom']), atChunk: z.number().int().min(0) })
    .optional(),
  /** Characters of padding in every progress message (to test slow sockets). */
  pad: z.number().int().min(0).max(1_000_000).default(0),
});
export type TestBody = z.infer<typeof TestBody>;

export interface TestSpec {
  seed: SeedT;
  n: number;
  confidence: number;
  chunkSize: number;
  chunkDelayMs: number;
  fail?: TestChunksPayload['fail'];
  pad: number;
}

export const testKind = defineKind<TestBody, TestSpec, RunningStats, RunningStats>({
  name: 'test',
  summary: 'Test only: E[x^2] under N(0, 1), with optional delays and failures.',
  bodySchema: TestBody,
  prepare(body) {
    const seed = body.seed ?? randomSeed();
    const chunks = Math.ceil(body.n / body.chunkSize);
    if (body.fail !== undefined && body.fail.atChunk >= chunks)
      invalid('fail.atChunk', `must be below the number of chunks (${chunks})`);
    const spec: TestSpec = {
      seed,
      n: body.n,
      confidence: body.confidence,
      chunkSize: body.chunkSize,
      chunkDelayMs: body.chunkDelayMs,
      fail: body.fail,
      pad: body.pad,
    };
    return { spec, n: body.n, seed };
  },
  chunkCount: (spec, n) => Math.ceil(n / spec.chunkSize),
  chunkTask: 'test.chunks',
  taskPayload(spec, firstChunk, chunkCount, n): TestChunksPayload {
    return {
      seed: spec.seed,
      n,
      chunkSize: spec.chunkSize,
      firstChunk,
      chunkCount,
      chunkDelayMs: spec.chunkDelayMs,
      fail: spec.fail,
    };
  },
  chunksOf: (result) => result as RunningStats[],
  empty: () => emptyStats(),
  merge: mergeStats,
  count: (acc) => acc.n,
  progress(spec, acc) {
    const se = standardError(acc);
    const p = { estimate: acc.mean, stdError: se, ci: normalInterval(acc.mean, se, spec.confidence) };
    return spec.pad > 0 ? { ...p, pad: 'x'.repeat(spec.pad) } : p;
  },
  summarize(spec, acc, info) {
    const se = standardError(acc);
    return {
      estimate: acc.mean,
      method: 'monte_carlo',
      n: acc.n,
      seed: info.seed,
      stdError: se,
      ci: normalInterval(acc.mean, se, spec.confidence),
      evaluations: acc.n,
      elapsedMs: info.elapsedMs,
    };
  },
});

/** The same computation on the calling thread: what a synchronous endpoint would answer. */
export function testInline(spec: TestSpec): RunningStats {
  let acc = emptyStats();
  const chunks = Math.ceil(spec.n / spec.chunkSize);
  for (let i = 0; i < chunks; i++) acc = mergeStats(acc, testChunk(spec.seed, spec.n, spec.chunkSize, i));
  return acc;
}
