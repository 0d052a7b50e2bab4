import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { riemannRange, riemannTruncation } from '../../../src/core/estimators/deterministic.js';
import {
  chunkCount,
  type ExpectationAnswer,
  type ExpectationRequest,
  estimateWork,
  expectationChunks,
  foldChunks,
  heavyTailShare,
  MC_CHUNK_SIZE,
  type Method,
  QMC_REPLICATES,
  runExpectation,
  summarizeMonteCarlo,
} from '../../../src/core/estimators/expectation.js';
import { analyzeGrowth, compileExpression } from '../../../src/core/expressions/index.js';
import { type Case, fixture, hasFamily } from './fixtures.js';

const run = (c: Case, method: Method, extra: Partial<ExpectationRequest> = {}) =>
  runExpectation({ distribution: c.distribution, f: c.f, method, seed: 2024, ...extra });

const withoutTime = ({ elapsedMs: _, ...rest }: ExpectationAnswer) => rest;

/** A Monte Carlo answer: within 4 standard errors, and its standard error close to sqrt(Var f / n). */
function expectMonteCarlo(a: ExpectationAnswer, c: Case, seFactor = 1) {
  expect(a.stdError).toBeGreaterThan(0);
  expect(Math.abs(a.estimate - c.exact)).toBeLessThan(4 * a.stdError!);
  expect(a.ci!.low).toBeLessThan(a.estimate);
  expect(a.ci!.high).toBeGreaterThan(a.estimate);
  if (c.varF !== undefined && seFactor === 1) {
    const exactSe = Math.sqrt(c.varF / a.n);
    expect(a.stdError! / exactSe).toBeGreaterThan(0.9);
    expect(a.stdError! / exactSe).toBeLessThan(1.1);
  }
  expect(a.nonFinite).toBe(0);
  expect(a.warnings).toEqual([]);
}

const NORMAL_CASES = ['normal x^2', 'normal indicator', 'normal exp', 'normal x^2+sin', 'normal sin'];

describe('monte_carlo', () => {
  it.each(NORMAL_CASES)('%s: within 4 standard errors, standard error = sqrt(Var f / n)', (name) => {
    const c = fixture(name);
    const a = run(c, 'monte_carlo');
    expect(a.n).toBe(100_000);
    expect(a.evaluations).toBe(100_000);
    expect(a.seed).toBe(2024);
    expect(a.ci!.level).toBe(0.95);
    expectMonteCarlo(a, c);
  });

  it('the interval has the requested level', () => {
    const c = fixture('normal x^2');
    const a95 = run(c, 'monte_carlo', { n: 5000 });
    const a99 = run(c, 'monte_carlo', { n: 5000, confidence: 0.99 });
    const w = (a: ExpectationAnswer) => a.ci!.high - a.ci!.low;
    expect(w(a95) / (2 * a95.stdError!)).toBeCloseTo(1.959964, 5);
    expect(w(a99) / (2 * a99.stdError!)).toBeCloseTo(2.575829, 5);
  });

  it('calibration: over 200 fixed seeds the 95% interval covers the truth 90%-99% of the time', () => {
    const c = fixture('normal x^2');
    let covered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const a = runExpectation({
        distribution: c.distribution,
        f: c.f,
        method: 'monte_carlo',
        n: 2000,
        seed,
      });
      if (a.ci!.low <= c.exact && c.exact <= a.ci!.high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
  });

  it('same seed, same answer, bit for bit; another seed, another answer', () => {
    const c = fixture('normal exp');
    const a = run(c, 'monte_carlo', { n: 150_000 });
    const b = run(c, 'monte_carlo', { n: 150_000 });
    expect(withoutTime(a)).toEqual(withoutTime(b));
    expect(Object.is(a.estimate, b.estimate)).toBe(true);
    expect(run(c, 'monte_carlo', { n: 150_000, seed: 'other' }).estimate).not.toBe(a.estimate);
  });

  it('chunks folded in order give the synchronous answer bit for bit, however they are batched', () => {
    const c = fixture('normal x^2+sin');
    for (const method of ['monte_carlo', 'antithetic', 'quasi_monte_carlo'] as const) {
      const n = method === 'quasi_monte_carlo' ? 3 * 1024 + 5 : 2 * MC_CHUNK_SIZE + 12_345; // partial last chunk
      const spec = { distribution: c.distribution, f: c.f, method, seed: 99, confidence: 0.9 };
      const sync = runExpectation({ ...spec, n });
      const count = chunkCount(method, n);
      expect(count).toBe(method === 'quasi_monte_carlo' ? QMC_REPLICATES : 3);
      const whole = expectationChunks(spec, 0, count, n);
      const pieces = [
        ...expectationChunks(spec, 0, 1, n),
        ...expectationChunks(spec, 1, 1, n),
        ...expectationChunks(spec, 2, count, n),
      ];
      expect(pieces).toEqual(whole);
      const job = summarizeMonteCarlo(spec, foldChunks(pieces), { elapsedMs: 0, requestedN: n });
      expect(withoutTime(job)).toEqual(withoutTime(sync));
    }
  });

  it('with a tolerance, stops at the first chunk whose standard error is below it', () => {
    const c = fixture('normal x^2');
    const a = run(c, 'monte_carlo', { tolerance: 0.02 });
    // Var f = 48: se < 0.02 needs n > 120,000, so 2 chunks of 65,536.
    expect(a.n).toBe(2 * MC_CHUNK_SIZE);
    expect(a.stoppedEarly).toBe(true);
    expect(a.stdError).toBeLessThan(0.02);
    expect(a.tolerance).toBe(0.02);
    const capped = run(c, 'monte_carlo', { tolerance: 0.001, n: 70_000 });
    expect(capped.n).toBe(70_000);
    expect(capped.stoppedEarly).toBe(false);
    expect(capped.warnings.join(' ')).toMatch(/still above the tolerance/);
  });

  it('counts the draws where f is not finite and says so (never a silent NaN)', () => {
    const a = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: 'log(x)',
      method: 'monte_carlo',
      n: 20_000,
      seed: 5,
    });
    expect(a.nonFinite).toBeGreaterThan(9_000);
    expect(a.nonFinite).toBeLessThan(11_000);
    expect(Number.isFinite(a.estimate)).toBe(true);
    expect(a.warnings[0]).toMatch(
      new RegExp(`not finite .* at ${a.nonFinite} of 20000 draws \\(e\\.g\\. at x = -`),
    );
    // The estimate is over the finite values: E[log X | X > 0] = (-gamma - log 2) / 2.
    expect(Math.abs(a.estimate - (-0.5772156649 - Math.LN2) / 2)).toBeLessThan(4 * a.stdError!);

    const none = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: 'log(-abs(x) - 1)',
      method: 'monte_carlo',
      n: 1000,
      seed: 5,
    });
    expect(none.estimate).toBeNaN();
    expect(none.nonFinite).toBe(1000);
    expect(none.warnings[0]).toMatch(/not finite .* at all 1000 draws/);
  });

  it('warns where the sample variance does not settle (no mean), and not for a normal', () => {
    // 1/X for X ~ N(0, 1) has Cauchy-like tails: no mean.
    const heavy = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: '1 / x',
      method: 'monte_carlo',
      seed: 3,
    });
    expect(heavy.warnings.join(' ')).toMatch(/sample variance has not settled/);
    const fine = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: 'x',
      method: 'monte_carlo',
      seed: 3,
    });
    expect(fine.warnings).toEqual([]);
  });

  it.skipIf(!hasFamily({ family: 'cauchy', loc: 0, scale: 1 }))('E[x] under a Cauchy warns', () => {
    for (const seed of [1, 2, 3]) {
      const a = runExpectation({
        distribution: { family: 'cauchy', loc: 0, scale: 1 },
        f: 'x',
        method: 'monte_carlo',
        seed,
      });
      expect(a.warnings.join(' ')).toMatch(/sample variance has not settled/);
    }
  });
});

describe('antithetic', () => {
  it.each(NORMAL_CASES)('%s: within 4 standard errors', (name) => {
    const c = fixture(name);
    const a = run(c, 'antithetic');
    expect(a.n).toBe(100_000);
    expect(a.pairs).toBe(50_000);
    expectMonteCarlo(a, c, 0);
    expect(a.varianceReduction).toBeGreaterThan(0);
  });

  it('reduces the variance for a monotone f, and reports by how much', () => {
    const a = run(fixture('normal exp'), 'antithetic');
    const mc = run(fixture('normal exp'), 'monte_carlo');
    expect(a.varianceReduction).toBeGreaterThan(2);
    expect(a.stdError!).toBeLessThan(mc.stdError! / 1.4);
    // Linear f: the pairs cancel exactly.
    const lin = runExpectation({
      distribution: { family: 'normal', mean: 2, std: 3 },
      f: '2 * x + 1',
      method: 'antithetic',
      n: 1000,
      seed: 1,
    });
    expect(lin.estimate).toBeCloseTo(5, 12);
    expect(lin.stdError).toBeLessThan(1e-12);
  });

  it('rounds an odd n up to whole pairs', () => {
    const a = run(fixture('normal x^2'), 'antithetic', { n: 1001 });
    expect(a.n).toBe(1002);
    expect(a.pairs).toBe(501);
  });

  it.skipIf(!hasFamily({ family: 'poisson', rate: 1 }))(
    'uses the inverse transform for other families',
    () => {
      const c = fixture('poisson x');
      const a = run(c, 'antithetic', { n: 20_000 });
      expect(Math.abs(a.estimate - c.exact)).toBeLessThan(4 * a.stdError!);
      expect(a.varianceReduction).toBeGreaterThan(2);
    },
  );
});

describe('quasi_monte_carlo', () => {
  it.each(NORMAL_CASES)('%s: within 5 standard errors, with a t interval over 16 scrambles', (name) => {
    const c = fixture(name);
    const a = run(c, 'quasi_monte_carlo');
    expect(a.n).toBe(65_536);
    expect(a.replicates).toBe(QMC_REPLICATES);
    expect(Math.abs(a.estimate - c.exact)).toBeLessThan(5 * a.stdError!);
    // t quantile with 15 degrees of freedom.
    expect((a.ci!.high - a.ci!.low) / (2 * a.stdError!)).toBeCloseTo(2.13145, 4);
  });

  it('beats plain Monte Carlo on a smooth f at the same n', () => {
    for (const name of ['normal exp', 'normal x^2+sin', 'normal sin']) {
      const c = fixture(name);
      const q = run(c, 'quasi_monte_carlo', { n: 16_384 });
      const m = run(c, 'monte_carlo', { n: 16_384 });
      // The error QMC achieves, against plain MC's exact standard error sqrt(Var f / n).
      const mcSe = Math.sqrt(c.varF! / 16_384);
      expect(Math.abs(q.estimate - c.exact)).toBeLessThan(mcSe / 10);
      expect(q.stdError!).toBeLessThan(m.stdError! / 10);
      expect(q.varianceReduction).toBeGreaterThan(100);
    }
  });

  it('with a tolerance, doubles the points per scramble until it is met', () => {
    const c = fixture('normal sin');
    const a = run(c, 'quasi_monte_carlo', { tolerance: 1e-4 });
    expect(a.stdError).toBeLessThan(1e-4);
    expect(a.stoppedEarly).toBe(true);
    expect(a.n % QMC_REPLICATES).toBe(0);
    expect(Math.log2(a.n / QMC_REPLICATES) % 1).toBe(0);
  });

  it('works for a multivariate normal (Cholesky of the covariance)', () => {
    const c = fixture('mvn product');
    const q = run(c, 'quasi_monte_carlo', { n: 32_768 });
    const m = run(c, 'monte_carlo', { n: 32_768 });
    expect(Math.abs(q.estimate - c.exact)).toBeLessThan(5 * q.stdError!);
    expectMonteCarlo(m, c);
    expect(q.stdError!).toBeLessThan(m.stdError!);
  });
});

describe('riemann', () => {
  it('a range too wide for double precision is never a silent NaN', () => {
    const a = runExpectation({
      distribution: { family: 'uniform', low: -1.7e308, high: 1.7e308 },
      f: 'x',
      method: 'riemann',
      n: 1000,
      seed: 1,
    });
    expect(Number.isFinite(a.estimate)).toBe(false);
    expect(a.nonFinite).toBe(0);
    expect(a.warnings[0]).toMatch(/beyond what double precision can split into cells/);
  });

  it('E[x^2] under N(1, std 2): the sum over the truncated support, and says so', () => {
    const c = fixture('normal x^2');
    const a = run(c, 'riemann');
    expect(a.n).toBe(10_000);
    expect(Math.abs(a.estimate - c.exact)).toBeLessThan(1e-8);
    expect(a.truncatedMass).toBeGreaterThan(0);
    expect(a.truncatedMass).toBeLessThanOrEqual(1.01e-12);
    expect(a.warnings.join(' ')).toMatch(/support is infinite.*left out/);
    expect(a.errorEstimate).toBeGreaterThanOrEqual(0);
    expect(a.stdError).toBeUndefined();
  });

  it('converges as the points grow, at the rate of the midpoint sum (error ~ n^-2 for a kink)', () => {
    const c = fixture('normal abs kink');
    const errs = [100, 200, 400, 800, 1600, 3200].map((n) =>
      Math.abs(run(c, 'riemann', { n }).estimate - c.exact),
    );
    // Fitted slope of log error against log n.
    const xs = [100, 200, 400, 800, 1600, 3200].map(Math.log);
    const ys = errs.map(Math.log);
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i]! - mx) * (ys[i]! - my);
      sxx += (xs[i]! - mx) ** 2;
    }
    expect(sxy / sxx).toBeLessThan(-1.7);
    expect(errs[errs.length - 1]).toBeLessThan(errs[0]! / 100);
    // For a smooth f it is much faster still (geometric, down to the floor of the 1e-12 truncation:
    // a mass of 1e-12 where x^2 is about 200).
    const smooth = fixture('normal x^2');
    const e = [8, 16, 32].map((n) => Math.abs(run(smooth, 'riemann', { n }).estimate - smooth.exact));
    expect(e[1]).toBeLessThan(e[0]! / 1e6);
    expect(e[2]).toBeLessThan(1e-9);
  });

  it.skipIf(!hasFamily({ family: 'uniform', low: 0, high: 1 }))(
    'uniform x^2: error exactly 1 / (12 n^2)',
    () => {
      const c = fixture('uniform x^2');
      for (const n of [10, 100, 1000]) {
        const a = run(c, 'riemann', { n });
        expect(c.exact - a.estimate).toBeCloseTo(1 / (12 * n * n), 12);
        expect(a.truncatedMass).toBe(0);
        // The estimate from n/2 cells differs by 3x the error: a conservative estimate.
        expect(a.errorEstimate!).toBeGreaterThanOrEqual(c.exact - a.estimate);
      }
    },
  );

  it('with a tolerance, doubles n until the error estimate is below it', () => {
    const a = run(fixture('normal abs kink'), 'riemann', { tolerance: 1e-6 });
    expect(a.converged).toBe(true);
    expect(a.errorEstimate).toBeLessThan(1e-6);
    expect(a.n).toBeLessThan(1e6);
  });

  const STD_NORMAL = { family: 'normal', mean: 0, std: 1 };
  const riemann = (distribution: Case['distribution'], f: string, extra: Partial<ExpectationRequest> = {}) =>
    runExpectation({ distribution, f, method: 'riemann', seed: 1, ...extra });

  it('the error estimate includes the truncated tails: normal x^2 (error 5e-11 from the tails, not 0)', () => {
    for (const n of [10_000, 300_000]) {
      const a = riemann(STD_NORMAL, 'x^2', { n });
      const actual = Math.abs(a.estimate - 1);
      // The cells' error is ~1e-16 here; the tails beyond +-7.13 carry 2 (t phi(t) + sf(t)) = 5.3e-11.
      expect(actual).toBeGreaterThan(4e-11);
      expect(a.errorEstimate!).toBeGreaterThanOrEqual(actual);
      expect(a.errorEstimate!).toBeLessThan(100 * actual);
      expect(a.warnings.join(' ')).toMatch(/support is infinite.*left out, and the error estimate includes/);
    }
  });

  it('a bounded f, where the truncation is negligible, keeps a small error estimate', () => {
    const sin2 = riemann(STD_NORMAL, 'sin(x)^2');
    const exact = (1 - Math.exp(-2)) / 2;
    expect(Math.abs(sin2.estimate - exact)).toBeLessThanOrEqual(sin2.errorEstimate!);
    expect(sin2.errorEstimate!).toBeLessThan(1e-11);
    // An indicator: the cells' error dominates (a jump at 1); the tails add about 1e-12 to it.
    const dist = createDistribution(STD_NORMAL) as UnivariateDistribution;
    const f = compileExpression('x > 1');
    const { low, high } = riemannRange(dist);
    const tails = riemannTruncation(f.evaluate, dist, low, high, analyzeGrowth(f.ast));
    expect(tails).toBeGreaterThan(0);
    expect(tails).toBeLessThan(2e-12);
    const ind = riemann(STD_NORMAL, 'x > 1');
    expect(Math.abs(ind.estimate - 0.15865525393145707)).toBeLessThanOrEqual(ind.errorEstimate!);
    expect(ind.errorEstimate!).toBeLessThan(1e-3);
  });

  it.skipIf(!hasFamily({ family: 'student_t', df: 3, loc: 0, scale: 1 }))(
    'a power tail scales the truncation term by a / (a - g): x^2 under a Student t with df 3',
    () => {
      const a = riemann({ family: 'student_t', df: 3, loc: 0, scale: 1 }, 'x^2', { n: 100_000 });
      const actual = Math.abs(a.estimate - 3);
      expect(a.errorEstimate!).toBeGreaterThanOrEqual(actual);
      expect(a.errorEstimate!).toBeLessThan(100 * actual);
    },
  );

  it('with a tolerance below what the tails carry, it stops refining and says so (not converged)', () => {
    const a = riemann(STD_NORMAL, 'x^2', { tolerance: 1e-12 });
    expect(a.converged).toBe(false);
    expect(a.stoppedEarly).toBe(false);
    expect(a.errorEstimate!).toBeGreaterThan(1e-12);
    expect(a.n).toBe(1000);
    expect(a.warnings.join(' ')).toMatch(
      /tails beyond the points may carry about 1\.\d+e-10.*use quadrature/,
    );
  });
});

describe('quadrature', () => {
  it.each(NORMAL_CASES)('%s agrees with the exact value to 1e-10', (name) => {
    const c = fixture(name);
    const a = run(c, 'quadrature');
    expect(Math.abs(a.estimate - c.exact)).toBeLessThan(1e-10);
    expect(a.errorEstimate).toBeLessThan(1e-10);
    expect(a.converged).toBe(true);
    expect(a.seed).toBeUndefined();
  });

  it.skipIf(!hasFamily({ family: 'gamma', shape: 2, rate: 1 }))(
    'E[log x] under gamma(k, 1) = digamma(k)',
    () => {
      for (const name of ['gamma log k=0.5', 'gamma log k=2.5']) {
        const c = fixture(name);
        const a = run(c, 'quadrature');
        expect(Math.abs(a.estimate - c.exact)).toBeLessThan(1e-9);
        const m = run(c, 'monte_carlo');
        expectMonteCarlo(m, c);
      }
    },
  );

  it.skipIf(!hasFamily({ family: 'poisson', rate: 1 }))(
    'E[x] under poisson(3.5) = 3.5 by exact summation',
    () => {
      const c = fixture('poisson x');
      const a = run(c, 'quadrature');
      expect(Math.abs(a.estimate - 3.5)).toBeLessThan(1e-12);
      expect(a.truncatedMass).toBeLessThan(1e-15);
      expect(a.errorEstimate).toBeLessThan(1e-10);
      const m = run(c, 'monte_carlo');
      expectMonteCarlo(m, c);
    },
  );

  it.skipIf(!hasFamily({ family: 'lognormal', mu: 0, sigma: 1 }))('lognormal E[x] to 1e-10', () => {
    const c = fixture('lognormal x');
    expect(Math.abs(run(c, 'quadrature').estimate - c.exact)).toBeLessThan(1e-10);
    expectMonteCarlo(run(c, 'monte_carlo'), c);
  });

  it('f undefined on part of the support: NaN with the count and an example, never silent', () => {
    const a = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: 'log(x)',
      method: 'quadrature',
      seed: 1,
    });
    expect(a.estimate).toBeNaN();
    expect(a.nonFinite).toBeGreaterThan(0);
    expect(a.warnings[0]).toMatch(/not finite .* evaluation points where p\(x\) > 0 \(e\.g\. at x = -/);
  });

  it('a divergent integral does not converge and says so', () => {
    const a = runExpectation({
      distribution: { family: 'normal', mean: 0, std: 1 },
      f: 'exp(x^2)',
      method: 'quadrature',
      seed: 1,
      n: 20_000,
    });
    expect(a.converged).toBe(false);
    expect(a.warnings.join(' ')).toMatch(/did not reach its error target|not finite/);
  });
});

describe('validation', () => {
  const catchErr = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as InvalidInputError;
    }
    throw new Error('expected an error');
  };

  it('a method that cannot apply to a multivariate family names those that can', () => {
    const mvn = fixture('mvn product');
    for (const method of ['riemann', 'quadrature', 'antithetic'] as const) {
      const err = catchErr(() => run(mvn, method));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.issues[0]!.path).toBe('method');
      expect(err.issues[0]!.message).toMatch(/methods that apply: monte_carlo, quasi_monte_carlo/);
    }
  });

  it('bad f, bad distribution and too small n are InvalidInputErrors with paths', () => {
    const c = fixture('normal x^2');
    expect(catchErr(() => run({ ...c, f: 'x +' }, 'monte_carlo')).issues[0]!.path).toBe('f');
    expect(catchErr(() => run({ ...c, f: 'x[1]' }, 'monte_carlo')).issues[0]!.path).toBe('f');
    expect(
      catchErr(() => run({ ...c, distribution: { family: 'normal', mean: 0, std: -1 } }, 'monte_carlo'))
        .issues[0]!.path,
    ).toBe('distribution.std');
    expect(catchErr(() => run(c, 'quasi_monte_carlo', { n: 8 })).issues[0]!.path).toBe('n');
  });
});

describe('heavy-tail check and work estimate', () => {
  it('heavyTailShare: the share of m2 carried by the 4 values farthest from the mean', () => {
    const s = { n: 1000, mean: 0, m2: 100 };
    expect(heavyTailShare(s, [5, 1, 1, 1], [-1, -1, -1, -1])).toBeCloseTo(0.28, 12);
    expect(heavyTailShare({ ...s, n: 100 }, [5], [-5])).toBeUndefined();
    expect(heavyTailShare({ ...s, m2: 0 }, [0], [0])).toBeUndefined();
  });

  it('estimateWork is at least n, and far more where each point needs a slow quantile', () => {
    const normal = { distribution: { family: 'normal', mean: 0, std: 1 }, f: 'x', seed: 1 };
    expect(estimateWork({ ...normal, method: 'monte_carlo' }, 1000)).toBeGreaterThanOrEqual(1000);
    const mixture = {
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        { family: 'normal', mean: 0, std: 1 },
        { family: 'normal', mean: 3, std: 2 },
      ],
    };
    const slow = estimateWork({ ...normal, distribution: mixture, method: 'quasi_monte_carlo' }, 1000);
    expect(slow).toBeGreaterThan(10_000);
  });
});
