import { type InputIssue, InvalidInputError, invalid } from '../errors.js';
import {
  fitBernoulli,
  fitBinomial,
  fitCategorical,
  fitExponential,
  fitGeometric,
  fitLaplace,
  fitLognormal,
  fitMultivariateNormal,
  fitNormal,
  fitPoisson,
  fitUniform,
} from './closed.js';
import { requireFinite } from './data.js';
import { inferenceFrom } from './inference.js';
import { kolmogorovSf, ksStatistic } from './ks.js';
import { fitMixture } from './mixture.js';
import { sortedCopy } from './numeric.js';
import { fitBeta, fitCauchy, fitDirichlet, fitGamma, fitStudentT, fitWeibull } from './numerical.js';
import type { CoreFit, Excluded, FitData, FitOptions, FitResult, RankedFit, RankingResult } from './types.js';

export type { FitData, FitOptions, FitResult, RankingResult } from './types.js';

type Fitter = (data: FitData, opts: FitOptions) => CoreFit;

/** Every family /v1/fit takes, with its fitter and kind (mixture takes the kind of its data). */
const FITTERS = {
  normal: { fit: fitNormal, kind: 'continuous' },
  lognormal: { fit: fitLognormal, kind: 'continuous' },
  uniform: { fit: fitUniform, kind: 'continuous' },
  exponential: { fit: fitExponential, kind: 'continuous' },
  gamma: { fit: fitGamma, kind: 'continuous' },
  beta: { fit: fitBeta, kind: 'continuous' },
  student_t: { fit: fitStudentT, kind: 'continuous' },
  laplace: { fit: fitLaplace, kind: 'continuous' },
  cauchy: { fit: fitCauchy, kind: 'continuous' },
  weibull: { fit: fitWeibull, kind: 'continuous' },
  bernoulli: { fit: fitBernoulli, kind: 'discrete' },
  binomial: { fit: fitBinomial, kind: 'discrete' },
  poisson: { fit: fitPoisson, kind: 'discrete' },
  geometric: { fit: fitGeometric, kind: 'discrete' },
  categorical: { fit: fitCategorical, kind: 'discrete' },
  multivariate_normal: { fit: fitMultivariateNormal, kind: 'multivariate' },
  dirichlet: { fit: fitDirichlet, kind: 'multivariate' },
  mixture: { fit: fitMixture, kind: 'data' },
} as const satisfies Record<
  string,
  { fit: Fitter; kind: 'continuous' | 'discrete' | 'multivariate' | 'data' }
>;

export type FitFamily = keyof typeof FITTERS;
export const FIT_FAMILIES = Object.keys(FITTERS) as [FitFamily, ...FitFamily[]];

export function isFitFamily(name: string): name is FitFamily {
  return Object.hasOwn(FITTERS, name);
}

/** 'continuous' | 'discrete' | 'multivariate' of a family given the data (mixture follows the data). */
export function kindOf(family: FitFamily, data: FitData): 'continuous' | 'discrete' | 'multivariate' {
  const k = FITTERS[family].kind;
  if (k === 'data') return data.rows ? 'multivariate' : 'continuous';
  return k;
}

const KS_NOTE =
  'The p-value treats the fitted parameters as known; estimated from the same data they make D ' +
  'smaller, so the p-value is conservative (too large): a small p-value is strong evidence of misfit, ' +
  'a large one is weak evidence of fit (Lilliefors).';

/** Shared per-request state: the sorted data for the KS test is computed once for a list. */
interface Shared {
  sorted?: Float64Array;
}

function complete(
  family: FitFamily,
  core: CoreFit,
  data: FitData,
  opts: FitOptions,
  shared: Shared,
): FitResult {
  const n = data.n;
  const notes = [...(core.notes ?? [])];
  let { standardErrors, confidenceIntervals } = core.inference ?? {
    standardErrors: {},
    confidenceIntervals: {},
  };
  if (!core.inference) {
    const inf = inferenceFrom(core.estimates, core.information, opts.confidence, core.derived);
    standardErrors = inf.standardErrors;
    confidenceIntervals = inf.confidenceIntervals;
    if (!inf.ok && core.information !== null)
      notes.push(
        'the observed information is not positive definite at the estimate: standard errors are unavailable',
      );
  }
  const result: FitResult = {
    family,
    distribution: core.distribution,
    logLikelihood: core.logLikelihood,
    n,
    parameters: core.parameters,
    aic: 2 * core.parameters - 2 * core.logLikelihood,
    bic: core.parameters * Math.log(n) - 2 * core.logLikelihood,
    standardErrors,
    confidenceIntervals,
    confidence: opts.confidence,
    method: core.method,
    converged: core.converged,
    iterations: core.iterations,
  };
  if (core.cdf && !data.rows && opts.goodnessOfFit !== false) {
    shared.sorted ??= sortedCopy(data.values);
    const statistic = ksStatistic(shared.sorted, core.cdf);
    result.goodnessOfFit = {
      test: 'kolmogorov_smirnov',
      statistic,
      pValue: kolmogorovSf(n, statistic),
      note: KS_NOTE,
    };
  }
  if (core.logLikelihoodTrace) result.logLikelihoodTrace = core.logLikelihoodTrace;
  if (core.unbiased) result.unbiased = core.unbiased;
  if (core.seed !== undefined) result.seed = core.seed;
  if (notes.length > 0) result.notes = notes;
  return result;
}

/** Fit one family. Throws InvalidInputError for data the family cannot take (naming the value). */
export function fitFamily(family: string, data: FitData, opts: FitOptions, shared: Shared = {}): FitResult {
  if (!isFitFamily(family))
    invalid('family', `unknown family '${family}'; one of ${FIT_FAMILIES.join(', ')}`);
  if (data.n === 0) invalid('data', 'is empty: there is nothing to fit');
  if (family !== 'normal') requireFinite(data);
  const core = FITTERS[family].fit(data, opts);
  const bad = nonFiniteParameter(core.distribution);
  if (bad !== undefined)
    invalid(
      'data',
      `the fitted ${family} has ${bad} outside double precision: the data are too close to 0 or too ` +
        'spread for this family (rescale them)',
    );
  return complete(family, core, data, opts, shared);
}

/** The path of the first parameter of a fitted distribution that is not a finite number, if any. */
function nonFiniteParameter(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} = ${value}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFiniteParameter(value[i], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = nonFiniteParameter(v, path === '' ? k : `${path}.${k}`);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

/**
 * Fit every family in the list and rank them by AIC (smallest first). A family the data cannot
 * belong to (values outside its support, too few points) is listed in `excluded` with the reason;
 * if none fits, the first family's error is the answer. Discrete and continuous families cannot be
 * ranked together: a mass and a density are not on one scale.
 */
export function fitRanking(families: readonly string[], data: FitData, opts: FitOptions): RankingResult {
  const unique = [...new Set(families)];
  for (const f of unique)
    if (!isFitFamily(f)) invalid('family', `unknown family '${f}'; one of ${FIT_FAMILIES.join(', ')}`);
  const kinds = new Set(unique.map((f) => kindOf(f as FitFamily, data)));
  if (kinds.has('discrete') && kinds.size > 1)
    invalid(
      'family',
      'cannot rank discrete and continuous families together: a probability mass and a density are ' +
        'not on one scale, so their AICs do not compare',
    );
  const shared: Shared = {};
  const fits: FitResult[] = [];
  const excluded: Excluded[] = [];
  let firstError: InvalidInputError | undefined;
  for (const f of unique) {
    try {
      fits.push(fitFamily(f, data, opts, shared));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      firstError ??= err;
      excluded.push({ family: f, reason: err.message });
    }
  }
  if (fits.length === 0) {
    const issues: InputIssue[] = excluded.map((e) => ({
      path: 'family',
      message: `${e.family}: ${e.reason}`,
    }));
    throw new InvalidInputError(`no family in the list fits the data; ${firstError!.message}`, [
      ...firstError!.issues,
      ...issues,
    ]);
  }
  fits.sort((a, b) => a.aic - b.aic);
  const minAic = fits[0]!.aic;
  let total = 0;
  for (const r of fits) total += Math.exp(-(r.aic - minAic) / 2);
  const ranking: RankedFit[] = fits.map((r, i) => ({
    ...r,
    rank: i + 1,
    deltaAic: r.aic - minAic,
    akaikeWeight: Math.exp(-(r.aic - minAic) / 2) / total,
  }));
  const out: RankingResult = { ranking, best: ranking[0]!.family };
  if (excluded.length > 0) out.excluded = excluded;
  return out;
}

/** The worker task's payload: plain, structured-clonable data. */
export interface FitTaskPayload {
  family: string | string[];
  values: Float64Array;
  n: number;
  dim: number;
  rows: boolean;
  /** false: finiteness not checked yet (binary data). */
  finite?: boolean;
  options: FitOptions;
}

/** Invalid input crosses the thread boundary as data (an Error loses its class and issues there). */
export type FitTaskResult =
  | { ok: true; result: FitResult | RankingResult }
  | { ok: false; invalid: { message: string; issues: InputIssue[] } };

export function runFitTask(payload: FitTaskPayload): FitTaskResult {
  const data: FitData = {
    values: payload.values,
    n: payload.n,
    dim: payload.dim,
    rows: payload.rows,
    finite: payload.finite,
  };
  try {
    const result = Array.isArray(payload.family)
      ? fitRanking(payload.family, data, payload.options)
      : fitFamily(payload.family, data, payload.options);
    return { ok: true, result };
  } catch (err) {
    if (err instanceof InvalidInputError)
      return { ok: false, invalid: { message: err.message, issues: err.issues } };
    throw err;
  }
}

/** Undo runFitTask's wrapping on the calling side. */
export function unwrapFitTask(r: FitTaskResult): FitResult | RankingResult {
  if (r.ok) return r.result;
  throw new InvalidInputError(r.invalid.message, r.invalid.issues);
}
