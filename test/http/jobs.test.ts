import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, testApp } from '../helpers/app.js';
import { getJob, sleep, startJob, waitFor, waitJob, warmUp } from '../jobs/helpers.js';

let app: FastifyInstance;
/** A small pool that runs one job at a time, with a queue of 20. */
let small: FastifyInstance;

beforeAll(async () => {
  [app, small] = await Promise.all([
    testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '2', MAX_RUNNING_JOBS: '2', MAX_QUEUED_JOBS: '50' }),
    testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '2', MAX_RUNNING_JOBS: '1', MAX_QUEUED_JOBS: '20' }),
  ]);
  await Promise.all([warmUp(app), warmUp(small)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([app?.close(), small?.close()]);
});

const normalX2 = { distribution: { family: 'normal', mean: 0, std: 1 }, f: 'x^2' };

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { status: number; detail: string; type: string; title: string };
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack
  return body as { status: number; detail: string; errors?: Array<{ path: string; message: string }> };
}

describe('POST /v1/jobs', () => {
  it('answers 202 with the id, status, links and a Location header; the job then succeeds', async () => {
    const res = await post(app, '/v1/jobs', { kind: 'expectation', ...normalX2, n: 1_000_000, seed: 5 });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(['queued', 'running']).toContain(body.status);
    expect(body.links).toEqual({ self: `/v1/jobs/${body.id}`, stream: `/v1/jobs/${body.id}/stream` });
    expect(res.headers.location).toBe(`/v1/jobs/${body.id}`);
    const job = await waitJob(app, body.id);
    expect(job).toMatchObject({
      id: body.id,
      kind: 'expectation',
      status: 'succeeded',
      n: 1_000_000,
      seed: 5,
    });
    expect(job.progress).toMatchObject({ n: 1_000_000, target: 1_000_000 });
    for (const k of ['estimate', 'stdError', 'samplesPerSecond', 'elapsedMs'])
      expect(typeof job.progress[k]).toBe('number');
    expect(job.progress.ci).toMatchObject({ level: 0.95 });
    expect(job.result).toMatchObject({ method: 'monte_carlo', n: 1_000_000, seed: 5 });
    expect(Math.abs(job.result.estimate - 1)).toBeLessThan(4 * job.result.stdError);
    expect(job.error).toBeUndefined();
    expect(new Date(job.created).getTime()).toBeLessThanOrEqual(new Date(job.finished).getTime());
  });

  it.each([
    ['an unknown field', { kind: 'expectation', ...normalX2, n: 10, colour: 'red' }, ''],
    ['a string for n', { kind: 'expectation', ...normalX2, n: '5' }, 'n'],
    ['a fractional n', { kind: 'expectation', ...normalX2, n: 2.5 }, 'n'],
    ['no n', { kind: 'expectation', ...normalX2 }, 'n'],
    ['an unknown kind', { kind: 'astrology', ...normalX2, n: 10 }, 'kind'],
    ['no kind', { ...normalX2, n: 10 }, 'kind'],
    [
      'a too small progressIntervalMs',
      { kind: 'expectation', ...normalX2, n: 10, progressIntervalMs: 1 },
      'progressIntervalMs',
    ],
    [
      'a bad std',
      { kind: 'expectation', ...normalX2, distribution: { family: 'normal', mean: 0, std: -1 }, n: 10 },
      'distribution.std',
    ],
    ['a bad f', { kind: 'expectation', ...normalX2, f: 'x +* 2', n: 10 }, 'f'],
    ['a deterministic method', { kind: 'expectation', ...normalX2, method: 'quadrature', n: 100 }, 'method'],
    [
      'a kl vector against a distribution',
      { kind: 'kl', p: [0.5, 0.5], q: normalX2.distribution, n: 100 },
      'q',
    ],
    [
      'a kl n of 1',
      {
        kind: 'kl',
        p: normalX2.distribution,
        q: { family: 'laplace', loc: 0, scale: 1 },
        method: 'monte_carlo',
        n: 1,
      },
      'n',
    ],
  ])('is a 400 for %s, and nothing is queued', async (_what, body, path) => {
    const before = (await app.inject('/v1/jobs')).json().total;
    const res = await post(app, '/v1/jobs', body);
    const problem = expectProblem(res, 400);
    if (path !== '') expect(problem.errors?.map((e) => e.path).join(' ') ?? problem.detail).toContain(path);
    expect((await app.inject('/v1/jobs')).json().total).toBe(before);
  });

  it.each([1e12 + 1, 1e20])('is a 413 naming the limit for n = %d', async (n) => {
    const res = await post(app, '/v1/jobs', { kind: 'expectation', ...normalX2, n });
    const problem = expectProblem(res, 413);
    expect(problem.detail).toContain('1000000000000');
  });

  it('is a 415 for a body that is not JSON, and 400 for a poisoned one', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: 'kind=test',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(res, 415);
    const poisoned = await app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: '{"kind":"test","n":10,"__proto__":{"x":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(poisoned, 400);
  });
});

describe('GET /v1/jobs and /v1/jobs/:id', () => {
  it('lists jobs newest first, with a progress summary, filtered by status, capped by limit', async () => {
    const a = await startJob(app, { kind: 'test', n: 10_000, chunkSize: 1000 });
    const b = await startJob(app, { kind: 'test', n: 10_000, chunkSize: 1000 });
    await waitJob(app, a);
    await waitJob(app, b);
    const list = (await app.inject('/v1/jobs?limit=2')).json();
    expect(list.jobs.map((j: { id: string }) => j.id)).toEqual([b, a]);
    expect(list.total).toBeGreaterThanOrEqual(2);
    expect(list.jobs[0]).toMatchObject({ id: b, kind: 'test', status: 'succeeded' });
    expect(list.jobs[0].progress).toMatchObject({ n: 10_000, target: 10_000 });
    const ok = (await app.inject('/v1/jobs?status=succeeded&limit=1000')).json();
    expect(ok.jobs.every((j: { status: string }) => j.status === 'succeeded')).toBe(true);
    expectProblem(await app.inject('/v1/jobs?limit=0'), 400);
    expectProblem(await app.inject('/v1/jobs?status=sleeping'), 400);
  });

  it('is a 404 problem for an unknown id', async () => {
    expectProblem(await app.inject('/v1/jobs/00000000-0000-0000-0000-000000000000'), 404);
    expectProblem(await app.inject('/v1/jobs/not-a-job'), 404);
    // An id no job could have is as unknown as any other: 404, not 400 (GET, DELETE and the stream).
    const long = 'x'.repeat(90);
    expectProblem(await app.inject(`/v1/jobs/${long}`), 404);
    expectProblem(await app.inject({ method: 'DELETE', url: `/v1/jobs/${long}` }), 404);
    await expect(app.injectWS(`/v1/jobs/${long}/stream`)).rejects.toThrow(/404/);
    // Past Fastify's maxParamLength (100) the path itself is refused: 414, still a problem.
    expectProblem(await app.inject(`/v1/jobs/${'x'.repeat(500)}`), 414);
  });
});

describe('DELETE /v1/jobs/:id', () => {
  it('cancels a running job (202, status cancelled at once; 202 again), 409 once done, 404 unknown', async () => {
    const id = await startJob(app, { kind: 'test', n: 50_000_000, chunkSize: 10_000, chunkDelayMs: 2 });
    await waitFor(app, id, (j) => j.status === 'running' && j.progress?.n > 0);
    const t0 = Date.now();
    const del = await app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(del.statusCode).toBe(202);
    expect(del.json()).toMatchObject({ id, status: 'cancelled' });
    const job = await waitFor(app, id, (j) => j.status === 'cancelled', 5000);
    expect(Date.now() - t0).toBeLessThan(5000); // generous; the benchmark measures it
    expect(job.reason).toMatch(/cancelled/);
    expect(job.progress.n).toBeLessThan(50_000_000);
    const again = await app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(again.statusCode).toBe(202);
    expect(again.json().status).toBe('cancelled');

    const done = await startJob(app, { kind: 'test', n: 1000, chunkSize: 1000 });
    await waitJob(app, done);
    expectProblem(await app.inject({ method: 'DELETE', url: `/v1/jobs/${done}` }), 409);
    expectProblem(
      await app.inject({ method: 'DELETE', url: '/v1/jobs/00000000-0000-0000-0000-000000000000' }),
      404,
    );

    const failing = await startJob(app, {
      kind: 'test',
      n: 1000,
      chunkSize: 100,
      fail: { mode: 'throw', atChunk: 0 },
    });
    expect((await waitJob(app, failing)).status).toBe('failed');
    expectProblem(await app.inject({ method: 'DELETE', url: `/v1/jobs/${failing}` }), 409);
  });

  it('cancels a queued job, which then never runs', async () => {
    const running = await startJob(small, { kind: 'test', n: 1_000_000, chunkSize: 1000, chunkDelayMs: 5 });
    const queued = await startJob(small, { kind: 'test', n: 1000, chunkSize: 1000 });
    expect((await getJob(small, queued)).status).toBe('queued');
    expect((await small.inject({ method: 'DELETE', url: `/v1/jobs/${queued}` })).statusCode).toBe(202);
    await small.inject({ method: 'DELETE', url: `/v1/jobs/${running}` });
    const q = await getJob(small, queued);
    expect(q.status).toBe('cancelled');
    expect(q.started).toBeUndefined();
    expect(q.progress).toBeNull();
  });
});

describe('limits', () => {
  it('a full queue is a 429 with Retry-After', async () => {
    const body = { kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 5 };
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push(await startJob(small, body)); // 1 running, 20 queued
    const res = await post(small, '/v1/jobs', body);
    const problem = expectProblem(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(problem.detail).toMatch(/queue is full/);
    for (const id of ids) await small.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(small.jobs.manager.counts).toMatchObject({ queued: 0, running: 0 });
  });

  it('finished jobs are forgotten after JOB_TTL_MS (then 404)', async () => {
    const small = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1', JOB_TTL_MS: '300' });
    try {
      const id = await startJob(small, { kind: 'test', n: 1000, chunkSize: 1000 });
      expect((await waitJob(small, id)).status).toBe('succeeded');
      expect((await small.inject(`/v1/jobs/${id}`)).statusCode).toBe(200);
      await sleep(600);
      expectProblem(await small.inject(`/v1/jobs/${id}`), 404);
    } finally {
      await small.close();
    }
  });

  it('20 jobs submitted at once on a small pool all finish, in order of submission, none lost', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        startJob(small, { kind: 'test', n: 40_000 + i, chunkSize: 2000, seed: i }),
      ),
    );
    expect(new Set(ids).size).toBe(20);
    const jobs = [];
    for (const id of ids) jobs.push(await waitJob(small, id, 60_000));
    expect(jobs.map((j) => j.status)).toEqual(Array(20).fill('succeeded'));
    expect(jobs.map((j) => j.result.n)).toEqual(ids.map((_, i) => 40_000 + i));
    const started = jobs.map((j) => new Date(j.started).getTime());
    const finished = jobs.map((j) => new Date(j.finished).getTime());
    expect([...started].sort((a, b) => a - b)).toEqual(started);
    expect([...finished].sort((a, b) => a - b)).toEqual(finished);
    for (let i = 1; i < 20; i++) expect(started[i]).toBeGreaterThanOrEqual(finished[i - 1]!);
  });
});

describe('the event loop stays free while a heavy job runs', () => {
  it('healthz and a small /v1/sample answer promptly during a 1e8-sample job', async () => {
    const id = await startJob(app, { kind: 'expectation', ...normalX2, n: 100_000_000, seed: 1 });
    await waitFor(app, id, (j) => j.status === 'running' && j.progress?.n > 0);
    const worst = { healthz: 0, sample: 0 };
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      worst.healthz = Math.max(worst.healthz, performance.now() - t);
      t = performance.now();
      const s = await post(app, '/v1/sample', {
        distribution: { family: 'normal', mean: 0, std: 1 },
        n: 10,
        seed: i,
      });
      expect(s.statusCode).toBe(200);
      worst.sample = Math.max(worst.sample, performance.now() - t);
      await sleep(20);
    }
    expect((await getJob(app, id)).status).toBe('running');
    // a blocked loop would stall for the whole job (seconds); generous bounds for a noisy machine
    expect(worst.healthz).toBeLessThan(1000);
    expect(worst.sample).toBeLessThan(1000);
    await app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
  });
});

describe('a job task is never left holding a worker', () => {
  it('cancelling stops the task where it runs: the one worker is free long before the chunk would end', async () => {
    const one = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1', MAX_RUNNING_JOBS: '1' });
    try {
      await warmUp(one);
      // One chunk busy-waits 60 s on the only worker.
      const slow = await startJob(one, { kind: 'test', n: 10, chunkSize: 10, chunkDelayMs: 60_000 });
      await waitFor(one, slow, (j) => j.status === 'running');
      await sleep(100);
      expect((await one.inject({ method: 'DELETE', url: `/v1/jobs/${slow}` })).statusCode).toBe(202);
      // Without the abort this job would wait ~60 s for the worker (past waitJob's 20 s).
      const next = await startJob(one, { kind: 'test', n: 20_000, chunkSize: 1000, seed: 3 });
      expect((await waitJob(one, next)).status).toBe('succeeded');
    } finally {
      await one.close();
    }
  }, 60_000);

  it('a task over COMPUTE_TIMEOUT_MS fails its job with too_slow; the worker is replaced and the next job runs', async () => {
    const one = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1', COMPUTE_TIMEOUT_MS: '1000' });
    try {
      await warmUp(one);
      const slow = await startJob(one, { kind: 'test', n: 10, chunkSize: 10, chunkDelayMs: 30_000 });
      const failed = await waitJob(one, slow);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatchObject({
        code: 'too_slow',
        message: expect.stringMatching(/COMPUTE_TIMEOUT_MS/),
      });
      const next = await startJob(one, { kind: 'test', n: 20_000, chunkSize: 1000, seed: 4 });
      expect((await waitJob(one, next)).status).toBe('succeeded');
    } finally {
      await one.close();
    }
  }, 60_000);
});
