/**
 * Fit times against scipy, measured in the same run on the same numbers (the data go to Python as a
 * raw float64 file):
 *
 * - normal, 1e6 points: the core fit, POST /v1/fit with a binary body, and with a JSON body, against
 *   scipy.stats.norm.fit;
 * - gamma, 1e5 points: the core fit and the binary route, against scipy.stats.gamma.fit (its default
 *   three-parameter fit with a free location, the 108 ms figure) and gamma.fit(floc=0), which is the
 *   same two-parameter problem as ours;
 * - a 3-component univariate Gaussian mixture, 1e5 points, by EM (scipy has no mixture fit and
 *   scikit-learn is not installed: no reference time).
 *
 * Routes are timed through app.inject (the whole Fastify path: content-type parser, validation,
 * handler, compute pool for big fits, serialisation; no socket). Each figure is the median over
 * ROUNDS rounds, ours and scipy's alternating so machine noise hits both alike; within a round each
 * side does one untimed run and reports the median of three timed ones (the same on both sides, so
 * neither is timed cold while the other is warm).
 * `goodnessOfFit=false` compares like with like (scipy's fit does no KS test); the rows "+ KS" add
 * our Kolmogorov-Smirnov test.
 *
 *   npx tsx load/fit-bench.ts          (ROUNDS=7 by default)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { fitFamily } from '../src/core/fit/index.js';
import { createRng } from '../src/core/rng/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function normalData(n: number): Float64Array {
  const r = createRng(1);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 + 3 * r.normal();
  return x;
}
function gammaData(n: number): Float64Array {
  const r = createRng(2);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = r.gamma(2.5) / 1.5;
  return x;
}
function mixtureData(n: number): Float64Array {
  const r = createRng(3);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    x[i] = u < 0.3 ? -4 + r.normal() : u < 0.8 ? 0.7 * r.normal() : 5 + 1.5 * r.normal();
  }
  return x;
}

const SCIPY = `
import numpy as np, scipy.stats as st, time, json, sys
x = np.fromfile(sys.argv[1], dtype='<f8')
kind = sys.argv[2]
rounds = int(sys.argv[3])
f = {'norm': lambda: st.norm.fit(x), 'gamma': lambda: st.gamma.fit(x), 'gamma_floc0': lambda: st.gamma.fit(x, floc=0)}[kind]
f()
ts = []
for _ in range(rounds):
    t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1e3)
print(json.dumps({'ms': sorted(ts)[len(ts) // 2], 'best': min(ts), 'result': [float(v) for v in f()]}))
`;

const dir = mkdtempSync(join(tmpdir(), 'fit-bench-'));
function scipy(x: Float64Array, kind: string, rounds = 1): { ms: number; best: number; result: number[] } {
  const file = join(dir, `${kind}.f64`);
  writeFileSync(file, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const out = execFileSync('python3', ['-c', SCIPY, file, kind, String(rounds)], { encoding: 'utf8' });
  return JSON.parse(out);
}

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }));
await app.ready();

async function route(
  url: string,
  payload: Buffer | string,
  type: string,
): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
  const ms = performance.now() - t;
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { ms, body: res.json() };
}

const rows: Array<{ what: string; ours: number; oursBest: number; scipy?: number; scipyBest?: number }> = [];

async function measure(
  what: string,
  run: () => Promise<unknown> | unknown,
  scipyKind?: { x: Float64Array; kind: string },
) {
  await run(); // warm-up
  if (scipyKind) scipy(scipyKind.x, scipyKind.kind, 1);
  const ours: number[] = [];
  const theirs: number[] = [];
  const theirsBest: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // As the Python side does in each round: one untimed run after the other process has had the
    // machine (caches, freed pages), then the median of three timed runs.
    await run();
    const three: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      await run();
      three.push(performance.now() - t);
    }
    ours.push(median(three));
    if (scipyKind) {
      const s = scipy(scipyKind.x, scipyKind.kind, 3);
      theirs.push(s.ms);
      theirsBest.push(s.best);
    }
  }
  rows.push({
    what,
    ours: median(ours),
    oursBest: Math.min(...ours),
    scipy: scipyKind ? median(theirs) : undefined,
    scipyBest: scipyKind ? Math.min(...theirsBest) : undefined,
  });
}

const uni = (x: Float64Array) => ({ values: x, n: x.length, dim: 1, rows: false });
const bin = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

// normal, 1e6
const xn = normalData(1_000_000);
const nb = bin(xn);
const nj = JSON.stringify({ family: 'normal', data: Array.from(xn), goodnessOfFit: false });
const norm = { x: xn, kind: 'norm' };
await measure(
  'normal 1e6: core fit',
  () => fitFamily('normal', uni(xn), { confidence: 0.95, goodnessOfFit: false }),
  norm,
);
await measure(
  'normal 1e6: POST binary',
  () => route('/v1/fit?family=normal&goodnessOfFit=false', nb, 'application/octet-stream'),
  norm,
);
await measure(
  'normal 1e6: POST binary + KS',
  () => route('/v1/fit?family=normal', nb, 'application/octet-stream'),
  norm,
);
await measure('normal 1e6: POST JSON (19 MB)', () => route('/v1/fit', nj, 'application/json'), norm);

// gamma, 1e5
const xg = gammaData(100_000);
const gb = bin(xg);
const gammaFree = { x: xg, kind: 'gamma' };
const gamma0 = { x: xg, kind: 'gamma_floc0' };
await measure(
  'gamma 1e5: core fit',
  () => fitFamily('gamma', uni(xg), { confidence: 0.95, goodnessOfFit: false }),
  gammaFree,
);
await measure(
  'gamma 1e5: POST binary',
  () => route('/v1/fit?family=gamma&goodnessOfFit=false', gb, 'application/octet-stream'),
  gammaFree,
);
await measure(
  'gamma 1e5: POST binary + KS',
  () => route('/v1/fit?family=gamma', gb, 'application/octet-stream'),
  gammaFree,
);
await measure(
  'gamma 1e5: POST binary vs gamma.fit(floc=0)',
  () => route('/v1/fit?family=gamma&goodnessOfFit=false', gb, 'application/octet-stream'),
  gamma0,
);

// mixture, 1e5, 3 components
const xm = mixtureData(100_000);
const mb = bin(xm);
await measure('mixture k=3 1e5: core fit (EM + SEs)', () =>
  fitFamily('mixture', uni(xm), { confidence: 0.95, components: 3, seed: 1, goodnessOfFit: false }),
);
await measure('mixture k=3 1e5: POST binary + KS', () =>
  route('/v1/fit?family=mixture&components=3&seed=1', mb, 'application/octet-stream'),
);

// Same answers?
const ng = fitFamily('normal', uni(xn), { confidence: 0.95 });
const sn = scipy(xn, 'norm');
const gg = fitFamily('gamma', uni(xg), { confidence: 0.95 });
const sg0 = scipy(xg, 'gamma_floc0');

await app.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `fit benchmark (ms): median and best of ${ROUNDS} rounds; ratio = scipy / ours (> 1: we are faster); ` +
    `load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
);
const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2)).padStart(8);
console.log(
  `${''.padEnd(46)} ${'ours'.padStart(8)} ${'scipy'.padStart(8)}  ratio   ${'best:ours'.padStart(9)} ${'scipy'.padStart(8)}  ratio`,
);
for (const r of rows) {
  const ratio = (a: number | undefined, b: number) =>
    a === undefined ? '     ' : (a / b).toFixed(2).padStart(6);
  console.log(
    `${r.what.padEnd(46)} ${f(r.ours)} ${f(r.scipy)} ${ratio(r.scipy, r.ours)}   ${f(r.oursBest).padStart(9)} ${f(r.scipyBest)} ${ratio(r.scipyBest, r.oursBest)}`,
  );
}
const nd = ng.distribution as unknown as { mean: number; std: number };
const gd = gg.distribution as unknown as { shape: number; rate: number };
console.log(`normal: ours mean ${nd.mean} std ${nd.std}; scipy ${sn.result[0]} ${sn.result[1]}`);
console.log(
  `gamma:  ours shape ${gd.shape} scale ${1 / gd.rate}; scipy(floc=0) ${sg0.result[0]} ${sg0.result[2]}`,
);
