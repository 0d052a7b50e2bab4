/**
 * Job throughput and pool overhead, measured on the compiled server (dist/), in one run:
 *
 *   1. the single-core core loop: expectationChunks + foldChunk on the calling thread, no pool;
 *   2. one job of N draws (default 1e9) of E[x^2] under N(0, 1) on a server with POOL_SIZE=1;
 *   3. the same job on a server with POOL_SIZE=2 (target: at least 1.9x the 1-worker rate);
 *   4. the core loop again (the machine is shared: the two core runs bracket the pool runs);
 *   5. cancellation: DELETE of a running job, time to status `cancelled` and until the freed
 *      worker has run the next job.
 *
 * Pool overhead = 1 - (1-worker job rate) / (core loop rate); target under 5%.
 *
 *   npx tsc -p tsconfig.build.json && npx tsx load/jobs-bench.ts
 *   N=1e8 CORE_N=5e7 npx tsx load/jobs-bench.ts        (a quick run)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_SERVER = `${ROOT}dist/src/server.js`;
const DIST_WORKER = `${ROOT}dist/src/jobs/worker.js`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningServer {
  child: ChildProcess;
  base: string;
  port: number;
  stop(): Promise<void>;
}

export function requireBuild(): void {
  if (!existsSync(DIST_SERVER) || !existsSync(DIST_WORKER)) {
    console.error('dist/ is missing: run `npx tsc -p tsconfig.build.json` first');
    process.exit(2);
  }
}

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The compiled server in its own process on a free port; resolves once /readyz answers. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [DIST_SERVER], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('server did not start');
    await sleep(50);
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, port, base, stop };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the service
export async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: a job view
export async function waitJob(base: string, id: string, pollMs = 200): Promise<any> {
  for (;;) {
    const job = await api(base, 'GET', `/v1/jobs/${id}`);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await sleep(pollMs);
  }
}

export const X2 = { distribution: { family: 'normal', mean: 0, std: 1 }, f: 'x^2', method: 'monte_carlo' };

/** CPU time (user + system, ms) of a process so far, all its threads: /proc/<pid>/stat (Linux). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of one thread of a process (tid = pid: the main thread). */
export function threadCpuMs(pid: number, tid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (ms) of every thread of a process, by thread id. */
export function threadsCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), threadCpuMs(pid, Number(tid)));
  } catch {
    // not Linux
  }
  return out;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Rates {
  /** draws per second of wall time */
  rate: number;
  /** draws per second of CPU time (robust to other load on a shared machine) */
  cpuRate: number;
  ms: number;
  cpuMs: number;
  estimate: number;
}

/** The core loop on one thread of a fresh node process running the compiled code (after a warm-up). */
function coreLoop(n: number, seed: number): Rates {
  const url = pathToFileURL(`${ROOT}dist/src/core/estimators/expectation.js`).href;
  const code = `
    const m = await import(${JSON.stringify(url)});
    const run = (n) => {
      const { spec } = m.prepareExpectationRequest({ ...${JSON.stringify(X2)}, n, seed: ${seed} });
      const total = m.chunkCount(spec.method, n);
      let acc = m.emptyFold();
      for (let i = 0; i < total; i += 16)
        for (const c of m.expectationChunks(spec, i, Math.min(16, total - i), n)) acc = m.foldChunk(acc, c);
      return acc;
    };
    run(2e7);
    const c0 = process.cpuUsage();
    const t = performance.now();
    const acc = run(${n});
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    console.log(JSON.stringify({ rate: (${n} / ms) * 1000, cpuRate: (${n} / cpuMs) * 1000, ms, cpuMs, estimate: acc.stats.mean }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function poolJob(
  poolSize: number,
  n: number,
  seed: number,
): Promise<Rates & { poolSize: number; threads: string }> {
  const server = await startServer({ POOL_SIZE: String(poolSize), MAX_RUNNING_JOBS: '1' });
  try {
    // warm-up: the workers load their code and the JIT sees the loop
    const warm = await api(server.base, 'POST', '/v1/jobs', {
      kind: 'expectation',
      ...X2,
      n: 2e7 * poolSize,
      seed,
    });
    await waitJob(server.base, warm.id);
    const pid = server.child.pid!;
    const cpu0 = processCpuMs(pid);
    const threads0 = threadsCpuMs(pid);
    const { id } = await api(server.base, 'POST', '/v1/jobs', { kind: 'expectation', ...X2, n, seed });
    const job = await waitJob(server.base, id, 250);
    const cpuMs = processCpuMs(pid) - cpu0;
    // the busiest threads during the job: the workers should share the work evenly
    const busiest = [...threadsCpuMs(pid)]
      .map(([tid, ms]) => ({ tid, ms: ms - (threads0.get(tid) ?? 0), main: tid === pid }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, poolSize + 1);
    if (job.status !== 'succeeded') throw new Error(`job ${job.status}: ${JSON.stringify(job.error)}`);
    const ms = job.result.elapsedMs as number;
    return {
      poolSize,
      ms,
      cpuMs,
      rate: (n / ms) * 1000,
      cpuRate: (n / cpuMs) * 1000,
      estimate: job.result.estimate as number,
      threads: busiest.map((t) => `${t.main ? 'main' : 'thread'} ${t.ms.toFixed(0)} ms`).join(', '),
    };
  } finally {
    await server.stop();
  }
}

async function cancelLatency(rounds: number) {
  const server = await startServer({ POOL_SIZE: '2' });
  const results: Array<{ deleteMs: number; cancelledMs: number; nextJobMs: number }> = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const { id } = await api(server.base, 'POST', '/v1/jobs', {
        kind: 'expectation',
        ...X2,
        n: 1e11,
        seed: r,
      });
      for (;;) {
        const j = await api(server.base, 'GET', `/v1/jobs/${id}`);
        if (j.progress && j.progress.n > 5e7) break;
        await sleep(20);
      }
      const t = performance.now();
      await api(server.base, 'DELETE', `/v1/jobs/${id}`);
      const deleteMs = performance.now() - t;
      while ((await api(server.base, 'GET', `/v1/jobs/${id}`)).status !== 'cancelled') await sleep(1);
      const cancelledMs = performance.now() - t;
      // the freed workers run the next job: a small one (2 chunks) from submission to success
      const next = await api(server.base, 'POST', '/v1/jobs', {
        kind: 'expectation',
        ...X2,
        n: 131072,
        seed: r,
      });
      const done = await waitJob(server.base, next.id, 2);
      if (done.status !== 'succeeded') throw new Error(`next job ${done.status}`);
      results.push({ deleteMs, cancelledMs, nextJobMs: performance.now() - t });
    }
  } finally {
    await server.stop();
  }
  return results;
}

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  requireBuild();
  const N = Number(process.env.N ?? 1e9);
  const CORE_N = Number(process.env.CORE_N ?? 2.5e8);
  console.log(`jobs-bench: job n = ${N.toExponential()}, core loop n = ${CORE_N.toExponential()}`);
  console.log(
    `cpus: ${(await import('node:os')).availableParallelism()}, load: ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const line = (what: string, r: Rates) =>
    console.log(
      `${what.padEnd(22)} ${fmt(r.rate)} wall, ${fmt(r.cpuRate)} per CPU-second ` +
        `(${r.ms.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms = ${(r.cpuMs / r.ms).toFixed(2)} cores)`,
    );
  const core1 = coreLoop(CORE_N, 1);
  line('core loop (1 thread)', core1);
  const one = await poolJob(1, N, 1);
  line('job on 1 worker', one);
  console.log(`  CPU by thread: ${one.threads}`);
  const two = await poolJob(2, N, 1);
  line('job on 2 workers', two);
  console.log(`  CPU by thread: ${two.threads}`);
  const core2 = coreLoop(CORE_N, 2);
  line('core loop again', core2);
  const core = { rate: (core1.rate + core2.rate) / 2, cpuRate: (core1.cpuRate + core2.cpuRate) / 2 };

  const speedup = two.rate / one.rate;
  const efficiency = two.cpuRate / one.cpuRate;
  const overhead = 1 - one.rate / core.rate;
  const cpuOverhead = 1 - one.cpuRate / core.cpuRate;
  console.log(
    `speed-up 2 workers / 1     ${speedup.toFixed(2)}x wall   (target >= 1.9x; 2 free cores needed)`,
  );
  console.log(
    `work per CPU-second, 2 vs 1 worker: ${(efficiency * 100).toFixed(1)}%  ` +
      `(=> ${(2 * efficiency).toFixed(2)}x on 2 free cores)`,
  );
  console.log(
    `pool overhead vs core loop ${(overhead * 100).toFixed(1)}% wall, ${(cpuOverhead * 100).toFixed(1)}% ` +
      'per CPU-second   (target < 5%)',
  );
  console.log(`same estimate on 1 and 2 workers: ${Object.is(one.estimate, two.estimate)} (${one.estimate})`);

  const cancels = await cancelLatency(5);
  console.log(
    `cancel: DELETE answered in ${median(cancels.map((c) => c.deleteMs)).toFixed(1)} ms, status cancelled after ` +
      `${median(cancels.map((c) => c.cancelledMs)).toFixed(1)} ms, next job done after ` +
      `${median(cancels.map((c) => c.nextJobMs)).toFixed(0)} ms (median of ${cancels.length}; max ` +
      `${Math.max(...cancels.map((c) => c.nextJobMs)).toFixed(0)} ms)`,
  );
  console.log(
    JSON.stringify({ core1, core2, one, two, speedup, efficiency, overhead, cpuOverhead, cancels }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
