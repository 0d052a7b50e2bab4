/**
 * 100 WebSocket subscribers on one running job at 4 updates a second (progressIntervalMs 250), on
 * the compiled server (dist/): does every subscriber get every final result, and what does fanning
 * progress out cost the server? The same job runs twice on the same server, once watched by nobody
 * and once by SUBSCRIBERS sockets; the extra CPU of the server's main thread (the event loop, where
 * the sockets live; the workers compute either way) is the cost of the subscribers.
 *
 *   npx tsc -p tsconfig.build.json && npx tsx load/ws-bench.ts
 *   SUBSCRIBERS=100 N=4e8 npx tsx load/ws-bench.ts
 */
import WebSocket from 'ws';
import {
  api,
  processCpuMs,
  requireBuild,
  sleep,
  startServer,
  threadCpuMs,
  waitJob,
  X2,
} from './jobs-bench.js';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 100);
const N = Number(process.env.N ?? 4e8);
const INTERVAL = 250;

interface Sub {
  progress: number;
  result?: unknown;
  closeCode?: number;
  first?: string;
}

async function run(base: string, pid: number, subscribers: number, seed: number) {
  const cpuMain0 = threadCpuMs(pid, pid);
  const cpuAll0 = processCpuMs(pid);
  const t0 = performance.now();
  const { id } = await api(base, 'POST', '/v1/jobs', {
    kind: 'expectation',
    ...X2,
    n: N,
    seed,
    progressIntervalMs: INTERVAL,
  });
  const subs: Sub[] = [];
  const closed: Promise<void>[] = [];
  const wsBase = base.replace('http', 'ws');
  for (let i = 0; i < subscribers; i++) {
    const sub: Sub = { progress: 0 };
    subs.push(sub);
    const ws = new WebSocket(`${wsBase}/v1/jobs/${id}/stream`);
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      sub.first ??= m.type;
      if (m.type === 'progress') sub.progress++;
      else if (m.type === 'result') sub.result = m.result;
    });
    closed.push(
      new Promise((resolve) =>
        ws.on('close', (code) => {
          sub.closeCode = code;
          resolve();
        }),
      ),
    );
    ws.on('error', () => {});
  }
  const job = await waitJob(base, id, 500);
  await Promise.all(closed);
  const wallMs = performance.now() - t0;
  await sleep(100);
  return {
    job,
    subs,
    wallMs,
    mainCpuMs: threadCpuMs(pid, pid) - cpuMain0,
    processCpuMs: processCpuMs(pid) - cpuAll0,
  };
}

async function main() {
  requireBuild();
  const server = await startServer({ POOL_SIZE: '2', MAX_RUNNING_JOBS: '1' });
  const pid = server.child.pid!;
  try {
    // warm-up
    await waitJob(
      server.base,
      (await api(server.base, 'POST', '/v1/jobs', { kind: 'expectation', ...X2, n: 4e7 })).id,
    );
    console.log(`ws-bench: one job of n = ${N.toExponential()}, progress every ${INTERVAL} ms`);
    const alone = await run(server.base, pid, 0, 1);
    console.log(
      `no subscribers:     ${(alone.wallMs / 1000).toFixed(1)} s, main thread CPU ${alone.mainCpuMs.toFixed(0)} ms ` +
        `(${((100 * alone.mainCpuMs) / alone.wallMs).toFixed(2)}% of a core), process CPU ${alone.processCpuMs.toFixed(0)} ms`,
    );
    const watched = await run(server.base, pid, SUBSCRIBERS, 1);
    const got = watched.subs.filter((s) => s.result !== undefined).length;
    const codes = new Set(watched.subs.map((s) => s.closeCode));
    const same = watched.subs.every((s) => JSON.stringify(s.result) === JSON.stringify(watched.job.result));
    const progress = watched.subs.map((s) => s.progress).sort((a, b) => a - b);
    const messages = progress.reduce((a, b) => a + b, 0) + 2 * SUBSCRIBERS;
    console.log(
      `${SUBSCRIBERS} subscribers:    ${(watched.wallMs / 1000).toFixed(1)} s, main thread CPU ${watched.mainCpuMs.toFixed(0)} ms ` +
        `(${((100 * watched.mainCpuMs) / watched.wallMs).toFixed(2)}% of a core), process CPU ${watched.processCpuMs.toFixed(0)} ms`,
    );
    const extra = watched.mainCpuMs - alone.mainCpuMs * (watched.wallMs / alone.wallMs);
    console.log(
      `final result: ${got}/${SUBSCRIBERS} subscribers (all identical to GET /v1/jobs/:id: ${same}), close codes ${[...codes].join(',')}, ` +
        `first message ${[...new Set(watched.subs.map((s) => s.first))].join(',')}`,
    );
    console.log(
      `progress messages per subscriber: min ${progress[0]}, median ${progress[Math.floor(progress.length / 2)]}, ` +
        `max ${progress.at(-1)} (job ran ${(watched.job.result.elapsedMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `extra main-thread CPU for ${SUBSCRIBERS} subscribers: ${extra.toFixed(0)} ms over ${(watched.wallMs / 1000).toFixed(1)} s ` +
        `= ${((100 * extra) / watched.wallMs).toFixed(2)}% of one core, ${((1000 * extra) / messages).toFixed(1)} us per message sent`,
    );
    console.log(
      JSON.stringify({
        alone: { ...alone, subs: undefined, job: undefined },
        watched: { ...watched, subs: undefined, job: undefined },
        extra,
        got,
        messages,
      }),
    );
  } finally {
    await server.stop();
  }
}

await main();
