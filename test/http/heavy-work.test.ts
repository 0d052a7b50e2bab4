/**
 * No request may hold the event loop: big mixtures are capped at MAX_MIXTURE_COMPONENTS, and work
 * over POOL_THRESHOLD_N (many quantiles of a mixture, a mixture's entropy, KL quadratures over
 * mixtures) runs on the worker pool, where COMPUTE_TIMEOUT_MS bounds it with a 413.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { quantilesAt } from '../../src/core/distributions/evaluate.js';
import { MAX_MIXTURE_COMPONENTS } from '../../src/core/distributions/mixture.js';
import { post, testApp } from '../helpers/app.js';
import { waitJob } from '../jobs/helpers.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const studentMixture = (k: number) => ({
  family: 'mixture',
  weights: Array.from({ length: k }, () => 1 / k),
  components: Array.from({ length: k }, (_, i) => ({
    family: 'student_t',
    df: 1.5,
    loc: i * 0.37,
    scale: 1 + (i % 5),
  })),
});

/** Two mixtures whose KL (auto: quadrature in one dimension) costs well over POOL_THRESHOLD_N. */
const KL_MIXTURES = {
  p: {
    family: 'mixture',
    weights: [0.3, 0.7],
    components: [
      { family: 'normal', mean: -1, std: 1 },
      { family: 'normal', mean: 2, std: 0.5 },
    ],
  },
  q: studentMixture(30),
};

/**
 * Starts the slow request, then asks /healthz: the health answer must come first. Were the slow work
 * on the event loop, /healthz could only be answered after it.
 */
async function healthAnswersFirst(a: FastifyInstance, url: string, body: unknown) {
  const order: string[] = [];
  const slow = post(a, url, body).then((r) => {
    order.push('slow');
    return r;
  });
  await new Promise((r) => setTimeout(r, 20));
  const health = await a.inject({ method: 'GET', url: '/healthz' });
  order.push('health');
  expect(health.statusCode).toBe(200);
  const res = await slow;
  expect(order).toEqual(['health', 'slow']);
  return res;
}

describe('mixture size limit', () => {
  it(`a mixture of more than ${MAX_MIXTURE_COMPONENTS} components is a 400 naming the limit`, async () => {
    app = await testApp();
    const res = await post(app, '/v1/density', {
      distribution: studentMixture(MAX_MIXTURE_COMPONENTS + 1),
      x: [0],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.json())).toMatch(new RegExp(`components.*${MAX_MIXTURE_COMPONENTS}`));
  });

  it('counts nested mixtures flattened', async () => {
    app = await testApp();
    const inner = studentMixture(60);
    const res = await post(app, '/v1/describe', {
      distribution: { family: 'mixture', weights: [0.5, 0.5], components: [inner, inner] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail + JSON.stringify(res.json().errors)).toMatch(/got 120/);
  });
});

describe('heavy synchronous work runs on the pool', () => {
  it('many quantiles of a 20-component mixture: the event loop stays free, same numbers as the core', async () => {
    app = await testApp();
    const distribution = studentMixture(20);
    const p = Array.from({ length: 300 }, (_, i) => (i + 0.5) / 300);
    const res = await healthAnswersFirst(app, '/v1/quantile', { distribution, p });
    expect(res.statusCode).toBe(200);
    expect(res.json().x).toEqual(quantilesAt(distribution, p).x);
  });

  it("a big mixture's entropy (describe) runs on the pool", async () => {
    app = await testApp();
    const res = await healthAnswersFirst(app, '/v1/describe', { distribution: studentMixture(12) });
    expect(res.statusCode).toBe(200);
    expect(Number.isFinite(res.json().entropy)).toBe(true);
  });

  it('many densities of a mixture run on the pool', async () => {
    app = await testApp();
    const x = Array.from({ length: 20_000 }, (_, i) => -50 + i / 200);
    const res = await healthAnswersFirst(app, '/v1/density', { distribution: studentMixture(100), x });
    expect(res.statusCode).toBe(200);
    expect(res.json().logDensity).toHaveLength(x.length);
  });

  it('KL between two mixtures (auto: quadrature) runs on the pool, with the same answer as inline', async () => {
    const body = KL_MIXTURES;
    app = await testApp();
    const pooled = await healthAnswersFirst(app, '/v1/kl', body);
    expect(pooled.statusCode).toBe(200);
    await app.close();
    app = await testApp({ POOL_THRESHOLD_N: '1000000000000' });
    const inline = await post(app, '/v1/kl', body);
    const strip = (r: Record<string, unknown>) => ({ ...r, elapsedMs: 0 });
    expect(strip(pooled.json())).toEqual(strip(inline.json()));
  });
});

describe('job preparation that is heavy runs on the pool too', () => {
  it('a KL job between mixtures is planned on the pool (the event loop stays free), same answer as /v1/kl', async () => {
    const body = { ...KL_MIXTURES, seed: 5 };
    app = await testApp();
    const res = await healthAnswersFirst(app, '/v1/jobs', { kind: 'kl', n: 1000, ...body });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(app, res.json().id);
    expect(job.status).toBe('succeeded');
    const sync = await post(app, '/v1/kl', { ...body, n: 1000 });
    const strip = (r: Record<string, unknown>) => ({ ...r, elapsedMs: 0 });
    expect(strip(job.result)).toEqual(strip(sync.json()));
  });
});

describe('COMPUTE_TIMEOUT_MS', () => {
  it('work over the time limit is a 413 naming the limit, the worker is freed and the service goes on', async () => {
    app = await testApp({ COMPUTE_TIMEOUT_MS: '1000' });
    const res = await post(app, '/v1/describe', { distribution: studentMixture(MAX_MIXTURE_COMPONENTS) });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(/COMPUTE_TIMEOUT_MS/);
    // Pool work again (a 100-component mixture's densities), well within the limit.
    const next = await post(app, '/v1/density', {
      distribution: studentMixture(MAX_MIXTURE_COMPONENTS),
      x: Array.from({ length: 400 }, (_, i) => i / 40),
    });
    expect(next.statusCode).toBe(200);
  });
});
