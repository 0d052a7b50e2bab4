import gammaln from '@stdlib/math-base-special-gammaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { invalid } from '../errors.js';
import { logDetFromCholesky, tryCholesky } from '../linalg.js';
import {
  isInteger,
  requireAll,
  requireAtLeast,
  requireFinite,
  requireNotConstant,
  requireRows,
  requireUnivariate,
} from './data.js';
import { diagonal, waldInterval, zFor } from './inference.js';
import { meanVar, median, minMax } from './numeric.js';
import type { CoreFit, FitData, FitOptions, Interval } from './types.js';

/** Closed-form maximum-likelihood fits: one or two passes over the data, no iterations. */

const LOG_2PI = Math.log(2 * Math.PI);

const closed = (): Pick<CoreFit, 'method' | 'converged' | 'iterations'> => ({
  method: 'closed_form',
  converged: true,
  iterations: 0,
});

/** sum of log(x_i!) for non-negative integers, with a table for the common small values. */
function sumLogFactorial(x: Float64Array): number {
  const table = new Float64Array(1024);
  for (let k = 2; k < 1024; k++) table[k] = table[k - 1]! + Math.log(k);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    s += v < 1024 ? table[v]! : gammaln(v + 1);
  }
  return s;
}

/**
 * A proportion's interval: the logit-scale Wald interval inside (0, 1); at 0 or 1, where the observed
 * information is infinite and the Wald interval collapses, the exact Clopper-Pearson bound for
 * `trials` Bernoulli trials (1 - (alpha/2)^(1/trials)).
 */
function proportionInference(
  name: string,
  p: number,
  trials: number,
  confidence: number,
  notes: string[],
): { se: number; ci: Interval } {
  const se = Math.sqrt((p * (1 - p)) / trials);
  if (p > 0 && p < 1) return { se, ci: waldInterval(p, se, 'probability', zFor(confidence)) };
  const bound = (0.5 - confidence / 2) ** (1 / trials);
  notes.push(
    `${name} = ${p} is on the boundary: its observed information is infinite (standard error 0), so the ` +
      'interval is the exact Clopper-Pearson one',
  );
  return { se: 0, ci: p === 0 ? { low: 0, high: 1 - bound } : { low: bound, high: 1 } };
}

export function fitNormal(data: FitData): CoreFit {
  const x = requireUnivariate(data, 'normal');
  requireAtLeast(data, 2, 'normal');
  requireNotConstant(x, 'normal', 'the std must be > 0');
  const n = data.n;
  const { mean, variance } = meanVar(x);
  if (!Number.isFinite(mean) || !Number.isFinite(variance)) {
    // A NaN or an infinity among unchecked (binary) data makes the sums non-finite: name it.
    requireFinite(data);
    invalid('data', 'the values are too large: their sums overflow double precision');
  }
  const std = Math.sqrt(variance);
  const unbiasedVariance = (variance * n) / (n - 1);
  return {
    ...closed(),
    distribution: { family: 'normal', mean, std },
    logLikelihood: (-n / 2) * (LOG_2PI + Math.log(variance) + 1),
    parameters: 2,
    estimates: [
      { name: 'mean', value: mean, kind: 'real' },
      { name: 'std', value: std, kind: 'positive' },
    ],
    information: diagonal([n / variance, (2 * n) / variance]),
    derived: [{ name: 'variance', value: variance, kind: 'positive', gradient: [0, 2 * std] }],
    unbiased: { variance: unbiasedVariance, std: Math.sqrt(unbiasedVariance) },
    notes: [
      'std is the maximum-likelihood estimate: the variance divides by n. The unbiased variance ' +
        '(divided by n - 1) and its square root are given in `unbiased`.',
    ],
    cdf: (v) => normalCdf(v, mean, std),
  };
}

export function fitLognormal(data: FitData): CoreFit {
  const x = requireUnivariate(data, 'lognormal');
  requireAtLeast(data, 2, 'lognormal');
  requireAll(data, (v) => v > 0, 'must be > 0', 'lognormal');
  requireNotConstant(x, 'lognormal', 'sigma must be > 0');
  const n = data.n;
  const logs = new Float64Array(n);
  let sumLog = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(x[i]!);
    logs[i] = l;
    sumLog += l;
  }
  const { mean: mu, variance } = meanVar(logs);
  const sigma = Math.sqrt(variance);
  return {
    ...closed(),
    distribution: { family: 'lognormal', mu, sigma },
    logLikelihood: (-n / 2) * (LOG_2PI + Math.log(variance) + 1) - sumLog,
    parameters: 2,
    estimates: [
      { name: 'mu', value: mu, kind: 'real' },
      { name: 'sigma', value: sigma, kind: 'positive' },
    ],
    information: diagonal([n / variance, (2 * n) / variance]),
    notes: ['sigma is the maximum-likelihood estimate: the variance of log x divides by n.'],
    cdf: (v) => (v <= 0 ? 0 : normalCdf(Math.log(v), mu, sigma)),
  };
}

export function fitExponential(data: FitData): CoreFit {
  const x = requireUnivariate(data, 'exponential');
  requireAtLeast(data, 1, 'exponential');
  requireAll(data, (v) => v >= 0, 'must be >= 0', 'exponential');
  const n = data.n;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  if (s === 0) invalid('data', `all ${n} values are 0: the exponential rate (1 / mean) would be infinite`);
  const rate = n / s;
  return {
    ...closed(),
    distribution: { family: 'exponential', rate },
    logLikelihood: n * Math.log(rate) - n,
    parameters: 1,
    estimates: [{ name: 'rate', value: rate, kind: 'positive' }],
    information: [[n / (rate * rate)]],
    cdf: (v) => (v <= 0 ? 0 : -Math.expm1(-rate * v)),
  };
}

export function fitPoisson(data: FitData): CoreFit {
  const x = requireUnivariate(data, 'poisson');
  requireAtLeast(data, 1, 'poisson');
  requireAll(data, (v) => v >= 0 && isInteger(v), 'must be an integer >= 0', 'poisson');
  const n = data.n;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  if (s === 0)
    invalid('data', `all ${n} values are 0: the poisson rate (the mean) would be 0, and it must be > 0`);
  const rate = s / n;
  return {
    ...closed(),
    distribution: { family: 'poisson', rate },
    logLikelihood: s * Math.log(rate) - n * rate - sumLogFactorial(x),
    parameters: 1,
    estimates: [{ name: 'rate', value: rate, kind: 'positive' }],
    information: [[n / rate]],
  };
}

export function fitBernoulli(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'bernoulli');
  requireAtLeast(data, 1, 'bernoulli');
  requireAll(data, (v) => v === 0 || v === 1, 'must be 0 or 1', 'bernoulli');
  const n = data.n;
  let k = 0;
  for (let i = 0; i < n; i++) k += x[i]!;
  const p = k / n;
  const notes: string[] = [];
  const { se, ci } = proportionInference('p', p, n, opts.confidence, notes);
  return {
    ...closed(),
    distribution: { family: 'bernoulli', p },
    logLikelihood: (k > 0 ? k * Math.log(p) : 0) + (n - k > 0 ? (n - k) * Math.log1p(-p) : 0),
    parameters: 1,
    estimates: [{ name: 'p', value: p, kind: 'probability' }],
    inference: { standardErrors: { p: se }, confidenceIntervals: { p: ci } },
    notes,
  };
}

export function fitBinomial(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'binomial');
  requireAtLeast(data, 1, 'binomial');
  // Without `trials`, n is taken as the largest count seen: the smallest n the data allow. (The
  // joint MLE of n and p is notoriously unstable, and unbounded for over-dispersed data.)
  const given = opts.trials;
  let N: number;
  if (given === undefined) {
    requireAll(
      data,
      (v) => v >= 0 && isInteger(v),
      'must be a non-negative integer (a count of successes)',
      'binomial',
    );
    N = 0;
    for (let i = 0; i < data.n; i++) if (x[i]! > N) N = x[i]!;
    if (N === 0) N = 1;
  } else {
    N = given;
  }
  requireAll(
    data,
    (v) => v >= 0 && v <= N && isInteger(v),
    `must be an integer in 0..${N} (trials = ${N})`,
    'binomial',
  );
  const n = data.n;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const p = s / (n * N);
  // sum log C(N, x_i), with a table over 0..N when N is small.
  let logC = 0;
  if (N <= 100_000) {
    const lf = new Float64Array(N + 1);
    for (let k = 2; k <= N; k++) lf[k] = lf[k - 1]! + Math.log(k);
    for (let i = 0; i < n; i++) logC += lf[N]! - lf[x[i]!]! - lf[N - x[i]!]!;
  } else {
    for (let i = 0; i < n; i++) logC += gammaln(N + 1) - gammaln(x[i]! + 1) - gammaln(N - x[i]! + 1);
  }
  const failures = n * N - s;
  const notes: string[] = [
    given === undefined
      ? `trials was not given: n = ${N} is the largest count in the data (the smallest n they allow), ` +
        'held fixed; send trials when the number of trials is known'
      : `n = ${N} is the known number of trials (given as \`trials\`), not estimated.`,
  ];
  const { se, ci } = proportionInference('p', p, n * N, opts.confidence, notes);
  return {
    ...closed(),
    distribution: { family: 'binomial', n: N, p },
    logLikelihood: logC + (s > 0 ? s * Math.log(p) : 0) + (failures > 0 ? failures * Math.log1p(-p) : 0),
    parameters: 1,
    estimates: [{ name: 'p', value: p, kind: 'probability' }],
    inference: { standardErrors: { p: se }, confidenceIntervals: { p: ci } },
    notes,
  };
}

export function fitGeometric(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'geometric');
  requireAtLeast(data, 1, 'geometric');
  requireAll(
    data,
    (v) => v >= 1 && isInteger(v),
    'must be an integer >= 1 (trials up to the first success)',
    'geometric',
  );
  const n = data.n;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const p = n / s;
  const notes: string[] = [];
  let se = p * Math.sqrt((1 - p) / n);
  let ci: Interval;
  if (p < 1) {
    ci = waldInterval(p, se, 'probability', zFor(opts.confidence));
  } else {
    // Every observation was a first-trial success: n successes in n trials.
    ci = proportionInference('p', 1, n, opts.confidence, notes).ci;
    se = 0;
  }
  return {
    ...closed(),
    distribution: { family: 'geometric', p },
    logLikelihood: n * Math.log(p) + (s - n > 0 ? (s - n) * Math.log1p(-p) : 0),
    parameters: 1,
    estimates: [{ name: 'p', value: p, kind: 'probability' }],
    inference: { standardErrors: { p: se }, confidenceIntervals: { p: ci } },
    notes,
  };
}

export const MAX_CATEGORIES = 100_000;

export function fitCategorical(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'categorical');
  requireAtLeast(data, 1, 'categorical');
  const K0 = opts.categories;
  const limit = K0 ?? MAX_CATEGORIES;
  requireAll(
    data,
    (v) => v >= 0 && v < limit && isInteger(v),
    K0 === undefined
      ? `must be a category index, an integer in 0..${MAX_CATEGORIES - 1}`
      : `must be a category index, an integer in 0..${K0 - 1} (categories = ${K0})`,
    'categorical',
  );
  const n = data.n;
  const K = K0 ?? minMax(x).max + 1;
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[x[i]!]!++;
  const probs = Array.from(counts, (c) => c / n);
  let ll = 0;
  for (let k = 0; k < K; k++) if (counts[k]! > 0) ll += counts[k]! * Math.log(probs[k]!);
  const standardErrors: Record<string, number> = {};
  const confidenceIntervals: Record<string, Interval> = {};
  const notes: string[] = [];
  const boundary: number[] = [];
  for (let k = 0; k < K; k++) {
    const sub: string[] = [];
    const { se, ci } = proportionInference(`probs[${k}]`, probs[k]!, n, opts.confidence, sub);
    if (sub.length > 0) boundary.push(k);
    standardErrors[`probs[${k}]`] = se;
    confidenceIntervals[`probs[${k}]`] = ci;
  }
  if (boundary.length > 0)
    notes.push(
      `categories ${boundary.slice(0, 10).join(', ')}${boundary.length > 10 ? ', ...' : ''} have probability ` +
        '0 or 1: their intervals are exact Clopper-Pearson bounds',
    );
  if (K0 === undefined)
    notes.push(`categories = ${K} (the largest value + 1); give \`categories\` to fix it.`);
  return {
    ...closed(),
    distribution: { family: 'categorical', probs },
    logLikelihood: ll,
    parameters: K - 1,
    estimates: probs.map((p, k) => ({ name: `probs[${k}]`, value: p, kind: 'probability' as const })),
    inference: { standardErrors, confidenceIntervals },
    notes,
  };
}

export function fitUniform(data: FitData, opts: FitOptions): CoreFit {
  const x = requireUnivariate(data, 'uniform');
  requireAtLeast(data, 2, 'uniform');
  requireNotConstant(x, 'uniform', 'low < high needs two distinct values');
  const n = data.n;
  const { min: low, max: high } = minMax(x);
  const R = high - low;
  // n (high - max) / (high - low) is about Exp(1) (and so for min): one-sided exact-order intervals.
  const q = -Math.log(1 - opts.confidence);
  const se = R / n;
  return {
    ...closed(),
    distribution: { family: 'uniform', low, high },
    logLikelihood: -n * Math.log(R),
    parameters: 2,
    estimates: [
      { name: 'low', value: low, kind: 'real' },
      { name: 'high', value: high, kind: 'real' },
    ],
    inference: {
      standardErrors: { low: se, high: se },
      confidenceIntervals: {
        low: { low: low - (R * q) / n, high: low },
        high: { low: high, high: high + (R * q) / n },
      },
    },
    unbiased: { low: (n * low - high) / (n - 1), high: (n * high - low) / (n - 1) },
    notes: [
      'The uniform is not a regular family: low = min and high = max, biased inwards by about ' +
        '(high - low) / n. Standard errors and intervals come from the order statistics ' +
        '(n (high - max) / (high - low) is about Exp(1)), not from the Fisher information; ' +
        '`unbiased` has the unbiased (UMVU) endpoints.',
    ],
    cdf: (v) => (v <= low ? 0 : v >= high ? 1 : (v - low) / R),
  };
}

export function fitLaplace(data: FitData): CoreFit {
  const x = requireUnivariate(data, 'laplace');
  requireAtLeast(data, 2, 'laplace');
  requireNotConstant(x, 'laplace', 'the scale must be > 0');
  const n = data.n;
  const loc = median(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i]! - loc);
  const scale = s / n;
  return {
    ...closed(),
    distribution: { family: 'laplace', loc, scale },
    logLikelihood: -n * Math.log(2 * scale) - n,
    parameters: 2,
    estimates: [
      { name: 'loc', value: loc, kind: 'real' },
      { name: 'scale', value: scale, kind: 'positive' },
    ],
    // The likelihood is not differentiable in loc; the median's asymptotic variance is
    // 1 / (4 f(loc)^2 n) = scale^2 / n, the same as the scale's inverse Fisher information.
    information: diagonal([n / (scale * scale), n / (scale * scale)]),
    notes: [
      'loc is the sample median and scale the mean absolute deviation from it. The log-likelihood is ' +
        'not differentiable in loc: its standard error is the median’s asymptotic one, scale / sqrt(n).',
    ],
    cdf: (v) => (v < loc ? 0.5 * Math.exp((v - loc) / scale) : 1 - 0.5 * Math.exp(-(v - loc) / scale)),
  };
}

export function fitMultivariateNormal(data: FitData, opts: FitOptions): CoreFit {
  requireRows(data, 'multivariate_normal');
  const d = data.dim;
  requireAtLeast(data, d + 1, 'multivariate_normal', ` (d + 1 for d = ${d} dimensions)`);
  const n = data.n;
  const x = data.values;
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a]! += x[i * d + a]!;
  for (let a = 0; a < d; a++) mean[a]! /= n;
  const cov: number[][] = [];
  for (let a = 0; a < d; a++) cov.push(new Array<number>(d).fill(0));
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) r[a] = x[i * d + a]! - mean[a]!;
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) cov[a]![b]! += r[a]! * r[b]!;
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = cov[a]![b]! / n;
      cov[a]![b] = v;
      cov[b]![a] = v;
    }
  }
  const chol = tryCholesky(cov);
  if (!chol.ok)
    invalid(
      'data',
      `the sample covariance is singular (coordinate ${chol.pivot} is constant or a linear combination ` +
        'of the others): the data lie in a lower-dimensional subspace, so no multivariate_normal fits',
    );
  const logDet = logDetFromCholesky(chol.L);
  const z = zFor(opts.confidence);
  const standardErrors: Record<string, number> = {};
  const confidenceIntervals: Record<string, Interval> = {};
  for (let a = 0; a < d; a++) {
    const se = Math.sqrt(cov[a]![a]! / n);
    standardErrors[`mean[${a}]`] = se;
    confidenceIntervals[`mean[${a}]`] = waldInterval(mean[a]!, se, 'real', z);
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      // The inverse Fisher information of the covariance MLE: (s_ab^2 + s_aa s_bb) / n.
      const se = Math.sqrt((cov[a]![b]! ** 2 + cov[a]![a]! * cov[b]![b]!) / n);
      const key = `cov[${a}][${b}]`;
      standardErrors[key] = se;
      confidenceIntervals[key] = waldInterval(cov[a]![b]!, se, a === b ? 'positive' : 'real', z);
    }
  }
  return {
    ...closed(),
    distribution: { family: 'multivariate_normal', mean, cov },
    logLikelihood: (-n / 2) * (d * LOG_2PI + logDet + d),
    parameters: d + (d * (d + 1)) / 2,
    estimates: [],
    inference: { standardErrors, confidenceIntervals },
    unbiased: { cov: cov.map((row) => row.map((v) => (v * n) / (n - 1))) },
    notes: [
      'cov is the maximum-likelihood estimate (divided by n); the unbiased one (divided by n - 1) is in ' +
        '`unbiased.cov`. Standard errors are the inverse Fisher information: mean[a] sqrt(cov[a][a] / n), ' +
        'cov[a][b] sqrt((cov[a][b]^2 + cov[a][a] cov[b][b]) / n).',
    ],
  };
}
