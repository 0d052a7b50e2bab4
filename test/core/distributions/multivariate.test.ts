import { describe, expect, it } from 'vitest';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import { createRng } from '../../../src/core/rng/index.js';
import {
  drawPoints,
  expectAllClose,
  expectClose,
  expectInvalid,
  expectMatrixClose,
  expectMeanCovWithin5Se,
  fixture,
  multivariate,
} from './discrete-helpers.js';

/*
 * Reference values from test/reference/discrete.py: the multivariate normal's log density from the
 * definition in mpmath (and scipy, which agrees to 1e-12), Dirichlet values from mpmath.
 * Tolerances: log density 1e-10 relative (+1e-13 absolute for values near 0); mean and covariance
 * 1e-12 relative to the largest entry; entropy 1e-10 relative. The Dirichlet with alpha in the
 * thousands loses about 1e-12 relative to cancellation in log B(alpha) (terms of 2e4 summing to
 * about 10); that is inside the tolerance.
 */
const { multivariate: cases } = fixture();

describe('multivariate families against the mpmath/scipy reference', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = multivariate(c.spec);
      expect(d.kind).toBe('multivariate');
      expect(d.dim).toBe(c.mean.length);
      c.points.forEach((x, i) => {
        expectClose(d.logPdf(x), c.logpdf[i]!, 1e-10, 1e-13, `logPdf(${x})`);
      });
      expectAllClose(d.mean(), c.mean, 1e-12, 1e-300, 'mean');
      expectMatrixClose(d.covariance(), c.covariance, 1e-12, 'covariance');
      expectClose(d.entropy(), c.entropy, 1e-10, 1e-14, 'entropy');
      expect(multivariate(d.spec).logPdf(c.points[0]!)).toBe(d.logPdf(c.points[0]!));
    });
  }
});

describe('multivariate samplers', () => {
  for (const c of cases) {
    it(`${c.name}: 1e5 draws, mean and covariance within 5 SE`, () => {
      const d = multivariate(c.spec);
      const xs = drawPoints(d, `mv-${c.name}`, 100_000);
      expectMeanCovWithin5Se(d, xs, c.name);
      if (d.family === 'dirichlet') {
        for (let r = 0; r < 100_000; r++) {
          let s = 0;
          for (let i = 0; i < d.dim; i++) {
            const v = xs[r * d.dim + i]!;
            if (!(v >= 0 && v <= 1)) expect.fail(`coordinate ${v} off the simplex`);
            s += v;
          }
          if (Math.abs(s - 1) > 1e-12) expect.fail(`draw sums to ${s}`);
        }
      }
    });
  }

  it('dirichlet with tiny alpha still lands on the simplex (log-space normalisation)', () => {
    const d = multivariate({ family: 'dirichlet', alpha: [0.001, 0.002, 0.001] });
    const xs = drawPoints(d, 4, 10_000);
    for (let r = 0; r < 10_000; r++) {
      const s = xs[r * 3]! + xs[r * 3 + 1]! + xs[r * 3 + 2]!;
      if (!(Math.abs(s - 1) < 1e-12) || xs.subarray(r * 3, r * 3 + 3).some(Number.isNaN)) {
        expect.fail(`draw ${r} is not on the simplex: ${xs.subarray(r * 3, r * 3 + 3)}`);
      }
    }
    // The mean is still alpha / alpha0.
    let m0 = 0;
    for (let r = 0; r < 10_000; r++) m0 += xs[r * 3]! / 10_000;
    expect(Math.abs(m0 - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / 1.004 / 10_000));
  });

  it('same seed: bit-identical; another seed: different', () => {
    for (const c of cases) {
      const d = multivariate(c.spec);
      const a = drawPoints(d, 'x', 1000);
      const b = drawPoints(multivariate(c.spec), 'x', 1000);
      const z = drawPoints(d, 'y', 1000);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), c.name).toBe(true);
      expect(a).not.toEqual(z);
    }
  });

  it('mvn draws are mean + L eps with eps the rng normals in order', () => {
    const d = multivariate({
      family: 'multivariate_normal',
      mean: [1, 2],
      cov: [
        [4, 2],
        [2, 5],
      ],
    });
    // L = [[2, 0], [1, 2]]
    const rng = createRng(11);
    const eps = [rng.normal(), rng.normal()];
    const out = new Float64Array(2);
    d.sample(createRng(11), out, 0);
    expectClose(out[0]!, 1 + 2 * eps[0]!, 1e-15, 1e-15, 'x0');
    expectClose(out[1]!, 2 + eps[0]! + 2 * eps[1]!, 1e-15, 1e-15, 'x1');
  });
});

describe('multivariate densities: edges', () => {
  it('dirichlet is -Infinity off the simplex and handles faces by the limit', () => {
    const d = multivariate({ family: 'dirichlet', alpha: [2, 3, 1] });
    expect(d.logPdf([0.5, 0.6, 0.1])).toBe(-Infinity);
    expect(d.logPdf([-0.1, 0.6, 0.5])).toBe(-Infinity);
    expect(d.logPdf([0, 0.5, 0.5])).toBe(-Infinity); // alpha_0 = 2 > 1
    expect(Number.isFinite(d.logPdf([0.5, 0.5, 0]))).toBe(true); // alpha_2 = 1: no factor
    const e = multivariate({ family: 'dirichlet', alpha: [0.5, 3] });
    expect(e.logPdf([0, 1])).toBe(Infinity);
    expect(d.supportText).toMatch(/2-simplex/);
  });

  it('a point of the wrong dimension is an InvalidInputError', () => {
    const d = multivariate({
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0],
        [0, 1],
      ],
    });
    expectInvalid(() => d.logPdf([1, 2, 3]), 'x');
    expectInvalid(() => multivariate({ family: 'dirichlet', alpha: [1, 1] }).logPdf([1]), 'x');
  });

  it('mvn logPdf matches the product of normals for a diagonal covariance', () => {
    const d = multivariate({
      family: 'multivariate_normal',
      mean: [1, -1],
      cov: [
        [4, 0],
        [0, 0.25],
      ],
    });
    const x = [2.5, 0.3];
    const ref =
      -0.5 * ((x[0]! - 1) ** 2 / 4 + (x[1]! + 1) ** 2 / 0.25) -
      Math.log(2 * Math.PI) -
      0.5 * Math.log(4 * 0.25);
    expectClose(d.logPdf(x), ref, 1e-14, 0, 'logPdf');
    expect(d.supportText).toBe('R^2');
  });

  it('mvn symmetrises a covariance that is symmetric only to rounding', () => {
    const d = multivariate({
      family: 'multivariate_normal',
      mean: [0, 0],
      cov: [
        [1, 0.3 + 1e-14],
        [0.3, 1],
      ],
    });
    const c = d.covariance();
    expect(c[0]![1]).toBe(c[1]![0]);
  });
});

describe('multivariate validation', () => {
  const mvn = (mean: unknown, cov: unknown) => () =>
    createDistribution({ family: 'multivariate_normal', mean, cov });
  it('multivariate_normal', () => {
    expectInvalid(
      mvn(
        [0, 0, 0],
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, -1],
        ],
      ),
      'cov',
      /^must be positive definite \(Cholesky failed at pivot 2\)$/,
    );
    expectInvalid(
      mvn(
        [0, 0],
        [
          [1, 2],
          [2, 1],
        ],
      ),
      'cov',
      /positive definite.*pivot 1/,
    );
    // Singular (positive semi-definite): rejected too, the pivot is rounding noise.
    expectInvalid(
      mvn(
        [0, 0],
        [
          [1, 1],
          [1, 1],
        ],
      ),
      'cov',
      /positive definite/,
    );
    expectInvalid(
      mvn(
        [0, 0],
        [
          [1, 0.5],
          [0.4, 1],
        ],
      ),
      'cov',
      /symmetric/,
    );
    expectInvalid(
      mvn(
        [0, 0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      'cov',
      /3 x 3/,
    );
    expectInvalid(mvn([0, 0], [[1, 0], [0]]), 'cov.1', /2 entries/);
    expectInvalid(
      mvn(
        [0, 0],
        [
          [1, 0, 0],
          [0, 1, 0],
        ],
      ),
      'cov.0',
      /2 entries/,
    );
    expectInvalid(mvn([0, 0], [[1, 0], 'x']), 'cov.1');
    expectInvalid(
      mvn(
        [0, 0],
        [
          [1, 0],
          [0, Number.NaN],
        ],
      ),
      'cov.1.1',
    );
    expectInvalid(
      mvn(
        [0, Infinity],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      'mean.1',
    );
    expectInvalid(mvn([], []), 'mean');
    expectInvalid(mvn(undefined, [[1]]), 'mean');
    expectInvalid(mvn([0], undefined), 'cov');
  });

  it('dirichlet', () => {
    const dir = (alpha: unknown) => () => createDistribution({ family: 'dirichlet', alpha });
    expectInvalid(dir([1, 0]), 'alpha.1', /> 0/);
    expectInvalid(dir([1, -2, 3]), 'alpha.1');
    expectInvalid(dir([1]), 'alpha', /at least 2/);
    expectInvalid(dir([1, Infinity]), 'alpha.1');
    expectInvalid(dir('1,2'), 'alpha');
  });

  it('paths are prefixed when nested', () => {
    expectInvalid(
      () =>
        createDistribution(
          {
            family: 'multivariate_normal',
            mean: [0, 0],
            cov: [
              [1, 2],
              [2, 1],
            ],
          },
          'p',
        ),
      'p.cov',
    );
  });
});
