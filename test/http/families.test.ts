import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src/core/distributions/registry.js';
import { post, testApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => {
  await app.close();
});

/** One valid spec per family: every endpoint must take it. */
const VALID: Record<string, Record<string, unknown>> = {
  normal: { family: 'normal', mean: 1, std: 2 },
  lognormal: { family: 'lognormal', mu: 0, sigma: 0.5 },
  uniform: { family: 'uniform', low: -1, high: 3 },
  exponential: { family: 'exponential', rate: 2 },
  gamma: { family: 'gamma', shape: 2.5, rate: 1.5 },
  beta: { family: 'beta', alpha: 0.5, beta: 2 },
  student_t: { family: 'student_t', df: 5 },
  laplace: { family: 'laplace', loc: 0, scale: 1 },
  cauchy: { family: 'cauchy', loc: 0, scale: 1 },
  weibull: { family: 'weibull', shape: 1.5, scale: 2 },
  bernoulli: { family: 'bernoulli', p: 0.3 },
  binomial: { family: 'binomial', n: 10, p: 0.4 },
  poisson: { family: 'poisson', rate: 3.5 },
  geometric: { family: 'geometric', p: 0.25 },
  categorical: { family: 'categorical', probs: [0.2, 0.5, 0.3] },
  multivariate_normal: {
    family: 'multivariate_normal',
    mean: [0, 1],
    cov: [
      [1, 0.5],
      [0.5, 2],
    ],
  },
  dirichlet: { family: 'dirichlet', alpha: [1, 2, 3] },
  mixture: {
    family: 'mixture',
    weights: [0.3, 0.7],
    components: [
      { family: 'normal', mean: -2, std: 1 },
      { family: 'normal', mean: 2, std: 0.5 },
    ],
  },
};

/** Bad parameters per family, with the field the 400 must name. */
const INVALID: Array<[string, Record<string, unknown>, string]> = [
  ['normal std <= 0', { family: 'normal', mean: 0, std: 0 }, 'distribution.std'],
  ['normal both std and variance', { family: 'normal', mean: 0, std: 1, variance: 1 }, 'distribution'],
  ['normal neither std nor variance', { family: 'normal', mean: 0 }, 'distribution'],
  ['normal negative variance', { family: 'normal', mean: 0, variance: -1 }, 'distribution.variance'],
  ['lognormal sigma <= 0', { family: 'lognormal', mu: 0, sigma: -1 }, 'distribution.sigma'],
  ['uniform low >= high', { family: 'uniform', low: 2, high: 1 }, 'distribution'],
  ['uniform equal bounds', { family: 'uniform', low: 1, high: 1 }, 'distribution'],
  ['exponential rate <= 0', { family: 'exponential', rate: 0 }, 'distribution.rate'],
  ['gamma shape <= 0', { family: 'gamma', shape: -2, rate: 1 }, 'distribution.shape'],
  ['gamma both rate and scale', { family: 'gamma', shape: 2, rate: 1, scale: 1 }, 'distribution'],
  ['gamma neither rate nor scale', { family: 'gamma', shape: 2 }, 'distribution'],
  ['beta alpha <= 0', { family: 'beta', alpha: 0, beta: 1 }, 'distribution.alpha'],
  ['student_t df <= 0', { family: 'student_t', df: -1 }, 'distribution.df'],
  ['student_t scale <= 0', { family: 'student_t', df: 3, scale: 0 }, 'distribution.scale'],
  ['laplace scale <= 0', { family: 'laplace', loc: 0, scale: -1 }, 'distribution.scale'],
  ['cauchy scale <= 0', { family: 'cauchy', loc: 0, scale: 0 }, 'distribution.scale'],
  ['weibull shape <= 0', { family: 'weibull', shape: 0, scale: 1 }, 'distribution.shape'],
  ['bernoulli p > 1', { family: 'bernoulli', p: 1.5 }, 'distribution.p'],
  ['binomial fractional n', { family: 'binomial', n: 2.5, p: 0.5 }, 'distribution.n'],
  ['binomial p < 0', { family: 'binomial', n: 3, p: -0.1 }, 'distribution.p'],
  ['poisson rate <= 0', { family: 'poisson', rate: -3 }, 'distribution.rate'],
  ['geometric p = 0', { family: 'geometric', p: 0 }, 'distribution.p'],
  ['categorical sum 0.9', { family: 'categorical', probs: [0.5, 0.4] }, 'distribution.probs'],
  ['categorical negative', { family: 'categorical', probs: [1.5, -0.5] }, 'distribution.probs'],
  [
    'mvn not positive definite',
    {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 2],
        [2, 1],
      ],
    },
    'distribution.cov',
  ],
  [
    'mvn not symmetric',
    {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0.5],
        [0, 1],
      ],
    },
    'distribution.cov',
  ],
  [
    'mvn dimension mismatch',
    {
      family: 'multivariate_normal',
      mean: [0, 0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    },
    'distribution',
  ],
  ['mvn ragged cov', { family: 'multivariate_normal', mean: [0, 0], cov: [[1, 0], [0]] }, 'distribution.cov'],
  ['dirichlet alpha <= 0', { family: 'dirichlet', alpha: [1, 0] }, 'distribution.alpha'],
  [
    'mixture weights not summing to 1',
    { family: 'mixture', weights: [0.5, 0.6], components: [VALID.normal, VALID.laplace] },
    'distribution.weights',
  ],
  [
    'mixture of different kinds',
    { family: 'mixture', weights: [0.5, 0.5], components: [VALID.normal, VALID.poisson] },
    'distribution.components',
  ],
  [
    'mixture with a bad component',
    {
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [VALID.normal, { family: 'normal', mean: 0, std: -1 }],
    },
    'distribution.components.1',
  ],
  [
    'mixture weights and components of different lengths',
    { family: 'mixture', weights: [1], components: [VALID.normal, VALID.normal] },
    'distribution',
  ],
];

describe('every family over HTTP', () => {
  it('the catalogue lists every family with its parameters, support and operations', async () => {
    const res = await app.inject('/v1/distributions');
    expect(res.statusCode).toBe(200);
    const { families } = res.json();
    expect(families.map((f: { family: string }) => f.family).sort()).toEqual(Object.keys(VALID).sort());
    for (const f of families) {
      expect(f.description.length).toBeGreaterThan(0);
      expect(f.parameters.length).toBeGreaterThan(0);
      expect(f.support.length).toBeGreaterThan(0);
      expect(f.operations).toContain('sample');
    }
    expect(FAMILIES).toHaveLength(18);
  });

  it.each(Object.entries(VALID))(
    '%s: sample, density, describe (and quantile when univariate)',
    async (name, spec) => {
      const s = await post(app, '/v1/sample', { distribution: spec, n: 20, seed: 1 });
      expect(s.statusCode, s.body).toBe(200);
      const { samples } = s.json();
      expect(samples).toHaveLength(20);
      const again = (await post(app, '/v1/sample', { distribution: spec, n: 20, seed: 1 })).json();
      expect(again.samples).toEqual(samples);
      // The echoed distribution is itself a valid input.
      expect((await post(app, '/v1/describe', { distribution: s.json().distribution })).statusCode).toBe(200);

      const d = await post(app, '/v1/density', { distribution: spec, x: samples });
      expect(d.statusCode, d.body).toBe(200);
      for (const ld of d.json().logDensity) expect(typeof ld === 'number' && Number.isFinite(ld)).toBe(true);

      const desc = await post(app, '/v1/describe', { distribution: spec });
      expect(desc.statusCode, desc.body).toBe(200);
      expect(desc.json()).toHaveProperty('entropy');

      const q = await post(app, '/v1/quantile', { distribution: spec, p: [0.1, 0.5, 0.9] });
      const multivariate = name === 'multivariate_normal' || name === 'dirichlet';
      expect(q.statusCode, q.body).toBe(multivariate ? 400 : 200);
    },
  );

  it.each(INVALID)('%s is a 400 naming %s', async (_name, spec, path) => {
    const res = await post(app, '/v1/sample', { distribution: spec, n: 1 });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json();
    expect(
      body.errors.some((e: { path: string }) => e.path.startsWith(path)),
      JSON.stringify(body),
    ).toBe(true);
  });

  it('outside the support the log density is "-Infinity"', async () => {
    const res = await post(app, '/v1/density', { distribution: VALID.exponential, x: [-1] });
    expect(res.json().logDensity).toEqual(['-Infinity']);
    expect(res.json().density).toEqual([0]);
  });

  it('Cauchy has no mean or variance: "NaN", not a number', async () => {
    const res = (await post(app, '/v1/describe', { distribution: VALID.cauchy })).json();
    expect(res.mean).toBe('NaN');
    expect(['NaN', 'Infinity']).toContain(res.variance);
  });

  it('multivariate samples come as rows and score as rows', async () => {
    const s = (
      await post(app, '/v1/sample', { distribution: VALID.multivariate_normal, n: 3, seed: 2 })
    ).json();
    expect(s.samples).toHaveLength(3);
    expect(s.samples[0]).toHaveLength(2);
    const bad = await post(app, '/v1/density', { distribution: VALID.multivariate_normal, x: [[1, 2, 3]] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('x.0');
  });
});
