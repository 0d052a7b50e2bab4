import { describe, expect, it } from 'vitest';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';
import { createRng } from '../../../src/core/rng/index.js';
import { chiSquareGof, drawMany, expectMomentsWithin5Se, univariate } from './discrete-helpers.js';

/*
 * Samplers, at fixed seeds, 1e5 draws each: Pearson's chi-square goodness of fit against the exact
 * masses (cells with expected count < 5 pooled; critical value the chi-square 0.999 quantile, so a
 * correct sampler fails about one seed in a thousand, and these seeds are fixed), and the sample
 * mean and variance within 5 standard errors. The parameter sets cover every code path: binomial
 * inversion (n min(p, q) < 30, also just below the switch and with p > 1/2 reflected) and BTRS
 * (just above the switch and at n = 1e7), Poisson inversion (rate < 10) and PTRS (10 and up),
 * geometric inversion at small and large p, and the categorical alias table with zero cells.
 */
const N = 100_000;

const SPECS: DistributionSpec[] = [
  { family: 'bernoulli', p: 0.3 },
  { family: 'bernoulli', p: 0.999 },
  { family: 'binomial', n: 10, p: 0.3 },
  { family: 'binomial', n: 1000, p: 1e-4 },
  { family: 'binomial', n: 100, p: 0.99 },
  { family: 'binomial', n: 99, p: 0.3 }, // n p = 29.7: inversion
  { family: 'binomial', n: 101, p: 0.3 }, // n p = 30.3: BTRS
  { family: 'binomial', n: 1000, p: 0.3 },
  { family: 'binomial', n: 1000, p: 0.8 }, // BTRS, reflected
  { family: 'binomial', n: 10_000_000, p: 0.3 },
  { family: 'poisson', rate: 0.1 },
  { family: 'poisson', rate: 3.5 },
  { family: 'poisson', rate: 9.99 },
  { family: 'poisson', rate: 10 },
  { family: 'poisson', rate: 1000 },
  { family: 'poisson', rate: 1e6 },
  { family: 'geometric', p: 0.01 },
  { family: 'geometric', p: 0.5 },
  { family: 'geometric', p: 1 },
  { family: 'categorical', probs: [0.1, 0.2, 0.3, 0.4] },
  { family: 'categorical', probs: [0, 0.25, 0, 0, 0.75, 0] },
  { family: 'categorical', probs: Array.from({ length: 50 }, (_, i) => (i + 1) / 1275) },
];

describe('discrete samplers', () => {
  SPECS.forEach((spec, idx) => {
    const name = JSON.stringify(spec).slice(0, 80);
    it(`${name}: chi-square fit, moments, support`, () => {
      const d = univariate(spec);
      const draws = drawMany(d, createRng(1000 + idx), N);
      for (const x of draws) {
        if (!(Number.isInteger(x) && d.logPdf(x) > -Infinity)) expect.fail(`draw ${x} has zero mass`);
      }
      const { stat, df, critical } = chiSquareGof(d, draws);
      if (d.variance() > 0) {
        expect(
          stat,
          `chi-square ${stat.toFixed(1)} on ${df} df (critical ${critical.toFixed(1)})`,
        ).toBeLessThan(critical);
      }
      expectMomentsWithin5Se(d, draws, name);
    });
  });

  it('sampleInto gives the same stream as repeated sample()', () => {
    for (const spec of SPECS) {
      const d = univariate(spec);
      const a = new Float64Array(500);
      d.sampleInto(createRng(5), a);
      const b = drawMany(d, createRng(5), 500);
      expect(a, JSON.stringify(spec)).toEqual(b);
    }
  });

  it('same seed: bit-identical draws; another seed: different draws', () => {
    for (const spec of SPECS) {
      const d = univariate(spec);
      const a = new Float64Array(2000);
      const b = new Float64Array(2000);
      const c = new Float64Array(2000);
      d.sampleInto(createRng('seed-a'), a);
      d.sampleInto(createRng('seed-a'), b);
      d.sampleInto(createRng('seed-b'), c);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), JSON.stringify(spec)).toBe(true);
      if (d.variance() > 0.01) expect(a, JSON.stringify(spec)).not.toEqual(c);
    }
  });

  it('a rebuilt distribution samples the same numbers (nothing hidden in the instance)', () => {
    const spec = { family: 'binomial', n: 5000, p: 0.4 };
    const a = drawMany(univariate(spec), createRng(9), 1000);
    const d = univariate(spec);
    drawMany(d, createRng(1), 1000); // use the instance first
    expect(drawMany(d, createRng(9), 1000)).toEqual(a);
  });

  it('zero-probability categories are never drawn', () => {
    const d = univariate({ family: 'categorical', probs: [0, 0.5, 0, 0.5, 0] });
    const draws = drawMany(d, createRng(3), 20_000);
    const bad = draws.filter((x) => x !== 1 && x !== 3);
    expect(bad.length).toBe(0);
  });

  it('large-n binomial and large-rate Poisson draws are fast (no O(n) work per draw)', () => {
    const b = univariate({ family: 'binomial', n: 1e12, p: 0.4 });
    const p = univariate({ family: 'poisson', rate: 1e12 });
    const t0 = performance.now();
    const xs = drawMany(b, createRng(1), 20_000);
    const ys = drawMany(p, createRng(2), 20_000);
    expect(performance.now() - t0).toBeLessThan(1000);
    expectMomentsWithin5Se(b, xs, 'binomial n = 1e12');
    expectMomentsWithin5Se(p, ys, 'poisson rate = 1e12');
  });
});
