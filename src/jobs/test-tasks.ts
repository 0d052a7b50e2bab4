/**
 * Tasks for tests only: a small Monte Carlo chunk task (E[x^2], x ~ N(0, 1)) that can be told to
 * misbehave on purpose (throw, exit the worker, run out of memory) at a given chunk, or to be slow.
 * The pool loads them only when JOB_TEST_KINDS is on; no production route can name them.
 */
import { emptyStats, pushValue, type RunningStats } from '../core/estimators/stats.js';
import { createRng, type Seed } from '../core/rng/index.js';
import type { TaskFn } from './tasks.js';

export type FailMode = 'throw' | 'exit' | 'oom';

export interface TestChunksPayload {
  seed: Seed;
  n: number;
  chunkSize: number;
  firstChunk: number;
  chunkCount: number;
  /** Busy-wait this long per chunk (a stand-in for heavy work). */
  chunkDelayMs?: number;
  fail?: { mode: FailMode; atChunk: number };
}

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: the point is to hold the worker
  }
}

function misbehave(mode: FailMode, chunk: number): never {
  if (mode === 'exit') process.exit(7);
  if (mode === 'oom') {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array(1 << 20).fill(chunk + 0.5));
  }
  throw new Error(`test failure at chunk ${chunk}`);
}

/** Chunk i: the statistics of x^2 over the chunk's draws from stream i of the seed. */
export function testChunk(seed: Seed, n: number, chunkSize: number, i: number): RunningStats {
  const rng = createRng(seed, i);
  const count = Math.min(chunkSize, n - i * chunkSize);
  const s = emptyStats();
  for (let k = 0; k < count; k++) {
    const x = rng.normal();
    pushValue(s, x * x);
  }
  return s;
}

export const TEST_TASKS: Record<string, TaskFn> = {
  'test.chunks': (p: TestChunksPayload) => {
    const chunks: RunningStats[] = [];
    for (let i = p.firstChunk; i < p.firstChunk + p.chunkCount; i++) {
      if (p.fail !== undefined && p.fail.atChunk === i) misbehave(p.fail.mode, i);
      if (p.chunkDelayMs) busyWait(p.chunkDelayMs);
      chunks.push(testChunk(p.seed, p.n, p.chunkSize, i));
    }
    return chunks;
  },
  'test.echo': (p: unknown) => p,
  /** Holds the worker for `ms` milliseconds, then answers how long it spun. */
  'test.spin': (p: { ms: number }) => {
    busyWait(p.ms);
    return p.ms;
  },
  'test.fail': (p: { mode: FailMode }) => misbehave(p.mode, -1),
};
