import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testApp } from '../helpers/app.js';
import { type JobJson, sleep, startJob, waitFor, waitJob, warmUp } from '../jobs/helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: messages are checked field by field
type Msg = any;

interface Watched {
  ws: WebSocket;
  messages: Msg[];
  closed: Promise<{ code: number; reason: string }>;
  next(pred?: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
}

function watch(ws: WebSocket): Watched {
  const messages: Msg[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let seen = 0;
  return {
    ws,
    messages,
    closed,
    async next(pred = () => true, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        while (seen < messages.length) {
          const m = messages[seen++];
          if (pred(m)) return m;
        }
        if (Date.now() > end)
          throw new Error(`no matching message in ${timeoutMs} ms: ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}

async function inject(app: FastifyInstance, path: string): Promise<Watched> {
  let w: Watched | undefined;
  await app.injectWS(path, {}, { onInit: (ws) => (w = watch(ws)) });
  return w!;
}

let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '2', MAX_RUNNING_JOBS: '2' });
  await warmUp(app);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const normalX2 = { distribution: { family: 'normal', mean: 0, std: 1 }, f: 'x^2' };

describe('WS /v1/jobs/:id/stream', () => {
  it('1e8 draws of E[x^2] under N(0,1): state, progress whose stdError falls as 1/sqrt(n), the result, close 1000', async () => {
    const id = await startJob(app, {
      kind: 'expectation',
      ...normalX2,
      n: 100_000_000,
      seed: 11,
      progressIntervalMs: 100,
    });
    const w = await inject(app, `/v1/jobs/${id}/stream`);
    const state = await w.next();
    expect(state).toMatchObject({ type: 'state', jobId: id, id, kind: 'expectation', n: 100_000_000 });
    const result = await w.next((m) => m.type === 'result', 60_000);
    expect((await w.closed).code).toBe(1000);
    expect(result.jobId).toBe(id);
    expect(result.result.n).toBe(100_000_000);
    const { estimate, stdError } = result.result;
    expect(Math.abs(estimate - 1)).toBeLessThan(4 * stdError);

    const progress = w.messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const p of progress) {
      expect(p).toMatchObject({ jobId: id, target: 100_000_000 });
      for (const k of ['n', 'estimate', 'stdError', 'samplesPerSecond', 'elapsedMs'])
        expect(typeof p[k], JSON.stringify(p)).toBe('number');
      expect(p.ci.level).toBe(0.95);
      // stdError * sqrt(n) is the standard deviation of x^2, sqrt(2), at every n
      expect(p.stdError * Math.sqrt(p.n)).toBeGreaterThan(Math.SQRT2 * 0.9);
      expect(p.stdError * Math.sqrt(p.n)).toBeLessThan(Math.SQRT2 * 1.1);
    }
    const ns = progress.map((p) => p.n);
    expect([...ns].sort((a, b) => a - b)).toEqual(ns);
    const first = progress[0];
    const last = progress.at(-1);
    if (last.n > 4 * first.n) {
      // the band tightens: four times the draws, about half the error
      expect(last.stdError / first.stdError).toBeLessThan(Math.sqrt(first.n / last.n) * 1.2);
    }
    expect(w.messages.at(-1).type).toBe('result');
  });

  it('for a finished job sends its state and its end at once', async () => {
    const id = await startJob(app, { kind: 'test', n: 1000, chunkSize: 1000, seed: 1 });
    await waitJob(app, id);
    const w = await inject(app, `/v1/jobs/${id}/stream`);
    expect((await w.closed).code).toBe(1000);
    expect(w.messages.map((m) => m.type)).toEqual(['state', 'result']);
    expect(w.messages[0].status).toBe('succeeded');
  });

  it('tells a subscriber that the job was cancelled, then closes 1000', async () => {
    const id = await startJob(app, { kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 2 });
    const w = await inject(app, `/v1/jobs/${id}/stream`);
    await w.next((m) => m.type === 'state');
    await app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(await w.next((m) => m.type === 'cancelled')).toMatchObject({
      jobId: id,
      reason: 'cancelled by the client',
    });
    expect((await w.closed).code).toBe(1000);
  });

  it('tells a subscriber that the job failed', async () => {
    const id = await startJob(app, {
      kind: 'test',
      n: 100_000,
      chunkSize: 1000,
      chunkDelayMs: 2,
      fail: { mode: 'throw', atChunk: 50 },
    });
    const w = await inject(app, `/v1/jobs/${id}/stream`);
    const err = await w.next((m) => m.type === 'error');
    expect(err).toMatchObject({ jobId: id, error: { code: 'task_failed' } });
    expect((await w.closed).code).toBe(1000);
  });

  it('is a 404 problem before the upgrade for an unknown job', async () => {
    await expect(app.injectWS('/v1/jobs/00000000-0000-0000-0000-000000000000/stream')).rejects.toThrow(/404/);
  });

  it('an upgrade to a plain HTTP route is a 400 problem before the upgrade; unknown paths 404', async () => {
    for (const path of ['/healthz', '/metrics', '/v1/distributions'])
      await expect(app.injectWS(path)).rejects.toThrow(/400/);
    await expect(app.injectWS('/no/such/path')).rejects.toThrow(/404/);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('is a 426 problem for a plain GET', async () => {
    const id = await startJob(app, { kind: 'test', n: 1000, chunkSize: 1000 });
    const res = await app.inject(`/v1/jobs/${id}/stream`);
    expect(res.statusCode).toBe(426);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await app.inject('/v1/jobs/nope/stream')).statusCode).toBe(404);
  });
});

describe('WS /v1/stream', () => {
  it('starts a job from a message and streams it to the end', async () => {
    const w = await inject(app, '/v1/stream');
    w.ws.send(
      JSON.stringify({
        action: 'start',
        kind: 'test',
        n: 200_000,
        chunkSize: 10_000,
        seed: 3,
        progressIntervalMs: 20,
      }),
    );
    const state = await w.next();
    expect(state).toMatchObject({ type: 'state', kind: 'test', n: 200_000 });
    const result = await w.next((m) => m.type === 'result');
    expect(result.jobId).toBe(state.jobId);
    expect(result.result.n).toBe(200_000);
    expect((await w.closed).code).toBe(1000);
    expect((await waitJob(app, state.jobId)).status).toBe('succeeded');
  });

  it('answers bad messages with an error and keeps the socket open', async () => {
    const w = await inject(app, '/v1/stream');
    const cases: Array<[string, string, RegExp]> = [
      ['not json', 'invalid_input', /not valid JSON/],
      [
        '{"action":"start","kind":"test","n":10,"__proto__":{"a":1}}',
        'invalid_input',
        /not valid JSON|forbidden|prototype/i,
      ],
      ['{"action":"dance"}', 'invalid_input', /action/],
      ['{"action":"start","kind":"test","n":"5"}', 'invalid_input', /n/],
      [
        '{"action":"start","kind":"expectation","distribution":{"family":"normal","mean":0,"std":-1},"f":"x","n":10}',
        'invalid_input',
        /distribution\.std/,
      ],
      [
        '{"action":"start","kind":"expectation","distribution":{"family":"normal","mean":0,"std":1},"f":"x","n":1e13}',
        'too_large',
        /1000000000000/,
      ],
      ['{"action":"cancel"}', 'conflict', /no job/],
      [
        `{"action":"start","kind":"test","n":10,"x":${'['.repeat(40)}${']'.repeat(40)}}`,
        'invalid_input',
        /nests deeper/,
      ],
    ];
    for (const [text, code, message] of cases) {
      w.ws.send(text);
      const m = await w.next();
      expect(m.type).toBe('error');
      expect(m.error.code).toBe(code);
      expect(m.error.message).toMatch(message);
    }
    w.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await w.next()).error.code).toBe('invalid_input');
    expect(w.ws.readyState).toBe(WebSocket.OPEN);
    // still usable
    w.ws.send(JSON.stringify({ action: 'start', kind: 'test', n: 1000, chunkSize: 1000 }));
    expect((await w.next((m) => m.type === 'result')).result.n).toBe(1000);
  });

  it('{ action: "cancel" } cancels the job; a second start on the socket is a conflict', async () => {
    const w = await inject(app, '/v1/stream');
    w.ws.send(
      JSON.stringify({ action: 'start', kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 2 }),
    );
    const state = await w.next((m) => m.type === 'state');
    w.ws.send(JSON.stringify({ action: 'start', kind: 'test', n: 10 }));
    expect((await w.next((m) => m.type === 'error')).error.code).toBe('conflict');
    w.ws.send(JSON.stringify({ action: 'cancel' }));
    expect(await w.next((m) => m.type === 'cancelled')).toMatchObject({ jobId: state.jobId });
    expect((await w.closed).code).toBe(1000);
    expect((await waitJob(app, state.jobId)).status).toBe('cancelled');
  });

  it('closes with 1009 a message over maxPayload (64 KiB)', async () => {
    const w = await inject(app, '/v1/stream');
    w.ws.send(JSON.stringify({ action: 'start', kind: 'test', n: 10, pad: 'x'.repeat(70 * 1024) }));
    expect((await w.closed).code).toBe(1009);
  });
});

/** A WebSocket handshake over a raw TCP socket that then never reads: a stalled or dead peer. */
function rawUpgrade(port: number, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      s.once('readable', () => {
        const head = s.read(12)?.toString() ?? '';
        if (head.includes('101')) resolve(s);
        else reject(new Error(`handshake: ${head}`));
      });
    });
    s.on('error', () => {});
  });
}

describe('against a listening server', () => {
  let live: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    live = await testApp({
      JOB_TEST_KINDS: '1',
      POOL_SIZE: '2',
      WS_LOW_WATER_BYTES: '16384',
      WS_MAX_BUFFERED_BYTES: String(1024 * 1024),
      WS_STALL_MS: '1500',
      WS_PING_INTERVAL_MS: '300',
      WS_MAX_CLIENTS: '3',
    });
    await live.listen({ host: '127.0.0.1', port: 0 });
    port = (live.server.address() as { port: number }).port;
    await warmUp(live);
  }, 60_000);

  afterAll(async () => {
    await live?.close();
  });

  it('an unknown job is a 404 problem+json before the upgrade', async () => {
    const res = await refusedUpgrade(
      `ws://127.0.0.1:${port}/v1/jobs/00000000-0000-0000-0000-000000000000/stream`,
    );
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('an upgrade to a plain HTTP route is refused with a 400 problem+json, never upgraded', async () => {
    const res = await refusedUpgrade(`ws://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/problem\+json/);
    expect(JSON.parse(res.body).detail).toMatch(/does not accept WebSocket upgrades/);
  });

  it('a client that stops reading gets only the latest progress, its buffer stays bounded, and it is dropped', async () => {
    const pad = 100_000;
    const id = await startJob(live, {
      kind: 'test',
      n: 20_000_000,
      chunkSize: 1000,
      chunkDelayMs: 1,
      pad,
      progressIntervalMs: 20,
    });
    const healthy = watch(new WebSocket(`ws://127.0.0.1:${port}/v1/jobs/${id}/stream`));
    await healthy.next((m) => m.type === 'state');
    const stalled = await rawUpgrade(port, `/v1/jobs/${id}/stream`);
    expect(live.websocketServer.clients.size).toBe(2);
    let maxBuffered = 0;
    const end = Date.now() + 15_000;
    while (live.websocketServer.clients.size > 1 && Date.now() < end) {
      for (const c of live.websocketServer.clients) maxBuffered = Math.max(maxBuffered, c.bufferedAmount);
      await sleep(5);
    }
    // the stalled client was dropped; the healthy one is still there
    expect(live.websocketServer.clients.size).toBe(1);
    expect(maxBuffered).toBeLessThanOrEqual(1024 * 1024 + 2 * pad);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    stalled.destroy();
    await live.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect((await healthy.next((m) => m.type === 'cancelled')).jobId).toBe(id);
    expect((await healthy.closed).code).toBe(1000);
  });

  it('closing the socket cancels the job', async () => {
    const w = watch(new WebSocket(`ws://127.0.0.1:${port}/v1/stream`));
    await new Promise((r) => w.ws.once('open', r));
    w.ws.send(
      JSON.stringify({ action: 'start', kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 2 }),
    );
    const state = await w.next((m) => m.type === 'state');
    w.ws.close(1000);
    const job: JobJson = await waitFor(
      live,
      state.jobId,
      (j) => j.status !== 'running' && j.status !== 'queued',
      5000,
    );
    expect(job.status).toBe('cancelled');
    expect(job.reason).toMatch(/closed the stream/);
  });

  it('heartbeats drop a peer that does not answer pings and keep one that does', async () => {
    const alive = watch(new WebSocket(`ws://127.0.0.1:${port}/v1/stream`));
    await new Promise((r) => alive.ws.once('open', r));
    const dead = await rawUpgrade(port, '/v1/stream');
    await sleep(50);
    expect(live.websocketServer.clients.size).toBe(2);
    const end = Date.now() + 5000;
    while (live.websocketServer.clients.size > 1 && Date.now() < end) await sleep(20);
    expect(live.websocketServer.clients.size).toBe(1);
    await sleep(1000); // several more intervals: the answering peer stays
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.close();
    dead.destroy();
  });

  it('past WS_MAX_CLIENTS an upgrade is a 503 problem', async () => {
    for (let i = 0; i < 100 && live.websocketServer.clients.size > 0; i++) await sleep(20);
    const open = await Promise.all(
      [1, 2, 3].map(async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`);
        await new Promise((r) => ws.once('open', r));
        return ws;
      }),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`);
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', () => {});
    });
    expect(status).toBe(503);
    for (const ws of open) ws.close();
  });
});

describe('shutdown', () => {
  it('socket clients get { type: "shutdown" } and a 1001 close; running jobs are cancelled', async () => {
    // a short grace: injectWS's in-memory sockets never report their close, so the wait runs out
    const own = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1', SHUTDOWN_GRACE_MS: '1000' });
    const id = await startJob(own, { kind: 'test', n: 10_000_000, chunkSize: 1000, chunkDelayMs: 2 });
    const w = await inject(own, `/v1/jobs/${id}/stream`);
    await w.next((m) => m.type === 'state');
    const job = own.jobs.manager.get(id)!;
    await own.close();
    expect(await w.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(w.messages.at(-1)).toEqual({ type: 'shutdown' });
    expect(job.status, JSON.stringify(job.error)).toBe('cancelled');
    expect(job.cancelReason).toMatch(/shutting down/);
  });
});

/** The HTTP answer to a WebSocket upgrade the server refuses (the test fails if it upgrades). */
function refusedUpgrade(url: string): Promise<{ status: number; type: string; body: string }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, r) => {
      let body = '';
      r.on('data', (c) => (body += c));
      r.on('end', () =>
        resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type']), body }),
      );
    });
    ws.on('open', () => reject(new Error('upgraded')));
    ws.on('error', () => {});
  });
}
