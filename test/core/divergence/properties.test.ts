/**
 * Properties over random valid parameters (fast-check): KL >= 0; KL(p || p) = 0; KL is not
 * symmetric; closed form, quadrature (or summation) and Monte Carlo agree with each other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec, UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { closedFormKl } from '../../../src/core/divergence/closed-form.js';
import { summedKl } from '../../../src/core/divergence/discrete.js';
import { runKl } from '../../../src/core/divergence/kl.js';
import { quadratureKl } from '../../../src/core/divergence/quadrature.js';

const d = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const spec = <T extends Record<string, fc.Arbitrary<unknown>>>(family: string, params: T) =>
  fc.record(params).map((r) => ({ family, ...r }) as DistributionSpec);

/** One arbitrary per family, with parameters in ranges where every method is well behaved. */
const CONTINUOUS: Record<string, fc.Arbitrary<DistributionSpec>> = {
  normal: spec('normal', { mean: d(-5, 5), std: d(0.2, 5) }),
  lognormal: spec('lognormal', { mu: d(-1, 1), sigma: d(0.2, 1.5) }),
  exponential: spec('exponential', { rate: d(0.1, 10) }),
  gamma: spec('gamma', { shape: d(0.5, 20), rate: d(0.1, 10) }),
  beta: spec('beta', { alpha: d(0.6, 20), beta: d(0.6, 20) }),
  laplace: spec('laplace', { loc: d(-5, 5), scale: d(0.2, 5) }),
  cauchy: spec('cauchy', { loc: d(-5, 5), scale: d(0.2, 5) }),
  weibull: spec('weibull', { shape: d(0.6, 5), scale: d(0.2, 5) }),
};

const DISCRETE: Record<string, fc.Arbitrary<DistributionSpec>> = {
  poisson: spec('poisson', { rate: d(0.1, 50) }),
  geometric: spec('geometric', { p: d(0.05, 0.95) }),
  bernoulli: spec('bernoulli', { p: d(0.01, 0.99) }),
  binomial: spec('binomial', { n: fc.constant(30), p: d(0.05, 0.95) }),
  categorical: fc.array(d(0.01, 1), { minLength: 4, maxLength: 4 }).map((w) => {
    const s = w.reduce((a, b) => a + b, 0);
    return { family: 'categorical', probs: w.map((x) => x / s) } as DistributionSpec;
  }),
};

/** Cross pairs with a closed form, as [p family, arbitrary of p, arbitrary of q]. */
const CROSS: [string, fc.Arbitrary<DistributionSpec>, fc.Arbitrary<DistributionSpec>][] = [
  ['exponential || gamma', CONTINUOUS.exponential!, CONTINUOUS.gamma!],
  ['gamma || exponential', CONTINUOUS.gamma!, CONTINUOUS.exponential!],
  ['normal || laplace', CONTINUOUS.normal!, CONTINUOUS.laplace!],
  ['laplace || normal', CONTINUOUS.laplace!, CONTINUOUS.normal!],
  ['gamma || weibull', CONTINUOUS.gamma!, CONTINUOUS.weibull!],
  ['weibull || lognormal', CONTINUOUS.weibull!, CONTINUOUS.lognormal!],
  ['beta || normal', CONTINUOUS.beta!, CONTINUOUS.normal!],
];

const uni = (s: DistributionSpec) => createDistribution(s) as UnivariateDistribution;
const pairs = Object.entries(CONTINUOUS).map(([name, a]) => [`${name} || ${name}`, a, a] as const);

describe('KL(p || q) >= 0, with equality for p = q', () => {
  it.each([...pairs, ...CROSS])('%s (closed form)', (_name, a, b) => {
    fc.assert(
      fc.property(a, b, (p, q) => {
        const v = closedFormKl(uni(p), uni(q))!.value;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(closedFormKl(uni(p), uni(p))!.value).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });

  it.each(Object.entries(DISCRETE))('%s (closed form and exact sum)', (_name, a) => {
    fc.assert(
      fc.property(a, a, (p, q) => {
        const v = closedFormKl(uni(p), uni(q))!.value;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(closedFormKl(uni(p), uni(p))!.value).toBeLessThan(1e-14);
        expect(summedKl(uni(p), uni(p)).value).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });

  it('probability vectors of any length (and p = q gives exactly 0 by every method)', () => {
    const vec = (k: number) =>
      fc
        .array(d(0, 1), { minLength: k, maxLength: k })
        .filter((w) => w.some((x) => x > 0))
        .map((w) => {
          const s = w.reduce((x, y) => x + y, 0);
          return w.map((x) => x / s);
        });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((k) => fc.tuple(vec(k), vec(k))),
        ([p, q]) => {
          const r = runKl({ p, q });
          expect(r.forward).toBeGreaterThanOrEqual(0);
          expect(r.reverse).toBeGreaterThanOrEqual(0);
          expect(r.jensenShannon).toBeGreaterThanOrEqual(0);
          expect(r.jensenShannon).toBeLessThanOrEqual(Math.LN2);
          const same = runKl({ p, q: p });
          expect([same.forward, same.reverse, same.jensenShannon]).toEqual([0, 0, 0]);
          const mc = runKl({ p, q: p, method: 'monte_carlo', n: 100, seed: 1 });
          expect(mc.forward).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('KL is not symmetric', () => {
  it('N(0, 1) against N(0, std 2): 0.3181... one way, 0.8068... the other', () => {
    const r = runKl({ p: { family: 'normal', mean: 0, std: 1 }, q: { family: 'normal', mean: 0, std: 2 } });
    expect(r.forward).toBeCloseTo(Math.log(2) + 1 / 8 - 1 / 2, 15);
    expect(r.reverse).toBeCloseTo(2 - 1 / 2 - Math.log(2), 15);
    expect(r.forward).not.toBeCloseTo(r.reverse, 1);
  });

  it('two normals of different spread: the wider q always gives the smaller KL(p || q)', () => {
    fc.assert(
      fc.property(CONTINUOUS.normal!, d(1.1, 5), d(-3, 3), (p, ratio, shift) => {
        const q = { family: 'normal', mean: (p.mean as number) + shift, std: (p.std as number) * ratio };
        const r = runKl({ p, q });
        // KL(p || q) - KL(q || p) = h(r) + shift^2/(2 s_q^2)(1 - r^-2)... < 0 for s_q > s_p
        expect(r.forward).toBeLessThan(r.reverse);
      }),
      { numRuns: 50 },
    );
  });
});

describe('closed form, quadrature and Monte Carlo agree', () => {
  it.each([...pairs, ...CROSS])('%s: closed form = quadrature within its error estimate', (_name, a, b) => {
    fc.assert(
      fc.property(a, b, (p, q) => {
        const cf = closedFormKl(uni(p), uni(q))!.value;
        if (!Number.isFinite(cf)) return;
        const r = quadratureKl(uni(p), uni(q));
        expect(Math.abs(r.value - cf), `${JSON.stringify([p, q])}: ${r.value} vs ${cf}`).toBeLessThanOrEqual(
          Math.max(2 * r.errorEstimate, 1e-9 * cf, 1e-12),
        );
      }),
      { numRuns: 15 },
    );
  });

  it.each(Object.entries(DISCRETE))('%s: closed form = exact summation', (_name, a) => {
    fc.assert(
      fc.property(a, a, (p, q) => {
        const cf = closedFormKl(uni(p), uni(q))!.value;
        const s = summedKl(uni(p), uni(q));
        expect(Math.abs(s.value - cf)).toBeLessThanOrEqual(Math.max(1e-12 * cf, 1e-14, s.errorEstimate));
      }),
      { numRuns: 25 },
    );
  });

  // Monte Carlo is only as good as its standard error: with p and q far apart the log ratio is so
  // skewed (rare huge values) that 20,000 draws underestimate it. These pairs stay within a factor
  // of about 2 in scale and a standard deviation in location, where the CLT has set in.
  const near = (
    a: fc.Arbitrary<DistributionSpec>,
    f: (p: DistributionSpec, r: number, s: number) => DistributionSpec,
  ) => fc.tuple(a, d(0.6, 1.7), d(-1, 1)).map(([p, r, s]) => [p, f(p, r, s)] as const);
  const n = (x: unknown) => x as number;
  it.each([
    [
      'normal || normal',
      near(CONTINUOUS.normal!, (p, r, s) => ({
        family: 'normal',
        mean: n(p.mean) + s * n(p.std),
        std: n(p.std) * r,
      })),
    ],
    [
      'gamma || gamma',
      near(spec('gamma', { shape: d(1, 20), rate: d(0.1, 10) }), (p, r, s) => ({
        family: 'gamma',
        shape: n(p.shape) * r,
        rate: n(p.rate) * (1 + 0.3 * s),
      })),
    ],
    [
      'exponential || gamma',
      near(CONTINUOUS.exponential!, (p, r, s) => ({
        family: 'gamma',
        shape: 1 + 0.4 * s,
        rate: n(p.rate) * r,
      })),
    ],
    [
      'laplace || normal',
      near(CONTINUOUS.laplace!, (p, r, s) => ({
        family: 'normal',
        mean: n(p.loc) + s * n(p.scale),
        std: 1.4 * n(p.scale) * r,
      })),
    ],
    [
      'poisson || poisson',
      near(spec('poisson', { rate: d(0.5, 50) }), (p, r) => ({ family: 'poisson', rate: n(p.rate) * r })),
    ],
  ] as const)('%s: closed form = Monte Carlo within 5 standard errors', (_name, pair) => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 2 ** 31 }), ([p, q], seed) => {
        const exact = runKl({ p, q });
        const mc = runKl({ p, q, method: 'monte_carlo', n: 20_000, seed });
        for (const k of ['forward', 'reverse'] as const) {
          const se = mc.stdErrors![k]!;
          expect(Math.abs(mc[k] - exact[k]), `${k} ${JSON.stringify([p, q])}`).toBeLessThanOrEqual(
            5 * se + 1e-12,
          );
        }
        // JS: quadrature (or summation) against Monte Carlo.
        expect(Math.abs(mc.jensenShannon - exact.jensenShannon)).toBeLessThanOrEqual(
          5 * mc.stdErrors!.jensenShannon! + 1e-12,
        );
      }),
      { numRuns: 6 },
    );
  });
});
