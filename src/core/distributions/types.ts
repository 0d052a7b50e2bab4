import type { Rng } from '../rng/index.js';

export type Kind = 'continuous' | 'discrete' | 'multivariate';

/** The interval a univariate family lives on; for a discrete family, the smallest and largest integer. */
export interface Support {
  lower: number;
  upper: number;
}

/** Plain-data parameters, exactly as a client sends them (and as the service sends them back). */
export type DistributionSpec = { family: string } & Record<string, unknown>;

interface Common {
  readonly family: string;
  /** The canonical spec: sending it to any endpoint gives this same distribution. */
  readonly spec: DistributionSpec;
  /** Differential entropy in nats (Shannon entropy for discrete families). */
  entropy(): number;
}

export interface UnivariateDistribution extends Common {
  readonly kind: 'continuous' | 'discrete';
  readonly dim: 1;
  readonly support: Support;
  /** log density (continuous) or log mass (discrete); -Infinity outside the support. */
  logPdf(x: number): number;
  /** P(X <= x). */
  cdf(x: number): number;
  /** P(X > x), accurate where the cdf is close to 1. */
  sf(x: number): number;
  /** The smallest x with cdf(x) >= p, for p in [0, 1]. */
  quantile(p: number): number;
  sample(rng: Rng): number;
  /** Fill `out` with draws; families override it where a tighter loop pays. */
  sampleInto(rng: Rng, out: Float64Array): void;
  mean(): number;
  variance(): number;
  /**
   * Whether x -> quantile(u) is the sampler, so that antithetic and quasi-Monte Carlo draws by
   * inverse transform are exact in law. Always true for univariate families; listed for clarity.
   */
}

export interface MultivariateDistribution extends Common {
  readonly kind: 'multivariate';
  readonly dim: number;
  /** log density at a point of length dim. */
  logPdf(x: ArrayLike<number>): number;
  /** Write one draw into out[offset .. offset + dim). */
  sample(rng: Rng, out: Float64Array, offset: number): void;
  mean(): number[];
  covariance(): number[][];
  /** A short description of the support, e.g. "R^3" or "the 3-simplex". */
  readonly supportText: string;
}

export type Distribution = UnivariateDistribution | MultivariateDistribution;

/** One parameter as the catalogue shows it. */
export interface ParamInfo {
  name: string;
  type: 'number' | 'integer' | 'number[]' | 'number[][]' | 'distribution[]';
  constraint: string;
  optional?: boolean;
  default?: number;
}

export interface FamilyDef {
  name: string;
  /** 'mixture' takes the kind of its components. */
  kind: Kind | 'mixed';
  description: string;
  params: ParamInfo[];
  support: string;
  /**
   * Validate `spec` (already of the right JSON types) and build the distribution.
   * Throws InvalidInputError naming the field and the rule (paths relative to the spec).
   */
  create(spec: DistributionSpec): Distribution;
}

export function isUnivariate(d: Distribution): d is UnivariateDistribution {
  return d.kind !== 'multivariate';
}
