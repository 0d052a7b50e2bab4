import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gammaFamily } from '../../../src/core/distributions/gamma.js';
import { createDistribution, FAMILIES } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec, UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { uniformFamily } from '../../../src/core/distributions/uniform.js';
import { weibullFamily } from '../../../src/core/distributions/weibull.js';
import { InvalidInputError } from '../../../src/core/errors.js';

/**
 * Reference values from test/reference/continuous.py: mpmath at 50 digits rounded to double,
 * cross-checked against scipy.stats. Tolerances (all relative, with a tiny absolute slack at 0):
 *
 * - log density and moments: 1e-12. The log density is a sum of logs and log-gammas, so it carries
 *   an absolute error of a few ulps of its largest term (beta(200, 300): terms near 1000, result
 *   0.23), hence also 1e-13 absolute.
 * - cdf and sf: 1e-11, plus 4e-16 times the condition number |x| f(x) / F(x). The condition number
 *   is what rounding x (or log x, or (x - loc) / scale) by one ulp does to F; it reaches 4e4 in the
 *   tail of lognormal(2, 0.001). The 1e-11 floor is set by stdlib's incomplete beta with large
 *   parameters (student_t with df 1e5 calls it with a = 5e4: 3e-12).
 * - quantile: 1e-12 plus 4e-16 times its condition number min(p, 1 - p) / (x f(x)), which reaches
 *   1 / shape in the lower tail of a gamma with a small shape.
 * Below about 1e-305 the cdf is subnormal and has fewer digits, hence 1e-320 absolute there.
 */

interface Point {
  x: number | string;
  logpdf: number | string;
  cdf: number | string;
  sf: number | string;
}
interface Quantile {
  p: number;
  x: number | string;
  logpdf: number | string;
}
interface Case {
  spec: DistributionSpec;
  points: Point[];
  quantiles: Quantile[];
  mean: number | string;
  variance: number | string;
  entropy: number | string;
}

const CONTINUOUS = [
  'normal',
  'lognormal',
  'uniform',
  'exponential',
  'gamma',
  'beta',
  'student_t',
  'laplace',
  'cauchy',
  'weibull',
];

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/continuous.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

function make(spec: DistributionSpec): UnivariateDistribution {
  return createDistribution(spec) as UnivariateDistribution;
}

/** JSON has no Infinity or NaN: the fixture writes them as strings, like the API. */
function num(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return Number.NaN;
  throw new Error(`bad number ${v}`);
}

/** '' when got matches want, else a line describing the miss. */
function mismatch(label: string, got: number, want: number, rtol: number, atol: number): string {
  if (Number.isNaN(want)) return Number.isNaN(got) ? '' : `${label}: got ${got}, want NaN`;
  if (!Number.isFinite(want)) return got === want ? '' : `${label}: got ${got}, want ${want}`;
  const err = Math.abs(got - want);
  if (err <= rtol * Math.abs(want) + atol) return '';
  return `${label}: got ${got}, want ${want} (relative error ${(err / Math.abs(want)).toExponential(2)}, allowed ${rtol.toExponential(1)})`;
}

const name = (spec: DistributionSpec) =>
  Object.entries(spec)
    .map(([k, v]) => (k === 'family' ? v : `${k}=${v}`))
    .join(' ');

describe('continuous families against the mpmath/scipy reference', () => {
  for (const c of fixture.cases) {
    describe(name(c.spec), () => {
      const d = make(c.spec);

      it('log density', () => {
        const bad = c.points
          .map((p) => mismatch(`logPdf(${p.x})`, d.logPdf(num(p.x)), num(p.logpdf), 1e-12, 1e-13))
          .filter(Boolean);
        expect(bad).toEqual([]);
      });

      it('cdf and sf, including far tails', () => {
        const bad: string[] = [];
        for (const p of c.points) {
          const x = num(p.x);
          const density = Math.exp(num(p.logpdf));
          for (const [label, got, want] of [
            ['cdf', d.cdf(x), num(p.cdf)],
            ['sf', d.sf(x), num(p.sf)],
          ] as const) {
            const cond = want > 0 && Number.isFinite(density) ? (Math.abs(x) * density) / want : 0;
            bad.push(mismatch(`${label}(${x})`, got, want, 1e-11 + 4e-16 * cond, 1e-320));
          }
        }
        expect(bad.filter(Boolean)).toEqual([]);
      });

      it('quantile at 1e-12 ... 1 - 1e-12', () => {
        const bad = c.quantiles.map((q) => {
          const x = num(q.x);
          const xf = Math.abs(x) * Math.exp(num(q.logpdf));
          const cond = xf > 0 ? Math.min(q.p, 1 - q.p) / xf : 0;
          return mismatch(`quantile(${q.p})`, d.quantile(q.p), x, 1e-12 + 4e-16 * cond, 1e-300);
        });
        expect(bad.filter(Boolean)).toEqual([]);
      });

      it('mean, variance and entropy', () => {
        const bad = [
          mismatch('mean', d.mean(), num(c.mean), 1e-12, 1e-14),
          mismatch('variance', d.variance(), num(c.variance), 1e-12, 1e-14),
          mismatch('entropy', d.entropy(), num(c.entropy), 1e-12, 1e-13),
        ];
        expect(bad.filter(Boolean)).toEqual([]);
      });

      it('quantile(0) and quantile(1) are the ends of the support; cdf and sf are 0/1 outside it', () => {
        expect(d.quantile(0)).toBe(d.support.lower);
        expect(d.quantile(1)).toBe(d.support.upper);
        expect(d.quantile(-0.1)).toBeNaN();
        expect(d.quantile(1.1)).toBeNaN();
        expect(d.quantile(Number.NaN)).toBeNaN();
        expect(d.cdf(-Infinity)).toBe(0);
        expect(d.cdf(Infinity)).toBe(1);
        expect(d.sf(-Infinity)).toBe(1);
        expect(d.sf(Infinity)).toBe(0);
        expect(d.logPdf(-Infinity)).toBe(-Infinity);
        expect(d.logPdf(Infinity)).toBe(-Infinity);
        expect(d.logPdf(Number.NaN)).toBeNaN();
        expect(d.cdf(Number.NaN)).toBeNaN();
        if (Number.isFinite(d.support.lower)) {
          const below = d.support.lower - 1;
          expect(d.logPdf(below)).toBe(-Infinity);
          expect(d.cdf(below)).toBe(0);
          expect(d.sf(below)).toBe(1);
        }
        if (Number.isFinite(d.support.upper)) {
          const above = d.support.upper + 1;
          expect(d.logPdf(above)).toBe(-Infinity);
          expect(d.cdf(above)).toBe(1);
          expect(d.sf(above)).toBe(0);
        }
      });

      it('cdf(quantile(p)) = p and cdf + sf = 1 through the bulk', () => {
        for (const p of [1e-9, 0.05, 0.25, 0.5, 0.75, 0.95]) {
          const x = d.quantile(p);
          if (x <= d.support.lower || x >= d.support.upper) continue; // rounded onto an edge
          // Where the density is sharp, neighbouring doubles differ in cdf: allow that much.
          const grain = Math.abs(d.cdf(x * (1 + 4e-16)) - d.cdf(x * (1 - 4e-16)));
          expect(Math.abs(d.cdf(x) - p)).toBeLessThan(1e-12 + 1e-9 * p + grain);
          expect(Math.abs(d.cdf(x) + d.sf(x) - 1)).toBeLessThan(1e-14);
        }
      });

      it('spec is canonical: creating from it gives the same distribution', () => {
        const again = make(d.spec);
        expect(again.spec).toEqual(d.spec);
        expect(d.spec.family).toBe(c.spec.family);
        for (const p of [0.1, 0.5, 0.9]) expect(again.quantile(p)).toBe(d.quantile(p));
        expect(JSON.parse(JSON.stringify(d.spec))).toEqual(d.spec);
      });
    });
  }
});

describe('named tail values', () => {
  it('normal: log density at 40, cdf at -30, quantile at 1e-12', () => {
    const d = make({ family: 'normal', mean: 0, std: 1 });
    expect(d.logPdf(40)).toBeCloseTo(-800.9189385332047, 12);
    expect(Math.abs(d.cdf(-30) / 4.906713927148187e-198 - 1)).toBeLessThan(1e-12);
    expect(d.cdf(-30)).toBeGreaterThan(0);
    expect(d.sf(30)).toBe(d.cdf(-30));
    expect(Math.abs(d.quantile(1e-12) / -7.034483825301132 - 1)).toBeLessThan(1e-14);
    // The double nearest 1 - 1e-12 is 1 - 1.0000889e-12, whose quantile this is (mpmath).
    expect(Math.abs(d.quantile(1 - 1e-12) / 7.0344869100478356 - 1)).toBeLessThan(1e-14);
  });

  it('cdf stays positive where it is representable', () => {
    expect(make({ family: 'cauchy', loc: 0, scale: 1 }).cdf(-1e300)).toBeGreaterThan(0);
    expect(make({ family: 'student_t', df: 1 }).cdf(-1e300)).toBeGreaterThan(0);
    expect(make({ family: 'student_t', df: 3 }).cdf(-1e100)).toBeGreaterThan(0);
    expect(make({ family: 'gamma', shape: 1000, rate: 1 }).sf(1700)).toBeGreaterThan(0);
    expect(make({ family: 'exponential', rate: 1 }).sf(744)).toBeGreaterThan(0);
  });

  it('the Cauchy has no mean or variance; Student t moments exist only for large enough df', () => {
    const c = make({ family: 'cauchy', loc: 3, scale: 2 });
    expect(c.mean()).toBeNaN();
    expect(c.variance()).toBeNaN();
    expect(make({ family: 'student_t', df: 1 }).mean()).toBeNaN();
    expect(make({ family: 'student_t', df: 1 }).variance()).toBeNaN();
    expect(make({ family: 'student_t', df: 0.7 }).variance()).toBeNaN();
    expect(make({ family: 'student_t', df: 1.5, loc: 2 }).mean()).toBe(2);
    expect(make({ family: 'student_t', df: 1.5 }).variance()).toBe(Infinity);
    expect(make({ family: 'student_t', df: 2 }).variance()).toBe(Infinity);
    expect(make({ family: 'student_t', df: 4, scale: 2 }).variance()).toBe(8);
  });

  it('densities at the edges of the support are the limits', () => {
    expect(make({ family: 'gamma', shape: 0.5, rate: 1 }).logPdf(0)).toBe(Infinity);
    expect(make({ family: 'gamma', shape: 1, rate: 2 }).logPdf(0)).toBeCloseTo(Math.log(2), 15);
    expect(make({ family: 'gamma', shape: 2, rate: 2 }).logPdf(0)).toBe(-Infinity);
    expect(make({ family: 'beta', alpha: 0.5, beta: 2 }).logPdf(0)).toBe(Infinity);
    expect(make({ family: 'beta', alpha: 1, beta: 3 }).logPdf(0)).toBeCloseTo(Math.log(3), 15);
    expect(make({ family: 'beta', alpha: 2, beta: 1 }).logPdf(1)).toBeCloseTo(Math.log(2), 15);
    expect(make({ family: 'beta', alpha: 2, beta: 3 }).logPdf(1)).toBe(-Infinity);
    expect(make({ family: 'weibull', shape: 0.5, scale: 1 }).logPdf(0)).toBe(Infinity);
    expect(make({ family: 'weibull', shape: 1, scale: 2 }).logPdf(0)).toBeCloseTo(-Math.log(2), 15);
    expect(make({ family: 'exponential', rate: 3 }).logPdf(0)).toBeCloseTo(Math.log(3), 15);
    expect(make({ family: 'lognormal', mu: 0, sigma: 1 }).logPdf(0)).toBe(-Infinity);
    expect(make({ family: 'uniform', low: 1, high: 3 }).logPdf(1)).toBeCloseTo(-Math.log(2), 15);
    expect(make({ family: 'uniform', low: 1, high: 3 }).logPdf(3)).toBeCloseTo(-Math.log(2), 15);
  });

  it('a uniform as wide as the doubles allow does not overflow', () => {
    const d = make({ family: 'uniform', low: -1e308, high: 1e308 });
    expect(d.mean()).toBe(0);
    expect(d.logPdf(0)).toBeCloseTo(-(Math.LN2 + Math.log(1e308)), 10);
    expect(d.entropy()).toBeCloseTo(Math.LN2 + Math.log(1e308), 10);
    expect(d.cdf(0)).toBe(0.5);
    expect(d.quantile(0.75)).toBeCloseTo(5e307, -295);
  });

  it('the Weibull variance keeps its digits for a large shape', () => {
    // Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 ~ (pi^2 / 6) / k^2, the rest cancelling; mpmath for k = 1e4.
    const v = make({ family: 'weibull', shape: 1e4, scale: 1 }).variance();
    expect(Math.abs(v / 1.6445038762822376e-8 - 1)).toBeLessThan(1e-12);
  });
});

describe('parameter validation', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['normal', { mean: 0, std: 0 }, 'std'],
    ['normal', { mean: 0, std: 1, variance: 1 }, 'variance'],
    ['lognormal', { mu: 0, sigma: -1 }, 'sigma'],
    ['lognormal', { mu: Number.NaN, sigma: 1 }, 'mu'],
    ['lognormal', { mu: Infinity, sigma: 1 }, 'mu'],
    ['lognormal', { sigma: 1 }, 'mu'],
    ['lognormal', { mu: 0, sigma: Infinity }, 'sigma'],
    ['uniform', { low: 1, high: 1 }, 'high'],
    ['uniform', { low: 2, high: 1 }, 'high'],
    ['uniform', { low: -Infinity, high: 1 }, 'low'],
    ['uniform', { low: 0, high: Number.NaN }, 'high'],
    ['uniform', { low: 0 }, 'high'],
    ['exponential', { rate: 0 }, 'rate'],
    ['exponential', { rate: -2 }, 'rate'],
    ['exponential', { rate: Infinity }, 'rate'],
    ['exponential', {}, 'rate'],
    ['gamma', { shape: 2, rate: 1, scale: 1 }, 'scale'],
    ['gamma', { shape: 2 }, 'rate'],
    ['gamma', { shape: 0, rate: 1 }, 'shape'],
    ['gamma', { shape: -1, scale: 1 }, 'shape'],
    ['gamma', { shape: 2, rate: -1 }, 'rate'],
    ['gamma', { shape: 2, scale: 0 }, 'scale'],
    ['gamma', { shape: Number.NaN, rate: 1 }, 'shape'],
    ['gamma', { rate: 1 }, 'shape'],
    ['beta', { alpha: 0, beta: 1 }, 'alpha'],
    ['beta', { alpha: 1, beta: -1 }, 'beta'],
    ['beta', { alpha: 1, beta: Infinity }, 'beta'],
    ['beta', { alpha: 1 }, 'beta'],
    ['student_t', { df: 0 }, 'df'],
    ['student_t', { df: -3 }, 'df'],
    ['student_t', { df: Infinity }, 'df'],
    ['student_t', {}, 'df'],
    ['student_t', { df: 3, scale: 0 }, 'scale'],
    ['student_t', { df: 3, loc: Number.NaN }, 'loc'],
    ['student_t', { df: 3, loc: 'zero' }, 'loc'],
    ['laplace', { loc: 0, scale: 0 }, 'scale'],
    ['laplace', { loc: Infinity, scale: 1 }, 'loc'],
    ['laplace', { scale: 1 }, 'loc'],
    ['cauchy', { loc: 0, scale: -1 }, 'scale'],
    ['cauchy', { loc: 0 }, 'scale'],
    ['cauchy', { loc: Number.NaN, scale: 1 }, 'loc'],
    ['weibull', { shape: 0, scale: 1 }, 'shape'],
    ['weibull', { shape: 1, scale: -1 }, 'scale'],
    ['weibull', { shape: 1, scale: Number.NaN }, 'scale'],
    ['weibull', { scale: 1 }, 'shape'],
  ];
  for (const [family, params, path] of bad) {
    it(`${family} ${JSON.stringify(params, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))} -> ${path}`, () => {
      let err: unknown;
      try {
        createDistribution({ family, ...params });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidInputError);
      const issue = (err as InvalidInputError).issues[0]!;
      expect(issue.path).toBe(path);
      expect(issue.message.length).toBeGreaterThan(0);
    });
  }

  it('names the rule and the value', () => {
    expect(() => weibullFamily.create({ family: 'weibull', shape: 1, scale: -1 })).toThrow(
      'scale: must be a finite number > 0 (got -1)',
    );
    expect(() => uniformFamily.create({ family: 'uniform', low: 2, high: 1 })).toThrow(
      /high: must be greater than low/,
    );
    expect(() => gammaFamily.create({ family: 'gamma', shape: 1, rate: 1, scale: 1 })).toThrow(
      /exactly one of rate or scale/,
    );
  });

  it('student_t fills in loc = 0 and scale = 1', () => {
    const d = make({ family: 'student_t', df: 4 });
    expect(d.spec).toEqual({ family: 'student_t', df: 4, loc: 0, scale: 1 });
  });

  it('gamma keeps whichever of rate and scale it was given', () => {
    expect(make({ family: 'gamma', shape: 2, scale: 3 }).spec).toEqual({
      family: 'gamma',
      shape: 2,
      scale: 3,
    });
    expect(make({ family: 'gamma', shape: 2, rate: 3 }).spec).toEqual({ family: 'gamma', shape: 2, rate: 3 });
    expect(make({ family: 'gamma', shape: 2, scale: 4 }).mean()).toBe(8);
    expect(make({ family: 'gamma', shape: 2, rate: 4 }).mean()).toBe(0.5);
  });

  it('every family describes itself for the catalogue', () => {
    const continuous = FAMILIES.filter((f) => CONTINUOUS.includes(f.name));
    expect(continuous).toHaveLength(CONTINUOUS.length);
    for (const f of continuous) {
      expect(f.kind).toBe('continuous');
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.support.length).toBeGreaterThan(0);
      expect(f.params.length).toBeGreaterThan(0);
      for (const p of f.params) expect(p.constraint.length).toBeGreaterThan(0);
    }
  });
});
