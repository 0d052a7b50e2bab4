import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { invalid } from '../errors.js';
import { logDetFromCholesky, type Matrix, solveLowerMatrix, tryCholesky } from '../linalg.js';
import { createRng, type Rng, type Seed } from '../rng/index.js';
import { requireAtLeast } from './data.js';
import { meanVar } from './numeric.js';
import type { CoreFit, FitData, FitOptions, ParamEstimate } from './types.js';

/**
 * Gaussian mixtures by EM (Dempster, Laird and Rubin 1977), univariate or multivariate.
 *
 * - Starts: `STARTS` k-means++ seedings (Arthur and Vassilvitskii 2007) from the request's seed; each
 *   runs a short EM of `SHORT_RUN` iterations and only the best continues to convergence
 *   ("short-run EM", Biernacki, Celeux and Govaert 2003), which costs far less than running every
 *   start to the end and finds the same optimum on all but pathological data. Above SUBSAMPLE points
 *   the short runs use a seeded subsample of that size.
 * - Variance floors: no component variance (covariance diagonal) drops below FLOOR times the data's
 *   variance in that coordinate, and a covariance singular all the same gets that much added to its
 *   diagonal, so no component can collapse onto one point and send the likelihood to infinity; a start that still ends with a component holding fewer than d + 1 points' weight is
 *   set aside in favour of one that does not.
 * - Convergence: the relative change of the log-likelihood below `tolerance` (default 1e-10).
 */

export const EM_DEFAULTS = { maxIterations: 2000, tolerance: 1e-10 };
export const STARTS = 8;
export const SHORT_RUN = 10;
/** Above this many points the short runs use a seeded subsample of this size. */
export const SUBSAMPLE = 10_000;
export const FLOOR = 1e-6;
/** Standard errors need 2p gradient passes over the data; above this many parameters they are skipped. */
export const MAX_SE_PARAMETERS = 60;

const LOG_2PI = Math.log(2 * Math.PI);

interface Params {
  w: Float64Array;
  mu: Float64Array; // k x d
  cov: Float64Array; // k x d x d (univariate: the variances)
}

interface Run {
  params: Params;
  ll: number;
  trace: number[];
  iterations: number;
  converged: boolean;
  degenerate: boolean;
}

/** Points to means by k-means++ seeding, then one hard assignment to moments. */
function kmeansppStart(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  floor: Float64Array,
): Params {
  const centers = new Float64Array(k * d);
  const first = rng.integer(n);
  for (let a = 0; a < d; a++) centers[a] = x[first * d + a]!;
  const d2 = new Float64Array(n).fill(Infinity);
  for (let c = 1; c <= k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const t = x[i * d + a]! - centers[(c - 1) * d + a]!;
        s += t * t;
      }
      if (s < d2[i]!) d2[i] = s;
      total += d2[i]!;
    }
    if (c === k) break;
    let pick = rng.integer(n);
    if (total > 0) {
      let u = rng.uniform() * total;
      for (let i = 0; i < n; i++) {
        u -= d2[i]!;
        if (u <= 0) {
          pick = i;
          break;
        }
      }
    }
    for (let a = 0; a < d; a++) centers[c * d + a] = x[pick * d + a]!;
  }
  // Hard assignment to the nearest centre.
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const t = x[i * d + a]! - centers[c * d + a]!;
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    label[i] = best;
    counts[best]!++;
    for (let a = 0; a < d; a++) sums[best * d + a]! += x[i * d + a]!;
  }
  const mu = new Float64Array(k * d);
  for (let c = 0; c < k; c++)
    for (let a = 0; a < d; a++)
      mu[c * d + a] = counts[c]! > 0 ? sums[c * d + a]! / counts[c]! : centers[c * d + a]!;
  const cov = new Float64Array(k * d * d);
  for (let i = 0; i < n; i++) {
    const c = label[i]!;
    for (let a = 0; a < d; a++) {
      const ra = x[i * d + a]! - mu[c * d + a]!;
      for (let b = 0; b <= a; b++) cov[c * d * d + a * d + b]! += ra * (x[i * d + b]! - mu[c * d + b]!);
    }
  }
  const w = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    w[c] = Math.max(counts[c]!, 1) / n;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let v =
          counts[c]! >= d + 1 ? cov[c * d * d + a * d + b]! / counts[c]! : a === b ? floor[a]! * 1e4 : 0;
        if (a === b) v = Math.max(v, floor[a]!);
        cov[c * d * d + a * d + b] = v;
        cov[c * d * d + b * d + a] = v;
      }
    }
  }
  let ws = 0;
  for (let c = 0; c < k; c++) ws += w[c]!;
  for (let c = 0; c < k; c++) w[c] = w[c]! / ws;
  return { w, mu, cov };
}

/**
 * Per component: the inverse Cholesky factor of the covariance (lower triangular, flat k x d x d)
 * and log(w) - log((2 pi)^(d/2) |Sigma|^(1/2)); null when a covariance is not positive definite.
 * With Linv, z = Linv (x - mu) gives the Mahalanobis distance |z|^2 and v = Linv^T z = Sigma^-1 (x - mu),
 * with no allocation per point.
 */
function componentFactors(
  p: Params,
  d: number,
  k: number,
): { Linv: Float64Array; logNorm: Float64Array } | null {
  const dd = d * d;
  const Linv = new Float64Array(k * dd);
  const logNorm = new Float64Array(k);
  const I: Matrix = [];
  for (let a = 0; a < d; a++) I.push(Array.from({ length: d }, (_, b) => (a === b ? 1 : 0)));
  for (let c = 0; c < k; c++) {
    const S: Matrix = [];
    for (let a = 0; a < d; a++) S.push(Array.from(p.cov.subarray(c * dd + a * d, c * dd + a * d + d)));
    const ch = tryCholesky(S, 0);
    if (!ch.ok || !(p.w[c]! > 0)) return null;
    const inv = solveLowerMatrix(ch.L, I);
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) Linv[c * dd + a * d + b] = inv[a]![b]!;
    logNorm[c] = Math.log(p.w[c]!) - 0.5 * (d * LOG_2PI + logDetFromCholesky(ch.L));
  }
  return { Linv, logNorm };
}

/** z = Linv_c (x_i - mu_c) into z; returns |z|^2. */
function whiten(
  x: Float64Array,
  i: number,
  mu: Float64Array,
  Linv: Float64Array,
  c: number,
  d: number,
  r: Float64Array,
  z: Float64Array,
): number {
  const dd = d * d;
  for (let a = 0; a < d; a++) r[a] = x[i * d + a]! - mu[c * d + a]!;
  let q = 0;
  for (let a = 0; a < d; a++) {
    let s = 0;
    const row = c * dd + a * d;
    for (let b = 0; b <= a; b++) s += Linv[row + b]! * r[b]!;
    z[a] = s;
    q += s * s;
  }
  return q;
}

/** One EM iteration: returns the log-likelihood of `p` (before the update) and updates p in place. */
function emStep(x: Float64Array, n: number, d: number, k: number, p: Params, floor: Float64Array): number {
  if (d === 1) return emStep1(x, n, k, p, floor);
  const dd = d * d;
  const f = componentFactors(p, d, k);
  if (f === null) return Number.NaN;
  const { Linv, logNorm } = f;
  const N = new Float64Array(k);
  const Sx = new Float64Array(k * d);
  const Sxx = new Float64Array(k * dd);
  const lp = new Float64Array(k);
  const r = new Float64Array(d);
  const z = new Float64Array(d);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      lp[c] = logNorm[c]! - 0.5 * whiten(x, i, p.mu, Linv, c, d, r, z);
      if (lp[c]! > m) m = lp[c]!;
    }
    let s = 0;
    for (let c = 0; c < k; c++) {
      lp[c] = Math.exp(lp[c]! - m);
      s += lp[c]!;
    }
    ll += m + Math.log(s);
    for (let c = 0; c < k; c++) {
      const resp = lp[c]! / s;
      if (resp === 0) continue;
      N[c]! += resp;
      for (let a = 0; a < d; a++) {
        // Centred at the old mean, for accuracy.
        const ra = x[i * d + a]! - p.mu[c * d + a]!;
        Sx[c * d + a]! += resp * ra;
        for (let b = 0; b <= a; b++)
          Sxx[c * dd + a * d + b]! += resp * ra * (x[i * d + b]! - p.mu[c * d + b]!);
      }
    }
  }
  for (let c = 0; c < k; c++) {
    const Nc = N[c]!;
    p.w[c] = Nc / n;
    if (Nc <= 0) continue;
    const shift = new Float64Array(d);
    for (let a = 0; a < d; a++) shift[a] = Sx[c * d + a]! / Nc;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let v = Sxx[c * dd + a * d + b]! / Nc - shift[a]! * shift[b]!;
        if (a === b) v = Math.max(v, floor[a]!);
        p.cov[c * dd + a * d + b] = v;
        p.cov[c * dd + b * d + a] = v;
      }
    }
    // A covariance that is (numerically) singular though its diagonal is floored gets a ridge.
    const S: Matrix = [];
    for (let a = 0; a < d; a++) S.push(Array.from(p.cov.subarray(c * dd + a * d, c * dd + a * d + d)));
    if (!tryCholesky(S, 1e-10).ok) for (let a = 0; a < d; a++) p.cov[c * dd + a * d + a]! += floor[a]!;
    for (let a = 0; a < d; a++) p.mu[c * d + a]! += shift[a]!;
  }
  return ll;
}

function emStep1(x: Float64Array, n: number, k: number, p: Params, floor: Float64Array): number {
  const logNorm = new Float64Array(k);
  const inv2v = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    logNorm[c] = Math.log(p.w[c]!) - 0.5 * (LOG_2PI + Math.log(p.cov[c]!));
    inv2v[c] = 0.5 / p.cov[c]!;
  }
  const N = new Float64Array(k);
  const S1 = new Float64Array(k);
  const S2 = new Float64Array(k);
  const lp = new Float64Array(k);
  const mu = p.mu;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      const t = xi - mu[c]!;
      const v = logNorm[c]! - t * t * inv2v[c]!;
      lp[c] = v;
      if (v > m) m = v;
    }
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(lp[c]! - m);
      lp[c] = e;
      s += e;
    }
    ll += m + Math.log(s);
    const inv = 1 / s;
    for (let c = 0; c < k; c++) {
      const resp = lp[c]! * inv;
      const t = xi - mu[c]!;
      N[c]! += resp;
      S1[c]! += resp * t;
      S2[c]! += resp * t * t;
    }
  }
  for (let c = 0; c < k; c++) {
    const Nc = N[c]!;
    p.w[c] = Nc / n;
    if (Nc <= 0) continue;
    const shift = S1[c]! / Nc;
    p.cov[c] = Math.max(S2[c]! / Nc - shift * shift, floor[0]!);
    mu[c]! += shift;
  }
  return ll;
}

/** m points drawn without replacement (a partial Fisher-Yates shuffle of the indices), rows kept whole. */
function subsample(x: Float64Array, n: number, d: number, m: number, rng: Rng): Float64Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const out = new Float64Array(m * d);
  for (let j = 0; j < m; j++) {
    const r = j + rng.integer(n - j);
    const t = idx[j]!;
    idx[j] = idx[r]!;
    idx[r] = t;
    const i = idx[j]!;
    for (let a = 0; a < d; a++) out[j * d + a] = x[i * d + a]!;
  }
  return out;
}

function clone(p: Params): Params {
  return { w: Float64Array.from(p.w), mu: Float64Array.from(p.mu), cov: Float64Array.from(p.cov) };
}

/** Continue EM from `run` for up to `iters` more iterations. */
function runEm(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  run: Run,
  iters: number,
  tolerance: number,
  floor: Float64Array,
): void {
  for (let t = 0; t < iters && !run.converged; t++) {
    const ll = emStep(x, n, d, k, run.params, floor);
    run.iterations++;
    if (!Number.isFinite(ll)) {
      run.ll = ll;
      return;
    }
    const prev = run.trace.length > 0 ? run.trace[run.trace.length - 1]! : Number.NaN;
    run.trace.push(ll);
    run.ll = ll;
    if (Math.abs(ll - prev) <= tolerance * Math.abs(ll)) run.converged = true;
  }
}

/** The log-likelihood at p, with responsibilities' effective counts. */
function evaluate(x: Float64Array, n: number, d: number, k: number, p: Params, floor: Float64Array) {
  const copy = clone(p);
  const ll = emStep(x, n, d, k, copy, floor);
  const counts = Array.from(copy.w, (w) => w * n);
  return { ll, counts };
}

/** Without `components`, k is chosen by BIC among 1..MAX_AUTO_COMPONENTS. */
export const MAX_AUTO_COMPONENTS = 5;

export function fitMixture(data: FitData, opts: FitOptions): CoreFit {
  return opts.components === undefined
    ? fitMixtureByBic(data, opts)
    : fitMixtureOf(opts.components, data, opts);
}

/**
 * Fits k = 1, 2, ... MAX_AUTO_COMPONENTS components (as many as the data can carry) and keeps the
 * lowest BIC, which penalises each extra component's parameters by log n: the usual choice when the
 * number of clusters is unknown (AIC would over-split large samples).
 */
function fitMixtureByBic(data: FitData, opts: FitOptions): CoreFit {
  const d = data.dim;
  let best: { fit: CoreFit; bic: number; k: number } | undefined;
  const tried: string[] = [];
  for (let k = 1; k <= MAX_AUTO_COMPONENTS && data.n >= k * (d + 1) * 2; k++) {
    const fit = fitMixtureOf(k, data, { ...opts, components: k });
    const bic = fit.parameters * Math.log(data.n) - 2 * fit.logLikelihood;
    tried.push(`k = ${k}: ${bic.toFixed(2)}`);
    if (best === undefined || bic < best.bic) best = { fit, bic, k };
  }
  if (best === undefined) return fitMixtureOf(1, data, { ...opts, components: 1 });
  const note =
    `components was not given: k = ${best.k} has the lowest BIC among 1..${tried.length} ` +
    `(${tried.join('; ')}); send components to fit a given k`;
  return { ...best.fit, notes: [note, ...(best.fit.notes ?? [])] };
}

function fitMixtureOf(k: number, data: FitData, opts: FitOptions): CoreFit {
  const d = data.dim;
  const n = data.n;
  const x = data.values;
  requireAtLeast(data, k * (d + 1), 'mixture', ` (components x (d + 1) = ${k} x ${d + 1})`);
  // The data's variance per coordinate sets the floors.
  const floor = new Float64Array(d);
  const column = new Float64Array(n);
  for (let a = 0; a < d; a++) {
    for (let i = 0; i < n; i++) column[i] = x[i * d + a]!;
    const v = meanVar(column).variance;
    if (!(v > 0))
      invalid('data', `coordinate ${a} is constant: a Gaussian mixture needs spread in every coordinate`);
    floor[a] = FLOOR * v;
  }
  const maxIterations = opts.maxIterations ?? EM_DEFAULTS.maxIterations;
  const tolerance = opts.tolerance ?? EM_DEFAULTS.tolerance;
  const seed: Seed = opts.seed ?? 0;
  const runs: Run[] = [];
  const starts = k === 1 ? 1 : STARTS;
  // The starts compete on a seeded subsample when the data are large; the winner goes on with all of it.
  const sub = n > SUBSAMPLE ? subsample(x, n, d, SUBSAMPLE, createRng(seed, STARTS)) : x;
  const m = sub.length / d;
  for (let s = 0; s < starts; s++) {
    const rng = createRng(seed, s);
    const params = kmeansppStart(sub, m, d, k, rng, floor);
    const run: Run = { params, ll: -Infinity, trace: [], iterations: 0, converged: false, degenerate: false };
    runEm(sub, m, d, k, run, Math.min(SHORT_RUN, maxIterations), tolerance, floor);
    runs.push(run);
  }
  const score = (r: Run) => (Number.isFinite(r.ll) ? r.ll : -Infinity);
  if (sub !== x) {
    // Ranked on the subsample; the trace and the convergence test start again on the full data.
    for (const run of runs) {
      run.trace = [];
      run.converged = false;
    }
  }
  const degenerateOf = (p: Params) => {
    for (let c = 0; c < k; c++) if (p.w[c]! * n < d + 1) return true;
    return false;
  };
  // Finish the most promising start; if it ends degenerate, try the next ones.
  const order = runs.map((_, i) => i).sort((a, b) => score(runs[b]!) - score(runs[a]!));
  let chosen: Run | undefined;
  const notes: string[] = [];
  let setAside = 0;
  for (const idx of order) {
    const run = runs[idx]!;
    runEm(x, n, d, k, run, maxIterations - run.iterations, tolerance, floor);
    run.degenerate = degenerateOf(run.params);
    if (!run.degenerate) {
      chosen = run;
      break;
    }
    setAside++;
    if (!chosen || score(run) > score(chosen)) chosen = run;
    if (setAside >= 3) break;
  }
  const run = chosen!;
  if (!Number.isFinite(run.ll))
    invalid('data', 'EM failed: a component covariance became singular; try fewer components');
  if (run.degenerate)
    notes.push(
      'a component holds fewer than d + 1 points: it sits at the variance floor, so the fit is degenerate; ' +
        'try fewer components',
    );
  else if (setAside > 0)
    notes.push(`${setAside} start(s) that ended with a collapsed component were set aside`);
  if (!run.converged) notes.push(`not converged: EM stopped at maxIterations = ${maxIterations}`);

  // Canonical order: components sorted by their mean (first coordinate, then the next).
  const p = run.params;
  const perm = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    for (let j = 0; j < d; j++) {
      const diff = p.mu[a * d + j]! - p.mu[b * d + j]!;
      if (diff !== 0) return diff;
    }
    return 0;
  });
  const dd = d * d;
  const sorted: Params = {
    w: new Float64Array(k),
    mu: new Float64Array(k * d),
    cov: new Float64Array(k * dd),
  };
  perm.forEach((src, dst) => {
    sorted.w[dst] = p.w[src]!;
    sorted.mu.set(p.mu.subarray(src * d, src * d + d), dst * d);
    sorted.cov.set(p.cov.subarray(src * dd, src * dd + dd), dst * dd);
  });
  let wsum = 0;
  for (let c = 0; c < k; c++) wsum += sorted.w[c]!;
  for (let c = 0; c < k; c++) sorted.w[c] = sorted.w[c]! / wsum;
  // The reported log-likelihood is that of the reported parameters.
  const finalLl = evaluate(x, n, d, k, sorted, floor).ll;
  const trace = [...run.trace, finalLl];

  const weights = Array.from(sorted.w);
  const components =
    d === 1
      ? Array.from({ length: k }, (_, c) => ({
          family: 'normal',
          mean: sorted.mu[c]!,
          std: Math.sqrt(sorted.cov[c]!),
        }))
      : Array.from({ length: k }, (_, c) => ({
          family: 'multivariate_normal',
          mean: Array.from(sorted.mu.subarray(c * d, c * d + d)),
          cov: Array.from({ length: d }, (_, a) =>
            Array.from(sorted.cov.subarray(c * dd + a * d, c * dd + a * d + d)),
          ),
        }));
  const parameters = k - 1 + k * (d + (d * (d + 1)) / 2);
  const { estimates, information, derived } = mixtureInformation(x, n, d, k, sorted, parameters, notes);
  const starts2 = starts === 1 ? 'one start' : `${starts} k-means++ starts (${SHORT_RUN} EM iterations each)`;
  notes.unshift(`EM from ${starts2}; the best continued to convergence.`);
  return {
    distribution: { family: 'mixture', weights, components },
    logLikelihood: finalLl,
    parameters,
    method: 'em',
    converged: run.converged,
    iterations: run.iterations,
    estimates,
    information,
    derived,
    logLikelihoodTrace: trace,
    seed,
    notes,
    cdf:
      d === 1
        ? (v) => {
            let s = 0;
            for (let c = 0; c < k; c++)
              s += weights[c]! * normalCdf(v, sorted.mu[c]!, Math.sqrt(sorted.cov[c]!));
            return s;
          }
        : undefined,
  };
}

/**
 * Observed information of the mixture log-likelihood by central differences of its analytic
 * gradient, in the parameters the answer reports: weights[0..k-2] (the last is 1 minus the rest),
 * then per component the mean and the std (univariate) or the mean and the upper triangle of cov.
 */
function mixtureInformation(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  p: Params,
  parameters: number,
  notes: string[],
): Pick<CoreFit, 'estimates' | 'information' | 'derived'> {
  const dd = d * d;
  const tri: Array<[number, number]> = [];
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) tri.push([a, b]);
  const per = d + (d === 1 ? 1 : tri.length);
  const estimates: ParamEstimate[] = [];
  const scales: number[] = [];
  const theta: number[] = [];
  for (let c = 0; c < k - 1; c++) {
    estimates.push({ name: `weights[${c}]`, value: p.w[c]!, kind: 'probability' });
    theta.push(p.w[c]!);
    scales.push(Math.min(p.w[c]!, 1 - p.w[c]!, 0.1));
  }
  for (let c = 0; c < k; c++) {
    const name = `components[${c}]`;
    for (let a = 0; a < d; a++) {
      estimates.push({
        name: d === 1 ? `${name}.mean` : `${name}.mean[${a}]`,
        value: p.mu[c * d + a]!,
        kind: 'real',
      });
      theta.push(p.mu[c * d + a]!);
      scales.push(Math.sqrt(p.cov[c * dd + a * d + a]!));
    }
    if (d === 1) {
      const s = Math.sqrt(p.cov[c]!);
      estimates.push({ name: `${name}.std`, value: s, kind: 'positive' });
      theta.push(s);
      scales.push(s);
    } else {
      for (const [a, b] of tri) {
        const v = p.cov[c * dd + a * d + b]!;
        estimates.push({ name: `${name}.cov[${a}][${b}]`, value: v, kind: a === b ? 'positive' : 'real' });
        theta.push(v);
        scales.push(Math.sqrt(p.cov[c * dd + a * d + a]! * p.cov[c * dd + b * d + b]!));
      }
    }
  }
  const lastWeight = {
    name: `weights[${k - 1}]`,
    value: p.w[k - 1]!,
    kind: 'probability' as const,
    gradient: theta.map((_, i) => (i < k - 1 ? -1 : 0)),
  };
  if (parameters > MAX_SE_PARAMETERS) {
    notes.push(`standard errors are not computed for more than ${MAX_SE_PARAMETERS} parameters`);
    return { estimates, information: null, derived: k > 1 ? [lastWeight] : [] };
  }
  const unpack = (t: Float64Array): Params => {
    const q: Params = { w: new Float64Array(k), mu: new Float64Array(k * d), cov: new Float64Array(k * dd) };
    let wsum = 0;
    for (let c = 0; c < k - 1; c++) {
      q.w[c] = t[c]!;
      wsum += t[c]!;
    }
    q.w[k - 1] = 1 - wsum;
    for (let c = 0; c < k; c++) {
      const off = k - 1 + c * per;
      for (let a = 0; a < d; a++) q.mu[c * d + a] = t[off + a]!;
      if (d === 1) q.cov[c] = t[off + 1]! ** 2;
      else
        tri.forEach(([a, b], j) => {
          q.cov[c * dd + a * d + b] = t[off + d + j]!;
          q.cov[c * dd + b * d + a] = t[off + d + j]!;
        });
    }
    return q;
  };
  const grad = (t: Float64Array): Float64Array => {
    const q = unpack(t);
    const g = new Float64Array(t.length);
    const f = componentFactors(q, d, k);
    if (f === null) return g.fill(Number.NaN);
    const { Linv, logNorm } = f;
    const N = new Float64Array(k);
    const Sv = new Float64Array(k * d); // sum r v, v = Sigma^-1 (x - mu)
    const Svv = new Float64Array(k * dd); // sum r v v^T
    const lp = new Float64Array(k);
    const zs = new Float64Array(k * d);
    const r = new Float64Array(d);
    const z = new Float64Array(d);
    const v = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let c = 0; c < k; c++) {
        lp[c] = logNorm[c]! - 0.5 * whiten(x, i, q.mu, Linv, c, d, r, z);
        zs.set(z, c * d);
        if (lp[c]! > m) m = lp[c]!;
      }
      let s = 0;
      for (let c = 0; c < k; c++) {
        lp[c] = Math.exp(lp[c]! - m);
        s += lp[c]!;
      }
      for (let c = 0; c < k; c++) {
        const resp = lp[c]! / s;
        N[c]! += resp;
        // v = Linv^T z
        for (let a = 0; a < d; a++) {
          let t2 = 0;
          for (let b = a; b < d; b++) t2 += Linv[c * dd + b * d + a]! * zs[c * d + b]!;
          v[a] = t2;
        }
        for (let a = 0; a < d; a++) {
          Sv[c * d + a]! += resp * v[a]!;
          for (let b = 0; b <= a; b++) Svv[c * dd + a * d + b]! += resp * v[a]! * v[b]!;
        }
      }
    }
    // d(log L)/dw_c = N_c / w_c - N_K / w_K for c < K; we return the gradient of -log L.
    for (let c = 0; c < k - 1; c++) g[c] = -(N[c]! / q.w[c]! - N[k - 1]! / q.w[k - 1]!);
    for (let c = 0; c < k; c++) {
      const off = k - 1 + c * per;
      for (let a = 0; a < d; a++) g[off + a] = -Sv[c * d + a]!;
      if (d === 1) {
        // d/dsigma: sum r ((x - mu)^2 / sigma^3 - 1 / sigma) = sigma * (Svv - N / sigma^2)
        const sigma = t[off + 1]!;
        g[off + 1] = -(sigma * Svv[c]! - N[c]! / sigma);
      } else {
        // Sigma^-1 = Linv^T Linv.
        const inv = (a: number, b: number) => {
          let t2 = 0;
          for (let e = Math.max(a, b); e < d; e++)
            t2 += Linv[c * dd + e * d + a]! * Linv[c * dd + e * d + b]!;
          return t2;
        };
        tri.forEach(([a, b], j) => {
          // G = (sum r v v^T - N Sigma^-1) / 2; symmetric off-diagonal entries count twice.
          // Svv holds the lower triangle: (a, b) with a <= b is stored at [b][a].
          const G = 0.5 * (Svv[c * dd + b * d + a]! - N[c]! * inv(a, b));
          g[off + d + j] = -(a === b ? G : 2 * G);
        });
      }
    }
    return g;
  };
  // Forward differences (p + 1 gradient passes over the data instead of 2p): the gradient is 0 at
  // the optimum to EM's tolerance, and standard errors need three digits, not eight.
  const t0 = Float64Array.from(theta);
  const g0 = grad(t0);
  const np = t0.length;
  const information: Matrix = [];
  for (let i = 0; i < np; i++) information.push(new Array<number>(np).fill(0));
  for (let j = 0; j < np; j++) {
    const h = 1e-6 * scales[j]!;
    const tp = Float64Array.from(t0);
    tp[j] = t0[j]! + h;
    const gp = grad(tp);
    for (let i = 0; i < np; i++) information[i]![j] = (gp[i]! - g0[i]!) / h;
  }
  for (let i = 0; i < np; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (information[i]![j]! + information[j]![i]!);
      information[i]![j] = m;
      information[j]![i] = m;
    }
  }
  return { estimates, information, derived: k > 1 ? [lastWeight] : [] };
}
