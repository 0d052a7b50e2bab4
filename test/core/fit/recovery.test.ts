import { describe, expect, it } from 'vitest';
import { fitFamily } from '../../../src/core/fit/index.js';
import type { FitData, FitOptions } from '../../../src/core/fit/types.js';
import { draw, drawDirichlet, drawMvn, type Sampler, samplers } from './samplers.js';

const OPTS: FitOptions = { confidence: 0.95, goodnessOfFit: false };
const uni = (values: Float64Array): FitData => ({ values, n: values.length, dim: 1, rows: false });
const rowsOf = (values: Float64Array, dim: number): FitData => ({
  values,
  n: values.length / dim,
  dim,
  rows: true,
});

interface Case {
  family: string;
  sampler: Sampler;
  truth: Record<string, number>;
  options?: Partial<FitOptions>;
}

const CASES: Case[] = [
  { family: 'normal', sampler: samplers.normal(-1.5, 2.5), truth: { mean: -1.5, std: 2.5 } },
  { family: 'lognormal', sampler: samplers.lognormal(0.3, 0.6), truth: { mu: 0.3, sigma: 0.6 } },
  { family: 'exponential', sampler: samplers.exponential(2.5), truth: { rate: 2.5 } },
  { family: 'gamma', sampler: samplers.gamma(2.5, 1.5), truth: { shape: 2.5, rate: 1.5 } },
  { family: 'beta', sampler: samplers.beta(2, 5), truth: { alpha: 2, beta: 5 } },
  { family: 'weibull', sampler: samplers.weibull(1.7, 2.2), truth: { shape: 1.7, scale: 2.2 } },
  { family: 'student_t', sampler: samplers.studentT(5, 1, 2), truth: { df: 5, loc: 1, scale: 2 } },
  { family: 'cauchy', sampler: samplers.cauchy(0.5, 1.5), truth: { loc: 0.5, scale: 1.5 } },
  { family: 'laplace', sampler: samplers.laplace(-1, 2), truth: { loc: -1, scale: 2 } },
  { family: 'poisson', sampler: samplers.poisson(3.2), truth: { rate: 3.2 } },
  { family: 'bernoulli', sampler: samplers.bernoulli(0.3), truth: { p: 0.3 } },
  { family: 'binomial', sampler: samplers.binomial(10, 0.35), truth: { p: 0.35 }, options: { trials: 10 } },
  { family: 'geometric', sampler: samplers.geometric(0.25), truth: { p: 0.25 } },
];

describe('recovery: 1e5 seeded samples from known parameters', () => {
  for (const c of CASES) {
    it(`${c.family} returns the truth within 4 standard errors`, () => {
      const x = draw(c.sampler, 100_000, 2024);
      const r = fitFamily(c.family, uni(x), { ...OPTS, ...c.options });
      expect(r.converged).toBe(true);
      const dist = r.distribution as Record<string, number>;
      for (const [k, v] of Object.entries(c.truth)) {
        const se = r.standardErrors[k]!;
        expect(se, `${k} standard error`).toBeGreaterThan(0);
        expect(Math.abs(dist[k]! - v) / se, `${k}: ${dist[k]} vs ${v} (se ${se})`).toBeLessThan(4);
        const ci = r.confidenceIntervals[k]!;
        expect(ci.low).toBeLessThan(dist[k]!);
        expect(ci.high).toBeGreaterThan(dist[k]!);
      }
    });
  }

  it('dirichlet returns the truth within 4 standard errors', () => {
    const alpha = [2, 3.5, 1.2];
    const r = fitFamily('dirichlet', rowsOf(drawDirichlet(alpha, 100_000, 7), 3), OPTS);
    expect(r.converged).toBe(true);
    const fitted = (r.distribution as unknown as { alpha: number[] }).alpha;
    alpha.forEach((a, k) => {
      expect(Math.abs(fitted[k]! - a) / r.standardErrors[`alpha[${k}]`]!).toBeLessThan(4);
    });
  });

  it('multivariate_normal returns the truth within 4 standard errors', () => {
    const mean = [1, -2];
    const L = [
      [1.5, 0],
      [0.6, 0.8],
    ];
    const cov = [
      [2.25, 0.9],
      [0.9, 1.0],
    ];
    const r = fitFamily('multivariate_normal', rowsOf(drawMvn(mean, L, 100_000, 9), 2), OPTS);
    const d = r.distribution as unknown as { mean: number[]; cov: number[][] };
    mean.forEach((m, a) => {
      expect(Math.abs(d.mean[a]! - m) / r.standardErrors[`mean[${a}]`]!).toBeLessThan(4);
    });
    for (let a = 0; a < 2; a++)
      for (let b = a; b < 2; b++)
        expect(Math.abs(d.cov[a]![b]! - cov[a]![b]!) / r.standardErrors[`cov[${a}][${b}]`]!).toBeLessThan(4);
  });
});

describe('standard errors agree with the spread of estimates over 50 seeds (n = 2000)', () => {
  const SE_CASES: Case[] = [
    { family: 'normal', sampler: samplers.normal(3, 2), truth: { mean: 3, std: 2 } },
    { family: 'gamma', sampler: samplers.gamma(2.5, 1.5), truth: { shape: 2.5, rate: 1.5 } },
    { family: 'beta', sampler: samplers.beta(2, 5), truth: { alpha: 2, beta: 5 } },
    { family: 'weibull', sampler: samplers.weibull(1.7, 2.2), truth: { shape: 1.7, scale: 2.2 } },
    { family: 'student_t', sampler: samplers.studentT(5, 1, 2), truth: { df: 5, loc: 1, scale: 2 } },
    { family: 'cauchy', sampler: samplers.cauchy(0.5, 1.5), truth: { loc: 0.5, scale: 1.5 } },
    { family: 'poisson', sampler: samplers.poisson(3.2), truth: { rate: 3.2 } },
  ];
  for (const c of SE_CASES) {
    it(c.family, () => {
      const est: Record<string, number[]> = {};
      const ses: Record<string, number[]> = {};
      for (let seed = 1; seed <= 50; seed++) {
        const r = fitFamily(c.family, uni(draw(c.sampler, 2000, seed, 3)), OPTS);
        expect(r.converged).toBe(true);
        for (const k of Object.keys(c.truth)) {
          (est[k] ??= []).push((r.distribution as Record<string, number>)[k]!);
          (ses[k] ??= []).push(r.standardErrors[k]!);
        }
      }
      for (const k of Object.keys(c.truth)) {
        const xs = est[k]!;
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
        const meanSe = ses[k]!.reduce((a, b) => a + b, 0) / xs.length;
        // With 50 replicates the empirical sd is itself uncertain by about 10%: allow 3 of those.
        expect(sd / meanSe, `${k}: spread ${sd} vs reported ${meanSe}`).toBeGreaterThan(0.7);
        expect(sd / meanSe, `${k}: spread ${sd} vs reported ${meanSe}`).toBeLessThan(1.3);
      }
    });
  }
});
