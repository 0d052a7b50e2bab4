import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIT_FAMILIES } from '../../src/core/fit/index.js';
import { SEED_RULE } from '../../src/schemas/common.js';
import { post, testApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeEach(async () => {
  app = await testApp();
});
afterEach(async () => {
  await app.close();
});

interface Issue {
  path: string;
  message: string;
}

const normal = { family: 'normal', mean: 0, std: 1 };

/** A 400 problem; its detail is the first issue, and no issue is the bare "Invalid input". */
async function bad(url: string, body: unknown): Promise<{ detail: string; errors: Issue[] }> {
  const res = await post(app, url, body);
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json() as { detail: string; errors: Issue[] };
  expect(p.errors.length).toBeGreaterThan(0);
  expect(p.detail.startsWith(`${p.errors[0]!.path}: ${p.errors[0]!.message}`)).toBe(true);
  for (const e of p.errors) {
    expect(e.message).not.toMatch(/^Invalid input$/);
    expect(e.path).not.toBe('');
  }
  const keys = p.errors.map((e) => `${e.path}\u0000${e.message}`);
  expect(new Set(keys).size).toBe(keys.length); // no duplicates
  return p;
}

describe('a union (x: number[] | number[][]) reports its closest branch, with the index', () => {
  it('x: [1, null, true, "3"] -> x.1: expected a number, got null', async () => {
    const p = await bad('/v1/density', { distribution: normal, x: [1, null, true, '3'] });
    expect(p.detail).toBe('x.1: expected a number, got null (and 2 more)');
    expect(p.errors).toEqual([
      { path: 'x.1', message: 'expected a number, got null' },
      { path: 'x.2', message: 'expected a number, got boolean' },
      { path: 'x.3', message: 'expected a number, got string' },
    ]);
  });

  it('rows: the bad element of the bad row', async () => {
    const mvn = {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    const p = await bad('/v1/density', {
      distribution: mvn,
      x: [
        [1, 2],
        [3, null],
        [4, 5],
      ],
    });
    expect(p.errors).toEqual([{ path: 'x.1.1', message: 'expected a number, got null' }]);
  });

  it('numbers and rows mixed: the first element of the other kind', async () => {
    const p = await bad('/v1/density', { distribution: normal, x: [1, 2, [3]] });
    expect(p.errors).toEqual([{ path: 'x.2', message: 'expected a number, got array' }]);
  });

  it('not an array at all, or missing', async () => {
    expect((await bad('/v1/density', { distribution: normal, x: 5 })).errors).toEqual([
      { path: 'x', message: 'expected an array, got number' },
    ]);
    expect((await bad('/v1/density', { distribution: normal, x: 'a' })).errors).toEqual([
      { path: 'x', message: 'expected an array, got string' },
    ]);
    expect((await bad('/v1/density', { distribution: normal })).errors).toEqual([
      { path: 'x', message: 'is required (expected an array)' },
    ]);
  });
});

describe('seed: the message states the rule', () => {
  it('says which rule', () => {
    expect(SEED_RULE).toBe('must be a non-negative integer below 2^53 or a string of at most 256 characters');
  });

  it.each([
    ['1.5', 1.5],
    ['null', null],
    ['true', true],
    ['-1', -1],
    ['2^53 (one entry, not two)', 2 ** 53],
    ['1e300', 1e300],
    ['a 257-character string', 'x'.repeat(257)],
    ['an object', { a: 1 }],
    ['an array', [1]],
  ])('%s', async (_what, seed) => {
    for (const [url, body] of [
      ['/v1/sample', { distribution: normal }],
      ['/v1/expectation', { distribution: normal, f: 'x' }],
    ] as const) {
      const p = await bad(url, { ...body, seed });
      expect(p.errors).toEqual([{ path: 'seed', message: SEED_RULE }]);
      expect(p.detail).toBe(`seed: ${SEED_RULE}`);
    }
  });

  it('the same on the other endpoints that take one', async () => {
    const kl = await bad('/v1/kl', { p: normal, q: normal, seed: 1.5 });
    expect(kl.errors).toEqual([{ path: 'seed', message: SEED_RULE }]);
    const cond = await bad('/v1/sample/conditional', { x: [1], mean: 'x', std: '1', seed: -2 });
    expect(cond.errors).toEqual([{ path: 'seed', message: SEED_RULE }]);
    const fit = await bad('/v1/fit', { family: 'normal', data: [1, 2, 3], seed: true });
    expect(fit.errors).toEqual([{ path: 'seed', message: SEED_RULE }]);
  });

  it('valid seeds still pass: 0, 2^53 - 1, "", 256 characters (astral ones count once)', async () => {
    for (const seed of [0, 2 ** 53 - 1, '', 'x'.repeat(256), '🎲'.repeat(256)]) {
      const res = await post(app, '/v1/sample', { distribution: normal, seed });
      expect(res.statusCode, JSON.stringify(seed)).toBe(200);
      expect(res.json().seed).toBe(seed);
    }
  });
});

describe('fit: family', () => {
  const list = FIT_FAMILIES.join(', ');

  it('an unknown name is named back with the fittable families', async () => {
    const p = await bad('/v1/fit', { family: 'nope', data: [1, 2, 3] });
    expect(p.errors).toEqual([{ path: 'family', message: `unknown family 'nope'; one of: ${list}` }]);
  });

  it('in a list: the index of the unknown one', async () => {
    const p = await bad('/v1/fit', { family: ['normal', 'nope'], data: [1, 2, 3] });
    expect(p.errors).toEqual([{ path: 'family.1', message: `unknown family 'nope'; one of: ${list}` }]);
    const n = await bad('/v1/fit', { family: ['normal', 7], data: [1, 2, 3] });
    expect(n.errors).toEqual([{ path: 'family.1', message: `must be a family name, one of: ${list}` }]);
  });

  it('neither a name nor a list, an empty list, too long a list', async () => {
    const p = await bad('/v1/fit', { family: 5, data: [1, 2, 3] });
    expect(p.errors[0]).toEqual({
      path: 'family',
      message: `must be a family name or a list of 1 to ${FIT_FAMILIES.length} of them; one of: ${list}`,
    });
    const empty = await bad('/v1/fit', { family: [], data: [1, 2, 3] });
    expect(empty.errors[0]!.path).toBe('family');
    expect(empty.errors[0]!.message).toMatch(`must list 1 to ${FIT_FAMILIES.length} families`);
    const long = await bad('/v1/fit', {
      family: Array.from({ length: FIT_FAMILIES.length + 1 }, () => 'normal'),
      data: [1, 2, 3],
    });
    expect(long.errors[0]!.message).toMatch(`must list 1 to ${FIT_FAMILIES.length} families`);
  });

  it('a long unknown name is cut short', async () => {
    const p = await bad('/v1/fit', { family: 'n'.repeat(5000), data: [1, 2, 3] });
    expect(p.errors[0]!.message.length).toBeLessThan(400);
  });

  it('data of the wrong type', async () => {
    expect((await bad('/v1/fit', { family: 'normal', data: 5 })).errors).toEqual([
      { path: 'data', message: 'expected an array, got number' },
    ]);
    expect((await bad('/v1/fit', { family: 'normal', data: [1, null] })).errors).toEqual([
      { path: 'data.1', message: 'must be a finite number (got null)' },
    ]);
  });
});

describe('distributions: the family tag and the parameters', () => {
  it('an unknown or missing family lists the families', async () => {
    for (const distribution of [{ family: 'nope' }, { mean: 0, std: 1 }, { family: 3 }]) {
      const p = await bad('/v1/sample', { distribution });
      expect(p.errors).toHaveLength(1);
      expect(p.errors[0]!.path).toBe('distribution.family');
      expect(p.errors[0]!.message).toMatch(/^must be one of: normal, lognormal, .*, mixture$/);
    }
  });

  it('inside a mixture, with the component index', async () => {
    const p = await bad('/v1/sample', {
      distribution: { family: 'mixture', weights: [1], components: [{ family: 'nope' }] },
    });
    expect(p.errors[0]!.path).toBe('distribution.components.0.family');
    expect(p.errors[0]!.message).toMatch(/^must be one of: normal/);
  });

  it('a parameter of the wrong type, and not an object at all', async () => {
    const p = await bad('/v1/describe', { distribution: { family: 'normal', mean: 'x', std: 1 } });
    expect(p.errors).toEqual([{ path: 'distribution.mean', message: 'expected a number, got string' }]);
    const q = await bad('/v1/describe', { distribution: 5 });
    expect(q.errors).toEqual([{ path: 'distribution', message: 'expected an object, got number' }]);
    const r = await bad('/v1/describe', { distribution: { family: 'binomial', n: 2.5, p: 0.5 } });
    expect(r.errors).toEqual([{ path: 'distribution.n', message: 'expected an integer, got number' }]);
  });

  it('quantile p and conditional x name the element', async () => {
    const q = await bad('/v1/quantile', { distribution: normal, p: [0.5, '0.1'] });
    expect(q.errors).toEqual([{ path: 'p.1', message: 'expected a number, got string' }]);
    const c = await bad('/v1/sample/conditional', { x: [1, null], mean: 'x', std: '1' });
    expect(c.errors).toEqual([{ path: 'x.1', message: 'expected a number, got null' }]);
  });
});

describe('kl: p and q (a distribution or a probability vector)', () => {
  it('neither: says what it must be', async () => {
    const p = await bad('/v1/kl', { p: 5, q: [0.5, 0.5] });
    expect(p.errors[0]!.path).toBe('p');
    expect(p.errors[0]!.message).toMatch(/a distribution .* or a probability vector/);
  });

  it('a vector with a bad element names the element and what it must be', async () => {
    const p = await bad('/v1/kl', { p: [0.5, 'a'], q: [0.5, 0.5] });
    const first = `${p.errors[0]!.path}: ${p.errors[0]!.message}`;
    expect(first).toMatch(/^p\b.*1.*number/);
  });

  it('a distribution with a bad parameter names the parameter', async () => {
    const p = await bad('/v1/kl', { p: normal, q: { family: 'normal', mean: 'x', std: 1 } });
    expect(`${p.errors[0]!.path}: ${p.errors[0]!.message}`).toMatch(/^q\b.*mean.*number/);
  });
});

describe('jobs: kind', () => {
  it('an unknown kind lists the kinds', async () => {
    const p = await bad('/v1/jobs', { kind: 'nope', n: 10 });
    expect(p.errors[0]!.path).toBe('kind');
    expect(p.errors[0]!.message).toMatch(/^must be one of: .*expectation/);
  });
});
