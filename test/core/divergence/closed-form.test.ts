/**
 * Every closed form against numerical integration: test/fixtures/kl.json (test/reference/kl.py)
 * holds, for each pair, scipy.integrate.quad and an mpmath integral at 30 digits (and for the
 * multivariate pairs the mpmath closed form, checked there against scipy's dblquad).
 */
import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';
import {
  closedFormKl,
  closedFormPairs,
  hasClosedFormPair,
} from '../../../src/core/divergence/closed-form.js';
import { planKl } from '../../../src/core/divergence/kl.js';
import { close, fixture, label, num } from './fixture.js';

const dist = (s: DistributionSpec) => createDistribution(s);

describe('closed forms against numerical integration (scipy quad, mpmath quad)', () => {
  const withForm = fixture.continuous.filter((c) => hasClosedFormPair(c.p.family, c.q.family));

  it('covers every registered univariate continuous pair with several parameter pairs', () => {
    const covered = new Set([...withForm, ...fixture.infinite].map((c) => `${c.p.family} || ${c.q.family}`));
    const continuousPairs = closedFormPairs().filter(
      (k) => !/multivariate|dirichlet|bernoulli|binomial|poisson|geometric|categorical/.test(k),
    );
    for (const pair of continuousPairs) expect(covered, pair).toContain(pair);
    expect(withForm.length).toBeGreaterThan(80);
  });

  it.each(withForm.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const cf = closedFormKl(dist(c.p), dist(c.q));
    expect(cf).toBeDefined();
    const value = cf!.value;
    // mpmath's 30-digit integral: 1e-9 relative (1e-15 absolute for values near 0).
    const a = close(value, num(c.value), 1e-9, 1e-15);
    expect(a.ok, a.msg).toBe(true);
    // scipy's quad: within its own error estimate, or 1e-9 relative (where scipy can resolve the pair).
    if (c.scipy.agrees) {
      const b = close(value, num(c.scipy.value), 1e-9, Math.max(2 * num(c.scipy.error), 1e-15));
      expect(b.ok, `scipy: ${b.msg}`).toBe(true);
    }
  });
});

describe('closed forms never round below 0', () => {
  // Found by fast-check: shapes 1 ulp-ish apart cancel to -4.7e-17 in the Weibull shape term.
  it.each([
    [
      { family: 'weibull', shape: 0.6000000000000019, scale: 0.2 },
      { family: 'weibull', shape: 0.6000000000000003, scale: 0.2 },
    ],
    [
      { family: 'gamma', shape: 3.0000000000000004, rate: 2 },
      { family: 'gamma', shape: 3, rate: 2.0000000000000004 },
    ],
    [
      { family: 'normal', mean: 0.1 + 0.2, std: 1 },
      { family: 'normal', mean: 0.3, std: 1 },
    ],
  ] as DistributionSpec[][])('%o', (p, q) => {
    const v = closedFormKl(dist(p!), dist(q!))!.value;
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1e-15);
  });
});

describe('closed forms: Infinity where the support of p is not inside that of q, or the integral diverges', () => {
  it.each(fixture.infinite.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const plan = planKl({ p: c.p, q: c.q });
    expect(plan.forward?.value).toBe(Infinity);
    expect(plan.forward?.method).toBe('closed_form');
    expect(plan.forward?.note).toBeTypeOf('string');
    if (c.why === 'support') expect(plan.forward?.note).toMatch(/support of p is not inside that of q/);
    else expect(plan.forward?.note).toMatch(/diverges/);
  });
});

describe('multivariate normal and Dirichlet closed forms', () => {
  it.each(fixture.multivariate.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const cf = closedFormKl(dist(c.p), dist(c.q));
    const a = close(cf!.value, num(c.value), 1e-9, 1e-15);
    expect(a.ok, a.msg).toBe(true);
    if (c.scipy !== undefined) {
      // dblquad on a box is good to ~1e-9; the script checked it against the mpmath closed form.
      const b = close(cf!.value, c.scipy.value, 1e-7, Math.max(3 * c.scipy.error, 1e-9));
      expect(b.ok, `scipy: ${b.msg}`).toBe(true);
    }
  });

  it('a 100-dimensional pair: equal covariances and shifted means give |L^-1 d|^2 / 2', () => {
    const d = 100;
    const cov = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (i === j ? 2 : 0.5 * 0.9 ** Math.abs(i - j))),
    );
    const mean = Array.from({ length: d }, () => 0);
    const shifted = mean.map((_, i) => (i === 0 ? 1 : 0));
    const p = dist({ family: 'multivariate_normal', mean, cov });
    const q = dist({ family: 'multivariate_normal', mean: shifted, cov });
    const v = closedFormKl(p, q)!.value;
    // (e_1^T S^-1 e_1) / 2 = (S^-1)_00 / 2; symmetric in p and q.
    expect(v).toBeCloseTo(closedFormKl(q, p)!.value, 12);
    expect(v).toBeGreaterThan(0);
    expect(closedFormKl(p, p)!.value).toBeLessThan(1e-12);
  });
});

describe('discrete closed forms and exact sums', () => {
  const cases = fixture.discrete.filter(
    (c) =>
      !Array.isArray(c.p) &&
      hasClosedFormPair((c.p as DistributionSpec).family, (c.q as DistributionSpec).family),
  );
  it.each(cases.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const cf = closedFormKl(dist(c.p as DistributionSpec), dist(c.q as DistributionSpec));
    if (cf === undefined) {
      // binomial with different n: summed, not a closed form
      expect((c.p as DistributionSpec).n).not.toBe((c.q as DistributionSpec).n);
      return;
    }
    const expected = num(c.value);
    if (expected === Infinity) {
      expect(cf.value).toBe(Infinity);
      expect(cf.note).toContain(`outcome ${c.firstOutcome}`);
    } else {
      const a = close(cf.value, expected, 1e-9, 1e-15);
      expect(a.ok, a.msg).toBe(true);
    }
  });
});
