/**
 * Is the HTTP side still responsive for everyone else while a heavy job runs? autocannon against
 * GET /healthz and a small POST /v1/sample (10 normals), first on an idle server, then while a
 * long job keeps every worker busy. Latency percentiles and throughput side by side; the event loop
 * should barely notice the job (the workers compute; the main thread only merges chunk results).
 *
 *   npx tsc -p tsconfig.build.json && npx tsx load/autocannon.ts
 *   DURATION=10 CONNECTIONS=10 npx tsx load/autocannon.ts
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { api, requireBuild, startServer, X2 } from './jobs-bench.js';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
}

function cannon(url: string, post?: unknown): Result {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(DURATION)];
  if (post !== undefined)
    args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', JSON.stringify(post));
  return JSON.parse(execFileSync(AUTOCANNON, [...args, url], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

const show = (what: string, r: Result) =>
  console.log(
    `${what.padEnd(34)} ${r.requests.average.toFixed(0).padStart(6)} req/s  latency p50 ${r.latency.p50} ms, ` +
      `p99 ${r.latency.p99} ms, max ${r.latency.max} ms  (non-2xx ${r.non2xx}, errors ${r.errors})`,
  );

async function main() {
  requireBuild();
  const server = await startServer({ POOL_SIZE: '2' });
  const sample = { distribution: { family: 'normal', mean: 0, std: 1 }, n: 10, seed: 1 };
  try {
    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per run`);
    show('GET /healthz, idle', cannon(`${server.base}/healthz`));
    show('POST /v1/sample n=10, idle', cannon(`${server.base}/v1/sample`, sample));
    const { id } = await api(server.base, 'POST', '/v1/jobs', {
      kind: 'expectation',
      ...X2,
      n: 1e11,
      seed: 1,
    });
    show('GET /healthz, during a job', cannon(`${server.base}/healthz`));
    show('POST /v1/sample n=10, during a job', cannon(`${server.base}/v1/sample`, sample));
    const job = await api(server.base, 'GET', `/v1/jobs/${id}`);
    console.log(
      `the job kept running: ${job.status}, ${(job.progress?.n ?? 0).toExponential(2)} draws so far`,
    );
    await api(server.base, 'DELETE', `/v1/jobs/${id}`);
  } finally {
    await server.stop();
  }
}

await main();
