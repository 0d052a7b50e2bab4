/** The implementations behind the whitelisted function names: a fixed, frozen table. */
import erf from '@stdlib/math-base-special-erf';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { FunctionName } from './ast.js';

/** 1 / (1 + exp(-x)), without overflow for large |x|: sigmoid(1000) = 1, sigmoid(-1000) = 0. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const z = Math.exp(x);
  return z / (1 + z);
}

/** log(1 + exp(x)), without overflow: x + log1p(exp(-x)) for x > 0 (= x for large x), log1p(exp(x)) else. */
export function softplus(x: number): number {
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/** log |Gamma(x)|. */
export function lgamma(x: number): number {
  return gammaln(x);
}

export type Implementation = (...args: number[]) => number;

/** What generated code calls as `M.name(...)`; the keys are exactly the FunctionName union. */
export const IMPLEMENTATIONS: Readonly<Record<FunctionName, Implementation>> = Object.freeze(
  // A null prototype: even a bug in the generator could not reach `M.constructor` or `M.__proto__`.
  Object.assign(Object.create(null) as Record<FunctionName, Implementation>, {
    abs: Math.abs,
    sqrt: Math.sqrt,
    cbrt: Math.cbrt,
    exp: Math.exp,
    expm1: Math.expm1,
    log: Math.log,
    log1p: Math.log1p,
    log2: Math.log2,
    log10: Math.log10,
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    asin: Math.asin,
    acos: Math.acos,
    atan: Math.atan,
    sinh: Math.sinh,
    cosh: Math.cosh,
    tanh: Math.tanh,
    floor: Math.floor,
    ceil: Math.ceil,
    round: Math.round,
    sign: Math.sign,
    sigmoid,
    softplus,
    lgamma: gammaln,
    erf,
    atan2: Math.atan2,
    pow: Math.pow,
    hypot: Math.hypot,
    min: Math.min,
    max: Math.max,
  }),
);
