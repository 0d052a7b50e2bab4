import type { DistributionSpec } from '../distributions/types.js';
import type { Matrix } from '../linalg.js';
import type { Seed } from '../rng/index.js';

/** The data to fit: n points of dimension dim, row-major. `rows` says it came as number[][]. */
export interface FitData {
  values: Float64Array;
  n: number;
  dim: number;
  rows: boolean;
  /**
   * false when finiteness has not been checked yet (binary bodies): fitFamily checks it before
   * any fit that does not detect non-finite values itself (the normal fit does, from its sums, and
   * so spares a pass over 8 MB for 1e6 points).
   */
  finite?: boolean;
}

export interface FitOptions {
  /** Level of the confidence intervals, in (0, 1). */
  confidence: number;
  /** Cap on optimiser / EM iterations (family default when absent). */
  maxIterations?: number;
  /** Convergence tolerance (family default when absent; see the schema for its meaning). */
  tolerance?: number;
  /** Number of components of a Gaussian mixture. */
  components?: number;
  /** The known number of trials of a binomial. */
  trials?: number;
  /** The number of categories of a categorical (default: the largest value + 1). */
  categories?: number;
  /** Seed of the mixture starts. */
  seed?: Seed;
  /** Compute the KS goodness of fit for univariate continuous fits (default true). */
  goodnessOfFit?: boolean;
}

export interface Interval {
  low: number;
  high: number;
}

export interface GoodnessOfFit {
  test: 'kolmogorov_smirnov';
  statistic: number;
  pValue: number;
  note: string;
}

/** One fit, as the API returns it. */
export interface FitResult {
  family: string;
  distribution: DistributionSpec;
  logLikelihood: number;
  n: number;
  parameters: number;
  aic: number;
  bic: number;
  standardErrors: Record<string, number>;
  confidenceIntervals: Record<string, Interval>;
  confidence: number;
  method: FitMethod;
  converged: boolean;
  iterations: number;
  goodnessOfFit?: GoodnessOfFit;
  logLikelihoodTrace?: number[];
  unbiased?: Record<string, number | number[][]>;
  seed?: Seed;
  notes?: string[];
}

export interface RankedFit extends FitResult {
  rank: number;
  deltaAic: number;
  /** Akaike weight exp(-deltaAic / 2), normalised over the ranking. */
  akaikeWeight: number;
}

export interface Excluded {
  family: string;
  reason: string;
}

export interface RankingResult {
  ranking: RankedFit[];
  best: string;
  excluded?: Excluded[];
}

export type FitMethod = 'closed_form' | 'newton' | 'em';

/** How a parameter is bounded: the confidence interval is built on a scale where it is free. */
export type ParamKind = 'real' | 'positive' | 'probability';

export interface ParamEstimate {
  name: string;
  value: number;
  kind: ParamKind;
}

/**
 * What a family's fitter returns; the common code adds the inference (standard errors and intervals
 * from `information`, AIC, BIC, the KS test).
 */
export interface CoreFit {
  distribution: DistributionSpec;
  logLikelihood: number;
  /** Number of free parameters (for AIC and BIC). */
  parameters: number;
  method: FitMethod;
  converged: boolean;
  iterations: number;
  /** Estimates in the order of `information`'s rows. */
  estimates: ParamEstimate[];
  /** Observed information (Hessian of -log L) at the estimate; null if it cannot be formed. */
  information?: Matrix | null;
  /** Standard errors and intervals computed by the family itself (non-regular cases). */
  inference?: { standardErrors: Record<string, number>; confidenceIntervals: Record<string, Interval> };
  /** Extra derived parameters: name, value, kind and gradient with respect to the estimates. */
  derived?: Array<ParamEstimate & { gradient: number[] }>;
  /** The fitted cdf, for the KS test (univariate continuous fits). */
  cdf?: (x: number) => number;
  logLikelihoodTrace?: number[];
  unbiased?: Record<string, number | number[][]>;
  seed?: Seed;
  notes?: string[];
}
