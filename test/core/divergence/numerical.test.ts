/**
 * Quadrature (continuous) and summation (discrete) against the references of test/reference/kl.py,
 * for every fixture pair, with or without a closed form: within the error estimate (plus the
 * reference's own).
 */
import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec, UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { summedJs, summedKl } from '../../../src/core/divergence/discrete.js';
import { planKl } from '../../../src/core/divergence/kl.js';
import { quadratureJs, quadratureKl } from '../../../src/core/divergence/quadrature.js';
import { close, fixture, label, num } from './fixture.js';

const uni = (s: DistributionSpec) => createDistribution(s) as UnivariateDistribution;

describe('quadrature KL(p || q) for univariate continuous pairs', () => {
  it.each(fixture.continuous.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const r = quadratureKl(uni(c.p), uni(c.q));
    const expected = num(c.value);
    // The error estimate, or 1e-9 relative: the reference integrals carry their own rounding.
    const tol = Math.max(2 * r.errorEstimate, 1e-9 * Math.abs(expected), 1e-13);
    const a = close(r.value, expected, 0, tol);
    expect(a.ok, `${a.msg}; errorEstimate ${r.errorEstimate}`).toBe(true);
    expect(r.errorEstimate).toBeLessThan(Math.max(1e-7, 1e-7 * Math.abs(expected)));
  });
});

describe('quadrature Jensen-Shannon', () => {
  it.each(fixture.jensenShannon.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const r = quadratureJs(uni(c.p), uni(c.q));
    const expected = num(c.value);
    const a = close(r.value, expected, 0, Math.max(2 * r.errorEstimate, 1e-10 * expected, 1e-13));
    expect(a.ok, a.msg).toBe(true);
    expect(r.value).toBeLessThanOrEqual(Math.LN2);
  });

  it('disjoint supports give log 2; two normals far apart give log 2', () => {
    const a = quadratureJs(
      uni({ family: 'uniform', low: 0, high: 1 }),
      uni({ family: 'uniform', low: 2, high: 3 }),
    );
    expect(a.value).toBeCloseTo(Math.LN2, 14);
    const b = quadratureJs(
      uni({ family: 'normal', mean: 0, std: 1 }),
      uni({ family: 'normal', mean: 1e4, std: 1 }),
    );
    expect(b.value).toBeCloseTo(Math.LN2, 11);
  });
});

describe('far-apart and extreme distributions: no overflow, no NaN', () => {
  it('N(0, 1) against N(1e4, 1): KL = 5e7 by quadrature and closed form', () => {
    const p = uni({ family: 'normal', mean: 0, std: 1 });
    const q = uni({ family: 'normal', mean: 1e4, std: 1 });
    const r = quadratureKl(p, q);
    expect(r.value / 5e7 - 1).toBeLessThan(1e-10);
    expect(planKl({ p: p.spec, q: q.spec }).forward?.value).toBe(5e7);
  });

  it('a narrow peak far from the origin is not stepped over', () => {
    // At 1e6 the doubles are 1.2e-10 apart: a std of 1e-3 is resolved to 1e-7 relative, which bounds
    // what any quadrature in x can do here (the closed form has no such limit).
    const p = uni({ family: 'normal', mean: 1e6, std: 1e-3 });
    const q = uni({ family: 'normal', mean: 1e6 + 0.01, std: 2e-3 });
    const r = quadratureKl(p, q);
    const exact = planKl({ p: p.spec, q: q.spec }).forward!.value;
    expect(Math.abs(r.value - exact)).toBeLessThan(1e-6 * exact);
  });

  it('gamma and beta with singular densities at the ends (integrated in log space)', () => {
    for (const [p, q] of [
      [
        { family: 'gamma', shape: 0.05, rate: 1 },
        { family: 'gamma', shape: 0.1, rate: 2 },
      ],
      [
        { family: 'beta', alpha: 0.2, beta: 3 },
        { family: 'beta', alpha: 0.5, beta: 2 },
      ],
    ] as DistributionSpec[][]) {
      const r = quadratureKl(uni(p!), uni(q!));
      const exact = planKl({ p: p!, q: q! }).forward!.value;
      expect(Math.abs(r.value - exact), label(p, q)).toBeLessThan(
        Math.max(1e-9 * exact, 2 * r.errorEstimate),
      );
    }
  });
});

describe('discrete KL by exact summation', () => {
  it.each(fixture.discrete.map((c) => [label(c.p, c.q), c] as const))('%s', (_name, c) => {
    const plan = planKl({ p: c.p, q: c.q, method: 'quadrature' });
    const f = plan.forward!;
    const expected = num(c.value);
    if (expected === Infinity) {
      expect(f.value).toBe(Infinity);
      expect(f.note).toContain(`outcome ${c.firstOutcome}`);
    } else {
      const a = close(f.value, expected, 1e-12, 1e-15);
      expect(a.ok, a.msg).toBe(true);
    }
    // The summation itself (no support shortcut) agrees too.
    const p = Array.isArray(c.p) ? uni({ family: 'categorical', probs: c.p }) : uni(c.p);
    const q = Array.isArray(c.q) ? uni({ family: 'categorical', probs: c.q }) : uni(c.q);
    const s = summedKl(p, q);
    if (expected === Infinity) expect(s.value).toBe(Infinity);
    else expect(close(s.value, expected, 1e-12, 1e-15).ok).toBe(true);
  });

  it.each(fixture.jensenShannonDiscrete.map((c) => [label(c.p, c.q), c] as const))('JS %s', (_name, c) => {
    const p = Array.isArray(c.p) ? uni({ family: 'categorical', probs: c.p }) : uni(c.p);
    const q = Array.isArray(c.q) ? uni({ family: 'categorical', probs: c.q }) : uni(c.q);
    const a = close(summedJs(p, q).value, num(c.value), 1e-12, 1e-15);
    expect(a.ok, a.msg).toBe(true);
  });
});
