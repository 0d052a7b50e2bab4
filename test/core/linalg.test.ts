import { describe, expect, it } from 'vitest';
import {
  cholesky,
  choleskySolve,
  findAsymmetry,
  inverseFromCholesky,
  logDetFromCholesky,
  logDetSpd,
  lowerTimesVector,
  mahalanobisSquared,
  matMul,
  matVec,
  NotPositiveDefiniteError,
  solveLower,
  solveLowerMatrix,
  solveLowerTransposed,
  solveSpd,
  traceOfProduct,
  transpose,
  tryCholesky,
} from '../../src/core/linalg.js';
import { expectAllClose, expectClose, expectMatrixClose, fixture } from './distributions/discrete-helpers.js';

/*
 * Reference values from test/reference/discrete.py (numpy). The random 6 x 6 SPD matrix has a
 * condition number of ~1e3, so solves and inverses agree to ~cond * 1e-16 relative: 1e-12 is the
 * tolerance; the Cholesky factor and log-determinant are backward stable: 1e-13.
 */
const { linalg } = fixture();

describe('Cholesky', () => {
  it('factors the classic 3 x 3 example exactly', () => {
    const L = cholesky(linalg.known.matrix);
    expect(L).toEqual(linalg.known.cholesky);
    expectClose(logDetFromCholesky(L), linalg.known.logdet, 1e-15, 0, 'logdet');
  });

  it('matches numpy on a random SPD matrix, and L L^T reproduces A', () => {
    const { matrix, cholesky: ref } = linalg.random;
    const L = cholesky(matrix);
    expectMatrixClose(L, ref, 1e-13, 'L');
    expectMatrixClose(matMul(L, transpose(L)), matrix, 1e-14, 'L L^T');
    for (let i = 0; i < L.length; i++) for (let j = i + 1; j < L.length; j++) expect(L[i]![j]).toBe(0);
  });

  it('reports the failing pivot (0-based) of a matrix that is not positive definite', () => {
    const r = tryCholesky(linalg.notPositiveDefinite.matrix);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.pivot).toBe(linalg.notPositiveDefinite.pivot);
    expect(() => cholesky(linalg.notPositiveDefinite.matrix)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky([[-1]])).toThrow(/pivot 0/);
    expect(tryCholesky([[0]]).ok).toBe(false);
    expect(tryCholesky([[Number.NaN]]).ok).toBe(false);
  });

  it('rejects a singular (rank-deficient) matrix by default, accepts it with relTol 0 only if a pivot is positive', () => {
    const singular = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 10],
    ];
    const r = tryCholesky(singular);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.pivot).toBe(1);
    // A tiny but genuine pivot passes with relTol 0.
    expect(
      tryCholesky(
        [
          [1, 0],
          [0, 1e-300],
        ],
        0,
      ).ok,
    ).toBe(true);
  });
});

describe('solves, determinants, inverses', () => {
  const { matrix, b, solve, logdet, inverse } = linalg.random;
  const L = cholesky(matrix);

  it('choleskySolve and solveSpd match numpy.linalg.solve', () => {
    const x = choleskySolve(L, b);
    expectAllClose(x, solve, 1e-12, 1e-14, 'x');
    const x2 = solveSpd(matrix, b);
    expect(Array.from(x2)).toEqual(Array.from(x));
    // Residual: A x - b is at rounding level.
    expectAllClose(matVec(matrix, x), b, 0, 1e-12, 'A x');
  });

  it('triangular solves invert L and L^T', () => {
    const y = solveLower(L, b);
    expectAllClose(lowerTimesVector(L, y), b, 0, 1e-13, 'L y');
    const z = solveLowerTransposed(L, b);
    expectAllClose(matVec(transpose(L), z), b, 0, 1e-13, 'L^T z');
    const Y = solveLowerMatrix(L, matrix); // L^{-1} A = L^T
    expectMatrixClose(Y, transpose(L), 1e-12, 'L^{-1} A');
  });

  it('log-determinant matches numpy.linalg.slogdet', () => {
    expectClose(logDetSpd(matrix), logdet, 1e-13, 1e-14, 'logdet');
    expectClose(logDetFromCholesky(L), logdet, 1e-13, 1e-14, 'logdet');
  });

  it('inverse matches numpy.linalg.inv and is exactly symmetric', () => {
    const inv = inverseFromCholesky(L);
    expectMatrixClose(inv, inverse, 1e-12, 'inverse');
    for (let i = 0; i < inv.length; i++) for (let j = 0; j < i; j++) expect(inv[i]![j]).toBe(inv[j]![i]);
    expectClose(traceOfProduct(inv, matrix), matrix.length, 1e-12, 0, 'tr(A^-1 A)');
  });

  it('Mahalanobis distance equals (x - m)^T A^{-1} (x - m)', () => {
    const m = b.map((v) => v / 2);
    const dx = b.map((v, i) => v - m[i]!);
    const direct = dx.reduce((s, v, i) => s + v * choleskySolve(L, dx)[i]!, 0);
    expectClose(mahalanobisSquared(L, b, m), direct, 1e-12, 0, 'mahalanobis');
    const work = new Float64Array(L.length);
    expect(mahalanobisSquared(L, b, m, work)).toBe(mahalanobisSquared(L, b, m));
  });
});

describe('helpers', () => {
  it('matMul, matVec, transpose, traceOfProduct on small cases', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    expect(transpose(a)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(matMul(a, transpose(a))).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(Array.from(matVec(a, [1, 0, -1]))).toEqual([-2, -2]);
    expect(
      traceOfProduct(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ),
    ).toBe(5 + 14 + 18 + 32);
  });

  it('findAsymmetry uses a tolerance relative to the largest entry', () => {
    expect(
      findAsymmetry([
        [1, 0.5],
        [0.5 + 1e-13, 1],
      ]),
    ).toBeUndefined();
    expect(
      findAsymmetry([
        [1, 0.5],
        [0.5 + 1e-11, 1],
      ]),
    ).toEqual([1, 0]);
    expect(
      findAsymmetry([
        [1e6, 1],
        [1 + 1e-7, 1e6],
      ]),
    ).toBeUndefined();
    expect(
      findAsymmetry([
        [1, 0],
        [Number.NaN, 1],
      ]),
    ).toEqual([1, 0]);
  });

  it('inputs are not mutated', () => {
    const a = linalg.random.matrix.map((r) => r.slice());
    const copy = a.map((r) => r.slice());
    const L = cholesky(a);
    inverseFromCholesky(L);
    choleskySolve(L, linalg.random.b);
    expect(a).toEqual(copy);
  });
});
