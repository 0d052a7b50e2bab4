/**
 * Monte Carlo expectation throughput on one core: E[x^2 + sin(x)] under N(0, 1) with n = 1e7, through
 * the same code the endpoint runs (runExpectation: chunked draws, compiled f, moments per chunk,
 * Chan's merge), against numpy's `x = rng.standard_normal(n); (x**2 + np.sin(x)).mean()` in the same
 * run. The two alternate, round after round, so machine noise hits both alike; the ratio is of the
 * medians (and of the best runs). Target: at least 1.5x numpy.
 *
 *   npx tsx load/expectation-bench.ts            (or: npm run bench -- expectation)
 */
import { execFileSync } from 'node:child_process';
import { createDistribution } from '../src/core/distributions/registry.js';
import type { UnivariateDistribution } from '../src/core/distributions/types.js';
import { MC_CHUNK_SIZE, runExpectation } from '../src/core/estimators/expectation.js';
import { valueStats } from '../src/core/estimators/monte-carlo.js';
import { compileExpression, evaluateBatch } from '../src/core/expressions/index.js';
import { createRng } from '../src/core/rng/index.js';

const N = 10_000_000;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const F = 'x^2 + sin(x)';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function ours(seed: number): { rate: number; estimate: number; stdError: number } {
  const t = performance.now();
  const a = runExpectation({
    distribution: { family: 'normal', mean: 0, std: 1 },
    f: F,
    method: 'monte_carlo',
    n: N,
    seed,
  });
  const seconds = (performance.now() - t) / 1000;
  return { rate: N / seconds, estimate: a.estimate, stdError: a.stdError ?? Number.NaN };
}

const NUMPY = `
import numpy as np, time, json, sys
n = ${N}
rng = np.random.default_rng(int(sys.argv[1]))
t = time.perf_counter()
x = rng.standard_normal(n)
m = (x**2 + np.sin(x)).mean()
dt = time.perf_counter() - t
out = {"rate": n / dt, "estimate": float(m)}
if len(sys.argv) > 2:
    t = time.perf_counter(); x = rng.standard_normal(n); t1 = time.perf_counter()
    y = x**2 + np.sin(x); t2 = time.perf_counter(); y.mean(); t3 = time.perf_counter()
    out["parts"] = {"draw": n / (t1 - t), "f": n / (t2 - t1), "mean": n / (t3 - t2)}
print(json.dumps(out))
`;

function numpy(
  seed: number,
  parts = false,
): { rate: number; estimate: number; parts?: Record<string, number> } | undefined {
  try {
    const args = ['-c', NUMPY, String(seed), ...(parts ? ['parts'] : [])];
    return JSON.parse(execFileSync('python3', args, { encoding: 'utf8' }));
  } catch {
    return undefined;
  }
}

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M samples/s`;
console.log(`E[${F}] under N(0, 1), n = ${N.toExponential(0)}, one core, ${ROUNDS} alternating rounds`);
ours(0); // warm-up (JIT)
const mine: number[] = [];
const theirs: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const a = ours(r);
  const b = numpy(r);
  mine.push(a.rate);
  if (b) theirs.push(b.rate);
  console.log(
    `round ${r}: likely ${fmt(a.rate)} (estimate ${a.estimate.toFixed(5)} +- ${a.stdError.toFixed(5)})` +
      (b ? `   numpy ${fmt(b.rate)} (estimate ${b.estimate.toFixed(5)})` : '   numpy: not available'),
  );
}
console.log(`likely monte_carlo: median ${fmt(median(mine))}, best ${fmt(Math.max(...mine))}`);
if (theirs.length > 0) {
  console.log(`numpy:              median ${fmt(median(theirs))}, best ${fmt(Math.max(...theirs))}`);
  console.log(
    `ratio likely/numpy: ${(median(mine) / median(theirs)).toFixed(2)}x (medians), ` +
      `${(Math.max(...mine) / Math.max(...theirs)).toFixed(2)}x (best runs); target >= 1.5x`,
  );
} else {
  console.log('numpy: not available (python3 with numpy is needed for the comparison)');
}

// Where the time goes, per stage (samples per second of each stage alone, on chunks of 65,536).
function ourParts(): Record<string, number> {
  const dist = createDistribution({ family: 'normal', mean: 0, std: 1 }) as UnivariateDistribution;
  const f = compileExpression(F);
  const x = new Float64Array(MC_CHUNK_SIZE);
  const fx = new Float64Array(MC_CHUNK_SIZE);
  const chunks = Math.ceil(N / MC_CHUNK_SIZE);
  const rate = (fn: () => void) => {
    const t = performance.now();
    for (let c = 0; c < chunks; c++) fn();
    return (chunks * MC_CHUNK_SIZE) / ((performance.now() - t) / 1000);
  };
  const rng = createRng(1);
  return {
    draw: rate(() => dist.sampleInto(rng, x)),
    f: rate(() => evaluateBatch(f, x, fx)),
    'moments (valueStats)': rate(() => valueStats(fx, 0, 0)),
  };
}

const mineParts = ourParts();
const theirParts = numpy(99, true)?.parts;
console.log('per stage, alone (samples/s):');
for (const [k, v] of Object.entries(mineParts)) console.log(`  likely ${k.padEnd(22)} ${fmt(v)}`);
if (theirParts)
  for (const [k, v] of Object.entries(theirParts)) console.log(`  numpy  ${k.padEnd(22)} ${fmt(v)}`);
