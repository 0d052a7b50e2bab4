import type { z } from 'zod';
import type { ConfidenceInterval } from '../../core/estimators/stats.js';
import type { Seed } from '../../core/rng/index.js';

/** What a job reports while it runs, besides n and the rates the engine adds. */
export interface KindProgress {
  estimate: number;
  stdError: number;
  ci: ConfidenceInterval;
  [extra: string]: unknown;
}

/** A validated job: the kind's own spec plus the numbers every job has. */
export interface Prepared<S> {
  spec: S;
  /** Total draws (the target). */
  n: number;
  seed: Seed;
}

/**
 * A kind of job: one file under src/jobs/kinds, one entry in the registry (kinds/index.ts).
 *
 * A job of n draws is cut into `chunkCount(spec, n)` fixed chunks; chunk i draws from stream i of the
 * seed. The pool runs `chunkTask` on a batch of consecutive chunks and returns one result per chunk;
 * the engine folds them with `merge`, strictly in chunk order, starting from `empty`. So the job's
 * numbers depend only on (spec, seed, n), never on the pool size or on how chunks were batched.
 *
 * `S` is the spec, `C` one chunk's result, `A` the fold (usually RunningStats and a few counters).
 */
export interface JobKind<B = unknown, S = unknown, C = unknown, A = unknown> {
  readonly name: string;
  readonly summary: string;
  /** The body of the matching synchronous endpoint (the job adds kind, n and progressIntervalMs). */
  // biome-ignore lint/suspicious/noExplicitAny: any zod object schema
  readonly bodySchema: z.ZodObject<any>;
  /** Validate and normalise, exactly as the synchronous endpoint does; throws InvalidInputError. */
  prepare(body: B): Prepared<S>;
  /**
   * The work of `prepare` in plain-draw units when it can be heavy (KL: the exact quantities by
   * quadrature): over POOL_THRESHOLD_N it runs on the pool (task 'job.prepare'), not the event loop.
   */
  prepareCost?(body: B): number;
  /**
   * The number of chunks of a run of n draws (the synchronous engine's own count: same chunks, same
   * numbers).
   */
  chunkCount(spec: S, n: number): number;
  /** The task (src/jobs/tasks.ts) that computes a batch of chunks. */
  readonly chunkTask: string;
  /** The task's payload for chunks [firstChunk, firstChunk + chunkCount) of a job of n draws. */
  taskPayload(spec: S, firstChunk: number, chunkCount: number, n: number): unknown;
  /** The per-chunk results in a task's answer, in chunk order. */
  chunksOf(result: unknown): C[];
  empty(spec: S): A;
  /** acc followed by one more chunk (may mutate and return acc, or return a new value). */
  merge(acc: A, chunk: C): A;
  /** Draws folded so far. */
  count(acc: A): number;
  progress(spec: S, acc: A): KindProgress;
  /** The synchronous endpoint's answer for the folded statistics (info.n: the n the job asked for). */
  summarize(spec: S, acc: A, info: { n: number; seed: Seed; elapsedMs: number }): unknown;
  /** Optional early stop (e.g. a tolerance reached), checked after each merged chunk. */
  done?(spec: S, acc: A): boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every type
export type AnyJobKind = JobKind<any, any, any, any>;

/** Identity helper that keeps a kind's type parameters inferred. */
export function defineKind<B, S, C, A>(kind: JobKind<B, S, C, A>): JobKind<B, S, C, A> {
  return kind;
}
