import { describe, expect, it } from 'vitest';
import { createDistribution, FAMILY_NAMES } from '../../../src/core/distributions/registry.js';
import { LIGHT_TAILED_FAMILIES, tailIndex, tailIndices } from '../../../src/core/distributions/tails.js';
import { divergesAgainst, meanDivergence } from '../../../src/core/estimators/existence.js';
import {
  type ExpectationAnswer,
  type ExpectationRequest,
  expectationChunks,
  foldChunks,
  type Method,
  MIN_N,
  runExpectation,
  summarizeMonteCarlo,
} from '../../../src/core/estimators/expectation.js';
import {
  analyzeGrowth,
  compileExpression,
  growthOrder,
  parseExpression,
} from '../../../src/core/expressions/index.js';

const CAUCHY = { family: 'cauchy', loc: 0, scale: 1 };
const NORMAL = { family: 'normal', mean: 0, std: 1 };
const MIXTURE = { family: 'mixture', weights: [0.5, 0.5], components: [CAUCHY, NORMAL] };
const studentT = (df: number) => ({ family: 'student_t', df, loc: 0, scale: 1 });
const SAMPLING: Method[] = ['monte_carlo', 'antithetic', 'quasi_monte_carlo'];
const DOES_NOT_EXIST = /^E\[f\(x\)\] does not exist under this distribution/;

const growth = (f: string) => growthOrder(parseExpression(f));
const P = (power: number, logPower = 0) => ({ power, logPower });

const run = (distribution: ExpectationRequest['distribution'], f: string, method: Method, extra = {}) =>
  runExpectation({ distribution, f, method, seed: 1, ...extra });

/** The answer says, first, that the mean does not exist. */
function expectWarned(a: ExpectationAnswer) {
  expect(a.warnings[0]).toMatch(DOES_NOT_EXIST);
  expect(a.meanExists).toBe(false);
}

function expectNotWarned(a: ExpectationAnswer) {
  expect(a.warnings.join(' ')).not.toMatch(/does not exist/);
  expect(a.meanExists).toBeUndefined();
}

describe('growth order of an expression as |x| -> infinity', () => {
  it.each<[string, ReturnType<typeof P> | undefined]>([
    // constants: order 0 (0 itself has no lower bound: it is identically 0)
    ['3', P(0)],
    ['-pi', P(0)],
    ['0', undefined],
    // powers and polynomials
    ['x', P(1)],
    ['-x', P(1)],
    ['x^2', P(2)],
    ['x^10', P(10)],
    ['x^2 + x', P(2)],
    ['3 * x^3 - x^2 + 1', P(3)],
    ['(1/3) * x^3', P(3)],
    ['x^2 + sin(x)', P(2)],
    ['x^2 + x^2', P(2)],
    ['(x^2 + 1) / (x + 2)', P(1)],
    ['x^3 / (x^2 + 1)', P(1)],
    ['1 / x', P(-1)],
    ['x^-2', P(-2)],
    ['pow(abs(x), 2)', P(2)],
    ['x * x * x', P(3)],
    // roots
    ['sqrt(abs(x))', P(0.5)],
    ['x^0.5', P(0.5)],
    ['cbrt(x)', P(1 / 3)],
    ['sqrt(x^2 + 1)', P(1)],
    ['hypot(x, 1)', P(1)],
    // abs, sign, rounding
    ['abs(x)', P(1)],
    ['x * sign(x)', P(1)],
    ['floor(x)', P(1)],
    ['round(x^2)', P(2)],
    ['sign(x)', P(0)],
    // min and max: the larger end
    ['min(x, 1)', P(1)],
    ['max(x, 1)', P(1)],
    ['max(x^2, x)', P(2)],
    ['min(abs(x), 5)', P(0)],
    // logs: slower than any power, but unbounded
    ['log(abs(x))', P(0, 1)],
    ['log1p(abs(x))', P(0, 1)],
    ['log10(abs(x) + 1)', P(0, 1)],
    ['log(x)', P(0, 1)],
    ['x * log(abs(x))', P(1, 1)],
    ['x / log(abs(x) + 2)', P(1, -1)],
    ['log(exp(x))', P(0, 1)],
    ['softplus(x)', P(1)],
    ['lgamma(abs(x) + 1)', P(1, 1)],
    // faster than any power
    ['exp(x)', P(Infinity)],
    ['exp(x^2)', P(Infinity)],
    ['cosh(x)', P(Infinity)],
    ['sinh(x)', P(Infinity)],
    ['expm1(x)', P(Infinity)],
    ['2^x', P(Infinity)],
    ['x^x', P(Infinity)],
    ['exp(x) + x^5', P(Infinity)],
    // bounded away from 0 at some end
    ['atan(x)', P(0)],
    ['tanh(x)', P(0)],
    ['erf(x)', P(0)],
    ['sigmoid(x)', P(0)],
    ['x > 1', P(0)],
    ['x && 1', P(0)],
    // one end is enough
    ['x > 0 ? x^2 : 1', P(2)],
    ['x * (x < 10)', P(1)],
    ['x^2 * (x > 0)', P(2)],
    // no sure lower bound: may vanish, oscillate, cancel or decay; or not understood
    ['sin(x)', undefined],
    ['cos(x)^2', undefined],
    ['x * sin(x)', undefined],
    ['x - x', undefined],
    ['x^2 - x^2', undefined],
    ['exp(x) - exp(x)', undefined],
    ['0 * exp(x)', undefined],
    ['abs(x) < 10', undefined],
    ['x * (abs(x) < 10)', undefined],
    ['abs(x) < 10 ? x : 0', undefined],
    ['sin(x) > 0 ? x : 0', undefined],
    ['!x', undefined],
    ['exp(-x^2)', undefined],
    ['x^2 / exp(x^2)', undefined],
    ['atan2(x, 1)', undefined],
    ['tan(x)', undefined],
    ['asin(x)', undefined],
  ])('%s -> %o', (f, expected) => {
    expect(growth(f)).toEqual(expected);
  });

  it('gives each end separately, with the sign and the eventual value', () => {
    const g = (f: string) => analyzeGrowth(parseExpression(f));
    expect(g('x').positive).toEqual({ lower: P(1), upper: P(1), sign: 1 });
    expect(g('x').negative).toEqual({ lower: P(1), upper: P(1), sign: -1 });
    expect(g('x > 1').positive.value).toBe(1);
    expect(g('x > 1').negative.value).toBe(0);
    // exp decays faster than any power at -infinity: no lower bound, upper power -Infinity.
    expect(g('exp(x)').negative).toEqual({ upper: P(-Infinity), sign: 1 });
    // x^0.5 is NaN for x < 0: nothing is claimed there.
    expect(g('x^0.5').negative).toEqual({ upper: P(Infinity), sign: 0 });
    expect(g('sin(x)').positive).toEqual({ upper: P(0), sign: 0 });
    expect(g('tan(x)').positive).toEqual({ upper: P(Infinity), sign: 0 });
  });

  it('x[i] of a multivariate expression makes no claim', () => {
    expect(growthOrder(parseExpression('x[0]^2', { dim: 2 }))).toBeUndefined();
  });
});

describe('tail indices', () => {
  it('cauchy 1, student_t df, every other family Infinity', () => {
    expect(tailIndex(CAUCHY)).toBe(1);
    expect(tailIndex(studentT(2.5))).toBe(2.5);
    expect(tailIndices(studentT(3))).toEqual({ lower: 3, upper: 3 });
    for (const spec of [
      NORMAL,
      { family: 'lognormal', mu: 0, sigma: 2 },
      { family: 'laplace', loc: 0, scale: 1 },
      { family: 'exponential', rate: 1 },
      { family: 'gamma', shape: 0.5, rate: 1 },
      { family: 'weibull', shape: 0.5, scale: 1 },
      { family: 'uniform', low: 0, high: 1 },
      { family: 'poisson', rate: 3 },
    ])
      expect(tailIndex(spec), spec.family).toBe(Infinity);
  });

  it('a mixture: the smallest over the components that take part (nested too)', () => {
    expect(tailIndex(MIXTURE)).toBe(1);
    const ts = {
      family: 'mixture',
      weights: [0.2, 0.3, 0.5],
      components: [studentT(4), NORMAL, studentT(2)],
    };
    expect(tailIndex(ts)).toBe(2);
    // A component of weight 0 takes no part.
    expect(tailIndex({ family: 'mixture', weights: [1, 0], components: [NORMAL, CAUCHY] })).toBe(Infinity);
    const nested = { family: 'mixture', weights: [0.9, 0.1], components: [NORMAL, MIXTURE] };
    expect(tailIndex(nested)).toBe(1);
    // The canonical spec of a built mixture reads the same.
    expect(tailIndex(createDistribution(nested).spec)).toBe(1);
  });

  it('every family in the registry is classified (a new family must say how heavy its tails are)', () => {
    for (const name of FAMILY_NAMES) {
      const known = LIGHT_TAILED_FAMILIES.has(name) || ['cauchy', 'student_t', 'mixture'].includes(name);
      expect(known, name).toBe(true);
    }
    expect(tailIndices({ family: 'pareto' })).toBeUndefined();
  });
});

describe('divergesAgainst: |f| >= c |x|^g (log|x|)^k against a tail of index a', () => {
  it('diverges for g > a, and for g = a unless the log factor decays faster than 1 / log|x|', () => {
    expect(divergesAgainst(P(1), 1)).toBe(true);
    expect(divergesAgainst(P(2), 1)).toBe(true);
    expect(divergesAgainst(P(1, 1), 1)).toBe(true);
    // ∫ x / log(x) x^-2 dx = log log x: still divergent.
    expect(divergesAgainst(P(1, -1), 1)).toBe(true);
    // ∫ dx / (x log^2 x) converges.
    expect(divergesAgainst(P(1, -2), 1)).toBe(false);
    expect(divergesAgainst(P(0.999), 1)).toBe(false);
    expect(divergesAgainst(P(Infinity), 3)).toBe(true);
    expect(divergesAgainst(P(1e6), Infinity)).toBe(false);
    expect(divergesAgainst(undefined, 1)).toBe(false);
  });

  it('meanDivergence names the tail', () => {
    const d = (spec: Record<string, unknown>, f: string) => {
      const dist = createDistribution(spec as never);
      return meanDivergence(dist, compileExpression(f, { dim: dist.dim }));
    };
    expect(d(CAUCHY, 'x')).toEqual({ side: 'both', tailIndex: 1, growth: P(1) });
    expect(d(CAUCHY, 'x * (x < 0)')).toEqual({ side: 'negative', tailIndex: 1, growth: P(1) });
    expect(d(CAUCHY, 'x > 0 ? x^2 : 0')).toEqual({ side: 'positive', tailIndex: 1, growth: P(2) });
    expect(d(CAUCHY, 'x * (abs(x) < 10)')).toBeUndefined();
    expect(d(CAUCHY, 'sqrt(abs(x))')).toBeUndefined();
    expect(d(NORMAL, 'exp(x^2)')).toBeUndefined();
    expect(
      d(
        {
          family: 'multivariate_normal',
          mean: [0, 0],
          cov: [
            [1, 0],
            [0, 1],
          ],
        },
        'x[0]',
      ),
    ).toBeUndefined();
  });
});

describe('a Monte Carlo mean that does not exist says so, first', () => {
  it('cauchy, f = x: every seed, small n, each sampling method', () => {
    for (const method of SAMPLING) {
      // quasi_monte_carlo needs at least 2 points per scramble (32).
      for (const n of [Math.max(10, MIN_N[method]), 100]) {
        for (let seed = 1; seed <= 12; seed++) {
          const a = runExpectation({ distribution: CAUCHY, f: 'x', method, n, seed });
          expectWarned(a);
          expect(a.warnings[0]).toMatch(/tail index a = 1\) and \|f\(x\)\| grows like \|x\|\^1/);
          expect(a.warnings[0]).toMatch(/do not converge as n grows/);
        }
      }
    }
  });

  it('antithetic pairs cancel exactly (estimate 0, standard error 0), and the warning is there', () => {
    const a = run(CAUCHY, 'x', 'antithetic', { n: 100 });
    expect(a.estimate).toBe(0);
    expect(a.stdError).toBe(0);
    expectWarned(a);
    // ... and a tolerance is never "met" by a mean that does not exist: the run goes to n.
    const t = run(CAUCHY, 'x', 'antithetic', { n: 200_000, tolerance: 1e-3 });
    expect(t.stoppedEarly).not.toBe(true);
    expect(t.n).toBe(200_000);
  });

  it('a 50/50 mixture of a cauchy and a normal, f = x', () => {
    for (const method of SAMPLING) {
      for (const seed of [1, 2, 3]) expectWarned(run(MIXTURE, 'x', method, { n: 100, seed }));
    }
    expectNotWarned(run(MIXTURE, 'atan(x)', 'monte_carlo', { n: 100 }));
  });

  it('x^2 under student_t: warned for df = 2 (2 >= 2), not for df = 3', () => {
    for (const method of SAMPLING) {
      const a = run(studentT(2), 'x^2', method, { n: 1000 });
      expectWarned(a);
      expect(a.warnings[0]).toMatch(/\|x\|\^-3 \(tail index a = 2\)/);
      expectNotWarned(run(studentT(3), 'x^2', method, { n: 1000 }));
    }
    expectWarned(run(studentT(2.5), 'abs(x)^2.5', 'monte_carlo', { n: 1000 }));
    expectNotWarned(run(studentT(2.5), 'abs(x)^2.4', 'monte_carlo', { n: 1000 }));
  });

  it('no warning where the mean exists', () => {
    for (const method of SAMPLING) {
      expectNotWarned(run(NORMAL, 'x^10', method, { n: 1000 }));
      expectNotWarned(run(NORMAL, 'exp(x)', method, { n: 1000 }));
      for (const f of ['sin(x)', 'x > 1', 'atan(x)', 'sqrt(abs(x))', 'x * (abs(x) < 10)', 'log(abs(x))'])
        expectNotWarned(run(CAUCHY, f, method, { n: 1000 }));
    }
  });

  it('a job folding chunks gets the same warning (summarizeMonteCarlo)', () => {
    const spec = { distribution: CAUCHY, f: 'x', method: 'monte_carlo' as const, seed: 4, confidence: 0.95 };
    const job = summarizeMonteCarlo(spec, foldChunks(expectationChunks(spec, 0, 1, 1000)), {
      elapsedMs: 0,
      requestedN: 1000,
    });
    const { elapsedMs: _a, ...sync } = runExpectation({ ...spec, n: 1000 });
    const { elapsedMs: _b, ...fromJob } = job;
    expect(fromJob).toEqual(sync);
    expectWarned(job);
  });
});

describe('an infinite variance (the mean exists) says so, first', () => {
  const INFINITE_VARIANCE = /^Var f\(x\) is infinite under this distribution/;
  it('x under student_t df 2, x^2 under df 3 and 4: warned; x^2 under df 5, x under df 2.5 (2 < 2.5): not', () => {
    for (const method of SAMPLING) {
      for (const [df, f] of [
        [2, 'x'],
        [3, 'x^2'],
        [4, 'x^2'],
      ] as const) {
        const a = run(studentT(df), f, method, { n: 1000 });
        expect(a.warnings[0]).toMatch(INFINITE_VARIANCE);
        expect(a.varianceExists).toBe(false);
        expect(a.meanExists).toBeUndefined();
      }
      for (const [df, f] of [
        [5, 'x^2'],
        [2.5, 'x'],
      ] as const) {
        const a = run(studentT(df), f, method, { n: 1000 });
        expect(a.warnings.join(' ')).not.toMatch(/Var f\(x\) is infinite/);
        expect(a.varianceExists).toBeUndefined();
      }
    }
    // Where the mean itself does not exist, that is the one warning.
    const c = run(CAUCHY, 'x', 'monte_carlo', { n: 1000 });
    expect(c.varianceExists).toBeUndefined();
    expect(c.warnings.join(' ')).not.toMatch(/Var f\(x\) is infinite/);
    // Bounded f and light tails: no claim.
    expect(run(studentT(1.5), 'atan(x)', 'monte_carlo', { n: 1000 }).varianceExists).toBeUndefined();
    expect(run(NORMAL, 'x^10', 'monte_carlo', { n: 1000 }).varianceExists).toBeUndefined();
  });
});

describe('riemann and quadrature of a divergent integral', () => {
  it('cauchy, f = x: the warning first, errorEstimate Infinity, not converged', () => {
    for (const method of ['riemann', 'quadrature'] as const) {
      const a = run(CAUCHY, 'x', method, method === 'riemann' ? { n: 1000 } : { n: 2000 });
      expectWarned(a);
      expect(a.warnings[0]).toMatch(/the integral of f\(x\) p\(x\) diverges/);
      expect(a.errorEstimate).toBe(Infinity);
      const t = run(CAUCHY, 'x', method, { tolerance: 1e-3, n: 100_000 });
      expect(t.converged).toBe(false);
      expect(t.errorEstimate).toBe(Infinity);
    }
  });

  it('x^2 under student_t df = 2 (quadrature reported a finite 73 +- 20 before)', () => {
    const a = run(studentT(2), 'x^2', 'quadrature');
    expectWarned(a);
    expect(a.errorEstimate).toBe(Infinity);
    expect(a.converged).toBe(false);
    const ok = run(studentT(3), 'x^2', 'quadrature');
    expectNotWarned(ok);
    expect(Math.abs(ok.estimate - 3)).toBeLessThan(1e-6);
  });
});
