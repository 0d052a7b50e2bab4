import log1pmx from '@stdlib/math-base-special-log1pmx';

/** Euler-Mascheroni constant. */
export const EULER_GAMMA = 0.5772156649015329;
export const LN2 = Math.LN2;
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * r - 1 - log r for r > 0 (>= 0, zero at r = 1), without the cancellation of the naive form near
 * r = 1: there it is -(log1p(u) - u) with u = r - 1, exact in floating point for r in [0.5, 2].
 */
export function rm1mlog(r: number): number {
  if (r === 1) return 0;
  const u = r - 1;
  if (Math.abs(u) < 0.5) return -log1pmx(u);
  return u - Math.log(r);
}

/** e^y - 1 - y (>= 0), by its Taylor series where the naive form cancels. */
export function expm1mx(y: number): number {
  if (Math.abs(y) >= 0.5) return Math.expm1(y) - y;
  let term = (y * y) / 2;
  let sum = term;
  for (let k = 3; k < 40; k++) {
    term *= y / k;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** x log(x / y) with 0 log 0 = 0, +Infinity for x > 0 = y. */
export function xlogxy(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Number.POSITIVE_INFINITY;
  return x * (Math.log(x) - Math.log(y));
}

/** log(1 + e^d), stable for every d (d = -Infinity gives 0). */
export function softplus(d: number): number {
  return d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
}

/**
 * log p(x) - log m(x) with m = (p + q) / 2, from the two log densities: log 2 - log(1 + q/p).
 * Finite whenever log p is finite (q = 0 gives log 2).
 */
export function logRatioToMidpoint(lp: number, lq: number): number {
  return LN2 - softplus(lq - lp);
}

/** Compensated (Neumaier) summation of a list. */
export function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** A number for a message: short, and readable for the infinities. */
export function fmt(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  return String(Number(x.toPrecision(6)));
}
