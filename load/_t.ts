import { createDistribution } from '../src/core/distributions/registry.js';
for (const [fam, spec, x] of [
  ['gamma', { family: 'gamma', shape: 1e10, rate: 1 }, 1e10 + 3e4],
  ['gamma', { family: 'gamma', shape: 1e12, rate: 1 }, 1e12 + 3e5],
  ['poisson', { family: 'poisson', rate: 1e10 }, 1e10 + 3e4],
  ['beta', { family: 'beta', alpha: 1e10, beta: 1e10 }, 0.5 + 3e-6],
  ['beta', { family: 'beta', alpha: 1e8, beta: 1e8 }, 0.5 + 3e-5],
  ['student_t', { family: 'student_t', df: 1e10 }, 0.5],
] as const) {
  const d: any = createDistribution(spec as any);
  let t = performance.now(); const c = d.cdf(x); const tc = performance.now() - t;
  t = performance.now(); const q = d.quantile(0.3); const tq = performance.now() - t;
  console.log(fam, JSON.stringify(spec), 'cdf', c, tc.toFixed(2) + 'ms', 'q(0.3)', q, tq.toFixed(2) + 'ms');
}
