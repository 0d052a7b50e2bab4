/**
 * What /v1/density, /v1/quantile and /v1/describe compute, as pure functions of plain data, so they
 * run inline or on the worker pool alike (a 100-component mixture's quantiles take seconds).
 */
import { invalid } from '../errors.js';
import { createDistribution, getFamily } from './registry.js';
import type { Distribution, DistributionSpec, UnivariateDistribution } from './types.js';

export function univariate(spec: DistributionSpec, path = 'distribution'): UnivariateDistribution {
  const d = createDistribution(spec, path);
  if (d.kind === 'multivariate')
    invalid(`${path}.family`, `must be a univariate family for this operation (got ${d.family})`);
  return d;
}

export interface DensityAnswer {
  logDensity: number[];
  density: number[];
  cdf?: number[];
}

/** Log density (log mass), density and, for a univariate family, the cdf at each point. */
export function densityAt(spec: DistributionSpec, xs: ReadonlyArray<number | number[]>): DensityAnswer {
  const dist: Distribution = createDistribution(spec, 'distribution');
  const logDensity = new Array<number>(xs.length);
  if (dist.kind === 'multivariate') {
    for (let i = 0; i < xs.length; i++) {
      const row = xs[i];
      if (!Array.isArray(row) || row.length !== dist.dim)
        invalid(
          `x.${i}`,
          `must be a point of ${dist.dim} numbers for this ${dist.dim}-dimensional distribution`,
        );
      logDensity[i] = dist.logPdf(row);
    }
    return { logDensity, density: logDensity.map(Math.exp) };
  }
  const cdf = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number') invalid(`x.${i}`, 'must be a number for a univariate distribution');
    logDensity[i] = dist.logPdf(x);
    cdf[i] = dist.cdf(x);
  }
  return { logDensity, density: logDensity.map(Math.exp), cdf };
}

/** Quantiles of a univariate distribution (for a discrete family the smallest x with cdf(x) >= p). */
export function quantilesAt(spec: DistributionSpec, ps: readonly number[]): { x: number[] } {
  const dist = univariate(spec);
  return { x: ps.map((p) => dist.quantile(p)) };
}

export interface Description {
  family: string;
  kind: 'continuous' | 'discrete' | 'multivariate';
  dim: number;
  mean: number | number[];
  variance: number | number[];
  std: number | number[];
  entropy: number;
  support: { text: string; lower?: number; upper?: number };
  covariance?: number[][];
}

/** Exact mean, variance, standard deviation, entropy (nats) and support. */
export function describe(spec: DistributionSpec): Description {
  const dist = createDistribution(spec, 'distribution');
  if (dist.kind === 'multivariate') {
    const covariance = dist.covariance();
    const variance = covariance.map((row, i) => row[i]!);
    return {
      family: dist.family,
      kind: dist.kind,
      dim: dist.dim,
      mean: dist.mean(),
      variance,
      std: variance.map(Math.sqrt),
      entropy: dist.entropy(),
      support: { text: dist.supportText },
      covariance,
    };
  }
  const variance = dist.variance();
  return {
    family: dist.family,
    kind: dist.kind,
    dim: 1,
    mean: dist.mean(),
    variance,
    std: Math.sqrt(variance),
    entropy: dist.entropy(),
    support: {
      text: getFamily(dist.family)?.support ?? '',
      lower: dist.support.lower,
      upper: dist.support.upper,
    },
  };
}
