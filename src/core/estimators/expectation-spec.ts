import { createDistribution } from '../distributions/registry.js';
import type { Distribution, DistributionSpec } from '../distributions/types.js';
import { invalid } from '../errors.js';
import { type CompiledExpression, compileExpression } from '../expressions/index.js';
import type { Seed } from '../rng/index.js';
import { SOBOL_MAX_DIM } from './sobol.js';
import type { ConfidenceInterval } from './stats.js';

/** The estimation methods of POST /v1/expectation. */
export const METHODS = ['monte_carlo', 'antithetic', 'quasi_monte_carlo', 'riemann', 'quadrature'] as const;
export type Method = (typeof METHODS)[number];

/** Monte Carlo draws per chunk: chunk i draws from stream i of the seed (createRng(seed, i)). */
export const MC_CHUNK_SIZE = 65536;

/** Independent scrambles of the Sobol sequence behind a quasi-Monte Carlo estimate and its error. */
export const QMC_REPLICATES = 16;

/** n when the request gives none. For quadrature, n is the budget of integrand evaluations. */
export const DEFAULT_N: Readonly<Record<Method, number>> = {
  monte_carlo: 100_000,
  antithetic: 100_000,
  quasi_monte_carlo: 65_536,
  riemann: 10_000,
  quadrature: 200_000,
};

/** The cap on n when a tolerance is given without n (Monte Carlo methods and riemann). */
export const DEFAULT_TOLERANCE_CAP = 10_000_000;

/** The smallest n each method accepts. */
export const MIN_N: Readonly<Record<Method, number>> = {
  monte_carlo: 2,
  /** Two pairs: one pair has no standard error. */
  antithetic: 4,
  quasi_monte_carlo: 2 * QMC_REPLICATES,
  riemann: 2,
  /** One 21-point Gauss-Kronrod rule. */
  quadrature: 21,
};

/**
 * Everything an expectation needs, as plain data (structured-clonable): what the route validated,
 * what a worker or the job engine receives. `seed` is the one the answer reports.
 */
export interface ExpectationTaskSpec {
  distribution: DistributionSpec;
  f: string;
  method: Method;
  seed: Seed;
  /** Level of the interval (default 0.95). */
  confidence?: number;
  /** Stop once stdError (errorEstimate for riemann, quadrature's target) is below it. */
  tolerance?: number;
}

/** The validated body of POST /v1/expectation plus the seed in use: the payload of 'expectation.run'. */
export interface ExpectationRequest extends ExpectationTaskSpec {
  /** Draws (points, evaluation budget); the method's default when absent. The cap with a tolerance. */
  n?: number;
}

/** The answer of POST /v1/expectation (and the `result` of an expectation job). */
export interface ExpectationAnswer {
  estimate: number;
  method: Method;
  /** Draws (points, evaluations) actually used. */
  n: number;
  seed?: Seed;
  stdError?: number;
  ci?: ConfidenceInterval;
  errorEstimate?: number;
  evaluations: number;
  elapsedMs: number;
  /** Evaluations where f was NaN or +-Infinity: left out of a Monte Carlo estimate, and counted here. */
  nonFinite: number;
  /**
   * Plain-language warnings: a mean that does not exist (always first), non-finite values, unsettled
   * variance, truncation, non-convergence.
   */
  warnings: string[];
  /**
   * false when E[f(x)] certainly does not exist: the analytic check (existence.ts) finds that f grows
   * at least as fast as the distribution's tails allow (f = x under a Cauchy, x^2 under a Student t with
   * df <= 2), whatever the draws. Absent when no such claim is made (the mean exists, or nothing is
   * certain): never true.
   */
  meanExists?: false;
  /** false when Var f(X) is certainly infinite (the mean exists; the standard error understates the error). */
  varianceExists?: false;
  /** (Var f / n) / stdError^2: how many times fewer draws than plain Monte Carlo for the same error. */
  varianceReduction?: number;
  /** With a tolerance: whether the run stopped before n because the error target was met. */
  stoppedEarly?: boolean;
  tolerance?: number;
  /** riemann, quadrature: whether the error target was met. */
  converged?: boolean;
  /** riemann, quadrature: probability mass outside the range used. */
  truncatedMass?: number;
  /** riemann: the range the points span. */
  range?: { low: number; high: number };
  /** quasi_monte_carlo: the number of independent scrambles. */
  replicates?: number;
  /** antithetic: the number of pairs. */
  pairs?: number;
}

/** The distribution and f of a spec, compiled once. */
export interface Prepared {
  spec: ExpectationTaskSpec;
  dist: Distribution;
  f: CompiledExpression;
}

/** Methods that apply to a distribution. */
export function applicableMethods(dist: Distribution): Method[] {
  if (dist.kind !== 'multivariate') return [...METHODS];
  const methods: Method[] = ['monte_carlo'];
  if (supportsQmc(dist)) methods.push('quasi_monte_carlo');
  return methods;
}

/** Quasi-Monte Carlo needs a map from the unit cube: univariate families (the quantile), multivariate normal (Cholesky). */
export function supportsQmc(dist: Distribution): boolean {
  if (dist.kind !== 'multivariate') return true;
  return dist.family === 'multivariate_normal' && dist.dim <= SOBOL_MAX_DIM;
}

const PREPARED_CACHE = new Map<string, { dist: Distribution; f: CompiledExpression }>();
const PREPARED_CACHE_SIZE = 16;

/**
 * Build the distribution and compile f (field 'f', x of the distribution's dimension), and check
 * that the method applies. Throws InvalidInputError (paths `distribution.*`, `f`, `method`).
 * Compiled pairs are cached, so a worker running chunk after chunk of one job compiles once.
 */
export function prepareExpectation(spec: ExpectationTaskSpec): Prepared {
  const key = `${JSON.stringify(spec.distribution)}\u0000${spec.f}`;
  let hit = PREPARED_CACHE.get(key);
  if (hit === undefined) {
    const dist = createDistribution(spec.distribution, 'distribution');
    const f = compileExpression(spec.f, { dim: dist.dim, field: 'f' });
    hit = { dist, f };
    if (PREPARED_CACHE.size >= PREPARED_CACHE_SIZE)
      PREPARED_CACHE.delete(PREPARED_CACHE.keys().next().value!);
    PREPARED_CACHE.set(key, hit);
  }
  const { dist, f } = hit;
  const methods = applicableMethods(dist);
  if (!methods.includes(spec.method)) {
    const what =
      dist.kind === 'multivariate'
        ? `a ${dist.dim}-dimensional ${dist.family} distribution`
        : `the ${dist.family} distribution`;
    invalid(
      'method',
      `'${spec.method}' does not apply to ${what}; methods that apply: ${methods.join(', ')}`,
    );
  }
  return { spec, dist, f };
}

/** The n a request runs with: its own, the method's default, or with a tolerance the default cap. */
export function resolveN(method: Method, n: number | undefined, tolerance: number | undefined): number {
  if (n !== undefined) return n;
  if (tolerance !== undefined && method !== 'quadrature') return DEFAULT_TOLERANCE_CAP;
  return DEFAULT_N[method];
}

/** Check n against the method's minimum (InvalidInputError on 'n'). */
export function checkN(method: Method, n: number): void {
  if (!Number.isInteger(n) || n < MIN_N[method])
    invalid('n', `must be an integer of at least ${MIN_N[method]} for ${method} (got ${n})`);
}

/** A short form of x for messages. */
export function showX(x: readonly number[]): string {
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  return x.length === 1 ? fmt(x[0]!) : `[${x.map(fmt).join(', ')}]`;
}
