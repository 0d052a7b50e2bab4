import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, testApp } from '../helpers/app.js';

const URL = '/v1/kl';
let app: FastifyInstance;

beforeAll(async () => {
  // Everything inline: the pool test below builds its own app.
  app = await testApp({ POOL_THRESHOLD_N: '100000000', MAX_SYNC_N: '5000000' });
});
afterAll(async () => {
  await app.close();
});

const N01 = { family: 'normal', mean: 0, std: 1 };
const N02 = { family: 'normal', mean: 0, std: 2 };
const MIX_P = {
  family: 'mixture',
  weights: [0.3, 0.7],
  components: [
    { family: 'normal', mean: -2, std: 1 },
    { family: 'normal', mean: 1, std: 0.5 },
  ],
};
const MIX_Q = {
  family: 'mixture',
  weights: [0.5, 0.5],
  components: [
    { family: 'normal', mean: 0, std: 2 },
    { family: 'normal', mean: 3, std: 1 },
  ],
};

async function ok(body: unknown) {
  const r = await post(app, URL, body);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

async function bad(body: unknown, status = 400) {
  const r = await post(app, URL, body);
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  const problem = r.json();
  expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(problem.detail).toBeTypeOf('string');
  expect(r.body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return problem;
}

describe('POST /v1/kl: the lecture example, by hand', () => {
  it('p = [0.5, 0.5], q = [0.9, 0.1]', async () => {
    const a = await ok({ p: [0.5, 0.5], q: [0.9, 0.1] });
    // KL(p || q) = 0.5 log(0.5 / 0.9) + 0.5 log(0.5 / 0.1) = 0.5 log(25 / 9) = log(5 / 3)
    expect(a.forward).toBeCloseTo(Math.log(5 / 3), 15);
    // KL(q || p) = 0.9 log(0.9 / 0.5) + 0.1 log(0.1 / 0.5) = 0.9 log 1.8 - 0.1 log 5
    expect(a.reverse).toBeCloseTo(0.9 * Math.log(1.8) - 0.1 * Math.log(5), 15);
    // m = [0.7, 0.3]: JS = (0.5 log(0.5/0.7) + 0.5 log(0.5/0.3) + 0.9 log(0.9/0.7) + 0.1 log(0.1/0.3)) / 2
    const js =
      (0.5 * Math.log(0.5 / 0.7) +
        0.5 * Math.log(0.5 / 0.3) +
        0.9 * Math.log(0.9 / 0.7) +
        0.1 * Math.log(0.1 / 0.3)) /
      2;
    expect(a.jensenShannon).toBeCloseTo(js, 15);
    expect(a).toMatchObject({
      method: 'closed_form',
      methods: { forward: 'closed_form', reverse: 'closed_form', jensenShannon: 'closed_form' },
      units: 'nats',
    });
    expect(a.entropyP).toBeCloseTo(Math.LN2, 15);
    expect(a.crossEntropy).toBeCloseTo(Math.LN2 + Math.log(5 / 3), 15);
    expect(a.stdError).toBeUndefined();
    expect(a.seed).toBeUndefined();
    expect(a.forward).not.toBe(a.reverse);
  });

  it('0 log(0 / q) = 0, and p > 0 where q = 0 is "Infinity" naming the outcome', async () => {
    const a = await ok({ p: [0, 1], q: [0.5, 0.5] });
    expect(a.forward).toBeCloseTo(Math.LN2, 15);
    expect(a.reverse).toBe('Infinity');
    expect(a.note).toMatch(/outcome 0/);
    const b = await ok({ p: [0.25, 0.25, 0.5], q: [0.5, 0.5, 0] });
    expect(b.forward).toBe('Infinity');
    expect(b.note).toMatch(/probability 0\.5 to outcome 2, where q gives 0/);
    expect(b.crossEntropy).toBe('Infinity');
  });
});

describe('POST /v1/kl: distributions', () => {
  it('N(0, 1) against N(0, std 2): closed forms both ways, JS by quadrature, not symmetric', async () => {
    const a = await ok({ p: N01, q: N02 });
    expect(a.forward).toBeCloseTo(Math.log(2) + 1 / 8 - 1 / 2, 15);
    expect(a.reverse).toBeCloseTo(2 - 1 / 2 - Math.log(2), 15);
    expect(a.forward).toBeLessThan(a.reverse);
    expect(a.methods).toEqual({
      forward: 'closed_form',
      reverse: 'closed_form',
      jensenShannon: 'quadrature',
    });
    expect(a.errorEstimates.jensenShannon).toBeLessThan(1e-10);
    expect(a.jensenShannon).toBeGreaterThan(0);
    expect(a.jensenShannon).toBeLessThan(Math.LN2);
    // the lecture's N(mean, variance): variance 4 is std 2
    const b = await ok({ p: N01, q: { family: 'normal', mean: 0, variance: 4 } });
    expect(b.forward).toBe(a.forward);
  });

  it('method quadrature and monte_carlo on the same pair agree with the closed form', async () => {
    const exact = await ok({ p: N01, q: N02 });
    const quad = await ok({ p: N01, q: N02, method: 'quadrature' });
    expect(quad.methods).toEqual({
      forward: 'quadrature',
      reverse: 'quadrature',
      jensenShannon: 'quadrature',
    });
    expect(Math.abs(quad.forward - exact.forward)).toBeLessThanOrEqual(
      Math.max(1e-12, 2 * quad.errorEstimates.forward),
    );
    const mc = await ok({ p: N01, q: N02, method: 'monte_carlo', n: 50_000, seed: 11 });
    expect(mc.method).toBe('monte_carlo');
    expect(mc.seed).toBe(11);
    expect(mc.n).toBe(50_000);
    expect(Math.abs(mc.forward - exact.forward)).toBeLessThan(4 * mc.stdError);
    expect(mc.ci).toMatchObject({ level: 0.95 });
    expect(mc.cis.reverse.low).toBeLessThan(mc.reverse);
  });

  it('support mismatch: uniform(0, 2) against uniform(0, 1) is "Infinity" with a note; the reverse is log 2', async () => {
    const a = await ok({
      p: { family: 'uniform', low: 0, high: 2 },
      q: { family: 'uniform', low: 0, high: 1 },
    });
    expect(a.forward).toBe('Infinity');
    expect(a.reverse).toBeCloseTo(Math.LN2, 15);
    expect(a.method).toBe('closed_form');
    expect(a.note).toMatch(/support of p is not inside that of q: p has density on \(1, 2\)/);
  });

  it('an exponential against a uniform, a normal against a gamma: "Infinity" whatever the method', async () => {
    for (const method of ['auto', 'closed_form', 'quadrature', 'monte_carlo']) {
      const a = await ok({
        p: { family: 'exponential', rate: 1 },
        q: { family: 'uniform', low: 0, high: 5 },
        method,
        seed: 1,
        n: 1000,
      });
      expect(a.forward).toBe('Infinity');
      expect(a.note).toMatch(/\(5, Infinity\)/);
    }
    const b = await ok({ p: N01, q: { family: 'gamma', shape: 2, rate: 1 } });
    expect(b.forward).toBe('Infinity');
    expect(b.note).toMatch(/\(-Infinity, 0\)/);
  });

  it('a Poisson against a binomial: Infinity naming the first outcome past n', async () => {
    const a = await ok({ p: { family: 'poisson', rate: 2 }, q: { family: 'binomial', n: 20, p: 0.1 } });
    expect(a.forward).toBe('Infinity');
    expect(a.note).toMatch(/outcome 21, where q gives 0/);
    expect(a.reverse).toBeGreaterThan(0);
    expect(a.methods.reverse).toBe('closed_form'); // finite support: an exact finite sum
    // Monte Carlo would never draw 21 (probability 6e-15): the support check is exact and comes first.
    const b = await ok({
      p: { family: 'poisson', rate: 2 },
      q: { family: 'binomial', n: 20, p: 0.1 },
      method: 'monte_carlo',
      n: 1000,
      seed: 1,
    });
    expect(b.forward).toBe('Infinity');
    expect(b.methods.forward).toBe('closed_form');
    expect(b.methods.reverse).toBe('monte_carlo');
    const c = await ok({ p: [0.5, 0.5], q: [1, 0], method: 'monte_carlo', n: 1000, seed: 1 });
    expect(c.forward).toBe('Infinity');
    expect(c.note).toMatch(/outcome 1/);
  });

  it('a density against a mass function: mutually singular', async () => {
    const a = await ok({ p: N01, q: { family: 'poisson', rate: 1 } });
    expect(a).toMatchObject({ forward: 'Infinity', reverse: 'Infinity', method: 'closed_form' });
    expect(a.jensenShannon).toBeCloseTo(Math.LN2, 15);
    expect(a.note).toMatch(/mutually singular/);
  });

  it('cross pairs with closed forms: exponential || gamma, normal || laplace', async () => {
    const a = await ok({ p: { family: 'exponential', rate: 1 }, q: { family: 'gamma', shape: 2, rate: 1 } });
    expect(a.method).toBe('closed_form');
    expect(a.forward).toBeCloseTo(0.5772156649015329, 14); // Euler's gamma: E[-log X] under Exp(1)
    const b = await ok({ p: N01, q: { family: 'laplace', loc: 0, scale: 1 } });
    expect(b.method).toBe('closed_form');
    expect(b.forward).toBeCloseTo(
      -0.5 * Math.log(2 * Math.PI * Math.E) + Math.LN2 + Math.sqrt(2 / Math.PI),
      14,
    );
  });

  it('multivariate normals: closed form both ways, JS by Monte Carlo with a seed', async () => {
    const p = {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    const q = {
      family: 'multivariate_normal',
      mean: [1, -1],
      cov: [
        [2, 0.5],
        [0.5, 1],
      ],
    };
    const a = await ok({ p, q, seed: 2, n: 20_000 });
    expect(a.methods).toEqual({
      forward: 'closed_form',
      reverse: 'closed_form',
      jensenShannon: 'monte_carlo',
    });
    expect(a.stdErrors.jensenShannon).toBeGreaterThan(0);
    expect(a.seed).toBe(2);
    expect(a.forward).toBeGreaterThan(0);
  });

  it('mixtures: auto uses quadrature in one dimension; monte_carlo is reproducible', async () => {
    const a = await ok({ p: MIX_P, q: MIX_Q });
    expect(a.methods).toEqual({ forward: 'quadrature', reverse: 'quadrature', jensenShannon: 'quadrature' });
    const b = await ok({ p: MIX_P, q: MIX_Q, method: 'monte_carlo', n: 100_000, seed: 'same' });
    const c = await ok({ p: MIX_P, q: MIX_Q, method: 'monte_carlo', n: 100_000, seed: 'same' });
    const { elapsedMs: _b, ...bb } = b;
    const { elapsedMs: _c, ...cc } = c;
    expect(cc).toEqual(bb);
    expect(Math.abs(b.forward - a.forward)).toBeLessThan(4 * b.stdError);
    expect(Math.abs(b.reverse - a.reverse)).toBeLessThan(4 * b.stdErrors.reverse);
    expect(Math.abs(b.jensenShannon - a.jensenShannon)).toBeLessThan(4 * b.stdErrors.jensenShannon);
  });

  it('the same distribution twice: 0, 0, 0', async () => {
    const a = await ok({ p: MIX_P, q: MIX_P });
    expect([a.forward, a.reverse, a.jensenShannon]).toEqual([0, 0, 0]);
  });
});

describe('POST /v1/kl: method', () => {
  it('closed_form where there is none: 400 listing the pairs that have one', async () => {
    const p = await bad({ p: N01, q: { family: 'student_t', df: 3 }, method: 'closed_form' });
    expect(p.errors[0].path).toBe('method');
    expect(p.detail).toMatch(/no closed form for KL\(normal \|\| student_t\)/);
    expect(p.detail).toMatch(/normal \|\| normal/);
    expect(p.detail).toMatch(/exponential \|\| gamma/);
    // the same pair by auto: quadrature
    const a = await ok({ p: N01, q: { family: 'student_t', df: 3 } });
    expect(a.method).toBe('quadrature');
  });

  it('quadrature for multivariate distributions: 400', async () => {
    const p = {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    const problem = await bad({ p, q: p, method: 'quadrature' });
    expect(problem.errors[0].path).toBe('method');
  });
});

describe('POST /v1/kl: bad input is a 400 with the contract shape', () => {
  it('vectors of different lengths', async () => {
    const p = await bad({ p: [0.5, 0.5], q: [0.2, 0.3, 0.5] });
    expect(p.errors).toEqual([
      { path: 'q', message: expect.stringMatching(/same length as p \(2 entries\), got 3/) },
    ]);
  });

  it('negative entries', async () => {
    const p = await bad({ p: [1.5, -0.5], q: [0.5, 0.5] });
    expect(p.errors[0].path).toBe('p.1');
    expect(p.errors[0].message).toMatch(/>= 0/);
  });

  it('sums not 1', async () => {
    const p = await bad({ p: [0.5, 0.5], q: [0.5, 0.4] });
    expect(p.errors[0].path).toBe('q');
    expect(p.errors[0].message).toMatch(/sum to 1 within 1e-9 \(sums to 0\.9/);
  });

  it('a multivariate p against a univariate q', async () => {
    const p = await bad({ p: { family: 'multivariate_normal', mean: [0], cov: [[1]] }, q: N01 });
    expect(p.errors[0].path).toBe('q');
    expect(p.errors[0].message).toMatch(
      /p is multivariate \(dimension 1, multivariate_normal\) but q is univariate/,
    );
  });

  it('dimensions that differ', async () => {
    const p = await bad({
      p: {
        family: 'multivariate_normal',
        mean: [0, 0],
        cov: [
          [1, 0],
          [0, 1],
        ],
      },
      q: {
        family: 'multivariate_normal',
        mean: [0, 0, 0],
        cov: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      },
    });
    expect(p.errors[0]).toEqual({ path: 'q', message: 'has dimension 3 but p has dimension 2' });
  });

  it('a vector against a distribution', async () => {
    const p = await bad({ p: [0.5, 0.5], q: { family: 'bernoulli', p: 0.5 } });
    expect(p.errors[0].path).toBe('q');
    expect(p.errors[0].message).toMatch(/probability vector/);
  });

  it('bad parameters name the operand: q.std', async () => {
    const p = await bad({ p: N01, q: { family: 'normal', mean: 0, std: -1 } });
    expect(p.errors.map((e: { path: string }) => e.path).join(' ')).toMatch(/q/);
    const r = await bad({ p: N01, q: { family: 'gamma', shape: 1, rate: 1, scale: 2 } });
    expect(r.errors[0].path).toMatch(/^q\./);
  });

  it('type confusion, unknown fields, non-integer n, an unknown method', async () => {
    const a = await bad({ p: N01, q: { family: 'normal', mean: 'x', std: 1 } });
    expect(a.errors[0]).toEqual({
      path: 'q.mean',
      message: expect.stringMatching(/expected a number, got string/),
    });
    const b = await bad({ p: 5, q: [1] });
    expect(b.errors[0].message).toMatch(/a distribution .* or a probability vector/);
    await bad({ p: [0.5, '0.5'], q: [0.5, 0.5] });
    await bad({ p: [0.5, null], q: [0.5, 0.5] });
    await bad({ p: N01, q: N02, extra: 1 });
    await bad({ p: N01, q: N02, n: 2.5 });
    await bad({ p: N01, q: N02, method: 'magic' });
    await bad({ p: N01 });
    await bad({ p: N01, q: N02, confidence: 1 });
  });

  it('n over MAX_SYNC_N: 413 naming the limit', async () => {
    const p = await bad({ p: MIX_P, q: MIX_Q, method: 'monte_carlo', n: 1e12 }, 413);
    expect(p.detail).toMatch(/n = 1000000000000 is over the limit of 5000000/);
  });
});

describe('POST /v1/kl: the worker pool', () => {
  it('work over POOL_THRESHOLD_N runs on the pool and gives the inline answer, bit for bit', async () => {
    const pooled = await testApp({ POOL_THRESHOLD_N: '1000' });
    try {
      const body = { p: MIX_P, q: MIX_Q, method: 'monte_carlo', n: 30_000, seed: 99 };
      const r = await post(pooled, URL, body);
      expect(r.statusCode, r.body).toBe(200);
      const { elapsedMs: _a, ...a } = r.json();
      const { elapsedMs: _b, ...b } = await ok(body);
      expect(a).toEqual(b);
    } finally {
      await pooled.close();
    }
  });
});
