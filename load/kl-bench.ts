/**
 * KL benchmark: time per call of
 *   1. KL of two 100-dimensional multivariate normals (the closed form, both ways; and the whole
 *      request, whose Jensen-Shannon has no closed form and is Monte Carlo), and
 *   2. KL of two 2-component mixtures by Monte Carlo, n = 1e6 draws from each (forward, reverse and
 *      Jensen-Shannon from the same draws): one-dimensional normal mixtures and two-dimensional
 *      multivariate normal mixtures,
 * through the core (runKl, one thread) and through POST /v1/kl (inline, and on the worker pool).
 *
 * Run: npx tsx load/kl-bench.ts
 */

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDistribution } from '../src/core/distributions/registry.js';
import { closedFormKl, runKl } from '../src/core/divergence/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(reps: number, f: () => unknown): { median: number; min: number } {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return { median: median(ts), min: Math.min(...ts) };
}

async function timeAsync(reps: number, f: () => Promise<unknown>): Promise<{ median: number; min: number }> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    ts.push(performance.now() - t);
  }
  return { median: median(ts), min: Math.min(...ts) };
}

/** A random symmetric positive definite d x d matrix A A^T / d + I, seeded. */
function spd(d: number, seed: number): number[][] {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const a = Array.from({ length: d }, () => Array.from({ length: d }, rnd));
  return a.map((ai, i) =>
    a.map((aj, j) => {
      let t = 0;
      for (let k = 0; k < d; k++) t += ai[k]! * aj[k]!;
      return t / d + (i === j ? 1 : 0);
    }),
  );
}

const D = 100;
const mvnP = {
  family: 'multivariate_normal',
  mean: Array.from({ length: D }, (_, i) => Math.sin(i)),
  cov: spd(D, 1),
};
const mvnQ = { family: 'multivariate_normal', mean: Array.from({ length: D }, () => 0), cov: spd(D, 2) };

const mix1P = {
  family: 'mixture',
  weights: [0.3, 0.7],
  components: [
    { family: 'normal', mean: -2, std: 1 },
    { family: 'normal', mean: 1, std: 0.5 },
  ],
};
const mix1Q = {
  family: 'mixture',
  weights: [0.5, 0.5],
  components: [
    { family: 'normal', mean: 0, std: 2 },
    { family: 'normal', mean: 3, std: 1 },
  ],
};
const mix2P = {
  family: 'mixture',
  weights: [0.3, 0.7],
  components: [
    {
      family: 'multivariate_normal',
      mean: [-1, 0],
      cov: [
        [1, 0.3],
        [0.3, 1],
      ],
    },
    {
      family: 'multivariate_normal',
      mean: [2, 1],
      cov: [
        [0.5, 0],
        [0, 0.8],
      ],
    },
  ],
};
const mix2Q = {
  family: 'mixture',
  weights: [0.5, 0.5],
  components: [
    {
      family: 'multivariate_normal',
      mean: [0, 1],
      cov: [
        [1.5, 0],
        [0, 1],
      ],
    },
    {
      family: 'multivariate_normal',
      mean: [2, -1],
      cov: [
        [1, 0.2],
        [0.2, 1],
      ],
    },
  ],
};

const N = 1_000_000;
const fmt = (t: { median: number; min: number }) => `${t.median.toFixed(2)} ms (min ${t.min.toFixed(2)})`;

async function main() {
  console.log(`KL benchmark (node ${process.version})`);

  // 1. The closed form itself: validation (each family factorises its covariance) and
  // KL(p || q) and KL(q || p), each two Cholesky factorisations and a triangular solve of a matrix.
  const closedBoth = () => {
    const p = createDistribution(mvnP, 'p');
    const q = createDistribution(mvnQ, 'q');
    return [closedFormKl(p, q)!.value, closedFormKl(q, p)!.value];
  };
  const [f, r] = closedBoth();
  console.log(
    `\n100-dimensional multivariate normals, closed form: forward ${f!.toFixed(6)}, reverse ${r!.toFixed(6)}`,
  );
  time(5, closedBoth);
  console.log(`  core, validation + forward + reverse closed forms: ${fmt(time(50, closedBoth))}`);
  // The endpoint also gives Jensen-Shannon, which has no closed form here: Monte Carlo, n draws each side.
  const mvnBody = { p: mvnP, q: mvnQ, n: 10_000, seed: 1 };
  console.log(
    `  core runKl (closed forms + JS by Monte Carlo, n = 1e4): ${fmt(time(3, () => runKl(mvnBody)))}`,
  );

  for (const [name, p, q] of [
    ['2-component normal mixtures (1-D)', mix1P, mix1Q],
    ['2-component multivariate normal mixtures (2-D)', mix2P, mix2Q],
  ] as const) {
    const body = { p, q, method: 'monte_carlo' as const, n: N, seed: 1 };
    const r = runKl(body);
    console.log(
      `\n${name}, Monte Carlo n = 1e6 (2e6 draws, forward + reverse + JS): forward ${r.forward.toFixed(5)} ± ${r.stdError!.toExponential(2)}`,
    );
    console.log(`  core runKl: ${fmt(time(5, () => runKl(body)))}`);
  }

  // Through HTTP: inline (threshold above the work) and on the pool (the default threshold).
  for (const [label, threshold] of [
    ['inline', '1000000000'],
    ['worker pool', '200000'],
  ] as const) {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', POOL_THRESHOLD_N: threshold }));
    await app.ready();
    const post = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/v1/kl',
        payload: body as object,
        headers: { 'content-type': 'application/json' },
      });
    console.log(`\nPOST /v1/kl (${label}):`);
    await post(mvnBody);
    console.log(
      `  100-D MVN (closed forms + JS by MC, n = 1e4): ${fmt(await timeAsync(3, () => post(mvnBody)))}`,
    );
    for (const [name, p, q] of [
      ['1-D mixtures MC n=1e6', mix1P, mix1Q],
      ['2-D mixtures MC n=1e6', mix2P, mix2Q],
    ] as const) {
      const body = { p, q, method: 'monte_carlo', n: N, seed: 1 };
      await post(body);
      console.log(`  ${name}: ${fmt(await timeAsync(3, () => post(body)))}`);
    }
    await app.close();
  }
}

await main();
