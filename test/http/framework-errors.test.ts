/**
 * Errors raised before a route runs (Node's HTTP parser, Fastify's router) leave in the contract's
 * problem+json shape too.
 */

import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { clientError } from '../../src/app.js';
import { testApp } from '../helpers/app.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Sends raw bytes to a listening app and reads everything until the server closes. */
async function raw(text: string): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  app = await testApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (c) => (out += c));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
  const [head, body] = answer.split('\r\n\r\n');
  return {
    status: Number(head!.split(' ')[1]),
    type: /content-type: ([^\r\n]+)/i.exec(head!)?.[1] ?? '',
    body: JSON.parse(body!),
  };
}

describe('client errors from the HTTP parser', () => {
  it('malformed HTTP is a 400 problem', async () => {
    const r = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/problem+json');
    expect(r.body).toMatchObject({
      status: 400,
      title: expect.any(String),
      detail: expect.stringMatching(/HTTP/),
    });
  });

  it('headers over the limit are a 431 problem', async () => {
    const r = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(r.type).toBe('application/problem+json');
    expect(r.body).toMatchObject({ status: 431 });
  });

  it('a request timeout is a 408 problem naming REQUEST_TIMEOUT_MS (Node checks every 30 s: tested directly)', () => {
    let written = '';
    let destroyed = false;
    const socket = new Writable({
      write(chunk, _enc, done) {
        written += chunk;
        done();
      },
    });
    socket.destroy = (() => {
      destroyed = true;
      return socket;
    }) as typeof socket.destroy;
    const err = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    clientError(err, socket as never, 60_000);
    expect(written).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written).toMatch(/Content-Type: application\/problem\+json/);
    expect(JSON.parse(written.split('\r\n\r\n')[1]!)).toMatchObject({
      status: 408,
      detail: expect.stringMatching(/REQUEST_TIMEOUT_MS/),
    });
    expect(destroyed).toBe(true);
  });
});

describe('router errors', () => {
  it('a path parameter over maxParamLength is a 414 problem', async () => {
    app = await testApp();
    const res = await app.inject(`/v1/jobs/${'x'.repeat(500)}`);
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 414 });
  });
});
