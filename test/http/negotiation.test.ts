import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAccept, qualityOf, seedHeaders, wantsBinary } from '../../src/routes/helpers.js';
import { post, testApp } from '../helpers/app.js';

const BIN = 'application/octet-stream';
const normal = { family: 'normal', mean: 0, std: 1 };

describe('wantsBinary: the Accept header (RFC 9110 12.5.1)', () => {
  it.each<[string | undefined, boolean]>([
    // no header, plain choices
    [undefined, false],
    ['', false],
    ['application/json', false],
    [BIN, true],
    ['*/*', false],
    ['application/*', false],
    // q-values decide, whatever the order
    ['application/json;q=0.1, application/octet-stream', true],
    ['application/octet-stream;q=0.5, application/json', false],
    ['application/json, application/octet-stream', false], // a tie goes to JSON
    ['application/octet-stream, application/json', false],
    ['application/json;q=0.5, application/octet-stream;q=0.5', false],
    ['application/json;q=0.499, application/octet-stream;q=0.5', true],
    ['application/octet-stream;q=1.000, application/json;q=0.999', true],
    // case-insensitive types, parameter names and q
    ['APPLICATION/OCTET-STREAM', true],
    ['Application/Octet-Stream;Q=0.9, application/json;q=0.1', true],
    // whitespace around separators
    ['  application/json ; q=0.2 ,  application/octet-stream ; q=0.3  ', true],
    // wildcards: the most specific matching range decides a type's q
    ['application/octet-stream, */*;q=0.1', true],
    ['application/octet-stream;q=0.5, */*', false],
    ['*/*;q=0.1, application/octet-stream;q=0.2', true],
    ['application/*;q=0.2, application/octet-stream', true],
    ['application/octet-stream, application/*;q=0.5', true],
    ['application/json;q=0, */*', true], // JSON explicitly refused, everything else welcome
    ['application/json;q=0, application/*;q=0.3', true],
    ['application/*;q=0.9, application/json;q=0.1', true],
    ['application/*, application/json;q=0.1', true],
    // q=0: not acceptable
    ['application/octet-stream;q=0', false],
    ['application/octet-stream;q=0, application/json;q=0', false],
    ['application/json;q=0', false], // nothing we have is acceptable: JSON anyway
    // neither acceptable: JSON
    ['text/html', false],
    ['text/html, image/*', false],
    ['text/*;q=1, application/octet-stream;q=0.1', true],
    // other parameters, quoted strings with commas and semicolons, accept-ext after q
    ['application/json;charset=utf-8;q=0.1, application/octet-stream', true],
    ['text/plain;foo="a,b;application/octet-stream", application/json', false],
    ['application/octet-stream;q=0.8;ext="x, y", application/json;q=0.7', true],
    // empty list elements are allowed
    [', ,application/octet-stream,', true],
    // duplicates of one range: the best q
    ['application/octet-stream;q=0.2, application/json;q=0.5, application/octet-stream;q=0.9', true],
  ])('%j -> binary %s', (accept, binary) => {
    expect(wantsBinary(accept)).toBe(binary);
  });

  it.each([
    'application/octet-stream;q=2', // q above 1
    'application/octet-stream;q=1.5',
    'application/octet-stream;q=0.1234', // more than 3 decimals
    'application/octet-stream;q=-0.1',
    'application/octet-stream;q=abc',
    'application/octet-stream;q=',
    'application/octet-stream;q',
    'application/octet-stream, garbage',
    'application/octet-stream, application/',
    'application/octet-stream, /json',
    'application/octet-stream, */json',
    'application/octet-stream;foo="unterminated',
    'application/octet-stream;foo=a b',
    'application /octet-stream',
  ])('a malformed header (%j) falls back to JSON', (accept) => {
    expect(parseAccept(accept)).toBeUndefined();
    expect(wantsBinary(accept)).toBe(false);
  });

  it('parses ranges with their q and parameter count', () => {
    expect(parseAccept('Text/HTML;level=1;q=0.7, */*;q=0.1')).toEqual([
      { type: 'text', subtype: 'html', params: 1, q: 0.7 },
      { type: '*', subtype: '*', params: 0, q: 0.1 },
    ]);
    const ranges = parseAccept('application/*;q=0.3, application/json;q=0.6, */*;q=0.1')!;
    expect(qualityOf(ranges, 'application/json')).toBe(0.6);
    expect(qualityOf(ranges, BIN)).toBe(0.3);
    expect(qualityOf(ranges, 'text/html')).toBe(0.1);
    expect(qualityOf(parseAccept('text/html')!, BIN)).toBe(0);
  });
});

describe('the routes that negotiate', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await testApp({ MAX_SAMPLE_N_JSON: '1000', MAX_SAMPLE_N_BINARY: '5000' });
  });
  afterEach(async () => {
    await app.close();
  });

  // POST /v1/sample is the one route that calls wantsBinary (POST /v1/fit reads a binary request
  // body by its Content-Type, and answers JSON).
  it.each<[string, boolean]>([
    ['application/json;q=0.1, application/octet-stream', true],
    ['application/octet-stream;q=0.5, application/json', false],
    ['APPLICATION/OCTET-STREAM', true],
    ['application/octet-stream;q=0', false],
    ['text/html', false],
    ['application/octet-stream;q=7', false],
    ['*/*', false],
  ])('POST /v1/sample with Accept %j: binary %s', async (accept, binary) => {
    const body = { distribution: normal, n: 3, seed: 5 };
    const res = await post(app, '/v1/sample', body, { accept });
    expect(res.statusCode).toBe(200);
    expect(res.headers.vary).toMatch(/accept/i);
    if (binary) {
      expect(res.headers['content-type']).toBe(BIN);
      expect(res.rawPayload.length).toBe(3 * 8);
      expect(res.headers['x-seed']).toBe('5');
    } else {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().samples).toHaveLength(3);
    }
  });
});

describe('the seed of a binary sample, in X-Seed', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await testApp({ MAX_SAMPLE_N_JSON: '1000', MAX_SAMPLE_N_BINARY: '5000' });
  });
  afterEach(async () => {
    await app.close();
  });

  const decoded = (headers: Record<string, unknown>) => {
    const value = String(headers['x-seed']);
    return headers['x-seed-encoding'] === 'percent' ? decodeURIComponent(value) : value;
  };

  it.each([
    ['CJK', '日本'],
    ['a newline', 'a\nb'],
    ['Latin-1', 'héllo'],
    ['edge spaces', ' x '],
    ['a tab', 'a\tb'],
    ['an emoji', 'seed 🎲'],
    ['the empty string', ''],
    ['256 characters with a newline', `${'z'.repeat(254)}\n!`],
    ['256 non-ASCII characters', 'é'.repeat(256)],
    ['256 astral characters', '🎲'.repeat(256)],
    ['a DEL', 'a\u007fb'],
    ['a percent sign and non-ASCII', '100% ü'],
  ])('%s: 200, percent-encoded, decodes to the seed, same numbers as JSON', async (_what, seed) => {
    const body = { distribution: normal, n: 20, seed };
    const bin = await post(app, '/v1/sample', body, { accept: BIN });
    expect(bin.statusCode, bin.body).toBe(200);
    expect(bin.headers['content-type']).toBe(BIN);
    expect(bin.headers['x-seed-encoding']).toBe('percent');
    expect(String(bin.headers['x-seed'])).toMatch(/^[\x21-\x7e]*$/);
    expect(decoded(bin.headers)).toBe(seed);
    const json = await post(app, '/v1/sample', body);
    expect(json.statusCode).toBe(200);
    expect(json.json().seed).toBe(seed);
    const values = Array.from({ length: 20 }, (_, i) => bin.rawPayload.readDoubleLE(i * 8));
    expect(values).toEqual(json.json().samples);
  });

  it.each([
    ['abc', 'abc'],
    ['inner spaces', 'my seed 1'],
    ['punctuation', 'a%20b!~"\'\\'],
    ['256 visible ASCII', 'x'.repeat(256)],
  ])('visible ASCII (%s) is sent as is, with no X-Seed-Encoding', async (_what, seed) => {
    const body = { distribution: normal, n: 4, seed };
    const bin = await post(app, '/v1/sample', body, { accept: BIN });
    expect(bin.statusCode).toBe(200);
    expect(bin.headers['x-seed']).toBe(seed);
    expect(bin.headers['x-seed-encoding']).toBeUndefined();
    const values = Array.from({ length: 4 }, (_, i) => bin.rawPayload.readDoubleLE(i * 8));
    expect(values).toEqual((await post(app, '/v1/sample', body)).json().samples);
  });

  it('an integer seed is unchanged; a server-chosen one is an integer', async () => {
    const bin = await post(app, '/v1/sample', { distribution: normal, n: 2, seed: 42 }, { accept: BIN });
    expect(bin.headers['x-seed']).toBe('42');
    expect(bin.headers['x-seed-encoding']).toBeUndefined();
    const chosen = await post(app, '/v1/sample', { distribution: normal, n: 2 }, { accept: BIN });
    expect(chosen.headers['x-seed']).toMatch(/^\d+$/);
    expect(chosen.headers['x-seed-encoding']).toBeUndefined();
    // It reproduces the draw.
    const again = await post(
      app,
      '/v1/sample',
      { distribution: normal, n: 2, seed: Number(chosen.headers['x-seed']) },
      { accept: BIN },
    );
    expect(Buffer.compare(again.rawPayload, chosen.rawPayload)).toBe(0);
  });

  it('a seed with an unpaired surrogate is a 400 naming the rule, not a 500', async () => {
    const res = await post(app, '/v1/sample', { distribution: normal, seed: 'a\ud800' }, { accept: BIN });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([
      { path: 'seed', message: 'must be well-formed Unicode (it has an unpaired surrogate)' },
    ]);
  });

  it('seedHeaders only ever yields values Node can write', () => {
    for (const seed of [0, 2 ** 53 - 1, 'x', ' ', '\r\n', '\u0000', '日本', '\u00ff', 'a b', '~!']) {
      const headers = seedHeaders(seed);
      for (const value of Object.values(headers)) expect(value).toMatch(/^[\x21-\x7e]*(?: +[\x21-\x7e]+)*$/);
      const back =
        headers['x-seed-encoding'] === 'percent' ? decodeURIComponent(headers['x-seed']!) : headers['x-seed'];
      expect(back).toBe(String(seed));
    }
  });
});
