import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import errors, { HttpError } from '../../src/plugins/errors.js';

/**
 * A header Node refuses to write throws inside reply.send, while Fastify writes the head. The error
 * handler must still answer problem+json (it drops the header), not fall through to Fastify's
 * default application/json 500.
 */
describe('errors plugin: headers that cannot be written', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = Fastify({ logger: false });
    await app.register(errors);
    app.get('/newline', async (_req, reply) =>
      reply
        .header('x-bad', 'a\nb')
        .header('x-fine', 'ok')
        .send(Buffer.from([1, 2, 3])),
    );
    app.get('/non-latin1', async (_req, reply) =>
      reply
        .type('application/octet-stream')
        .header('x-bad', '日本')
        .send(Buffer.from([1])),
    );
    app.get('/sync', (_req, reply) => {
      reply.header('x-bad', 'a\rb').send('text');
    });
    app.get('/bad-error-header', async () => {
      throw new HttpError(429, 'slow down', { 'retry-after': '1\n2', 'x-also': 'fine' });
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  it.each(['/newline', '/non-latin1', '/sync'])('%s is a 500 problem without the header', async (url) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-bad']).toBeUndefined();
    expect(res.json()).toMatchObject({
      status: 500,
      title: 'Internal server error',
      detail: 'internal error',
    });
    expect(res.body).not.toMatch(/ERR_INVALID_CHAR|Invalid character/);
  });

  it('keeps the writable headers of an error, drops the others', async () => {
    const res = await app.inject('/bad-error-header');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.headers['x-also']).toBe('fine');
    expect(res.json()).toMatchObject({ status: 429, detail: 'slow down' });
  });
});
