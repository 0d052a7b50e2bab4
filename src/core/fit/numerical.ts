import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import trigamma from '@stdlib/math-base-special-trigamma';
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { invalid } from '../errors.js';
import type { Matrix } from '../linalg.js';
import { requireAll, requireAtLeast, requireNotConstant, requireRows, requireUnivariate } from './data.js';
import { inferenceFrom } from './inference.js';
import { meanVar, median, minMax, quantileOf } from './numeric.js';
import { type MinimizeResult, minimizeNll, type NaturalObjective, naturalHessian } from './optimize.js';
import type { CoreFit, FitData, FitOptions } from './types.js';

/**
 * Numerical maximum likelihood: gamma and Weibull by a one-dimensional Newton iteration on the
 * profile equation, the rest (beta, Student's t, Cauchy, Dirichlet) by damped Newton on the log
 * scale of the positive parameters (optimize.ts), started from the method of moments or robust
 * estimates. Every fit reports whether it converged and in how many iterations.
 */

export const NEWTON_DEFAULTS = { maxIterations: 200, tolerance: 1e-12 };

/** The largest Student's t df: beyond it the t and the normal agree to double precision. */
export const DF_MAX = 1e6;
/** Past this df the fit checks whether the likelihood keeps growing towards the normal limit. */
const DF_LARGE = 1e4;

function limits(opts: FitOptions) {
  return {
    maxIterations: opts.maxIterations ?? NEWTON_DEFAULTS.maxIterations,
    tolerance: opts.tolerance ?? NEWTON_DEFAULTS.tolerance,
  };
}

function outcome(r: Pick<MinimizeResult, 'converged' | 'iterations' | 'message'>, notes: string[]) {
  if (!r.converged && r.message) notes.push(`not converged: ${r.message}`);
  return { method: 'newton' as const, converged: r.converged, iterations: r.iterations };
}

// ---------------------------------------------------------------------------------------------
// gamma

export function fitGamma(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'gamma');
  requireAtLeast(data, 2, 'gamma');
  requireAll(data, (v) => v > 0, 'must be > 0', 'gamma');
  requireNotConstant(x, 'gamma', 'the shape would be infinite');
  const n = data.n;
  const { maxIterations, tolerance } = limits(opts);
  let s1 = 0;
  let sLog = 0;
  for (let i = 0; i < n; i++) {
    s1 += x[i]!;
    sLog += Math.log(x[i]!);
  }
  const mean = s1 / n;
  const meanLog = sLog / n;
  // The shape solves log a - digamma(a) = s (> 0 by Jensen's inequality for non-constant data).
  const s = Math.log(mean) - meanLog;
  if (!(s > 0))
    invalid(
      'data',
      'the values are too close to constant for a gamma fit (log of the mean = mean of the logs)',
    );
  // Minka's approximation, then Newton on 1/a (Minka 2002), which converges in a few steps.
  let a = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  let iterations = 0;
  let converged = false;
  const notes: string[] = [];
  for (; iterations < maxIterations; ) {
    iterations++;
    const f = Math.log(a) - digamma(a) - s;
    const df = 1 / a - trigamma(a);
    const next = 1 / (1 / a + f / (a * a * df));
    const change = Math.abs(next - a);
    a = next > 0 && Number.isFinite(next) ? next : a / 2;
    if (change <= Math.max(tolerance, 4 * Number.EPSILON) * a) {
      converged = true;
      break;
    }
  }
  if (!converged) notes.push(`not converged: no convergence within maxIterations = ${maxIterations}`);
  const rate = a / mean;
  const ll = n * (a * Math.log(rate) - gammaln(a) + (a - 1) * meanLog - rate * mean);
  return {
    distribution: { family: 'gamma', shape: a, rate },
    logLikelihood: ll,
    parameters: 2,
    method: 'newton',
    converged,
    iterations,
    estimates: [
      { name: 'shape', value: a, kind: 'positive' },
      { name: 'rate', value: rate, kind: 'positive' },
    ],
    information: [
      [n * trigamma(a), -n / rate],
      [-n / rate, (n * a) / (rate * rate)],
    ],
    derived: [{ name: 'scale', value: 1 / rate, kind: 'positive', gradient: [0, -1 / (rate * rate)] }],
    notes: [
      'Two-parameter gamma (location 0, as scipy.stats.gamma.fit with floc=0): Newton on ' +
        'log(shape) - digamma(shape) = log(mean) - mean(log x), rate = shape / mean.',
      ...notes,
    ],
    cdf: (v) => (v <= 0 ? 0 : gammainc(rate * v, a)),
  };
}

// ---------------------------------------------------------------------------------------------
// weibull

export function fitWeibull(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'weibull');
  requireAtLeast(data, 2, 'weibull');
  requireAll(data, (v) => v > 0, 'must be > 0 (a 0 makes the Weibull likelihood unbounded)', 'weibull');
  requireNotConstant(x, 'weibull', 'the shape would be infinite');
  const n = data.n;
  const { maxIterations, tolerance } = limits(opts);
  const { max } = minMax(x);
  // y = log(x / max) <= 0: the powers (x / max)^k stay in (0, 1] whatever k.
  const y = new Float64Array(n);
  let sy = 0;
  let sumLogX = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(x[i]!);
    sumLogX += l;
    y[i] = l - Math.log(max);
    sy += y[i]!;
  }
  const ybar = sy / n;
  const sums = (k: number) => {
    let A = 0;
    let B = 0;
    let C = 0;
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      const t = Math.exp(k * yi);
      A += t;
      B += t * yi;
      C += t * yi * yi;
    }
    return { A, B, C };
  };
  // The profile score g(k) = 1/k + mean(y) - B/A is decreasing, +inf at 0+ and mean(y) < 0 at infinity.
  const { variance } = meanVar(y);
  let k = 1.2825 / Math.sqrt(variance);
  let lo = 0;
  let hi = Infinity;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; ) {
    iterations++;
    const { A, B, C } = sums(k);
    const g = 1 / k + ybar - B / A;
    if (g > 0) lo = k;
    else hi = k;
    const dg = -1 / (k * k) - (C / A - (B / A) ** 2);
    let next = k - g / dg;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : 2 * k;
    const change = Math.abs(next - k);
    k = next;
    if (change <= Math.max(tolerance, 4 * Number.EPSILON) * k) {
      converged = true;
      break;
    }
  }
  const notes: string[] = [];
  if (!converged) notes.push(`not converged: no convergence within maxIterations = ${maxIterations}`);
  const { A } = sums(k);
  const scale = max * (A / n) ** (1 / k);
  // Observed information at the estimate.
  let hkk = n / (k * k);
  let hkl = 0;
  let hll = 0;
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(x[i]! / scale);
    const t = Math.exp(k * l);
    sumT += t;
    hkk += t * l * l;
    hkl += 1 / scale - (t / scale) * (k * l + 1);
    hll += (k / (scale * scale)) * (t * (1 + k) - 1);
  }
  const ll = n * Math.log(k) - n * k * Math.log(scale) + (k - 1) * sumLogX - sumT;
  return {
    distribution: { family: 'weibull', shape: k, scale },
    logLikelihood: ll,
    parameters: 2,
    method: 'newton',
    converged,
    iterations,
    estimates: [
      { name: 'shape', value: k, kind: 'positive' },
      { name: 'scale', value: scale, kind: 'positive' },
    ],
    information: [
      [hkk, hkl],
      [hkl, hll],
    ],
    notes: [
      'Two-parameter Weibull (location 0, as scipy.stats.weibull_min.fit with floc=0): safeguarded Newton ' +
        'on the profile score of the shape, scale = mean(x^shape)^(1/shape).',
      ...notes,
    ],
    cdf: (v) => (v <= 0 ? 0 : -Math.expm1(-((v / scale) ** k))),
  };
}

// ---------------------------------------------------------------------------------------------
// beta

export function fitBeta(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'beta');
  requireAtLeast(data, 2, 'beta');
  requireAll(data, (v) => v > 0 && v < 1, 'must be strictly between 0 and 1', 'beta');
  requireNotConstant(x, 'beta', 'alpha and beta would be infinite');
  const n = data.n;
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < n; i++) {
    l1 += Math.log(x[i]!);
    l2 += Math.log1p(-x[i]!);
  }
  l1 /= n;
  l2 /= n;
  const obj: NaturalObjective = {
    nll: ([a, b]) => -n * (-betaln(a!, b!) + (a! - 1) * l1 + (b! - 1) * l2),
    grad: ([a, b]) => {
      const d0 = digamma(a! + b!);
      return Float64Array.of(-n * (d0 - digamma(a!) + l1), -n * (d0 - digamma(b!) + l2));
    },
    hess: ([a, b]) => {
      const t0 = trigamma(a! + b!);
      return [
        [n * (trigamma(a!) - t0), -n * t0],
        [-n * t0, n * (trigamma(b!) - t0)],
      ];
    },
  };
  const { mean: m, variance: v } = meanVar(x);
  const common = (m * (1 - m)) / v - 1;
  const start = common > 0 ? Float64Array.of(m * common, (1 - m) * common) : Float64Array.of(1, 1);
  const r = minimizeNll(obj, start, ['log', 'log'], limits(opts));
  const [a, b] = r.theta;
  const notes: string[] = ['Started from the method of moments; damped Newton on (log alpha, log beta).'];
  return {
    distribution: { family: 'beta', alpha: a!, beta: b! },
    logLikelihood: -r.nll,
    parameters: 2,
    ...outcome(r, notes),
    estimates: [
      { name: 'alpha', value: a!, kind: 'positive' },
      { name: 'beta', value: b!, kind: 'positive' },
    ],
    information: obj.hess!(r.theta),
    notes,
    cdf: (t) => betaCdf(t, a!, b!),
  };
}

// ---------------------------------------------------------------------------------------------
// cauchy

export function fitCauchy(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'cauchy');
  requireAtLeast(data, 3, 'cauchy', ' (with 2 the maximum is not unique)');
  requireNotConstant(x, 'cauchy', 'the scale must be > 0');
  const n = data.n;
  const obj: NaturalObjective = {
    nll: ([m, s]) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const z = (x[i]! - m!) / s!;
        acc += Math.log1p(z * z);
      }
      return n * Math.log(Math.PI * s!) + acc;
    },
    grad: ([m, s]) => {
      let gm = 0;
      let gs = 0;
      for (let i = 0; i < n; i++) {
        const z = (x[i]! - m!) / s!;
        const u = 1 + z * z;
        gm += z / u;
        gs += (z * z) / u;
      }
      // d(-log L)/dm = -(2/s) sum z/u;  d(-log L)/ds = n/s - (2/s) sum z^2/u
      return Float64Array.of((-2 * gm) / s!, n / s! - (2 * gs) / s!);
    },
    hess: ([m, s]) => {
      let hmm = 0;
      let hss = 0;
      let hms = 0;
      for (let i = 0; i < n; i++) {
        const z = (x[i]! - m!) / s!;
        const z2 = z * z;
        const u = 1 + z2;
        const u2 = u * u;
        hmm += (1 - z2) / u2;
        hss += z2 / u + (2 * z2) / u2;
        hms += z / u + (z * (1 - z2)) / u2;
      }
      const s2 = s! * s!;
      return [
        [(2 * hmm) / s2, (2 * hms) / s2],
        [(2 * hms) / s2, -n / s2 + (2 * hss) / s2],
      ];
    },
  };
  const sc = Float64Array.from(x);
  const q1 = quantileOf(x, 0.25, sc);
  const q3 = quantileOf(x, 0.75, sc);
  const med = median(x);
  let s0 = (q3 - q1) / 2;
  if (!(s0 > 0)) s0 = (minMax(x).max - minMax(x).min) / n;
  // The Cauchy likelihood can have several local maxima in loc: start at the median and at the
  // quartiles, keep the best.
  let best: MinimizeResult | undefined;
  for (const m0 of [med, q1, q3]) {
    const r = minimizeNll(obj, Float64Array.of(m0, s0), ['identity', 'log'], limits(opts));
    if (!best || (r.converged && !best.converged) || (r.converged === best.converged && r.nll < best.nll))
      best = r;
  }
  const r = best!;
  const [loc, scale] = r.theta;
  const notes: string[] = [
    'Damped Newton on (loc, log scale) from the median, and the quartiles, and half the IQR.',
  ];
  return {
    distribution: { family: 'cauchy', loc: loc!, scale: scale! },
    logLikelihood: -r.nll,
    parameters: 2,
    ...outcome(r, notes),
    estimates: [
      { name: 'loc', value: loc!, kind: 'real' },
      { name: 'scale', value: scale!, kind: 'positive' },
    ],
    information: obj.hess!(r.theta),
    notes,
    cdf: (v) => 0.5 + Math.atan((v - loc!) / scale!) / Math.PI,
  };
}

// ---------------------------------------------------------------------------------------------
// student_t

export function fitStudentT(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'student_t');
  requireAtLeast(data, 3, 'student_t');
  requireNotConstant(x, 'student_t', 'the scale must be > 0');
  const n = data.n;
  const LOG_PI = Math.log(Math.PI);
  const obj: NaturalObjective = {
    nll: ([nu, m, s]) => {
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const z = (x[i]! - m!) / s!;
        acc += Math.log1p((z * z) / nu!);
      }
      const c = gammaln((nu! + 1) / 2) - gammaln(nu! / 2) - 0.5 * (Math.log(nu!) + LOG_PI) - Math.log(s!);
      return -(n * c - ((nu! + 1) / 2) * acc);
    },
    grad: ([nu, m, s]) => {
      let a = 0; // sum log(1 + z^2/nu)
      let b = 0; // sum z^2 / (nu + z^2)
      let c = 0; // sum z / (nu + z^2)
      for (let i = 0; i < n; i++) {
        const z = (x[i]! - m!) / s!;
        const z2 = z * z;
        const q = nu! + z2;
        a += Math.log1p(z2 / nu!);
        b += z2 / q;
        c += z / q;
      }
      const v = nu!;
      const gNu =
        n * (0.5 * digamma((v + 1) / 2) - 0.5 * digamma(v / 2) - 1 / (2 * v)) -
        0.5 * a +
        ((v + 1) / (2 * v)) * b;
      const gM = ((v + 1) * c) / s!;
      const gS = -n / s! + ((v + 1) * b) / s!;
      return Float64Array.of(-gNu, -gM, -gS);
    },
  };
  // Starts: median and, for a few df, the scale that matches the MAD; keep the best likelihood.
  const med = median(x);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(x[i]! - med);
  let mad = median(dev);
  if (!(mad > 0)) mad = Math.sqrt(meanVar(x).variance);
  let start = Float64Array.of(5, med, mad);
  let startNll = Infinity;
  for (const nu of [1, 2, 4, 8, 16, 32, 64]) {
    const cand = Float64Array.of(nu, med, mad / tQuantile(0.75, nu));
    const f = obj.nll(cand);
    if (f < startNll) {
      startNll = f;
      start = cand;
    }
  }
  // df lives in (0, DF_MAX]: beyond it the t is a normal to double precision. Data from a normal
  // push df to infinity; there the fit stops at the bound and fits loc and scale at df = DF_MAX.
  const bounded: NaturalObjective = {
    nll: (t) => (t[0]! > DF_MAX ? Infinity : obj.nll(t)),
    grad: obj.grad,
  };
  const toward = (t: Float64Array) => t[0]! > DF_LARGE;
  let r = minimizeNll(bounded, start, ['log', 'identity', 'log'], { ...limits(opts), stopWhen: toward });
  const notes: string[] = [
    'Damped Newton on (log df, loc, log scale) from the median, the MAD and the best of df = 1 ... 64.',
  ];
  let atBound = false;
  if (r.theta[0]! > DF_LARGE) {
    const fixed: NaturalObjective = {
      nll: ([m, s]) => obj.nll(Float64Array.of(DF_MAX, m!, s!)),
      grad: ([m, s]) => obj.grad(Float64Array.of(DF_MAX, m!, s!)).subarray(1),
    };
    const r2 = minimizeNll(fixed, r.theta.subarray(1), ['identity', 'log'], limits(opts));
    if (r2.nll > r.nll) {
      // An interior maximum beyond DF_LARGE after all: carry on from where the run stopped.
      const left = Math.max(1, limits(opts).maxIterations - r.iterations);
      const r3 = minimizeNll(bounded, r.theta, ['log', 'identity', 'log'], {
        ...limits(opts),
        maxIterations: left,
      });
      r = { ...r3, iterations: r.iterations + r3.iterations };
    } else {
      atBound = true;
      r = {
        ...r2,
        theta: Float64Array.of(DF_MAX, r2.theta[0]!, r2.theta[1]!),
        iterations: r.iterations + r2.iterations,
      };
      notes.push(
        `The likelihood keeps increasing with df: the data are consistent with a normal distribution ` +
          `(df = infinity), which has one parameter fewer. df is reported at its cap ${DF_MAX}, loc and ` +
          'scale are the maximum-likelihood values there, and df has no standard error.',
      );
    }
  } else if (r.theta[0]! > 1000) {
    notes.push(
      `df = ${r.theta[0]!.toPrecision(4)} is very large: the data are close to normal, and a normal fit ` +
        'has one parameter fewer',
    );
  }
  const [df, loc, scale] = r.theta;
  const estimates = [
    { name: 'df', value: df!, kind: 'positive' as const },
    { name: 'loc', value: loc!, kind: 'real' as const },
    { name: 'scale', value: scale!, kind: 'positive' as const },
  ];
  const information = naturalHessian(obj, r.theta);
  let inference: CoreFit['inference'];
  if (atBound) {
    const sub = [
      [information[1]![1]!, information[1]![2]!],
      [information[2]![1]!, information[2]![2]!],
    ];
    const inf = inferenceFrom(estimates.slice(1), sub, opts.confidence);
    inference = {
      standardErrors: { df: Number.NaN, ...inf.standardErrors },
      confidenceIntervals: { df: { low: Number.NaN, high: Number.NaN }, ...inf.confidenceIntervals },
    };
  }
  return {
    distribution: { family: 'student_t', df: df!, loc: loc!, scale: scale! },
    logLikelihood: -r.nll,
    parameters: 3,
    ...outcome(r, notes),
    estimates,
    information,
    inference,
    notes,
    cdf: (v) => tCdf((v - loc!) / scale!, df!),
  };
}

// ---------------------------------------------------------------------------------------------
// dirichlet

/** How far a Dirichlet data row may sum from 1. */
export const SIMPLEX_TOLERANCE = 1e-6;

export function fitDirichlet(data: FitData, opts: FitOptions): CoreFit {
  requireRows(data, 'dirichlet');
  const K = data.dim;
  if (K < 2) invalid('data', `dirichlet rows need at least 2 coordinates (got ${K})`);
  requireAtLeast(data, 2, 'dirichlet');
  requireAll(
    data,
    (v) => v > 0 && v < 1,
    'must be strictly between 0 and 1 (a point of the open simplex)',
    'dirichlet',
  );
  const n = data.n;
  const x = data.values;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += x[i * K + k]!;
    if (Math.abs(s - 1) > SIMPLEX_TOLERANCE)
      invalid(
        `data.${i}`,
        `must sum to 1 (within ${SIMPLEX_TOLERANCE}) to lie on the simplex (sums to ${s})`,
      );
  }
  let allSame = true;
  for (let i = 1; i < n && allSame; i++)
    for (let k = 0; k < K; k++) if (x[i * K + k] !== x[k]) allSame = false;
  if (allSame) invalid('data', `all ${n} rows are equal: the dirichlet concentration would be infinite`);
  const meanLog = new Float64Array(K);
  const mean = new Float64Array(K);
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const v = x[i * K + k]!;
      meanLog[k]! += Math.log(v);
      mean[k]! += v;
    }
    m2 += x[i * K]! ** 2;
  }
  for (let k = 0; k < K; k++) {
    meanLog[k]! /= n;
    mean[k]! /= n;
  }
  m2 /= n;
  const obj: NaturalObjective = {
    nll: (a) => {
      let a0 = 0;
      let s = 0;
      for (let k = 0; k < K; k++) {
        a0 += a[k]!;
        s += -gammaln(a[k]!) + (a[k]! - 1) * meanLog[k]!;
      }
      return -n * (gammaln(a0) + s);
    },
    grad: (a) => {
      let a0 = 0;
      for (let k = 0; k < K; k++) a0 += a[k]!;
      const d0 = digamma(a0);
      const g = new Float64Array(K);
      for (let k = 0; k < K; k++) g[k] = -n * (d0 - digamma(a[k]!) + meanLog[k]!);
      return g;
    },
    hess: (a) => {
      let a0 = 0;
      for (let k = 0; k < K; k++) a0 += a[k]!;
      const t0 = trigamma(a0);
      const H: Matrix = [];
      for (let i = 0; i < K; i++) {
        const row = new Array<number>(K).fill(-n * t0);
        row[i] = n * (trigamma(a[i]!) - t0);
        H.push(row);
      }
      return H;
    },
  };
  // Method of moments on the first coordinate (Minka 2000): alpha0 = (E p1 - E p1^2) / var p1.
  const a0 = (mean[0]! - m2) / (m2 - mean[0]! ** 2);
  const start = new Float64Array(K);
  for (let k = 0; k < K; k++) start[k] = a0 > 0 && Number.isFinite(a0) ? a0 * mean[k]! : 1;
  const r = minimizeNll(obj, start, new Array(K).fill('log'), limits(opts));
  const alpha = Array.from(r.theta);
  const notes: string[] = ['Started from the method of moments; damped Newton on log alpha.'];
  return {
    distribution: { family: 'dirichlet', alpha },
    logLikelihood: -r.nll,
    parameters: K,
    ...outcome(r, notes),
    estimates: alpha.map((v, k) => ({ name: `alpha[${k}]`, value: v, kind: 'positive' as const })),
    information: obj.hess!(r.theta),
    notes,
  };
}
