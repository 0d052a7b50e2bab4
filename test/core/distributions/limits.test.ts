/**
 * Parameters past which the special functions would be too slow or inexact, and sizes past which an
 * answer would be too large, are a clear 400 naming the field and the bound.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BETA_PARAMETER } from '../../../src/core/distributions/beta.js';
import { MAX_DIRICHLET_K } from '../../../src/core/distributions/dirichlet.js';
import { MAX_GAMMA_SHAPE } from '../../../src/core/distributions/gamma.js';
import { MAX_POISSON_RATE } from '../../../src/core/distributions/poisson.js';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { fromFloat64, fromJson, MAX_FIT_DIMENSION } from '../../../src/core/fit/data.js';

function issue(fn: () => unknown): { path: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as InvalidInputError).issues[0]!;
  }
  throw new Error('expected an InvalidInputError');
}

const make = (spec: DistributionSpec) => () => createDistribution(spec);

describe('parameter bounds', () => {
  it.each([
    [{ family: 'gamma', shape: MAX_GAMMA_SHAPE * 10, rate: 1 }, 'shape'],
    [{ family: 'poisson', rate: MAX_POISSON_RATE * 10 }, 'rate'],
    [{ family: 'beta', alpha: MAX_BETA_PARAMETER * 10, beta: 1 }, 'alpha'],
    [{ family: 'beta', alpha: 1, beta: MAX_BETA_PARAMETER * 10 }, 'beta'],
  ] as [DistributionSpec, string][])('%j is a 400 on %s naming the bound', (spec, path) => {
    const i = issue(make(spec));
    expect(i.path).toBe(path);
    expect(i.message).toMatch(/must be at most 1e\d+/);
  });

  it('the bounds themselves are accepted and still invert their cdf (a hang would hit the test timeout)', () => {
    for (const spec of [
      { family: 'gamma', shape: MAX_GAMMA_SHAPE, rate: 1 },
      { family: 'poisson', rate: MAX_POISSON_RATE },
      { family: 'beta', alpha: MAX_BETA_PARAMETER, beta: MAX_BETA_PARAMETER },
    ]) {
      const d = createDistribution(spec) as ReturnType<typeof createDistribution> & {
        quantile(p: number): number;
        cdf(x: number): number;
      };
      const q = d.quantile(0.3);
      expect(Math.abs(d.cdf(q) - 0.3)).toBeLessThan(1e-6);
    }
  });

  it(`a Dirichlet of more than ${MAX_DIRICHLET_K} entries`, () => {
    const i = issue(make({ family: 'dirichlet', alpha: Array(MAX_DIRICHLET_K + 1).fill(0.5) }));
    expect(i.path).toBe('alpha');
    expect(i.message).toMatch(/at most 1000 entries/);
  });

  it(`fit data of more than ${MAX_FIT_DIMENSION} dimensions, JSON rows and binary`, () => {
    const row = Array(MAX_FIT_DIMENSION + 1).fill(1);
    expect(issue(() => fromJson([row, row])).path).toBe('data.0');
    const bytes = new Uint8Array(new Float64Array((MAX_FIT_DIMENSION + 1) * 2).buffer);
    expect(issue(() => fromFloat64(bytes, MAX_FIT_DIMENSION + 1)).path).toBe('dim');
  });
});

describe('student_t with a huge df', () => {
  // scipy.stats.t(df).ppf(p), scipy 1.x: the quantile was 0 here before (the inverse incomplete beta
  // loses t entirely past df ~1e15).
  it.each([
    [1e10, 0.3, -0.5244005127247564],
    [1.1e10, 1e-10, -6.3613409083991375],
    [1e12, 0.999, 3.0902323061759636],
    [1e16, 0.3, -0.5244005127080409],
    [1e300, 1e-10, -6.361340902404057],
  ])('df %d: quantile(%d) = %d', (df, p, expected) => {
    const d = createDistribution({ family: 'student_t', df }) as ReturnType<typeof createDistribution> & {
      quantile(p: number): number;
    };
    expect(Math.abs(d.quantile(p) - expected)).toBeLessThan(1e-14 * Math.abs(expected));
  });
});
