import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { testInline, testKind } from '../../src/jobs/kinds/test.js';
import { post, testApp } from '../helpers/app.js';
import { sleep, startJob, waitFor, waitJob, warmUp } from './helpers.js';

let one: FastifyInstance; // 1 worker
let two: FastifyInstance; // 2 workers

beforeAll(async () => {
  [one, two] = await Promise.all([
    testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1', MAX_RUNNING_JOBS: '1' }),
    testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '2', MAX_RUNNING_JOBS: '2', WORKER_MAX_OLD_MB: '64' }),
  ]);
  await Promise.all([warmUp(one), warmUp(two)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
});

const normalX2 = { distribution: { family: 'normal', mean: 0, std: 1 }, f: 'x^2' };

describe('determinism: a job depends only on its spec, seed and n', () => {
  it('gives the same bits on 1 worker, on 2 workers and inline (small chunks, many batches)', async () => {
    const body = { kind: 'test', n: 123_457, chunkSize: 1000, seed: 'same' };
    const [a, b] = await Promise.all([startJob(one, body), startJob(two, body)]);
    const [ja, jb] = await Promise.all([waitJob(one, a), waitJob(two, b)]);
    const spec = testKind.prepare({ ...body, confidence: 0.95, chunkDelayMs: 0, pad: 0 } as never).spec;
    const inline = testInline(spec);
    for (const j of [ja, jb]) {
      expect(j.status).toBe('succeeded');
      expect(j.result.n).toBe(123_457);
      expect(Object.is(j.result.estimate, inline.mean)).toBe(true);
    }
    expect(ja.result.stdError).toBe(jb.result.stdError);
    expect(ja.result.ci).toEqual(jb.result.ci);
  });

  it.each([
    ['monte_carlo', { n: 1_000_003 }],
    ['antithetic', { n: 700_001 }],
    ['quasi_monte_carlo', { n: 160_000 }],
    ['monte_carlo', { n: 5_000_000, tolerance: 0.004 }],
  ])(
    'expectation %s %j: the job equals the synchronous endpoint, bit for bit, on 1 or 2 workers',
    async (method, extra) => {
      const body = { ...normalX2, method, seed: 2024, ...extra };
      const [a, b] = await Promise.all([
        startJob(one, { kind: 'expectation', ...body }),
        startJob(two, { kind: 'expectation', ...body }),
      ]);
      const [ja, jb] = await Promise.all([waitJob(one, a), waitJob(two, b)]);
      expect(ja.status).toBe('succeeded');
      expect(jb.status).toBe('succeeded');
      const sync = await post(two, '/v1/expectation', body);
      expect(sync.statusCode).toBe(200);
      const expected = sync.json();
      for (const j of [ja, jb]) {
        const { elapsedMs: _a, ...got } = j.result;
        const { elapsedMs: _b, ...want } = expected;
        expect(got).toEqual(want);
      }
    },
  );
});

describe('kind kl: the job equals POST /v1/kl, bit for bit', () => {
  it.each([
    [
      'Monte Carlo',
      {
        p: { family: 'normal', mean: 0, std: 1 },
        q: { family: 'laplace', loc: 0.5, scale: 2 },
        method: 'monte_carlo',
        n: 300_001,
      },
    ],
    [
      'exact (no draws)',
      { p: { family: 'normal', mean: 0, std: 1 }, q: { family: 'normal', mean: 1, std: 2 }, n: 1000 },
    ],
  ])('%s, on 1 or 2 workers', async (_what, body) => {
    const withSeed = { ...body, seed: 99 };
    const [a, b] = await Promise.all([
      startJob(one, { kind: 'kl', ...withSeed }),
      startJob(two, { kind: 'kl', ...withSeed }),
    ]);
    const [ja, jb] = await Promise.all([waitJob(one, a), waitJob(two, b)]);
    const sync = await post(two, '/v1/kl', withSeed);
    expect(sync.statusCode).toBe(200);
    const { elapsedMs: _e, ...want } = sync.json();
    for (const j of [ja, jb]) {
      expect(j.status).toBe('succeeded');
      const { elapsedMs: _g, ...got } = j.result;
      expect(got).toEqual(want);
    }
  });
});

describe('faults: a misbehaving worker fails only its own job', () => {
  it.each([
    ['throw', 'task_failed', /test failure at chunk 3/],
    ['exit', 'worker_crashed', /exited \(code 7\)/],
    ['oom', 'out_of_memory', /out of memory \(limit 64 MiB\)/],
  ])(
    '%s: the job fails with %s, the pool replaces the worker, the next job runs',
    async (mode, code, message) => {
      const bad = await startJob(two, {
        kind: 'test',
        n: 100_000,
        chunkSize: 10_000,
        fail: { mode, atChunk: 3 },
      });
      const failed = await waitJob(two, bad);
      expect(failed.status).toBe('failed');
      expect(failed.error.code).toBe(code);
      expect(failed.error.message).toMatch(message);
      expect(failed.result).toBeUndefined();
      // the next jobs run on the (replaced) workers
      const ids = await Promise.all(
        [1, 2].map(() => startJob(two, { kind: 'test', n: 200_000, chunkSize: 10_000 })),
      );
      for (const id of ids) expect((await waitJob(two, id, 60_000)).status).toBe('succeeded');
    },
  );

  it('a synchronous computation that throws in a worker keeps its error class (400 for bad input)', async () => {
    await expect(two.compute.run('test.fail', { mode: 'throw' })).rejects.toThrow(/test failure/);
    await expect(
      two.compute.run('expectation.run', { ...normalX2, f: 'x +', method: 'monte_carlo', seed: 1, n: 10 }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('cancellation and the pool', () => {
  it('a cancelled job stops within one task and frees its worker for the next job', async () => {
    const slow = await startJob(one, { kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 5 });
    await waitFor(one, slow, (j) => j.progress !== null && j.progress.n > 0);
    const t0 = Date.now();
    const del = await one.inject({ method: 'DELETE', url: `/v1/jobs/${slow}` });
    expect(del.statusCode).toBe(202);
    const next = await startJob(one, { kind: 'test', n: 1000, chunkSize: 1000 });
    const done = await waitJob(one, next);
    expect(done.status).toBe('succeeded');
    // the worker was handed over well within a generous bound (one task is ~100 ms)
    expect(Date.now() - t0).toBeLessThan(5000);
    const cancelled = await waitJob(one, slow);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress.n).toBeLessThan(10_000_000);
    expect(one.pool.scheduler.running).toBe(0);
  });

  it('a synchronous computation on the pool is aborted by its signal (the client went away)', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = two.compute.run('test.spin', { ms: 10_000 }, { signal: ac.signal });
    await sleep(100);
    ac.abort();
    await expect(p).rejects.toThrow(/abort/i);
    expect(Date.now() - t0).toBeLessThan(5000);
    // the pool still answers (the aborted worker was replaced)
    await expect(two.compute.run('test.echo', { x: 1 })).resolves.toEqual({ x: 1 });
  });

  it('small synchronous work runs inline, big work on the pool', async () => {
    const created = two.pool.workersCreated();
    await expect(two.compute.run('test.echo', 5, { size: 10 })).resolves.toBe(5);
    await expect(two.compute.run('test.echo', 6, { size: 10_000_000 })).resolves.toBe(6);
    expect(two.pool.workersCreated()).toBe(created);
  });
});
