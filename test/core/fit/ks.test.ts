import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ksStatistic } from '../../../src/core/fit/ks.js';
import { meanVar, meanVarTwoPass, median, quantileOf, sortedCopy } from '../../../src/core/fit/numeric.js';
import { createRng } from '../../../src/core/rng/index.js';

function bruteKs(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

describe('KS statistic', () => {
  it('equals the brute-force maximum, for good and bad fits, with ties', () => {
    const rng = createRng(42);
    for (const [n, shift] of [
      [10, 0],
      [1000, 0],
      [50_000, 0],
      [50_000, 0.05],
      [20_000, 1],
    ] as const) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.round((rng.normal() + shift) * 1000) / 1000;
      const s = sortedCopy(x);
      const cdf = (v: number) => normalCdf(v, 0, 1);
      expect(ksStatistic(s, cdf)).toBe(bruteKs(s, cdf));
    }
  });

  it('evaluates the cdf far fewer times than n for a good fit', () => {
    const rng = createRng(1);
    const n = 100_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.normal();
    let calls = 0;
    const d = ksStatistic(sortedCopy(x), (v) => {
      calls++;
      return normalCdf(v, 0, 1);
    });
    expect(d).toBeLessThan(0.01);
    expect(calls).toBeLessThan(n / 5);
  });

  it('p-values: monotone in d, 1 at 0, 0 at 1, and the classic critical value', () => {
    expect(kolmogorovSf(100, 0)).toBe(1);
    expect(kolmogorovSf(100, 1)).toBe(0);
    let prev = 1;
    for (let d = 0.01; d < 0.5; d += 0.01) {
      const p = kolmogorovSf(100, d);
      expect(p).toBeLessThanOrEqual(prev + 1e-15);
      prev = p;
    }
    // The asymptotic 5% critical value is 1.358 / sqrt(n).
    expect(kolmogorovSf(1e6, 1.358 / 1000)).toBeCloseTo(0.05, 3);
  });
});

describe('radix sort and selection', () => {
  it('sorts like Float64Array#sort, negatives, -0, infinities and duplicates included', () => {
    const rng = createRng(5);
    const n = 30_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++)
      x[i] = (rng.uniform() - 0.5) * 10 ** rng.integer(12) * (rng.integer(4) === 0 ? 0 : 1);
    x[3] = -0;
    x[4] = Infinity;
    x[5] = -Infinity;
    x[6] = Number.MIN_VALUE;
    x[7] = -Number.MAX_VALUE;
    const ours = sortedCopy(x);
    const ref = Float64Array.from(x).sort();
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (!(ours[i] === ref[i] || (ours[i] === 0 && ref[i] === 0))) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('one-pass mean and variance agree with two passes, also for a start far from the mean', () => {
    const rng = createRng(8);
    const x = new Float64Array(10_000);
    for (let i = 0; i < x.length; i++) x[i] = 1e9 + rng.normal();
    for (const data of [
      x,
      Float64Array.from(x).sort(),
      Float64Array.from(x, (v, i) => (i < 64 ? v + 1e6 : v)),
    ]) {
      const a = meanVar(data);
      const b = meanVarTwoPass(data);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-12 * Math.abs(b.mean));
      expect(Math.abs(a.variance - b.variance)).toBeLessThan(1e-9 * b.variance);
    }
  });

  it('median and quantiles match numpy (linear interpolation)', () => {
    expect(median(new Float64Array([3, 1, 2]))).toBe(2);
    expect(median(new Float64Array([4, 1, 3, 2]))).toBe(2.5);
    expect(quantileOf(new Float64Array([1, 2, 3, 4, 5]), 0.25)).toBe(2);
    expect(quantileOf(new Float64Array([10, 0, 30, 20]), 0.75)).toBe(22.5);
  });
});
