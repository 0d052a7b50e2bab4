import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import { expectClose, expectInvalid, fixture, univariate } from './discrete-helpers.js';

/*
 * Reference values: test/fixtures/discrete.json, from test/reference/discrete.py (mpmath at 60
 * digits, so exact to double precision; scipy for binomial n = 1e7).
 *
 * Tolerances:
 * - log mass: 1e-10 relative plus 1e-14 absolute (an absolute 1e-14 in the log is a relative 1e-14
 *   in the mass; it only matters where the log mass is ~0). Loader's saddle-point form is good to
 *   a few ulps, so this has a wide margin.
 * - cdf and sf: 1e-10 relative. They are tail sums of Loader masses (a few ulps per term, and ~9
 *   standard deviations of terms), or closed forms: ~1e-13 in practice.
 * - quantiles: exact (they are integers, the smallest k with cdf(k) >= p).
 * - mean and variance: 1e-12 relative (closed forms, one or two roundings).
 * - entropy: 1e-10 relative (exact sums, closed forms, or asymptotic series whose truncation error
 *   is below 1e-11: Poisson rate 1e6 and binomial n = 1e7).
 */
const { discrete } = fixture();

describe('discrete families against the mpmath/scipy reference', () => {
  for (const c of discrete) {
    describe(c.name, () => {
      const d = univariate(c.spec);

      it('is discrete and univariate', () => {
        expect(d.kind).toBe('discrete');
        expect(d.dim).toBe(1);
        expect(d.family).toBe(c.spec.family);
      });

      it('log mass at grid points (tails, non-integers and outside the support)', () => {
        c.points.forEach((x, i) => {
          expectClose(d.logPdf(x), c.logpmf[i]!, 1e-10, 1e-14, `logPdf(${x})`);
        });
      });

      it('cdf and sf, including far tails', () => {
        c.points.forEach((x, i) => {
          expectClose(d.cdf(x), c.cdf[i]!, 1e-10, 0, `cdf(${x})`);
          expectClose(d.sf(x), c.sf[i]!, 1e-10, 0, `sf(${x})`);
        });
      });

      it('quantile: the smallest integer with cdf >= p, also at 1e-12 and 1 - 1e-12', () => {
        c.p.forEach((p, i) => {
          expect(d.quantile(p), `quantile(${p})`).toBe(c.quantile[i]);
        });
      });

      it('mean, variance and entropy', () => {
        expectClose(d.mean(), c.mean, 1e-12, 0, 'mean');
        expectClose(d.variance(), c.variance, 1e-12, 0, 'variance');
        expectClose(d.entropy(), c.entropy, 1e-10, 1e-15, 'entropy');
      });

      it('canonical spec rebuilds the same distribution', () => {
        const again = univariate(d.spec);
        expect(again.spec).toEqual(d.spec);
        expect(again.logPdf(c.points[2]!)).toBe(d.logPdf(c.points[2]!));
      });
    });
  }
});

describe('discrete conventions', () => {
  it('quantile(0) is the bottom of the support and quantile(1) the top', () => {
    expect(univariate({ family: 'poisson', rate: 3 }).quantile(0)).toBe(0);
    expect(univariate({ family: 'poisson', rate: 3 }).quantile(1)).toBe(Infinity);
    expect(univariate({ family: 'geometric', p: 0.3 }).quantile(0)).toBe(1);
    expect(univariate({ family: 'binomial', n: 7, p: 0.3 }).quantile(1)).toBe(7);
    expect(univariate({ family: 'categorical', probs: [0.5, 0.5] }).quantile(1)).toBe(1);
    expect(univariate({ family: 'bernoulli', p: 0.5 }).quantile(Number.NaN)).toBeNaN();
    expect(univariate({ family: 'bernoulli', p: 0.5 }).quantile(1.5)).toBeNaN();
  });

  it('supports are integer intervals', () => {
    expect(univariate({ family: 'bernoulli', p: 0.5 }).support).toEqual({ lower: 0, upper: 1 });
    expect(univariate({ family: 'binomial', n: 12, p: 0.5 }).support).toEqual({ lower: 0, upper: 12 });
    expect(univariate({ family: 'poisson', rate: 2 }).support).toEqual({ lower: 0, upper: Infinity });
    expect(univariate({ family: 'geometric', p: 0.5 }).support).toEqual({ lower: 1, upper: Infinity });
    expect(univariate({ family: 'categorical', probs: [0.2, 0.8] }).support).toEqual({ lower: 0, upper: 1 });
  });

  it('quantile inverts the cdf on every integer of a moderate support', () => {
    for (const spec of [
      { family: 'binomial', n: 40, p: 0.35 },
      { family: 'poisson', rate: 17.5 },
      { family: 'geometric', p: 0.07 },
    ]) {
      const d = univariate(spec);
      for (let k = d.support.lower; k < d.support.lower + 60; k++) {
        const c = d.cdf(k);
        const s = d.sf(k);
        if (c >= 1 || s === 0) break;
        if (c <= 0.5) {
          // Below 1/2 the test is cdf(k) >= p: exact at p = cdf(k), and just above it moves to k + 1.
          expect(d.quantile(c), `${spec.family} quantile(cdf(${k}))`).toBe(k);
          expect(d.quantile(c * (1 + 1e-9)), `${spec.family} k = ${k}`).toBe(k + 1);
        } else if (s > 1e-8) {
          // Above 1/2 it is sf(k) <= 1 - p, so probe with p whose 1 - p brackets sf(k) (resolvable
          // while s 1e-6 is well above the spacing of doubles near 1).
          expect(d.quantile(1 - s * (1 + 1e-6)), `${spec.family} k = ${k}`).toBe(k);
          expect(d.quantile(1 - s * (1 - 1e-6)), `${spec.family} k = ${k}`).toBe(k + 1);
        }
      }
    }
  });

  it('cdf + sf = 1 and cdf(x) = cdf(floor x)', () => {
    for (const spec of [
      { family: 'binomial', n: 1000, p: 0.3 },
      { family: 'poisson', rate: 250 },
      { family: 'geometric', p: 0.01 },
      { family: 'bernoulli', p: 0.2 },
      { family: 'categorical', probs: [0.1, 0, 0.9] },
    ]) {
      const d = univariate(spec);
      for (const x of [0, 1, 2.5, 7.9, 100, 299.5, 300, 301, 1e4]) {
        expectClose(d.cdf(x) + d.sf(x), 1, 1e-14, 0, `${spec.family} cdf + sf at ${x}`);
        expect(d.cdf(x)).toBe(d.cdf(Math.floor(x)));
      }
    }
  });

  it('masses sum to 1', () => {
    for (const spec of [
      { family: 'binomial', n: 1000, p: 1e-4 },
      { family: 'binomial', n: 500, p: 0.5 },
      { family: 'poisson', rate: 40 },
    ]) {
      const d = univariate(spec);
      let s = 0;
      for (let k = 0; k <= 1000; k++) s += Math.exp(d.logPdf(k));
      expectClose(s, 1, 1e-13, 0, `${spec.family} total mass`);
    }
  });

  it('entropy of a huge Poisson uses the asymptotic series and is quick', () => {
    const t0 = performance.now();
    const h = univariate({ family: 'poisson', rate: 1e12 }).entropy();
    expect(performance.now() - t0).toBeLessThan(50);
    expectClose(h, 0.5 * Math.log(2 * Math.PI * Math.E * 1e12) - 1 / 12e12, 1e-15, 0, 'entropy');
    const b = univariate({ family: 'binomial', n: 1e15, p: 0.5 }).entropy();
    expectClose(b, 0.5 * Math.log(2 * Math.PI * Math.E * 2.5e14), 1e-15, 0, 'binomial entropy');
  });

  it('the Poisson entropy series and the exact sum agree where they meet (rate 1e4)', () => {
    const below = univariate({ family: 'poisson', rate: 1e4 }).entropy(); // summed
    const above = univariate({ family: 'poisson', rate: 1e4 * (1 + 1e-12) }).entropy(); // series
    expectClose(above, below, 1e-13, 0, 'entropy at the switch');
  });

  it('the binomial entropy expansion and the exact sum agree where they meet (n p q = 1e5)', () => {
    const n = 400_000;
    const p = 0.5;
    const below = univariate({ family: 'binomial', n, p }).entropy(); // n p q = 1e5: summed
    const above = univariate({ family: 'binomial', n: n + 1, p }).entropy(); // expansion
    // The two differ by the change in n (~ 1 / (2 n)) plus the expansion's O((npq)^-2) error.
    expectClose(above - below, 1 / (2 * n), 1e-5, 1e-12, 'entropy step at the switch');
  });

  it('degenerate laws: p = 0 and p = 1', () => {
    const b0 = univariate({ family: 'binomial', n: 5, p: 0 });
    expect(b0.logPdf(0)).toBe(0);
    expect(b0.logPdf(1)).toBe(-Infinity);
    expect(b0.quantile(0.7)).toBe(0);
    expect(b0.entropy()).toBe(0);
    const b1 = univariate({ family: 'binomial', n: 5, p: 1 });
    expect(b1.logPdf(5)).toBe(0);
    expect(b1.cdf(4)).toBe(0);
    expect(b1.quantile(0.3)).toBe(5);
    const be = univariate({ family: 'bernoulli', p: 0 });
    expect(be.logPdf(1)).toBe(-Infinity);
    expect(be.entropy()).toBe(0);
  });

  it('NaN in, NaN out', () => {
    for (const spec of [
      { family: 'bernoulli', p: 0.5 },
      { family: 'binomial', n: 5, p: 0.5 },
      { family: 'poisson', rate: 1 },
      { family: 'geometric', p: 0.5 },
      { family: 'categorical', probs: [1] },
    ]) {
      const d = univariate(spec);
      expect(d.logPdf(Number.NaN)).toBeNaN();
      expect(d.cdf(Number.NaN)).toBeNaN();
      expect(d.sf(Number.NaN)).toBeNaN();
    }
  });

  it('categorical normalises probabilities that sum to 1 within 1e-9', () => {
    const d = univariate({ family: 'categorical', probs: [0.3, 0.7 + 5e-10] });
    expectClose(Math.exp(d.logPdf(0)) + Math.exp(d.logPdf(1)), 1, 1e-15, 0, 'total mass');
    expect(d.spec).toEqual({ family: 'categorical', probs: [0.3, 0.7 + 5e-10] });
  });
});

describe('parameter validation', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ family: 'bernoulli', p: 1.5 }, 'p'],
    [{ family: 'bernoulli', p: -0.1 }, 'p'],
    [{ family: 'bernoulli' }, 'p'],
    [{ family: 'binomial', n: 2.5, p: 0.5 }, 'n'],
    [{ family: 'binomial', n: -1, p: 0.5 }, 'n'],
    [{ family: 'binomial', n: 10, p: 1.5 }, 'p'],
    [{ family: 'binomial', n: 2 ** 60, p: 0.5 }, 'n'],
    [{ family: 'poisson', rate: 0 }, 'rate'],
    [{ family: 'poisson', rate: -2 }, 'rate'],
    [{ family: 'poisson', rate: Infinity }, 'rate'],
    [{ family: 'geometric', p: 0 }, 'p'],
    [{ family: 'geometric', p: 1.5 }, 'p'],
    [{ family: 'categorical', probs: [0.3, 0.6] }, 'probs'],
    [{ family: 'categorical', probs: [0.5, -0.1, 0.6] }, 'probs.1'],
    [{ family: 'categorical', probs: [] }, 'probs'],
    [{ family: 'categorical', probs: [0.5, '0.5'] }, 'probs.1'],
    [{ family: 'categorical', probs: 'nope' }, 'probs'],
  ];
  for (const [spec, path] of cases) {
    it(`${JSON.stringify(spec)} is rejected at ${path}`, () => {
      expectInvalid(() => createDistribution(spec as { family: string }), path);
    });
  }

  it('messages name the rule', () => {
    expectInvalid(
      () => createDistribution({ family: 'categorical', probs: [0.3, 0.6] }),
      'probs',
      /sum to 1 within 1e-9/,
    );
    expectInvalid(() => createDistribution({ family: 'binomial', n: 2.5, p: 0.5 }), 'n', /integer/);
    expectInvalid(() => createDistribution({ family: 'geometric', p: 0 }), 'p', /\(0, 1\]/);
  });

  it('nested paths carry the prefix', () => {
    expectInvalid(() => createDistribution({ family: 'poisson', rate: -1 }, 'q'), 'q.rate');
  });
});
