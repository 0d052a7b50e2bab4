import { describe, expect, it } from 'vitest';
import { fitFamily } from '../../../src/core/fit/index.js';
import type { FitData, FitOptions } from '../../../src/core/fit/types.js';
import { createRng } from '../../../src/core/rng/index.js';
import { draw, drawMvn, samplers } from './samplers.js';

const OPTS: FitOptions = { confidence: 0.95, goodnessOfFit: false, seed: 11 };

/** A seeded 2-D mixture: component labels from stream 1, points from each component's stream. */
function mixture2d(n: number, seed: number) {
  const truth = [
    {
      w: 0.25,
      mean: [-6, 0],
      L: [
        [1, 0],
        [0.3, 0.8],
      ],
    },
    {
      w: 0.45,
      mean: [0, 5],
      L: [
        [0.7, 0],
        [0, 0.7],
      ],
    },
    {
      w: 0.3,
      mean: [6, -2],
      L: [
        [1.2, 0],
        [-0.5, 0.6],
      ],
    },
  ];
  const labels = createRng(seed, 1);
  const out = new Float64Array(n * 2);
  const pools = truth.map((t, c) => drawMvn(t.mean, t.L, n, seed, 10 + c));
  for (let i = 0; i < n; i++) {
    const u = labels.uniform();
    const c = u < 0.25 ? 0 : u < 0.7 ? 1 : 2;
    out[2 * i] = pools[c]![2 * i]!;
    out[2 * i + 1] = pools[c]![2 * i + 1]!;
  }
  return { truth, data: { values: out, n, dim: 2, rows: true } as FitData };
}

describe('Gaussian mixtures by EM', () => {
  it('recovers a well-separated 3-component 2-D mixture (up to order)', () => {
    const { truth, data } = mixture2d(6000, 5);
    const r = fitFamily('mixture', data, { ...OPTS, components: 3 });
    expect(r.converged).toBe(true);
    expect(r.method).toBe('em');
    expect(r.parameters).toBe(2 + 3 * (2 + 3));
    const d = r.distribution as unknown as {
      weights: number[];
      components: Array<{ family: string; mean: number[]; cov: number[][] }>;
    };
    expect(d.components.map((c) => c.family)).toEqual([
      'multivariate_normal',
      'multivariate_normal',
      'multivariate_normal',
    ]);
    // Components come sorted by their first coordinate, as the truth is.
    truth.forEach((t, c) => {
      const fit = d.components[c]!;
      expect(Math.abs(d.weights[c]! - t.w)).toBeLessThan(0.03);
      for (let a = 0; a < 2; a++) expect(Math.abs(fit.mean[a]! - t.mean[a]!)).toBeLessThan(0.1);
      const cov = [
        [t.L[0]![0]! ** 2, t.L[0]![0]! * t.L[1]![0]!],
        [t.L[0]![0]! * t.L[1]![0]!, t.L[1]![0]! ** 2 + t.L[1]![1]! ** 2],
      ];
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) expect(Math.abs(fit.cov[a]![b]! - cov[a]![b]!)).toBeLessThan(0.15);
      // Each mean is within a few standard errors.
      for (let a = 0; a < 2; a++) {
        const se = r.standardErrors[`components[${c}].mean[${a}]`]!;
        expect(se).toBeGreaterThan(0);
        expect(Math.abs(fit.mean[a]! - t.mean[a]!) / se).toBeLessThan(5);
      }
    });
    expect(Math.abs(d.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(r.standardErrors['weights[2]']).toBeGreaterThan(0);
  });

  it('the log-likelihood trace never decreases and ends at the reported value', () => {
    const { data } = mixture2d(2000, 8);
    const r = fitFamily('mixture', data, { ...OPTS, components: 3 });
    const t = r.logLikelihoodTrace!;
    expect(t.length).toBeGreaterThan(2);
    for (let i = 1; i < t.length; i++)
      expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]! - 1e-9 * Math.abs(t[i]!));
    expect(t[t.length - 1]).toBe(r.logLikelihood);
  });

  it('univariate: recovers three components, reproducibly for a seed', () => {
    const a = draw(samplers.normal(-4, 1), 3000, 1);
    const b = draw(samplers.normal(0, 0.7), 5000, 2);
    const c = draw(samplers.normal(5, 1.5), 2000, 3);
    const x = new Float64Array([...a, ...b, ...c]);
    const data: FitData = { values: x, n: x.length, dim: 1, rows: false };
    const r = fitFamily('mixture', data, { ...OPTS, components: 3, goodnessOfFit: true });
    const d = r.distribution as unknown as {
      weights: number[];
      components: Array<{ mean: number; std: number }>;
    };
    expect(d.components.map((c) => c.mean)).toEqual([
      expect.closeTo(-4, 1),
      expect.closeTo(0, 1),
      expect.closeTo(5, 1),
    ]);
    expect(d.weights[0]).toBeCloseTo(0.3, 1);
    expect(Math.abs(d.components[2]!.std - 1.5)).toBeLessThan(0.1);
    expect(r.goodnessOfFit!.pValue).toBeGreaterThan(0.001);
    const again = fitFamily('mixture', data, { ...OPTS, components: 3, goodnessOfFit: true });
    expect(again).toEqual(r);
    expect(r.seed).toBe(11);
  });

  it('one component is the normal fit', () => {
    const x = draw(samplers.normal(2, 3), 500, 4);
    const data: FitData = { values: x, n: x.length, dim: 1, rows: false };
    const m = fitFamily('mixture', data, { ...OPTS, components: 1 });
    const n = fitFamily('normal', data, OPTS);
    const comp = (m.distribution as unknown as { components: Array<{ mean: number; std: number }> })
      .components[0]!;
    const nd = n.distribution as unknown as { mean: number; std: number };
    expect(comp.mean).toBeCloseTo(nd.mean, 10);
    expect(comp.std).toBeCloseTo(nd.std, 8);
    expect(m.logLikelihood).toBeCloseTo(n.logLikelihood, 8);
    expect(m.standardErrors['components[0].mean']).toBeCloseTo(n.standardErrors.mean!, 6);
  });

  it('variance floors: a point mass in the data does not collapse a component', () => {
    const x = new Float64Array(400);
    const rng = createRng(3);
    for (let i = 0; i < 300; i++) x[i] = rng.normal();
    for (let i = 300; i < 400; i++) x[i] = 10; // 100 copies of one value
    const data: FitData = { values: x, n: x.length, dim: 1, rows: false };
    const r = fitFamily('mixture', data, { ...OPTS, components: 2 });
    expect(Number.isFinite(r.logLikelihood)).toBe(true);
    const comps = (r.distribution as unknown as { components: Array<{ std: number }> }).components;
    for (const c of comps) expect(c.std).toBeGreaterThan(0);
    // The point-mass component sits at the floor: sqrt(1e-6 x the data variance).
    expect(comps[1]!.std).toBeGreaterThanOrEqual(Math.sqrt(1e-6 * 17) * 0.99);
  });

  it('a non-converged EM says so', () => {
    // Heavily overlapping components: EM crawls, and 3 iterations are not enough.
    const x = new Float64Array([
      ...draw(samplers.normal(0, 1), 600, 1),
      ...draw(samplers.normal(1, 1.5), 400, 2),
    ]);
    const data: FitData = { values: x, n: x.length, dim: 1, rows: false };
    const r = fitFamily('mixture', data, { ...OPTS, components: 2, maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.notes!.join(' ')).toMatch(/not converged/);
  });
});
