import { invalid } from '../errors.js';
import {
  findAsymmetry,
  logDetFromCholesky,
  type Matrix,
  mahalanobisSquared,
  tryCholesky,
} from '../linalg.js';
import type { Rng } from '../rng/index.js';
import type { DistributionSpec, FamilyDef, MultivariateDistribution } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Relative tolerance for the symmetry of cov, against the largest absolute entry. */
const SYMMETRY_TOLERANCE = 1e-12;

/**
 * N(mean, cov) on R^d. The Cholesky factor L of cov (cov = L L^T) is computed once, at
 * construction: it gives the log-determinant, the Mahalanobis distance by one triangular solve, and
 * the sampler mean + L eps.
 */
export class MultivariateNormal implements MultivariateDistribution {
  readonly family = 'multivariate_normal';
  readonly kind = 'multivariate';
  readonly dim: number;
  readonly supportText: string;
  /** The lower Cholesky factor of cov. */
  readonly L: Matrix;
  readonly logDetCov: number;
  private readonly mu: Float64Array;
  private readonly cov: Matrix;
  /** Scratch space for sample and logPdf (single-threaded, never re-entered). */
  private readonly eps: Float64Array;
  private readonly work: Float64Array;
  private readonly logNorm: number;

  /**
   * `cov` must be symmetric and `L` its Cholesky factor: the family's create checks, symmetrises
   * (averaging the two triangles, which agree to 1e-12 relative) and factorises.
   */
  constructor(
    mean: readonly number[],
    cov: readonly (readonly number[])[],
    L: Matrix,
    readonly spec: DistributionSpec = {
      family: 'multivariate_normal',
      mean: mean.slice(),
      cov: cov.map((r) => r.slice()),
    },
  ) {
    const d = mean.length;
    this.dim = d;
    this.supportText = `R^${d}`;
    this.mu = Float64Array.from(mean);
    this.cov = cov.map((row) => row.slice());
    this.L = L;
    this.logDetCov = logDetFromCholesky(L);
    this.logNorm = -0.5 * (d * LOG_2PI + this.logDetCov);
    this.eps = new Float64Array(d);
    this.work = new Float64Array(d);
  }

  /** -(d log 2 pi + log det cov + |L^{-1}(x - mean)|^2) / 2. */
  logPdf(x: ArrayLike<number>): number {
    if (x.length !== this.dim) invalid('x', `must be a point of ${this.dim} numbers (got ${x.length})`);
    return this.logNorm - 0.5 * mahalanobisSquared(this.L, x, this.mu, this.work);
  }

  /** mean + L eps with eps d independent standard normals (drawn in order 0..d-1). */
  sample(rng: Rng, out: Float64Array, offset: number): void {
    const { dim: d, L, mu, eps } = this;
    for (let i = 0; i < d; i++) eps[i] = rng.normal();
    for (let i = 0; i < d; i++) {
      const Li = L[i]!;
      let s = mu[i]!;
      for (let k = 0; k <= i; k++) s += Li[k]! * eps[k]!;
      out[offset + i] = s;
    }
  }

  mean(): number[] {
    return Array.from(this.mu);
  }

  covariance(): number[][] {
    return this.cov.map((r) => r.slice());
  }

  /** (d log(2 pi e) + log det cov) / 2. */
  entropy(): number {
    return 0.5 * (this.dim * (LOG_2PI + 1) + this.logDetCov);
  }
}

/** Check `value` is an array of finite numbers at `path`; returns it. */
function finiteVector(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) invalid(path, 'is required and must be an array of numbers');
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${path}.${i}`, 'must be a finite number');
  }
  return value as number[];
}

export const multivariateNormalFamily: FamilyDef = {
  name: 'multivariate_normal',
  kind: 'multivariate',
  description: 'N(mean, cov) on R^d, cov a d x d symmetric positive definite covariance matrix.',
  params: [
    { name: 'mean', type: 'number[]', constraint: 'd >= 1 finite numbers' },
    {
      name: 'cov',
      type: 'number[][]',
      constraint: 'd x d, symmetric (to 1e-12 relative) and positive definite',
    },
  ],
  support: 'R^d',
  create(spec) {
    const mean = finiteVector(spec.mean, 'mean');
    const d = mean.length;
    if (d === 0) invalid('mean', 'must have at least one entry');
    const cov = spec.cov;
    if (!Array.isArray(cov))
      invalid('cov', `is required and must be a ${d} x ${d} matrix (an array of rows)`);
    if (cov.length !== d) {
      invalid('cov', `must be ${d} x ${d} to match mean (${d} entries), but has ${cov.length} rows`);
    }
    for (let i = 0; i < d; i++) {
      const row = finiteVector(cov[i], `cov.${i}`);
      if (row.length !== d) {
        invalid(`cov.${i}`, `must have ${d} entries (cov is ${d} x ${d} to match mean), got ${row.length}`);
      }
    }
    const matrix = cov as number[][];
    const asym = findAsymmetry(matrix, SYMMETRY_TOLERANCE);
    if (asym !== undefined) {
      const [i, j] = asym;
      invalid(
        'cov',
        `must be symmetric: cov[${i}][${j}] = ${matrix[i]![j]} but cov[${j}][${i}] = ${matrix[j]![i]}`,
      );
    }
    const sym = matrix.map((row, i) => row.map((v, j) => (i === j ? v : 0.5 * (v + matrix[j]![i]!))));
    const chol = tryCholesky(sym);
    if (!chol.ok) invalid('cov', `must be positive definite (Cholesky failed at pivot ${chol.pivot})`);
    const canonical = {
      family: 'multivariate_normal',
      mean: mean.slice(),
      cov: matrix.map((r) => r.slice()),
    };
    return new MultivariateNormal(mean, sym, chol.L, canonical);
  },
};
