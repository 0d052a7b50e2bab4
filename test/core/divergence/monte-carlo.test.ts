/**
 * Monte Carlo KL: against integrals (test/fixtures/kl.json) within 4 standard errors; the same seed
 * gives the same bits, however the chunks are batched (as the job engine batches them).
 */
import { describe, expect, it } from 'vitest';
import {
  defaultKlN,
  emptyKlStats,
  foldKlStats,
  klChunks,
  klChunksPayload,
  klProgress,
  mergeKlStats,
  planKl,
  runKl,
  summarizeKlMonteCarlo,
} from '../../../src/core/divergence/index.js';
import { fixture, label, num } from './fixture.js';

describe('Monte Carlo against numerical integration (within 4 standard errors)', () => {
  it.each(fixture.monteCarlo.map((c, i) => [label(c.p, c.q), c, i] as const))('%s', (_name, c, i) => {
    const r = runKl({ p: c.p, q: c.q, method: 'monte_carlo', n: 40_000, seed: 1000 + i });
    expect(r.methods).toEqual({
      forward: 'monte_carlo',
      reverse: 'monte_carlo',
      jensenShannon: 'monte_carlo',
    });
    for (const k of ['forward', 'reverse', 'jensenShannon'] as const) {
      const ref = c[k];
      if (ref === undefined) continue;
      const se = r.stdErrors![k]!;
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(r[k] - num(ref)), `${k}: ${r[k]} vs ${ref}, se ${se}`).toBeLessThan(4 * se);
      expect(r.cis![k]!.low).toBeLessThan(r[k]);
      expect(r.cis![k]!.high).toBeGreaterThan(r[k]);
    }
    expect(r.stdError).toBe(r.stdErrors!.forward);
    expect(r.ci).toEqual(r.cis!.forward);
    expect(r.seed).toBe(1000 + i);
    expect(r.n).toBe(40_000);
  });

  it('mixtures of multivariate normals: auto chooses Monte Carlo and says so', () => {
    const c = fixture.monteCarlo[0]!;
    const r = runKl({ p: c.p, q: c.q, n: 20_000, seed: 7 });
    expect(r.method).toBe('monte_carlo');
    expect(r.entropyP).toBeTypeOf('number');
    expect(r.note).toMatch(/entropyP is a Monte Carlo estimate/);
  });
});

describe('default n', () => {
  it('100,000 draws, fewer for costly high-dimensional pairs (down to 10,000)', () => {
    const mvn = (d: number) => ({
      family: 'multivariate_normal',
      mean: Array.from({ length: d }, () => 0),
      cov: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))),
    });
    expect(defaultKlN({ family: 'normal', mean: 0, std: 1 }, { family: 'laplace', loc: 0, scale: 1 })).toBe(
      100_000,
    );
    expect(defaultKlN(fixture.monteCarlo[0]!.p, fixture.monteCarlo[0]!.q)).toBe(100_000);
    expect(defaultKlN(mvn(5), mvn(5))).toBe(40_000);
    expect(defaultKlN(mvn(100), mvn(100))).toBe(10_000);
    const plan = planKl({ p: mvn(100), q: { ...mvn(100), mean: Array.from({ length: 100 }, () => 1) } });
    expect(plan.mc?.n).toBe(10_000);
    expect(plan.mc?.quantities).toEqual({ forward: false, reverse: false, jensenShannon: true });
  });
});

describe('reproducibility', () => {
  const p = {
    family: 'mixture',
    weights: [0.3, 0.7],
    components: [
      { family: 'normal', mean: -2, std: 1 },
      { family: 'normal', mean: 1, std: 0.5 },
    ],
  };
  const q = { family: 'normal', mean: 0, std: 2 };

  it('same seed, same answer, bit for bit; another seed, another answer', () => {
    const a = runKl({ p, q, method: 'monte_carlo', n: 150_000, seed: 'abc' });
    const b = runKl({ p, q, method: 'monte_carlo', n: 150_000, seed: 'abc' });
    const c = runKl({ p, q, method: 'monte_carlo', n: 150_000, seed: 'abd' });
    expect(b).toEqual(a);
    expect(Object.is(a.forward, b.forward)).toBe(true);
    expect(c.forward).not.toBe(a.forward);
  });

  it('chunks computed in batches (as a job does) fold to the synchronous answer exactly', () => {
    const chunkSize = 10_000;
    const plan = planKl({ p, q, method: 'monte_carlo', n: 45_000, seed: 3 }, { chunkSize });
    expect(plan.mc?.chunkCount).toBe(5);
    const whole = summarizeKlMonteCarlo(plan, klChunks(klChunksPayload(plan)));
    let acc = emptyKlStats();
    for (const [first, count] of [
      [0, 2],
      [2, 1],
      [3, 2],
    ] as const) {
      for (const c of klChunks(klChunksPayload(plan, first, count))) acc = mergeKlStats(acc, c);
    }
    expect(summarizeKlMonteCarlo(plan, acc)).toEqual(whole);
    expect(runKl({ p, q, method: 'monte_carlo', n: 45_000, seed: 3, chunkSize })).toEqual(whole);
    // Chunk statistics are plain data (structured-clonable for the pool).
    expect(structuredClone(foldKlStats(klChunks(klChunksPayload(plan))))).toEqual(acc);
    const progress = klProgress(plan, acc);
    expect(progress.estimate).toBe(whole.forward);
    expect(progress.stdError).toBe(whole.stdError);
  });

  it('Monte Carlo for only Jensen-Shannon (two multivariate normals): forward and reverse stay exact', () => {
    const a = {
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    };
    const b = {
      family: 'multivariate_normal',
      mean: [1, 0],
      cov: [
        [2, 0.3],
        [0.3, 1],
      ],
    };
    const r = runKl({ p: a, q: b, n: 20_000, seed: 5 });
    expect(r.methods).toEqual({
      forward: 'closed_form',
      reverse: 'closed_form',
      jensenShannon: 'monte_carlo',
    });
    expect(r.stdError).toBeUndefined();
    expect(r.stdErrors?.jensenShannon).toBeGreaterThan(0);
    expect(r.jensenShannon).toBeGreaterThan(0);
    expect(r.jensenShannon).toBeLessThan(Math.LN2);
    // JS below both KLs (JS <= min(KL)/4 + ... is not a theorem; JS <= log 2 and JS <= (KL_f + KL_r) / 4 is)
    expect(r.jensenShannon).toBeLessThanOrEqual(
      (r.forward + r.reverse) / 4 + 4 * r.stdErrors!.jensenShannon!,
    );
    expect(r.seed).toBe(5);
  });

  it('support mismatch found by sampling: Infinity with the point named', () => {
    const mix = {
      family: 'mixture',
      weights: [0.5, 0.5],
      components: [
        {
          family: 'multivariate_normal',
          mean: [0, 0],
          cov: [
            [1, 0],
            [0, 1],
          ],
        },
        {
          family: 'multivariate_normal',
          mean: [3, 3],
          cov: [
            [1, 0],
            [0, 1],
          ],
        },
      ],
    };
    const dir = { family: 'dirichlet', alpha: [1, 2] };
    // Different spaces (R^2 against the simplex): exact, no sampling needed.
    const r = runKl({ p: mix, q: dir, method: 'monte_carlo', n: 1000, seed: 1 });
    expect(r.forward).toBe(Infinity);
    expect(r.reverse).toBe(Infinity);
    expect(r.jensenShannon).toBe(Math.LN2);
    expect(r.note).toMatch(/mutually singular/);
  });
});
