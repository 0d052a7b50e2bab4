import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleConditional } from '../../src/core/estimators/conditional.js';
import { createRng } from '../../src/core/rng/index.js';
import { post, testApp } from '../helpers/app.js';

let app: FastifyInstance | undefined;
/** Everything inline (the pool's own tests lower POOL_THRESHOLD_N instead): fast and predictable. */
const inlineApp = (env: Record<string, string> = {}) => testApp({ POOL_THRESHOLD_N: '100000000', ...env });
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const URL = '/v1/sample/conditional';

describe('POST /v1/sample/conditional', () => {
  it('one row per x, samplesPerX columns, and the seed', async () => {
    app = await inlineApp();
    const r = await post(app, URL, { x: [0, 1, 2], mean: '2 * x', std: '1', samplesPerX: 4 });
    expect(r.statusCode).toBe(200);
    const a = r.json();
    expect(typeof a.seed).toBe('number');
    expect(a.z).toHaveLength(3);
    for (const row of a.z) expect(row).toHaveLength(4);
    const one = (await post(app, URL, { x: [5], mean: 'x', std: '1' })).json();
    expect(one.z).toHaveLength(1);
    expect(one.z[0]).toHaveLength(1);
  });

  it('z = mean(x) + std(x) * eps, eps ~ N(0, 1) from the seed, bit for bit', async () => {
    app = await inlineApp();
    const body = { x: [-1, 0.5, 3], mean: 'x^2', std: '0.1 + abs(x)', samplesPerX: 3, seed: 'cond' };
    const a = (await post(app, URL, body)).json();
    const b = (await post(app, URL, body)).json();
    expect(a).toEqual(b);
    expect(a.seed).toBe('cond');
    const rng = createRng('cond', 0);
    const expected = body.x.map((x) => [0, 1, 2].map(() => x * x + (0.1 + Math.abs(x)) * rng.normal()));
    expect(a.z).toEqual(expected);
  });

  it('eps is scaled by the standard deviation, not the variance', async () => {
    app = await inlineApp();
    const a = (await post(app, URL, { x: [1], mean: '10', std: '3', samplesPerX: 20_000, seed: 1 })).json();
    const z: number[] = a.z[0];
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / (z.length - 1));
    expect(Math.abs(mean - 10)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
  });

  it('a std(x) that is not positive is a 400 naming that x', async () => {
    app = await inlineApp();
    const r = await post(app, URL, { x: [0, 1, 2, 2.5], mean: 'x', std: 'x < 2.5 ? 1 : -1' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ path: 'std', message: 'std(x) = -1 at x[3] = 2.5 is not positive' }]);
    const zero = await post(app, URL, { x: [0], mean: 'x', std: 'x' });
    expect(zero.json().errors[0].message).toBe('std(x) = 0 at x[0] = 0 is not positive');
    const nan = await post(app, URL, { x: [4, -1], mean: 'x', std: 'log(x)' });
    expect(nan.statusCode).toBe(400);
    expect(nan.json().errors[0]).toEqual({ path: 'std', message: 'std(x) = NaN at x[1] = -1 is not finite' });
    const inf = await post(app, URL, { x: [0], mean: '1 / x', std: '1' });
    expect(inf.json().errors[0]).toEqual({
      path: 'mean',
      message: 'mean(x) = Infinity at x[0] = 0 is not finite',
    });
  });

  it('bad expressions and bodies are 400s', async () => {
    app = await inlineApp();
    const bad = [
      { x: [1], mean: 'x +', std: '1' },
      { x: [1], mean: 'x', std: 'y' },
      { x: [], mean: 'x', std: '1' },
      { x: [1, null], mean: 'x', std: '1' },
      { x: [1], mean: 'x', std: '1', samplesPerX: 0 },
      { x: [1], mean: 'x', std: '1', samplesPerX: 1.5 },
      { x: [1], mean: 'x', std: '1', extra: true },
      { x: [1], mean: 'x' },
    ];
    for (const body of bad) {
      const r = await post(app, URL, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    const col = (await post(app, URL, { x: [1], mean: 'x', std: 'x ** 2' })).json();
    expect(col.errors[0].path).toBe('std');
    expect(col.errors[0].message).toMatch(/column/);
  });

  it('x.length * samplesPerX over MAX_SAMPLE_N_JSON is a 413 naming the limit', async () => {
    app = await inlineApp({ MAX_SAMPLE_N_JSON: '1000' });
    const r = await post(app, URL, { x: [1, 2, 3], mean: 'x', std: '1', samplesPerX: 400 });
    expect(r.statusCode).toBe(413);
    expect(r.json().detail).toMatch(/1000/);
    expect((await post(app, URL, { x: [1], mean: 'x', std: '1', samplesPerX: 1e15 })).statusCode).toBe(413);
    expect((await post(app, URL, { x: [1, 2], mean: 'x', std: '1', samplesPerX: 500 })).statusCode).toBe(200);
  });

  it('large requests run on the pool with the same numbers', async () => {
    const body = { x: [0, 1], mean: 'x', std: '2', samplesPerX: 3000, seed: 9 };
    app = await testApp({ POOL_THRESHOLD_N: '100' });
    const pooled = (await post(app, URL, body)).json();
    expect(pooled).toEqual(sampleConditional(body));
  });
});
