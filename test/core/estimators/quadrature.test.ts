import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { integrate, integrateAgainst, sumDiscrete } from '../../../src/core/estimators/quadrature.js';
import { fixture, hasFamily } from './fixtures.js';

const uni = (spec: Record<string, unknown>) =>
  createDistribution(spec as { family: string }) as UnivariateDistribution;

describe('integrate (adaptive Gauss-Kronrod 10/21)', () => {
  it('is exact for polynomials up to degree 31 (one panel while the Gauss rule agrees, degree <= 19)', () => {
    for (let d = 0; d <= 31; d++) {
      const r = integrate((x) => x ** d, 0, 1);
      expect(r.value).toBeCloseTo(1 / (d + 1), 14);
      if (d <= 19) expect(r.evaluations).toBe(21);
      expect(r.converged).toBe(true);
    }
  });

  it('handles infinite ranges on either side and both', () => {
    const gauss = integrate((x) => Math.exp(-x * x), -Infinity, Infinity);
    expect(Math.abs(gauss.value - Math.sqrt(Math.PI))).toBeLessThan(1e-13);
    expect(gauss.converged).toBe(true);
    expect(integrate((x) => Math.exp(-x), 0, Infinity).value).toBeCloseTo(1, 14);
    expect(integrate((x) => Math.exp(x), -Infinity, 0).value).toBeCloseTo(1, 14);
    expect(integrate((x) => 1 / (1 + x * x), 1, Infinity).value).toBeCloseTo(Math.PI / 4, 12);
  });

  it('handles integrable endpoint singularities and reversed limits', () => {
    expect(integrate((x) => 1 / Math.sqrt(x), 0, 1).value).toBeCloseTo(2, 10);
    expect(integrate(Math.log, 0, 1).value).toBeCloseTo(-1, 11);
    expect(integrate((x) => x, 1, 0).value).toBeCloseTo(-0.5, 15);
    expect(integrate((x) => x, 2, 2)).toMatchObject({ value: 0, converged: true });
  });

  it('reports an error estimate that covers the true error, and non-convergence within a budget', () => {
    const r = integrate((x) => Math.sin(50 * x) ** 2, 0, 3, { absTol: 1e-10, relTol: 0 });
    const exact = 1.5 - Math.sin(300) / 200;
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(Math.max(r.errorEstimate, 1e-14));
    const tight = integrate((x) => Math.sin(50 * x) ** 2, 0, 3, { maxEvaluations: 50 });
    expect(tight.converged).toBe(false);
    expect(tight.evaluations).toBeLessThanOrEqual(50);
  });

  it('does not converge on a divergent integral (and says so)', () => {
    const r = integrate((x) => 1 / x, 1, Infinity, { maxEvaluations: 20_000 });
    expect(r.converged).toBe(false);
  });
});

describe('integrateAgainst (E[f] for a continuous family)', () => {
  it('E[x^2] under N(1, std 2) = 5 to 1e-10', () => {
    const c = fixture('normal x^2');
    const r = integrateAgainst((x) => x * x, uni(c.distribution));
    expect(Math.abs(r.value - c.exact)).toBeLessThan(1e-10);
    expect(r.truncatedMass).toBe(0);
    expect(r.errorEstimate).toBeLessThan(1e-10);
  });

  it('P(X > 1.96) = 0.0249979 to 1e-10 despite the jump', () => {
    const c = fixture('normal indicator');
    const r = integrateAgainst((x) => (x > 1.96 ? 1 : 0), uni(c.distribution));
    expect(Math.abs(r.value - c.exact)).toBeLessThan(1e-10);
    expect(c.exact).toBeCloseTo(0.0249979, 7);
  });

  it('E[exp(x)] under a normal = exp(mean + variance / 2) to 1e-10', () => {
    const c = fixture('normal exp');
    const r = integrateAgainst(Math.exp, uni(c.distribution));
    expect(Math.abs(r.value - c.exact)).toBeLessThan(1e-10);
  });

  it.skipIf(!hasFamily({ family: 'gamma', shape: 2, rate: 1 }))(
    'E[log x] under gamma(k, 1) = digamma(k)',
    () => {
      for (const name of ['gamma log k=0.5', 'gamma log k=2.5']) {
        const c = fixture(name);
        const r = integrateAgainst(Math.log, uni(c.distribution));
        expect(Math.abs(r.value - c.exact)).toBeLessThan(1e-9);
      }
    },
  );
});

describe('sumDiscrete', () => {
  it.skipIf(!hasFamily({ family: 'poisson', rate: 1 }))(
    'E[x] under poisson(3.5) = 3.5 by exact summation',
    () => {
      const c = fixture('poisson x');
      const r = sumDiscrete((k) => k, uni(c.distribution));
      expect(Math.abs(r.value - 3.5)).toBeLessThan(1e-13);
      expect(r.truncatedMass).toBeLessThan(1e-15);
      expect(r.lower).toBe(0);
      expect(r.converged).toBe(true);
      const sq = fixture('poisson x^2');
      expect(sumDiscrete((k) => k * k, uni(sq.distribution)).value).toBeCloseTo(sq.exact, 12);
    },
  );

  it.skipIf(!hasFamily({ family: 'binomial', n: 3, p: 0.5 }))('sums a finite support to its end', () => {
    const c = fixture('binomial x^3');
    const r = sumDiscrete((k) => k ** 3, uni(c.distribution), 0);
    expect(r.value).toBeCloseTo(c.exact, 12);
    expect(r.upper).toBe(10);
    expect(r.truncatedMass).toBe(0);
  });
});
