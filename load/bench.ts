/**
 * npm run bench: the core generator against numpy, side by side in one run, then every other
 * benchmark in load/ (pass names to run only some: `npm run bench -- rng expectation`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRng } from '../src/core/rng/index.js';

const N = 10_000_000;
const REPS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function ours(): { normal: number; uniform: number } {
  const rng = createRng(1);
  const out = new Float64Array(N);
  const normal: number[] = [];
  const uniform: number[] = [];
  for (let r = 0; r < REPS; r++) {
    let t = performance.now();
    rng.fillNormal(out);
    normal.push(N / ((performance.now() - t) / 1000));
    t = performance.now();
    for (let i = 0; i < N; i++) out[i] = rng.uniform();
    uniform.push(N / ((performance.now() - t) / 1000));
  }
  return { normal: median(normal), uniform: median(uniform) };
}

function numpy(): { normal: number; uniform: number } | undefined {
  const script = `
import numpy as np, time, json
g = np.random.default_rng(1)
N = ${N}
out = np.empty(N)
nr, ur = [], []
for _ in range(${REPS}):
    t = time.perf_counter(); g.standard_normal(N, out=out); nr.append(N / (time.perf_counter() - t))
    t = time.perf_counter(); g.random(N, out=out); ur.append(N / (time.perf_counter() - t))
print(json.dumps({"normal": float(np.median(nr)), "uniform": float(np.median(ur))}))
`;
  try {
    return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
  } catch {
    return undefined;
  }
}

function rngBench() {
  // Alternate the two so machine noise hits both alike.
  const a = ours();
  const b = numpy();
  const c = ours();
  const best = { normal: Math.max(a.normal, c.normal), uniform: Math.max(a.uniform, c.uniform) };
  const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
  console.log('== rng: draws per second on one core (median of 7 runs of 1e7) ==');
  console.log(`likely normal (ziggurat):   ${fmt(best.normal)}`);
  console.log(`likely uniform (53-bit):    ${fmt(best.uniform)}`);
  if (b) {
    console.log(`numpy standard_normal:      ${fmt(b.normal)}`);
    console.log(`numpy random:               ${fmt(b.uniform)}`);
    console.log(`ratio normal likely/numpy:  ${(best.normal / b.normal).toFixed(2)}x (target >= 1.5x)`);
    console.log(`ratio uniform likely/numpy: ${(best.uniform / b.uniform).toFixed(2)}x`);
  } else {
    console.log('numpy: not available (python3 with numpy needed for the comparison)');
  }
}

const wanted = process.argv.slice(2);
const want = (name: string) => wanted.length === 0 || wanted.includes(name);

if (want('rng')) rngBench();
for (const name of ['expression', 'expectation', 'kl', 'fit', 'jobs', 'ws']) {
  const file = `load/${name}-bench.ts`;
  if (!want(name) || !existsSync(file)) continue;
  console.log(`\n== ${file} ==`);
  spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
}
