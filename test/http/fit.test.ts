import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistribution } from '../../src/core/distributions/registry.js';
import type { DistributionSpec, UnivariateDistribution } from '../../src/core/distributions/types.js';
import { fromJson } from '../../src/core/fit/data.js';
import { fitFamily } from '../../src/core/fit/index.js';
import { draw, samplers } from '../core/fit/samplers.js';
import { post, testApp } from '../helpers/app.js';

interface Case {
  family: string;
  data: number[] | number[][];
  options?: Record<string, number>;
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/fit-reference.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

const binary = (values: number[] | Float64Array) => Buffer.from(Float64Array.from(values).buffer);

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => {
  await app.close();
});

describe('POST /v1/fit', () => {
  it('fits a normal and answers every field of the contract', async () => {
    const x = Array.from(draw(samplers.normal(2, 3), 500, 1));
    const res = await post(app, '/v1/fit', { family: 'normal', data: x });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'family',
        'distribution',
        'logLikelihood',
        'n',
        'parameters',
        'aic',
        'bic',
        'standardErrors',
        'confidenceIntervals',
        'method',
        'converged',
        'iterations',
        'goodnessOfFit',
      ]),
    );
    expect(body.family).toBe('normal');
    expect(body.distribution).toEqual({
      family: 'normal',
      mean: expect.any(Number),
      std: expect.any(Number),
    });
    expect(body.n).toBe(500);
    expect(body.parameters).toBe(2);
    expect(body.aic).toBeCloseTo(4 - 2 * body.logLikelihood, 10);
    expect(body.bic).toBeCloseTo(2 * Math.log(500) - 2 * body.logLikelihood, 10);
    expect(body.method).toBe('closed_form');
    expect(body.converged).toBe(true);
    expect(body.standardErrors.mean).toBeCloseTo(body.distribution.std / Math.sqrt(500), 12);
    expect(body.confidenceIntervals.mean.low).toBeLessThan(body.distribution.mean);
    expect(body.unbiased.variance).toBeCloseTo((body.distribution.std ** 2 * 500) / 499, 10);
    expect(body.goodnessOfFit.test).toBe('kolmogorov_smirnov');
    expect(body.goodnessOfFit.pValue).toBeGreaterThan(0.01);
    // The distribution is a valid input to the other endpoints.
    const dens = await post(app, '/v1/density', { distribution: body.distribution, x: [0, 2, 5] });
    expect(dens.statusCode).toBe(200);
    const { mean, std } = body.distribution;
    dens.json().logDensity.forEach((ld: number, i: number) => {
      const v = [0, 2, 5][i]!;
      expect(ld).toBeCloseTo(
        -0.5 * ((v - mean) / std) ** 2 - Math.log(std) - 0.5 * Math.log(2 * Math.PI),
        12,
      );
    });
  });

  describe('every family: the answer matches the core fit and its distribution is a valid spec', () => {
    for (const c of ref.cases) {
      it(c.family, async () => {
        const res = await post(app, '/v1/fit', { family: c.family, data: c.data, ...c.options });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        const core = fitFamily(c.family, fromJson(c.data), { confidence: 0.95, ...c.options });
        expect(body.distribution).toEqual(core.distribution);
        expect(body.logLikelihood).toBe(core.logLikelihood);
        for (const v of Object.values(body.standardErrors)) expect(typeof v === 'number' && v > 0).toBe(true);
        // The distribution is a valid spec, and /v1/density scores the data to the same log-likelihood.
        const spec = body.distribution as DistributionSpec;
        expect(createDistribution(spec).family).toBe(spec.family);
        const dens = await post(app, '/v1/density', { distribution: spec, x: c.data });
        expect(dens.statusCode, dens.body).toBe(200);
        const total = (dens.json().logDensity as number[]).reduce((a, v) => a + v, 0);
        expect(Math.abs(total - body.logLikelihood)).toBeLessThan(1e-8 * Math.abs(body.logLikelihood));
      });
    }
  });

  describe('bad input: a 400 naming the problem and the first offending index', () => {
    it.each([
      [{ family: 'normal', data: [1, null, 3] }, 'data.1', /finite number \(got null\)/],
      [
        {
          family: 'normal',
          data: [
            [1, 2],
            [3, null],
          ],
        },
        'data.1.1',
        /finite number/,
      ],
      [{ family: 'normal', data: [1, '2'] }, 'data.1', /finite number \(got string\)/],
      [{ family: 'gamma', data: [1, 2, -3] }, 'data.2', /> 0 for the gamma family \(got -3\)/],
      [{ family: 'beta', data: [0.5, 1.5] }, 'data.1', /between 0 and 1.*1\.5/],
      [{ family: 'poisson', data: [1, 2.5] }, 'data.1', /integer >= 0.*2\.5/],
      [{ family: 'normal', data: [] }, 'data', /empty/],
      [{ family: 'normal', data: [3] }, 'data', /at least 2 points/],
      [{ family: 'normal', data: [3, 3, 3] }, 'data', /all 3 values are equal.*std must be > 0/],
      [{ family: 'binomial', data: [1, 2.5] }, 'data.1', /integer/],
      [{ family: 'mixture', data: [1, 2, 3, 4], components: 3 }, 'data', /at least/],
      [{ family: 'normal', data: [1, 2], extra: 1 }, '', /unrecognized/i],
      [{ family: 'nope', data: [1, 2] }, 'family', /./],
      [{ family: ['poisson', 'normal'], data: [1, 2, 3] }, 'family', /discrete and continuous/],
    ])('%j', async (body, path, message) => {
      const res = await post(app, '/v1/fit', body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const p = res.json();
      if (path !== '') expect(p.errors[0].path).toBe(path);
      expect(p.detail).toMatch(message);
    });

    it('1e400 (Infinity after JSON.parse) is rejected with its index', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/fit',
        payload: '{"family":"normal","data":[1,2,1e400,4]}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toEqual({
        path: 'data.2',
        message: 'must be a finite number (got Infinity)',
      });
    });

    it('query parameters with a JSON body are refused', async () => {
      const res = await post(app, '/v1/fit?family=gamma', { family: 'normal', data: [1, 2] });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/binary/);
    });
  });

  describe('binary bodies (application/octet-stream, little-endian float64)', () => {
    const x = Array.from(draw(samplers.gamma(2.5, 1.5), 2000, 3));
    const bin = (url: string, payload: Buffer, type = 'application/octet-stream') =>
      app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

    it('gives the same answer as JSON', async () => {
      const a = await bin('/v1/fit?family=gamma', binary(x));
      const b = await post(app, '/v1/fit', { family: 'gamma', data: x });
      expect(a.statusCode).toBe(200);
      expect(a.json()).toEqual(b.json());
    });

    it('takes every option in the query string, lists and rows included', async () => {
      const a = await bin(
        '/v1/fit?family=gamma,weibull,lognormal&confidence=0.9&goodnessOfFit=false',
        binary(x),
      );
      expect(a.statusCode).toBe(200);
      const r = a.json();
      expect(r.ranking).toHaveLength(3);
      expect(r.best).toBe(r.ranking[0].family);
      expect(r.ranking[0].confidence).toBe(0.9);
      expect(r.ranking[0].goodnessOfFit).toBeUndefined();
      const rows = [1, 2, 1.5, 2.5, 0.5, 1.8, 2.2, 0.9, 1.1, 2.9];
      const m = await bin('/v1/fit?family=multivariate_normal&dim=2', binary(rows));
      expect(m.statusCode).toBe(200);
      expect(m.json().n).toBe(5);
      const mix = await bin('/v1/fit?family=mixture&components=2&seed=abc&maxIterations=50', binary(x));
      expect(mix.statusCode).toBe(200);
      expect(mix.json().seed).toBe('abc');
      const num = await bin('/v1/fit?family=mixture&components=2&seed=42', binary(x));
      expect(num.json().seed).toBe(42);
      const bi = await bin('/v1/fit?family=binomial&trials=10', binary([1, 2, 3, 10]));
      expect(bi.json().distribution).toEqual({ family: 'binomial', n: 10, p: 0.4 });
    });

    it('refuses a length not a multiple of 8, NaN, a missing family, unknown parameters, an empty body', async () => {
      const odd = await bin('/v1/fit?family=gamma', Buffer.alloc(8 * 3 + 5));
      expect(odd.statusCode).toBe(400);
      expect(odd.json().detail).toMatch(/whole number of float64.*29 bytes/);
      const nan = await bin('/v1/fit?family=gamma', binary([1, 2, Number.NaN]));
      expect(nan.statusCode).toBe(400);
      expect(nan.json().errors[0].path).toBe('data.2');
      const nanNormal = await bin('/v1/fit?family=normal', binary([1, 2, 3, Number.NaN]));
      expect(nanNormal.statusCode).toBe(400);
      expect(nanNormal.json().errors[0]).toEqual({
        path: 'data.3',
        message: 'must be a finite number (got NaN)',
      });
      const neg = await bin('/v1/fit?family=gamma', binary([1, 2, -1]));
      expect(neg.json().errors[0].path).toBe('data.2');
      const none = await bin('/v1/fit', binary(x));
      expect(none.statusCode).toBe(400);
      expect(none.json().errors[0].path).toBe('family');
      const unknown = await bin('/v1/fit?family=gamma&bogus=1', binary(x));
      expect(unknown.statusCode).toBe(400);
      const badFam = await bin('/v1/fit?family=gamma,nope', binary(x));
      expect(badFam.statusCode).toBe(400);
      const badInt = await bin('/v1/fit?family=mixture&components=1.5', binary(x));
      expect(badInt.statusCode).toBe(400);
      const empty = await bin('/v1/fit?family=gamma', Buffer.alloc(0));
      expect(empty.statusCode).toBe(400);
      const text = await bin('/v1/fit?family=gamma', binary(x), 'text/plain');
      expect(text.statusCode).toBe(415);
    });
  });

  describe('body limits: raised for this route only', () => {
    it('takes a JSON body over the global 1 MiB limit', async () => {
      const x = Array.from(draw(samplers.normal(0, 1), 100_000, 4));
      const payload = JSON.stringify({ family: 'normal', data: x, goodnessOfFit: false });
      expect(payload.length).toBeGreaterThan(app.config.BODY_LIMIT);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/fit',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().n).toBe(100_000);
      // ... while other routes keep the global limit.
      const other = await app.inject({
        method: 'POST',
        url: '/v1/density',
        payload: JSON.stringify({ distribution: { family: 'normal', mean: 0, std: 1 }, x }),
        headers: { 'content-type': 'application/json' },
      });
      expect(other.statusCode).toBe(413);
    });

    it('413 naming the limit for more than 1e6 points, JSON and binary', async () => {
      const json = await app.inject({
        method: 'POST',
        url: '/v1/fit',
        payload: `{"family":"normal","data":[${'1,'.repeat(1_000_000)}2]}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(json.statusCode).toBe(413);
      expect(json.json().detail).toMatch(/1000001 points; the limit is 1000000/);
      const b = await app.inject({
        method: 'POST',
        url: '/v1/fit?family=normal',
        payload: Buffer.alloc(8 * 1_000_001),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(b.statusCode).toBe(413);
      expect(b.json().detail).toMatch(/limit is 1000000/);
    });

    it('413 over FIT_BODY_LIMIT, JSON and binary', async () => {
      const small = await testApp({ FIT_BODY_LIMIT: '65536' });
      try {
        const x = Array.from(draw(samplers.normal(0, 1), 10_000, 4));
        const j = await post(small, '/v1/fit', { family: 'normal', data: x });
        expect(j.statusCode).toBe(413);
        expect(j.json().detail).toMatch(/65536/);
        const b = await small.inject({
          method: 'POST',
          url: '/v1/fit?family=normal',
          payload: binary(x),
          headers: { 'content-type': 'application/octet-stream' },
        });
        expect(b.statusCode).toBe(413);
      } finally {
        await small.close();
      }
    });
  });

  it('binomial without trials: n is the largest count, held fixed, and the answer says so', async () => {
    const data = [3, 5, 2, 7, 4, 4, 6, 3, 5, 1];
    const res = await post(app, '/v1/fit', { family: 'binomial', data });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.distribution).toEqual({ family: 'binomial', n: 7, p: 40 / 70 });
    expect(body.notes.join(' ')).toMatch(/trials was not given: n = 7/);
    const given = await post(app, '/v1/fit', { family: 'binomial', data, trials: 10 });
    expect(given.json().distribution).toEqual({ family: 'binomial', n: 10, p: 0.4 });
  });

  it('mixture without components: k chosen by BIC (3 well-separated clusters give k = 3)', async () => {
    const truth = createDistribution({
      family: 'mixture',
      weights: [0.3, 0.4, 0.3],
      components: [
        { family: 'normal', mean: -6, std: 1 },
        { family: 'normal', mean: 0, std: 1 },
        { family: 'normal', mean: 6, std: 1 },
      ],
    });
    const data = Array.from(draw((rng) => (truth as UnivariateDistribution).sample(rng), 3000, 11));
    const res = await post(app, '/v1/fit', { family: 'mixture', data, seed: 1 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.distribution.components).toHaveLength(3);
    expect(body.notes[0]).toMatch(/components was not given: k = 3 has the lowest BIC among 1\.\.5/);
    // The same as asking for k = 3 outright.
    const three = await post(app, '/v1/fit', { family: 'mixture', data, seed: 1, components: 3 });
    expect(three.json().distribution).toEqual(body.distribution);
  });

  it('large fits run through the compute pool and agree with the inline fit', async () => {
    const x = draw(samplers.gamma(2.5, 1.5), 150_000, 6);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/fit?family=gamma',
      payload: binary(x),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode).toBe(200);
    const core = fitFamily('gamma', { values: x, n: x.length, dim: 1, rows: false }, { confidence: 0.95 });
    expect(res.json().distribution).toEqual(core.distribution);
    expect(res.json().goodnessOfFit.statistic).toBe(core.goodnessOfFit!.statistic);
  });

  it('documents the route in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    const op = res.json().paths['/v1/fit'].post;
    expect(op.description).toMatch(/octet-stream/);
    expect(JSON.stringify(op.requestBody)).toMatch(/trials/);
  });
});
