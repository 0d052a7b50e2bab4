import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { post, testApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeEach(async () => {
  app = await testApp({ MAX_SAMPLE_N_JSON: '1000', MAX_SAMPLE_N_BINARY: '5000', BODY_LIMIT: '65536' });
});
afterEach(async () => {
  await app.close();
});

const normal = { family: 'normal', mean: 0, std: 1 };

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  return body as { detail: string; errors?: { path: string; message: string }[] };
}

describe('operations', () => {
  it('healthz and readyz answer', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('readyz is 503 and new work is refused while draining; healthz still answers', async () => {
    app.lifecycle.draining = true;
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expectProblem(await post(app, '/v1/sample', { distribution: normal }), 503);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await app.inject('/openapi.json');
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.1.0');
    const docs = await app.inject('/docs');
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('unknown paths are a 404 problem', async () => {
    expectProblem(await app.inject('/v1/nothing'), 404);
  });

  it('echoes a request id', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('request bodies (RELIABILITY.md)', () => {
  it('malformed JSON and an empty JSON body are 400', async () => {
    expectProblem(await post(app, '/v1/sample', '{"distribution": '), 400);
    expectProblem(await post(app, '/v1/sample', ''), 400);
  });

  it('a missing or odd content type is 415', async () => {
    const body = JSON.stringify({ distribution: normal });
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/sample',
        payload: body,
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/sample',
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    const none = await app.inject({ method: 'POST', url: '/v1/sample', payload: Buffer.from(body) });
    expect([400, 415]).toContain(none.statusCode);
  });

  it('a body over the limit is 413 naming the limit', async () => {
    const big = { distribution: normal, n: 1, pad: 'x'.repeat(70_000) };
    const body = expectProblem(await post(app, '/v1/sample', big), 413);
    expect(body.detail).toContain('65536');
  });

  it('__proto__ and constructor.prototype keys are 400 before any handler runs', async () => {
    expectProblem(
      await post(
        app,
        '/v1/sample',
        '{"distribution":{"family":"normal","mean":0,"std":1},"__proto__":{"n":5}}',
      ),
      400,
    );
    expectProblem(
      await post(
        app,
        '/v1/sample',
        '{"distribution":{"family":"normal","mean":0,"std":1},"constructor":{"prototype":{"n":5}}}',
      ),
      400,
    );
  });

  it.each([
    ['null in a number array', { distribution: normal, x: [1, null] }, '/v1/density', 'x'],
    ['true in a number array', { distribution: normal, x: [1, true] }, '/v1/density', 'x'],
    ['a string for a number', { distribution: normal, x: [1, '3'] }, '/v1/density', 'x'],
    ['a scalar for an array', { distribution: normal, x: 5 }, '/v1/density', 'x'],
    ['a string for n', { distribution: normal, n: '5' }, '/v1/sample', 'n'],
    ['2.5 for an integer', { distribution: normal, n: 2.5 }, '/v1/sample', 'n'],
    ['an unknown field', { distribution: normal, n: 1, extra: 1 }, '/v1/sample', ''],
    ['an unknown parameter', { distribution: { ...normal, sd: 1 } }, '/v1/sample', 'distribution'],
    ['a negative seed', { distribution: normal, seed: -1 }, '/v1/sample', 'seed'],
    ['a fractional seed', { distribution: normal, seed: 1.5 }, '/v1/sample', 'seed'],
    ['a seed of 2^53', { distribution: normal, seed: 2 ** 53 }, '/v1/sample', 'seed'],
    ['a 257-character seed', { distribution: normal, seed: 's'.repeat(257) }, '/v1/sample', 'seed'],
    ['an unknown family', { distribution: { family: 'zeta', s: 2 } }, '/v1/sample', 'distribution'],
    ['a missing distribution', { n: 3 }, '/v1/sample', 'distribution'],
  ])('type confusion: %s is a 400 naming the field', async (_name, body, url, path) => {
    const res = expectProblem(await post(app, url, body), 400);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors!.some((e) => e.path.startsWith(path))).toBe(true);
  });

  it('1e400 (Infinity after parsing) is a 400', async () => {
    expectProblem(
      await post(app, '/v1/density', '{"distribution":{"family":"normal","mean":0,"std":1},"x":[1e400]}'),
      400,
    );
    expectProblem(
      await post(app, '/v1/sample', '{"distribution":{"family":"normal","mean":1e400,"std":1}}'),
      400,
    );
  });

  it('a huge n on the synchronous endpoint is a 413 naming the limit', async () => {
    const body = expectProblem(await post(app, '/v1/sample', { distribution: normal, n: 1e12 }), 413);
    expect(body.detail).toContain('1000');
  });

  it('deep nesting is rejected without recursion, and the service goes on serving', async () => {
    const depth = 100_000;
    const deep = `{"distribution":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sample',
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect([400, 413]).toContain(res.statusCode);
    expect(res.body.length).toBeLessThan(2000); // never echoes the input
    const mixture = (d: number): unknown =>
      d === 0 ? normal : { family: 'mixture', weights: [1], components: [mixture(d - 1)] };
    expectProblem(await post(app, '/v1/sample', { distribution: mixture(40) }), 400);
    expect((await post(app, '/v1/sample', { distribution: normal, seed: 1 })).statusCode).toBe(200);
  });
});

describe('POST /v1/sample', () => {
  it('is reproducible: same seed, same numbers; a different seed, different numbers', async () => {
    const a = (await post(app, '/v1/sample', { distribution: normal, n: 100, seed: 7 })).json();
    const b = (await post(app, '/v1/sample', { distribution: normal, n: 100, seed: 7 })).json();
    const c = (await post(app, '/v1/sample', { distribution: normal, n: 100, seed: 8 })).json();
    expect(a.samples).toEqual(b.samples);
    expect(a.samples).not.toEqual(c.samples);
    expect(a).toMatchObject({ n: 100, seed: 7, distribution: normal });
  });

  it('chooses and reports a seed when none is given, and that seed replays the draw', async () => {
    const a = (await post(app, '/v1/sample', { distribution: normal, n: 5 })).json();
    expect(Number.isSafeInteger(a.seed)).toBe(true);
    const b = (await post(app, '/v1/sample', { distribution: normal, n: 5, seed: a.seed })).json();
    expect(b.samples).toEqual(a.samples);
  });

  it('accepts string seeds', async () => {
    const a = (await post(app, '/v1/sample', { distribution: normal, n: 3, seed: 'experiment-1' })).json();
    expect(a.seed).toBe('experiment-1');
    expect(a.samples).toHaveLength(3);
  });

  it('scales eps by the standard deviation: variance 4 and std 2 give the same draws', async () => {
    const a = (
      await post(app, '/v1/sample', {
        distribution: { family: 'normal', mean: 1, variance: 4 },
        n: 10,
        seed: 3,
      })
    ).json();
    const b = (
      await post(app, '/v1/sample', { distribution: { family: 'normal', mean: 1, std: 2 }, n: 10, seed: 3 })
    ).json();
    expect(a.samples).toEqual(b.samples);
  });

  it('returns raw little-endian float64 with the seed in X-Seed, bit-identical to JSON', async () => {
    const body = { distribution: normal, n: 50, seed: 11 };
    const json = (await post(app, '/v1/sample', body)).json();
    const bin = await post(app, '/v1/sample', body, { accept: 'application/octet-stream' });
    expect(bin.statusCode).toBe(200);
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect(bin.headers['x-seed']).toBe('11');
    const raw = bin.rawPayload;
    expect(raw.length).toBe(50 * 8);
    const values = Array.from({ length: 50 }, (_, i) => raw.readDoubleLE(i * 8));
    expect(values).toEqual(json.samples);
  });

  it('binary has its own, larger limit', async () => {
    const ok = await post(
      app,
      '/v1/sample',
      { distribution: normal, n: 4000, seed: 1 },
      { accept: 'application/octet-stream' },
    );
    expect(ok.statusCode).toBe(200);
    const tooMany = await post(
      app,
      '/v1/sample',
      { distribution: normal, n: 6000, seed: 1 },
      { accept: 'application/octet-stream' },
    );
    expect(expectProblem(tooMany, 413).detail).toContain('5000');
  });
});

describe('POST /v1/density, /v1/quantile, /v1/describe', () => {
  it('gives accurate tails for the normal', async () => {
    const res = (await post(app, '/v1/density', { distribution: normal, x: [0, 40, -30] })).json();
    expect(res.logDensity[1]).toBeCloseTo(-800 - 0.5 * Math.log(2 * Math.PI), 10);
    expect(res.cdf[2]).toBeGreaterThan(0);
    // scipy.stats.norm.cdf(-30); relative agreement to 1e-12.
    expect(Math.abs(res.cdf[2] / 4.906713927147908e-198 - 1)).toBeLessThan(1e-12);
    const q = (await post(app, '/v1/quantile', { distribution: normal, p: [1e-12, 0.5, 0, 1] })).json();
    // scipy.stats.norm.ppf(1e-12)
    expect(Math.abs(q.x[0] / -7.034483825301131 - 1)).toBeLessThan(1e-12);
    expect(q.x.slice(1)).toEqual([0, '-Infinity', 'Infinity']);
  });

  it('p outside [0, 1] is a 400', async () => {
    expectProblem(await post(app, '/v1/quantile', { distribution: normal, p: [1.5] }), 400);
  });

  it('describes the normal exactly, with N(mean, variance) taking the variance', async () => {
    const d = (
      await post(app, '/v1/describe', { distribution: { family: 'normal', mean: 2, variance: 9 } })
    ).json();
    expect(d).toMatchObject({ mean: 2, variance: 9, std: 3 });
    expect(d.entropy).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * 9), 14);
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with request counts and pool, job and socket gauges', async () => {
    await app.inject('/healthz');
    await post(app, '/v1/sample', { distribution: normal, n: 2, seed: 1 });
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('likely_http_requests_total{method="POST",route="/v1/sample",status="200"} 1');
    expect(res.body).toContain('likely_http_request_duration_seconds_count{method="GET",route="/healthz"} 1');
    for (const g of [
      'likely_jobs_running',
      'likely_pool_size 2',
      'likely_websocket_clients 0',
      'likely_draining 0',
    ]) {
      expect(res.body).toContain(g);
    }
  });
});

describe('large draws on the worker pool', () => {
  it('give bit-identical samples to the inline path', async () => {
    const body = { distribution: { family: 'gamma', shape: 0.7, rate: 2 }, n: 3000, seed: 'pool' };
    const inline = await post(app, '/v1/sample', body, { accept: 'application/octet-stream' });
    const pooled = await testApp({ POOL_THRESHOLD_N: '100', MAX_SAMPLE_N_BINARY: '5000' });
    try {
      const viaPool = await post(pooled, '/v1/sample', body, { accept: 'application/octet-stream' });
      expect(viaPool.statusCode).toBe(200);
      expect(Buffer.compare(viaPool.rawPayload, inline.rawPayload)).toBe(0);
      const json = (await post(pooled, '/v1/sample', { ...body, n: 500 })).json();
      expect(json.samples).toHaveLength(500);
    } finally {
      await pooled.close();
    }
  });
});
