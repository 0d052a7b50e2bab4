import betaKurtosis from '@stdlib/stats-base-dists-beta-kurtosis';
import exponentialKurtosis from '@stdlib/stats-base-dists-exponential-kurtosis';
import gammaKurtosis from '@stdlib/stats-base-dists-gamma-kurtosis';
import laplaceKurtosis from '@stdlib/stats-base-dists-laplace-kurtosis';
import lognormalKurtosis from '@stdlib/stats-base-dists-lognormal-kurtosis';
import tKurtosis from '@stdlib/stats-base-dists-t-kurtosis';
import weibullKurtosis from '@stdlib/stats-base-dists-weibull-kurtosis';
import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec, UnivariateDistribution } from '../../../src/core/distributions/types.js';
import { createRng } from '../../../src/core/rng/index.js';

function make(spec: DistributionSpec): UnivariateDistribution {
  return createDistribution(spec) as UnivariateDistribution;
}

/** Excess kurtosis (NaN or Infinity where it does not exist), for the standard error of the variance. */
function excessKurtosis(s: Record<string, number>, family: string): number {
  switch (family) {
    case 'normal':
      return 0;
    case 'uniform':
      return -1.2;
    case 'lognormal':
      return lognormalKurtosis(s.mu!, s.sigma!);
    case 'exponential':
      return exponentialKurtosis(s.rate!);
    case 'gamma':
      return gammaKurtosis(s.shape!, s.rate ?? 1 / s.scale!);
    case 'beta':
      return betaKurtosis(s.alpha!, s.beta!);
    case 'student_t':
      return tKurtosis(s.df!);
    case 'laplace':
      return laplaceKurtosis(s.loc!, s.scale!);
    case 'weibull':
      return weibullKurtosis(s.shape!, s.scale!);
    default:
      return Number.NaN; // cauchy
  }
}

/**
 * The Kolmogorov-Smirnov p-value for statistic D with n draws: the asymptotic Kolmogorov
 * distribution with Stephens' small-sample correction (Numerical Recipes' probks).
 */
function ksPValue(d: number, n: number): number {
  const sq = Math.sqrt(n);
  const lambda = (sq + 0.12 + 0.11 / sq) * d;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function ksStatistic(draws: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(draws).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

const CASES: DistributionSpec[] = [
  { family: 'normal', mean: 0, std: 1 },
  { family: 'normal', mean: 3, variance: 4 },
  { family: 'lognormal', mu: 0, sigma: 0.5 },
  { family: 'lognormal', mu: 1, sigma: 0.05 },
  { family: 'uniform', low: -3, high: 5.5 },
  { family: 'exponential', rate: 2.5 },
  { family: 'gamma', shape: 0.2, rate: 1 },
  { family: 'gamma', shape: 1000, scale: 0.5 },
  { family: 'gamma', shape: 2.5, rate: 3 },
  { family: 'gamma', shape: 0.05, scale: 2 },
  { family: 'beta', alpha: 0.3, beta: 0.7 },
  { family: 'beta', alpha: 200, beta: 300 },
  { family: 'beta', alpha: 2, beta: 5 },
  // Tiny parameters put mass within 1e-16 of 1, where doubles cannot follow (beta(0.05, 0.05) puts
  // 8% of its draws there, all rounding to exactly 1, which a KS test sees as a jump): near 0 they can.
  { family: 'beta', alpha: 0.05, beta: 2 },
  { family: 'beta', alpha: 0.2, beta: 0.2 },
  { family: 'student_t', df: 1 },
  { family: 'student_t', df: 1.5, loc: 1, scale: 2 },
  { family: 'student_t', df: 3 },
  { family: 'student_t', df: 10, loc: -2, scale: 0.5 },
  { family: 'student_t', df: 30 },
  { family: 'student_t', df: 0.5 },
  { family: 'laplace', loc: 0, scale: 1 },
  { family: 'laplace', loc: 3, scale: 0.5 },
  { family: 'cauchy', loc: 0, scale: 1 },
  { family: 'cauchy', loc: -2, scale: 3 },
  { family: 'weibull', shape: 0.5, scale: 2 },
  { family: 'weibull', shape: 1.5, scale: 1 },
  { family: 'weibull', shape: 5, scale: 3 },
];

const N = 100_000;

const label = (spec: DistributionSpec) =>
  Object.entries(spec)
    .map(([k, v]) => (k === 'family' ? v : `${k}=${v}`))
    .join(' ');

/**
 * Every case draws 1e5 values from a fixed seed (its label), so the checks are deterministic:
 * - Kolmogorov-Smirnov against the family's own cdf, p-value > 1e-3 (with 28 cases, a correct
 *   sampler would fail some case for about 3% of seed choices; these seeds pass);
 * - the sample mean within 5 standard errors sqrt(var / n) of the exact mean, where the variance
 *   exists (not for the Cauchy or Student t with df <= 2);
 * - the sample variance within 5 standard errors sqrt((mu4 - sigma^4) / n) of the exact variance,
 *   where the fourth moment exists (not for Student t with df <= 4).
 */
describe('sampling is exact in law', () => {
  for (const spec of CASES) {
    it(label(spec), () => {
      const d = make(spec);
      const draws = new Float64Array(N);
      d.sampleInto(createRng(label(spec)), draws);
      for (const x of draws) {
        if (!(x >= d.support.lower && x <= d.support.upper)) throw new Error(`draw ${x} outside the support`);
      }

      const ks = ksStatistic(draws, (x) => d.cdf(x));
      const p = ksPValue(ks, N);
      expect(p, `KS D = ${ks}`).toBeGreaterThan(1e-3);

      const variance = d.variance();
      if (Number.isFinite(variance)) {
        let sum = 0;
        for (const x of draws) sum += x;
        const mean = sum / N;
        const se = Math.sqrt(variance / N);
        expect(Math.abs(mean - d.mean()), `mean ${mean} vs ${d.mean()}`).toBeLessThan(5 * se);

        const kurt = excessKurtosis(spec as Record<string, number>, spec.family);
        if (Number.isFinite(kurt)) {
          let ss = 0;
          for (const x of draws) ss += (x - mean) ** 2;
          const sampleVar = ss / (N - 1);
          // Var(s^2) ~ (mu4 - sigma^4) / n = (kurtosis + 2) sigma^4 / n.
          const seVar = variance * Math.sqrt((kurt + 2) / N);
          expect(Math.abs(sampleVar - variance), `variance ${sampleVar} vs ${variance}`).toBeLessThan(
            5 * seVar,
          );
        }
      } else {
        expect(d.family === 'cauchy' || (d.family === 'student_t' && (spec.df as number) <= 2)).toBe(true);
      }
    });
  }
});

describe('seeded sampling is reproducible', () => {
  for (const spec of CASES) {
    it(label(spec), () => {
      const d = make(spec);
      const a = new Float64Array(2000);
      const b = new Float64Array(2000);
      const c = new Float64Array(2000);
      d.sampleInto(createRng(42), a);
      d.sampleInto(createRng(42), b);
      d.sampleInto(createRng(43), c);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);

      // sample() one at a time gives the same numbers, bit for bit, as sampleInto's tight loop.
      const rng = createRng(42);
      const one = Float64Array.from({ length: 2000 }, () => d.sample(rng));
      expect(Buffer.from(one.buffer).equals(Buffer.from(a.buffer))).toBe(true);

      // And a new instance from the canonical spec draws the same stream.
      const again = new Float64Array(2000);
      make(d.spec).sampleInto(createRng(42), again);
      expect(Buffer.from(again.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    });
  }

  it('beta with tiny alpha and beta draws in log space (no NaN, ends of [0, 1] allowed)', () => {
    const d = make({ family: 'beta', alpha: 0.001, beta: 0.002 });
    const out = new Float64Array(10_000);
    d.sampleInto(createRng('tiny beta'), out);
    let low = 0;
    for (const x of out) {
      expect(x >= 0 && x <= 1).toBe(true);
      if (x < 0.5) low++;
    }
    // P(X < 1/2) = 2/3 to within 1e-3 for these parameters (the mass sits at the ends, in ratio beta : alpha).
    expect(Math.abs(low / out.length - 2 / 3)).toBeLessThan(0.03);
  });

  it('student_t with a tiny df stays finite or infinite, never NaN', () => {
    const d = make({ family: 'student_t', df: 0.05 });
    const out = new Float64Array(10_000);
    d.sampleInto(createRng('tiny df'), out);
    for (const x of out) expect(Number.isNaN(x)).toBe(false);
  });
});
