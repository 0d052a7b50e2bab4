/**
 * Small dense linear algebra for the multivariate code (the multivariate normal, KL divergences,
 * fitting): Cholesky factorisation, triangular solves, log-determinants, inverses.
 *
 * Matrices are arrays of rows (`number[][]`, row i is `a[i]`); vectors are any `ArrayLike<number>`
 * in, `Float64Array` out. Nothing here mutates its inputs. Sizes are the caller's business: the
 * functions assume square matrices of matching size and do not re-check (validate at the edge).
 */

/** A dense matrix as an array of rows. */
export type Matrix = number[][];
/** A matrix the function only reads. */
export type ReadonlyMatrix = readonly (readonly number[])[];

/** The result of tryCholesky: the factor, or the 0-based pivot where positive definiteness failed. */
export type CholeskyResult = { ok: true; L: Matrix } | { ok: false; pivot: number };

/** Thrown by `cholesky` for a matrix that is not (numerically) positive definite. */
export class NotPositiveDefiniteError extends Error {
  constructor(readonly pivot: number) {
    super(`matrix is not positive definite (Cholesky failed at pivot ${pivot})`);
    this.name = 'NotPositiveDefiniteError';
  }
}

/**
 * Cholesky factorisation A = L L^T of a symmetric positive definite matrix, reading only the lower
 * triangle of `a` (so a slightly asymmetric input is treated as its lower half).
 *
 * Fails at pivot j when the j-th pivot A_jj - sum_k L_jk^2 is not > relTol * |A_jj| (or not finite).
 * relTol = 0 accepts anything with a positive pivot; the default d * 2^-52 rejects matrices that are
 * singular to working precision, where the computed pivot is rounding noise (for those the factor
 * would give a meaningless log-determinant and inverse).
 */
export function tryCholesky(a: ReadonlyMatrix, relTol = a.length * Number.EPSILON): CholeskyResult {
  const d = a.length;
  const L: Matrix = [];
  for (let i = 0; i < d; i++) L.push(new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    const Lj = L[j]!;
    const aj = a[j]!;
    let s = aj[j]!;
    for (let k = 0; k < j; k++) s -= Lj[k]! * Lj[k]!;
    if (!(s > relTol * Math.abs(aj[j]!)) || !Number.isFinite(s)) return { ok: false, pivot: j };
    const ljj = Math.sqrt(s);
    Lj[j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const Li = L[i]!;
      let t = a[i]![j]!;
      for (let k = 0; k < j; k++) t -= Li[k]! * Lj[k]!;
      Li[j] = t / ljj;
    }
  }
  return { ok: true, L };
}

/** The Cholesky factor L (lower triangular, A = L L^T); throws NotPositiveDefiniteError. */
export function cholesky(a: ReadonlyMatrix, relTol?: number): Matrix {
  const r = tryCholesky(a, relTol);
  if (!r.ok) throw new NotPositiveDefiniteError(r.pivot);
  return r.L;
}

/** Solve L y = b for y by forward substitution (L lower triangular, non-singular). */
export function solveLower(L: ReadonlyMatrix, b: ArrayLike<number>): Float64Array {
  const d = L.length;
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const Li = L[i]!;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= Li[k]! * y[k]!;
    y[i] = s / Li[i]!;
  }
  return y;
}

/** Solve L^T x = y for x by back substitution (L lower triangular, so L^T is upper). */
export function solveLowerTransposed(L: ReadonlyMatrix, y: ArrayLike<number>): Float64Array {
  const d = L.length;
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

/** Solve A x = b given the Cholesky factor L of A (two triangular solves). */
export function choleskySolve(L: ReadonlyMatrix, b: ArrayLike<number>): Float64Array {
  return solveLowerTransposed(L, solveLower(L, b));
}

/** Solve A x = b for symmetric positive definite A; throws NotPositiveDefiniteError. */
export function solveSpd(a: ReadonlyMatrix, b: ArrayLike<number>): Float64Array {
  return choleskySolve(cholesky(a), b);
}

/** log det A = 2 sum log L_ii from the Cholesky factor of A. */
export function logDetFromCholesky(L: ReadonlyMatrix): number {
  let s = 0;
  for (let i = 0; i < L.length; i++) s += Math.log(L[i]![i]!);
  return 2 * s;
}

/** log det A of a symmetric positive definite matrix; throws NotPositiveDefiniteError. */
export function logDetSpd(a: ReadonlyMatrix): number {
  return logDetFromCholesky(cholesky(a));
}

/** A^{-1} from the Cholesky factor of A: solves A X = I column by column; the result is symmetric. */
export function inverseFromCholesky(L: ReadonlyMatrix): Matrix {
  const d = L.length;
  const inv: Matrix = [];
  for (let i = 0; i < d; i++) inv.push(new Array<number>(d).fill(0));
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(L, e);
    for (let i = 0; i < d; i++) inv[i]![j] = col[i]!;
  }
  // Symmetrise away the rounding differences between the two triangles.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (inv[i]![j]! + inv[j]![i]!);
      inv[i]![j] = m;
      inv[j]![i] = m;
    }
  }
  return inv;
}

/** L^{-1} B for a lower-triangular L and a matrix B (column by column). */
export function solveLowerMatrix(L: ReadonlyMatrix, B: ReadonlyMatrix): Matrix {
  const d = L.length;
  const cols = B[0]?.length ?? 0;
  const out: Matrix = [];
  for (let i = 0; i < d; i++) out.push(new Array<number>(cols).fill(0));
  const col = new Float64Array(d);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < d; i++) col[i] = B[i]![j]!;
    const y = solveLower(L, col);
    for (let i = 0; i < d; i++) out[i]![j] = y[i]!;
  }
  return out;
}

/** L v for a lower-triangular L (only the lower triangle is read); written into `out` if given. */
export function lowerTimesVector(
  L: ReadonlyMatrix,
  v: ArrayLike<number>,
  out: Float64Array = new Float64Array(L.length),
): Float64Array {
  for (let i = L.length - 1; i >= 0; i--) {
    const Li = L[i]!;
    let s = 0;
    for (let k = 0; k <= i; k++) s += Li[k]! * v[k]!;
    out[i] = s;
  }
  return out;
}

/**
 * The squared Mahalanobis distance (x - mean)^T A^{-1} (x - mean) = |L^{-1}(x - mean)|^2, from
 * the Cholesky factor L of A. `work` (length >= d) is scratch space, to spare an allocation in
 * hot loops.
 */
export function mahalanobisSquared(
  L: ReadonlyMatrix,
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  work: Float64Array = new Float64Array(L.length),
): number {
  const d = L.length;
  const y = work;
  let s2 = 0;
  for (let i = 0; i < d; i++) {
    const Li = L[i]!;
    let s = x[i]! - mean[i]!;
    for (let k = 0; k < i; k++) s -= Li[k]! * y[k]!;
    const yi = s / Li[i]!;
    y[i] = yi;
    s2 += yi * yi;
  }
  return s2;
}

/** A B for an m x n matrix A and an n x p matrix B. */
export function matMul(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const m = a.length;
  const n = b.length;
  const p = b[0]?.length ?? 0;
  const out: Matrix = [];
  for (let i = 0; i < m; i++) {
    const row = new Array<number>(p).fill(0);
    const ai = a[i]!;
    for (let k = 0; k < n; k++) {
      const aik = ai[k]!;
      const bk = b[k]!;
      for (let j = 0; j < p; j++) row[j]! += aik * bk[j]!;
    }
    out.push(row);
  }
  return out;
}

/** A v for an m x n matrix A and a vector of length n. */
export function matVec(a: ReadonlyMatrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    let s = 0;
    for (let k = 0; k < ai.length; k++) s += ai[k]! * v[k]!;
    out[i] = s;
  }
  return out;
}

/** A^T. */
export function transpose(a: ReadonlyMatrix): Matrix {
  const m = a.length;
  const n = a[0]?.length ?? 0;
  const out: Matrix = [];
  for (let j = 0; j < n; j++) {
    const row = new Array<number>(m);
    for (let i = 0; i < m; i++) row[i] = a[i]![j]!;
    out.push(row);
  }
  return out;
}

/** tr(A B) for square matrices of one size, without forming the product. */
export function traceOfProduct(a: ReadonlyMatrix, b: ReadonlyMatrix): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    for (let k = 0; k < ai.length; k++) s += ai[k]! * b[k]![i]!;
  }
  return s;
}

/** The largest absolute entry: the scale for relative tolerances. */
export function maxAbs(a: ReadonlyMatrix): number {
  let m = 0;
  for (const row of a) for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * The first (i, j) with i > j where |A_ij - A_ji| > relTol * max|A|, or undefined when A is
 * symmetric to that tolerance.
 */
export function findAsymmetry(a: ReadonlyMatrix, relTol = 1e-12): [number, number] | undefined {
  const tol = relTol * maxAbs(a);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < i; j++) {
      if (!(Math.abs(a[i]![j]! - a[j]![i]!) <= tol)) return [i, j];
    }
  }
  return undefined;
}
