import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

interface Server {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** The real server in its own process (node --import tsx src/server.ts), on a free port. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output.join('')}`)), 30_000);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      buffered += chunk.toString();
      const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', () => reject(new Error(`server exited early:\n${output.join('')}`)));
  });
  return { child, port, output, exited };
}

function httpJson(
  port: number,
  method: string,
  path: string,
  agent: Agent | undefined,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('graceful shutdown of the real process', () => {
  it('on SIGTERM: sockets get { type: "shutdown" } and 1001, jobs are cancelled, exit 0 promptly despite idle keep-alive connections', async () => {
    const server = await startServer({ POOL_SIZE: '1', JOB_TEST_KINDS: '1', SHUTDOWN_GRACE_MS: '8000' });
    const { port } = server;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // an idle keep-alive connection (Fastify's keepAliveTimeout is 72 s)
      expect((await httpJson(port, 'GET', '/readyz', agent)).status).toBe(200);
      const started = await httpJson(port, 'POST', '/v1/jobs', agent, {
        kind: 'test',
        n: 100_000_000,
        chunkSize: 1000,
        chunkDelayMs: 1,
      });
      expect(started.status).toBe(202);
      const { id } = started.json as { id: string };

      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/jobs/${id}/stream`);
      const messages: Array<{ type: string }> = [];
      const closed = new Promise<{ code: number; at: number }>((resolve) =>
        ws.on('close', (code) => resolve({ code, at: Date.now() })),
      );
      await new Promise<void>((resolve, reject) => {
        ws.on('message', (data) => {
          messages.push(JSON.parse(data.toString()));
          if (messages.at(-1)!.type === 'progress') resolve();
        });
        ws.on('error', reject);
      });
      expect(messages[0]!.type).toBe('state');
      expect(agent.freeSockets[`127.0.0.1:${port}:`]?.length ?? 0).toBe(1);

      const t0 = Date.now();
      server.child.kill('SIGTERM');
      // During SHUTDOWN_DRAIN_MS the port stays open: readyz and new work answer 503 on new connections.
      let ready = 200;
      for (let i = 0; i < 40 && ready === 200; i++) {
        ready = (await httpJson(port, 'GET', '/readyz', undefined)).status;
        if (ready === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(ready).toBe(503);
      const refused = await httpJson(port, 'POST', '/v1/jobs', undefined, { kind: 'test', n: 10 });
      expect(refused.status).toBe(503);
      const exit = await server.exited;
      const close = await closed;

      expect(exit.code, server.output.join('')).toBe(0);
      expect(exit.at - t0).toBeLessThan(6000); // bounded: well under keepAliveTimeout and the grace
      expect(close.code).toBe(1001);
      expect(messages.at(-1)).toEqual({ type: 'shutdown' });
      const log = server.output.join('');
      expect(log).toMatch(/shutting down/);
      expect(log).toMatch(/"msg":"closed"/);
    } finally {
      agent.destroy();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 60_000);

  it('while draining, readyz and new work are 503 (in process)', async () => {
    const { testApp, post } = await import('./helpers/app.js');
    const app = await testApp({ JOB_TEST_KINDS: '1', POOL_SIZE: '1' });
    try {
      app.lifecycle.draining = true;
      expect((await app.inject('/readyz')).statusCode).toBe(503);
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      const job = await post(app, '/v1/jobs', { kind: 'test', n: 10 });
      expect(job.statusCode).toBe(503);
      expect(job.headers['content-type']).toMatch(/problem\+json/);
      await expect(app.compute.run('test.echo', 1)).rejects.toMatchObject({ statusCode: 503 });
      await expect(app.injectWS('/v1/stream')).rejects.toThrow(/503/);
    } finally {
      await app.close();
    }
  });
});
