import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { runExpectation } from '../../src/core/estimators/expectation.js';
import { post, testApp } from '../helpers/app.js';

let app: FastifyInstance | undefined;
/** Everything inline (the pool's own tests lower POOL_THRESHOLD_N instead): fast and predictable. */
const inlineApp = (env: Record<string, string> = {}) => testApp({ POOL_THRESHOLD_N: '100000000', ...env });
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const NORMAL = { family: 'normal', mean: 1, std: 2 };
const URL = '/v1/expectation';

describe('POST /v1/expectation', () => {
  it('monte_carlo by default: estimate, stdError, ci, seed, n, evaluations, elapsedMs', async () => {
    app = await inlineApp();
    const r = await post(app, URL, { distribution: NORMAL, f: 'x^2' });
    expect(r.statusCode).toBe(200);
    const a = r.json();
    expect(a.method).toBe('monte_carlo');
    expect(a.n).toBe(100_000);
    expect(a.evaluations).toBe(100_000);
    expect(typeof a.seed).toBe('number');
    expect(Math.abs(a.estimate - 5)).toBeLessThan(5 * a.stdError);
    expect(a.stdError).toBeCloseTo(Math.sqrt(48 / 100_000), 3);
    expect(a.ci.level).toBe(0.95);
    expect(a.ci.low).toBeLessThan(a.estimate);
    expect(a.nonFinite).toBe(0);
    expect(a.warnings).toEqual([]);
    expect(a.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('same seed, same answer, bit for bit (string and integer seeds alike)', async () => {
    app = await inlineApp();
    const body = { distribution: NORMAL, f: 'exp(x / 4)', seed: 'reproducible', n: 70_000 };
    const a = (await post(app, URL, body)).json();
    const b = (await post(app, URL, body)).json();
    delete a.elapsedMs;
    delete b.elapsedMs;
    expect(a).toEqual(b);
    expect(a.seed).toBe('reproducible');
    const c = (await post(app, URL, { ...body, seed: 42 })).json();
    const d = (await post(app, URL, { ...body, seed: '42' })).json();
    expect(c.estimate).toBe(d.estimate);
  });

  it('work over POOL_THRESHOLD_N runs on the pool and gives the same answer as inline', async () => {
    const body = {
      distribution: NORMAL,
      f: 'x^2 + sin(x)',
      n: 150_000,
      seed: 7,
      method: 'antithetic' as const,
    };
    app = await testApp({ POOL_THRESHOLD_N: '1000' });
    const pooled = (await post(app, URL, body)).json();
    const { elapsedMs: _, ...inline } = runExpectation({ ...body, confidence: 0.95 });
    delete pooled.elapsedMs;
    expect(pooled).toEqual(inline);
  });

  it('n over MAX_SYNC_N is a 413 naming the limit', async () => {
    app = await inlineApp({ MAX_SYNC_N: '50000' });
    const r = await post(app, URL, { distribution: NORMAL, f: 'x', n: 60_000 });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().detail).toMatch(/50000/);
    // A tolerance without n caps at 1e7, also over this limit.
    expect((await post(app, URL, { distribution: NORMAL, f: 'x', tolerance: 0.1 })).statusCode).toBe(413);
    await app.close();
    app = await inlineApp();
    const huge = await post(app, URL, { distribution: NORMAL, f: 'x', n: 1e12 });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toMatch(/100000000/);
  });

  it('each method answers; Monte Carlo ones carry stdError and ci, the others errorEstimate', async () => {
    app = await inlineApp();
    for (const method of ['monte_carlo', 'antithetic', 'quasi_monte_carlo']) {
      const a = (await post(app, URL, { distribution: NORMAL, f: 'x^2', method, seed: 1 })).json();
      expect(a.method).toBe(method);
      expect(a.stdError).toBeGreaterThan(0);
      expect(a.ci).toBeDefined();
      expect(a.varianceReduction === undefined).toBe(method === 'monte_carlo');
    }
    for (const method of ['riemann', 'quadrature']) {
      const a = (await post(app, URL, { distribution: NORMAL, f: 'x^2', method })).json();
      expect(a.method).toBe(method);
      expect(Math.abs(a.estimate - 5)).toBeLessThan(1e-8);
      expect(a.errorEstimate).toBeGreaterThanOrEqual(0);
      expect(a.stdError).toBeUndefined();
    }
  });

  it('E[x > 1.96] by quadrature agrees with 0.0249979 to 1e-10', async () => {
    app = await inlineApp();
    const a = (
      await post(app, URL, {
        distribution: { family: 'normal', mean: 0, variance: 1 },
        f: 'x > 1.96',
        method: 'quadrature',
      })
    ).json();
    expect(Math.abs(a.estimate - 0.024997895148220435)).toBeLessThan(1e-10);
  });

  it('multivariate: monte_carlo on x[0] .. x[d-1]; a method that cannot apply is a 400 naming those that can', async () => {
    app = await inlineApp();
    const mvn = {
      family: 'multivariate_normal',
      mean: [0.5, -1],
      cov: [
        [1, 0.6],
        [0.6, 2],
      ],
    };
    const ok = (await post(app, URL, { distribution: mvn, f: 'x[0] * x[1]', seed: 3 })).json();
    expect(Math.abs(ok.estimate - 0.1)).toBeLessThan(5 * ok.stdError);
    const r = await post(app, URL, { distribution: mvn, f: 'x[0]', method: 'riemann' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([
      {
        path: 'method',
        message:
          "'riemann' does not apply to a 2-dimensional multivariate_normal distribution; methods that apply: monte_carlo, quasi_monte_carlo",
      },
    ]);
    // x (scalar) or x[2] are not variables of a 2-dimensional f.
    const bad = await post(app, URL, { distribution: mvn, f: 'x[2]' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('f');
  });

  it('a bad expression is a 400 giving the column', async () => {
    app = await inlineApp();
    const r = await post(app, URL, { distribution: NORMAL, f: 'x + foo(x)' });
    expect(r.statusCode).toBe(400);
    const p = r.json();
    expect(p.errors[0].path).toBe('f');
    expect(p.errors[0].message).toMatch(/column 5/);
  });

  it('invalid bodies are 400s (strict object, no coercion)', async () => {
    app = await inlineApp();
    const bad = [
      { distribution: NORMAL, f: 'x', extra: 1 },
      { distribution: NORMAL, f: 'x', n: 2.5 },
      { distribution: NORMAL, f: 'x', n: '5' },
      { distribution: NORMAL, f: 'x', n: 0 },
      { distribution: NORMAL, f: 'x', method: 'magic' },
      { distribution: NORMAL, f: 'x', confidence: 1 },
      { distribution: NORMAL, f: 'x', tolerance: 0 },
      { distribution: NORMAL, f: 5 },
      { distribution: NORMAL },
      { distribution: { family: 'normal', mean: 0, std: -1 }, f: 'x' },
      { distribution: NORMAL, f: 'x', method: 'quasi_monte_carlo', n: 10 },
    ];
    for (const body of bad) {
      const r = await post(app, URL, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().errors.length).toBeGreaterThan(0);
    }
  });

  it('f undefined on part of the draws: the count and a message; nowhere finite: "NaN" and a message', async () => {
    app = await inlineApp();
    const some = (await post(app, URL, { distribution: NORMAL, f: 'log(x)', n: 10_000, seed: 1 })).json();
    expect(some.nonFinite).toBeGreaterThan(2000);
    expect(some.warnings[0]).toMatch(/not finite/);
    expect(typeof some.estimate).toBe('number');
    const none = (await post(app, URL, { distribution: NORMAL, f: '0 / 0', n: 1000, seed: 1 })).json();
    expect(none.estimate).toBe('NaN');
    expect(none.stdError).toBe('NaN');
    expect(none.nonFinite).toBe(1000);
    expect(none.warnings[0]).toMatch(/at all 1000 draws/);
  });

  it('a mean that does not exist is not hidden behind a number', async () => {
    app = await inlineApp();
    const a = (
      await post(app, URL, { distribution: { family: 'normal', mean: 0, std: 1 }, f: '1 / x', seed: 2 })
    ).json();
    expect(a.warnings.join(' ')).toMatch(/sample variance has not settled/);
  });

  it('E[x] under a Cauchy: the analytic check warns first, for every method', async () => {
    app = await inlineApp();
    const cauchy = { family: 'cauchy', loc: 0, scale: 1 };
    for (const method of ['monte_carlo', 'antithetic', 'quasi_monte_carlo', 'riemann', 'quadrature']) {
      const r = await post(app, URL, { distribution: cauchy, f: 'x', method, n: 100, seed: 1 });
      expect(r.statusCode).toBe(200);
      const a = r.json();
      expect(a.warnings[0]).toMatch(/^E\[f\(x\)\] does not exist under this distribution/);
      if (method === 'riemann' || method === 'quadrature') expect(a.errorEstimate).toBe('Infinity');
    }
  });

  it('a client that goes away aborts pooled work (the signal fires)', async () => {
    const server = await testApp({ POOL_THRESHOLD_N: '1000' });
    app = server;
    let seen: AbortSignal | undefined;
    const aborted = new Promise<void>((resolve) => {
      server.compute.run = (async (_name: string, _payload: unknown, options?: { signal?: AbortSignal }) => {
        seen = options?.signal;
        await new Promise<void>((r) => seen?.addEventListener('abort', () => r()));
        resolve();
        throw new Error('aborted');
      }) as typeof server.compute.run;
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const port = (server.server.address() as AddressInfo).port;
    const ac = new AbortController();
    const pending = fetch(`http://127.0.0.1:${port}${URL}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ distribution: NORMAL, f: 'x', n: 5000 }),
      signal: ac.signal,
    }).catch(() => undefined);
    for (let i = 0; i < 500 && seen === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toBeDefined();
    expect(seen!.aborted).toBe(false);
    ac.abort();
    await aborted;
    expect(seen!.aborted).toBe(true);
    await pending;
  });
});
