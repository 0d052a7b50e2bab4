import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import trigamma from '@stdlib/math-base-special-trigamma';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type { DistributionSpec } from '../distributions/types.js';
import { EULER_GAMMA, HALF_LOG_2PI } from './numeric.js';
import {
  betaParams,
  exponentialParams,
  gammaParams,
  locScaleParams,
  lognormalParams,
  normalParams,
  studentTParams,
  uniformParams,
  weibullParams,
} from './params.js';

/**
 * Exact expectations under a univariate continuous distribution, from its spec: what a closed-form
 * KL(p || q) = E_p[-log q(X)] - H(p) needs of p. A member is absent where the family has no closed
 * form for it (or it is not needed by any pair); Infinity where the expectation diverges.
 */
export interface Moments {
  lower: number;
  upper: number;
  /** Differential entropy H(p) in nats. */
  entropy: number;
  /** E (X - c)^2 (Infinity where the variance is infinite or undefined). */
  secondMomentAbout(c: number): number;
  mean?: number;
  /** E log X and Var log X (positive support). */
  eLog?: number;
  varLog?: number;
  /** E log(1 - X) (support in [0, 1]). */
  eLog1m?: number;
  /** E X^k for k > 0 (positive support). */
  ePow?(k: number): number;
  /** E |X - m|. */
  eAbs?(m: number): number;
  /** E log(1 + ((X - m) / s)^2). */
  eLogCauchy?(m: number, s: number): number;
}

const Phi = (z: number) => normalCdf(z, 0, 1);
/** P(a, x): the regularised lower incomplete gamma function. */
const lowerP = (a: number, x: number) => gammainc(x, a, true, false);
const upperQ = (a: number, x: number) => gammainc(x, a, true, true);

/** E |X - m| for X ~ Gamma(k, rate b), through the partial expectation E[X; X < m]. */
function gammaAbs(k: number, b: number, m: number): number {
  const mean = k / b;
  if (m <= 0) return mean - m;
  const x = b * m;
  // |X - m| = (X - m) + 2 (m - X)^+ ; the second form for m past the mean avoids cancellation.
  if (m <= mean) return mean - m + 2 * (m * lowerP(k, x) - mean * lowerP(k + 1, x));
  return m - mean + 2 * (mean * upperQ(k + 1, x) - m * upperQ(k, x));
}

/** x log x - x, the antiderivative of log x (0 at 0). */
const xlogxmx = (x: number) => (x === 0 ? 0 : x * Math.log(x) - x);
/** The antiderivative of (log x)^2 (0 at 0). */
const log2anti = (x: number) => {
  if (x === 0) return 0;
  const l = Math.log(x);
  return x * (l * l - 2 * l + 2);
};
/** The antiderivative of log(1 + t^2). */
const logCauchyAnti = (t: number) => t * Math.log1p(t * t) - 2 * t + 2 * Math.atan(t);

function uniformMoments(a: number, b: number): Moments {
  const w = b - a;
  const mean = (a + b) / 2;
  const m: Moments = {
    lower: a,
    upper: b,
    entropy: Math.log(w),
    mean,
    secondMomentAbout: (c) => (w * w) / 12 + (mean - c) * (mean - c),
    eAbs: (c) => {
      if (c <= a) return mean - c;
      if (c >= b) return c - mean;
      return ((c - a) * (c - a) + (b - c) * (b - c)) / (2 * w);
    },
    eLogCauchy: (c, s) => (s / w) * (logCauchyAnti((b - c) / s) - logCauchyAnti((a - c) / s)),
  };
  if (a >= 0) {
    const eLog = (xlogxmx(b) - xlogxmx(a)) / w;
    m.eLog = eLog;
    m.varLog = Math.max(0, (log2anti(b) - log2anti(a)) / w - eLog * eLog);
    m.ePow = (k) => (b ** (k + 1) - a ** (k + 1)) / ((k + 1) * w);
  }
  if (a >= 0 && b <= 1) m.eLog1m = (xlogxmx(1 - a) - xlogxmx(1 - b)) / w;
  return m;
}

function gammaMoments(k: number, b: number): Moments {
  const mean = k / b;
  return {
    lower: 0,
    upper: Number.POSITIVE_INFINITY,
    entropy: k - Math.log(b) + gammaln(k) + (1 - k) * digamma(k),
    mean,
    secondMomentAbout: (c) => k / (b * b) + (mean - c) * (mean - c),
    eLog: digamma(k) - Math.log(b),
    varLog: trigamma(k),
    ePow: (j) => Math.exp(gammaln(k + j) - gammaln(k) - j * Math.log(b)),
    eAbs: (m) => gammaAbs(k, b, m),
  };
}

type MomentsOf = (spec: DistributionSpec) => Moments;

const TABLE: Record<string, MomentsOf> = {
  normal(spec) {
    const { mean, std } = normalParams(spec);
    return {
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      entropy: 0.5 + HALF_LOG_2PI + Math.log(std),
      mean,
      secondMomentAbout: (c) => std * std + (mean - c) * (mean - c),
      eAbs: (m) => {
        const d = mean - m;
        const z = d / std;
        return std * Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * z * z) + d * (1 - 2 * Phi(-z));
      },
    };
  },
  lognormal(spec) {
    const { mu, sigma } = lognormalParams(spec);
    const mean = Math.exp(mu + (sigma * sigma) / 2);
    const variance = Math.expm1(sigma * sigma) * Math.exp(2 * mu + sigma * sigma);
    return {
      lower: 0,
      upper: Number.POSITIVE_INFINITY,
      entropy: mu + 0.5 + HALF_LOG_2PI + Math.log(sigma),
      mean,
      secondMomentAbout: (c) => variance + (mean - c) * (mean - c),
      eLog: mu,
      varLog: sigma * sigma,
      ePow: (k) => Math.exp(k * mu + (k * k * sigma * sigma) / 2),
      eAbs: (m) => {
        if (m <= 0) return mean - m;
        const z = (Math.log(m) - mu) / sigma;
        if (m <= mean) return mean - m + 2 * (m * Phi(z) - mean * Phi(z - sigma));
        return m - mean + 2 * (mean * Phi(sigma - z) - m * Phi(-z));
      },
    };
  },
  uniform(spec) {
    const { low, high } = uniformParams(spec);
    return uniformMoments(low, high);
  },
  exponential(spec) {
    const { rate } = exponentialParams(spec);
    const m = gammaMoments(1, rate);
    m.entropy = 1 - Math.log(rate);
    m.eLog = -EULER_GAMMA - Math.log(rate);
    m.varLog = (Math.PI * Math.PI) / 6;
    m.eAbs = (c) => (c <= 0 ? 1 / rate - c : c - 1 / rate + (2 * Math.exp(-rate * c)) / rate);
    return m;
  },
  gamma(spec) {
    const { shape, rate } = gammaParams(spec);
    return gammaMoments(shape, rate);
  },
  beta(spec) {
    const { alpha: a, beta: b } = betaParams(spec);
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) * (a + b) * (a + b + 1));
    const lb = betaln(a, b);
    return {
      lower: 0,
      upper: 1,
      entropy: lb - (a - 1) * digamma(a) - (b - 1) * digamma(b) + (a + b - 2) * digamma(a + b),
      mean,
      secondMomentAbout: (c) => variance + (mean - c) * (mean - c),
      eLog: digamma(a) - digamma(a + b),
      varLog: trigamma(a) - trigamma(a + b),
      eLog1m: digamma(b) - digamma(a + b),
      ePow: (k) => Math.exp(betaln(a + k, b) - lb),
    };
  },
  laplace(spec) {
    const { loc, scale } = locScaleParams(spec);
    return {
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      entropy: 1 + Math.log(2 * scale),
      mean: loc,
      secondMomentAbout: (c) => 2 * scale * scale + (loc - c) * (loc - c),
      eAbs: (m) => {
        const d = Math.abs(loc - m);
        return d + scale * Math.exp(-d / scale);
      },
    };
  },
  weibull(spec) {
    const { shape: k, scale: lam } = weibullParams(spec);
    const g1 = Math.exp(gammaln(1 + 1 / k));
    const mean = lam * g1;
    const variance = lam * lam * (Math.exp(gammaln(1 + 2 / k)) - g1 * g1);
    return {
      lower: 0,
      upper: Number.POSITIVE_INFINITY,
      entropy: EULER_GAMMA * (1 - 1 / k) + Math.log(lam / k) + 1,
      mean,
      secondMomentAbout: (c) => variance + (mean - c) * (mean - c),
      eLog: Math.log(lam) - EULER_GAMMA / k,
      varLog: (Math.PI * Math.PI) / (6 * k * k),
      ePow: (j) => Math.exp(j * Math.log(lam) + gammaln(1 + j / k)),
    };
  },
  student_t(spec) {
    const { df: v, loc, scale } = studentTParams(spec);
    const h =
      ((v + 1) / 2) * (digamma((v + 1) / 2) - digamma(v / 2)) +
      0.5 * Math.log(v) +
      betaln(v / 2, 0.5) +
      Math.log(scale);
    const m: Moments = {
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      entropy: h,
      secondMomentAbout: (c) =>
        v > 2 ? (scale * scale * v) / (v - 2) + (loc - c) * (loc - c) : Number.POSITIVE_INFINITY,
    };
    if (v > 1) m.mean = loc;
    else m.eAbs = () => Number.POSITIVE_INFINITY;
    return m;
  },
  cauchy(spec) {
    const { scale } = locScaleParams(spec);
    return {
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      entropy: Math.log(4 * Math.PI * scale),
      secondMomentAbout: () => Number.POSITIVE_INFINITY,
      eAbs: () => Number.POSITIVE_INFINITY,
    };
  },
};

/** The moments of a univariate continuous family from its spec; undefined for others (mixtures). */
export function momentsOf(spec: DistributionSpec): Moments | undefined {
  const f = TABLE[spec.family];
  return f === undefined ? undefined : f(spec);
}

/**
 * E_p[-log q(X)] for each family q, from the moments of p; undefined when p lacks a moment this
 * q needs. The caller has checked that p's support lies inside q's (else the answer is Infinity).
 */
export const CROSS_ENTROPY: Record<string, (q: DistributionSpec, m: Moments) => number | undefined> = {
  normal(q, m) {
    const { mean, std } = normalParams(q);
    return HALF_LOG_2PI + Math.log(std) + m.secondMomentAbout(mean) / (2 * std * std);
  },
  uniform(q) {
    const { low, high } = uniformParams(q);
    return Math.log(high - low);
  },
  exponential(q, m) {
    if (m.mean === undefined) return undefined;
    const { rate } = exponentialParams(q);
    return -Math.log(rate) + rate * m.mean;
  },
  gamma(q, m) {
    if (m.mean === undefined || m.eLog === undefined) return undefined;
    const { shape: k, rate: b } = gammaParams(q);
    return -k * Math.log(b) + gammaln(k) - (k - 1) * m.eLog + b * m.mean;
  },
  lognormal(q, m) {
    if (m.eLog === undefined || m.varLog === undefined) return undefined;
    const { mu, sigma } = lognormalParams(q);
    const d = m.eLog - mu;
    return m.eLog + Math.log(sigma) + HALF_LOG_2PI + (m.varLog + d * d) / (2 * sigma * sigma);
  },
  beta(q, m) {
    if (m.eLog === undefined || m.eLog1m === undefined) return undefined;
    const { alpha, beta } = betaParams(q);
    return betaln(alpha, beta) - (alpha - 1) * m.eLog - (beta - 1) * m.eLog1m;
  },
  laplace(q, m) {
    if (m.eAbs === undefined) return undefined;
    const { loc, scale } = locScaleParams(q);
    return Math.log(2 * scale) + m.eAbs(loc) / scale;
  },
  weibull(q, m) {
    if (m.eLog === undefined || m.ePow === undefined) return undefined;
    const { shape: k, scale: lam } = weibullParams(q);
    return -Math.log(k) + k * Math.log(lam) - (k - 1) * m.eLog + m.ePow(k) / lam ** k;
  },
  cauchy(q, m) {
    if (m.eLogCauchy === undefined) return undefined;
    const { loc, scale } = locScaleParams(q);
    return Math.log(Math.PI * scale) + m.eLogCauchy(loc, scale);
  },
};
