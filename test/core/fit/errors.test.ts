import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { fromFloat64, fromJson, requireFinite } from '../../../src/core/fit/data.js';
import { fitFamily, fitRanking } from '../../../src/core/fit/index.js';
import { DF_MAX } from '../../../src/core/fit/numerical.js';
import type { FitOptions } from '../../../src/core/fit/types.js';
import { createRng } from '../../../src/core/rng/index.js';

const OPTS: FitOptions = { confidence: 0.95 };

function issue(fn: () => unknown): { path: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    const e = err as InvalidInputError;
    expect(e.issues.length).toBeGreaterThan(0);
    return e.issues[0]!;
  }
  throw new Error('expected an InvalidInputError');
}

const fitting =
  (family: string, data: number[] | number[][], opts: Partial<FitOptions> = {}) =>
  () =>
    fitFamily(family, fromJson(data), { ...OPTS, ...opts });

describe('bad data is a clear error naming the problem and the first offending index', () => {
  it.each([
    ['gamma', [1, 2, -3, -4], 'data.2', /> 0.*gamma.*-3/],
    ['beta', [0.2, 0.5, 1.5], 'data.2', /between 0 and 1.*1\.5/],
    ['poisson', [1, 2, 2.5, 3], 'data.2', /integer.*2\.5/],
    ['poisson', [1, -1], 'data.1', /integer >= 0/],
    ['exponential', [1, -0.5], 'data.1', />= 0/],
    ['lognormal', [1, 0], 'data.1', /> 0/],
    ['weibull', [1, 0, 2], 'data.1', /> 0/],
    ['bernoulli', [0, 1, 2], 'data.2', /0 or 1/],
    ['geometric', [1, 0], 'data.1', />= 1/],
    ['categorical', [0, 1, 3], 'data.2', /0\.\.1 \(categories = 2\)/],
  ] as const)('%s %j -> %s', (family, data, path, message) => {
    const i = issue(fitting(family, [...data], family === 'categorical' ? { categories: 2 } : {}));
    expect(i.path).toBe(path);
    expect(i.message).toMatch(message);
  });

  it('binomial: values above the known trials; without trials, non-integer counts', () => {
    expect(issue(fitting('binomial', [1, 2, 11], { trials: 10 })).path).toBe('data.2');
    expect(issue(fitting('binomial', [1, 2.5])).path).toBe('data.1');
    expect(issue(fitting('binomial', [1, -2])).path).toBe('data.1');
  });

  it('a fit whose parameters overflow double precision (exponential of subnormal data) is a 400', () => {
    const i = issue(fitting('exponential', [5e-324, 5e-324]));
    expect(i.path).toBe('data');
    expect(i.message).toMatch(/rate = Infinity outside double precision/);
  });

  it('empty data and too few points', () => {
    expect(issue(fitting('normal', [])).message).toMatch(/empty/);
    expect(issue(fitting('normal', [1])).message).toMatch(/at least 2 points.*got 1/);
    expect(issue(fitting('student_t', [1, 2])).message).toMatch(/at least 3/);
    expect(
      issue(
        fitting('multivariate_normal', [
          [1, 2],
          [3, 4],
        ]),
      ).message,
    ).toMatch(/at least 3 points/);
  });

  it.each(['normal', 'lognormal', 'gamma', 'weibull', 'laplace', 'cauchy', 'student_t', 'uniform'])(
    'constant data for %s: the scale would not be positive',
    (family) => {
      const i = issue(fitting(family, [2, 2, 2, 2]));
      expect(i.path).toBe('data');
      expect(i.message).toMatch(/all 4 values are equal/);
    },
  );

  it('all-zero data where the rate must be positive', () => {
    expect(issue(fitting('poisson', [0, 0, 0])).message).toMatch(/rate .* would be 0/);
    expect(issue(fitting('exponential', [0, 0])).message).toMatch(/infinite/);
  });

  it('multivariate shapes', () => {
    expect(
      issue(
        fitting('normal', [
          [1, 2],
          [3, 4],
        ]),
      ).message,
    ).toMatch(/list of numbers/);
    expect(issue(fitting('multivariate_normal', [1, 2, 3])).message).toMatch(/rows/);
    const singular = issue(
      fitting('multivariate_normal', [
        [1, 2],
        [2, 4],
        [3, 6],
        [4, 8.000000000001],
      ]),
    );
    expect(singular.message).toMatch(/singular/);
    const off = issue(
      fitting('dirichlet', [
        [0.2, 0.8],
        [0.5, 0.6],
      ]),
    );
    expect(off.path).toBe('data.1');
    expect(off.message).toMatch(/sum to 1/);
    expect(
      issue(
        fitting('dirichlet', [
          [0.2, 0.8],
          [0, 1],
        ]),
      ).path,
    ).toBe('data.1.0');
  });

  it('rows and numbers mixed, non-finite values, ragged rows', () => {
    expect(() => fromJson([1, null])).toThrow(/data\.1: must be a finite number \(got null\)/);
    expect(() => fromJson([1, Infinity])).toThrow(/data\.1/);
    expect(() => fromJson([[1, 2], [3]])).toThrow(/data\.1: must have 2 numbers/);
    expect(() =>
      fromJson([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(/data\.1\.1/);
  });

  it('binary data: length not a multiple of 8, NaN at an index', () => {
    expect(() => fromFloat64(new Uint8Array(12), 1)).toThrow(/whole number of float64/);
    const bad = new Float64Array([1, 2, Number.NaN, 4]);
    const unchecked = fromFloat64(new Uint8Array(bad.buffer), 1);
    expect(() => requireFinite(unchecked)).toThrow(/data\.2: must be a finite number \(got NaN\)/);
    // Every family finds it: the normal fit from its sums, the others by the check before fitting.
    for (const family of ['normal', 'gamma', 'laplace', 'mixture'])
      expect(() =>
        fitFamily(family, fromFloat64(new Uint8Array(bad.buffer), 1), { ...OPTS, components: 1 }),
      ).toThrow(/data\.2: must be a finite number/);
    const inf = new Float64Array([1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(() => fitFamily('normal', fromFloat64(new Uint8Array(inf.buffer), 1), OPTS)).toThrow(/data\.1/);
    const huge = new Float64Array([1e308, 1.5e308, -1e308]);
    expect(() => fitFamily('normal', fromFloat64(new Uint8Array(huge.buffer), 1), OPTS)).toThrow(/overflow/);
    expect(() => fromFloat64(new Uint8Array(new Float64Array([1, 2, 3]).buffer), 2)).toThrow(
      /multiple of dim/,
    );
    // An unaligned view is copied, not misread.
    const buf = new Uint8Array(8 * 3 + 1);
    buf.set(new Uint8Array(new Float64Array([1.5, -2, 3]).buffer), 1);
    expect(Array.from(fromFloat64(buf.subarray(1), 1).values)).toEqual([1.5, -2, 3]);
  });

  it('mixture: too few points for the components asked for', () => {
    const i = issue(fitting('mixture', [1, 2, 3, 4, 5, 6], { components: 4 }));
    expect(i.path).toBe('data');
  });
});

describe('ranking by AIC', () => {
  it('excludes families the data cannot come from, and refuses to mix discrete and continuous', () => {
    const data = fromJson([0.5, 1.2, 2.3, 0.8, 3.1, 1.7, 0.9, 2.2]);
    const r = fitRanking(['gamma', 'beta', 'lognormal', 'normal'], data, OPTS);
    expect(r.ranking.map((x) => x.family).sort()).toEqual(['gamma', 'lognormal', 'normal']);
    expect(r.excluded).toEqual([
      { family: 'beta', reason: expect.stringMatching(/data\.1.*between 0 and 1/) },
    ]);
    expect(r.best).toBe(r.ranking[0]!.family);
    for (let i = 1; i < r.ranking.length; i++)
      expect(r.ranking[i]!.aic).toBeGreaterThanOrEqual(r.ranking[i - 1]!.aic);
    expect(r.ranking.reduce((s, x) => s + x.akaikeWeight, 0)).toBeCloseTo(1, 12);
    expect(r.ranking[0]!.deltaAic).toBe(0);
    expect(issue(() => fitRanking(['poisson', 'gamma'], data, OPTS)).message).toMatch(
      /discrete and continuous/,
    );
    expect(() => fitRanking(['beta', 'gamma'], fromJson([-1.5, 2.5]), OPTS)).toThrow(
      /no family in the list fits/,
    );
  });
});

describe('non-convergence is reported, not hidden', () => {
  it('a Newton fit cut short says converged: false with a note', () => {
    const data = fromJson([0.3, -1.2, 2.5, 0.1, 4.2, -0.7, 1.1, 9.5, -3.3, 0.4]);
    const r = fitFamily('student_t', data, { ...OPTS, maxIterations: 1 });
    expect(r.converged).toBe(false);
    expect(r.notes!.join(' ')).toMatch(/not converged/);
    const full = fitFamily('student_t', data, OPTS);
    expect(full.converged).toBe(true);
    expect(full.logLikelihood).toBeGreaterThan(r.logLikelihood);
  });
});

describe('boundary estimates', () => {
  it('student_t on normal data: df goes to its cap, said in a note, with no standard error', () => {
    const rng = createRng(3);
    const values = new Float64Array(5000);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal();
    const r = fitFamily('student_t', { values, n: values.length, dim: 1, rows: false }, OPTS);
    expect(r.converged).toBe(true);
    expect((r.distribution as unknown as { df: number }).df).toBe(DF_MAX);
    expect(r.notes!.join(' ')).toMatch(/consistent with a normal distribution/);
    expect(r.standardErrors.df).toBeNaN();
    expect(r.standardErrors.scale).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThan(50);
  });

  it('bernoulli with all zeros: p = 0, exact Clopper-Pearson upper bound', () => {
    const r = fitFamily('bernoulli', fromJson([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), OPTS);
    expect((r.distribution as unknown as { p: number }).p).toBe(0);
    expect(r.standardErrors.p).toBe(0);
    expect(r.confidenceIntervals.p!.low).toBe(0);
    expect(r.confidenceIntervals.p!.high).toBeCloseTo(1 - 0.025 ** (1 / 10), 12);
    expect(r.logLikelihood).toBe(0);
  });
});
