import type { DistributionSpec } from '../distributions/types.js';

/**
 * Parameters read from a canonical spec (one that createDistribution accepted), in the one
 * parameterisation each closed form uses. The spec is the contract (API.md "Distributions"), so
 * the closed forms do not depend on how a family class stores its state.
 */

function num(spec: DistributionSpec, key: string, fallback?: number): number {
  const v = spec[key];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`${spec.family} spec without numeric '${key}'`);
}

export const normalParams = (s: DistributionSpec) => ({
  mean: num(s, 'mean'),
  std: typeof s.std === 'number' ? s.std : Math.sqrt(num(s, 'variance')),
});
export const lognormalParams = (s: DistributionSpec) => ({ mu: num(s, 'mu'), sigma: num(s, 'sigma') });
export const uniformParams = (s: DistributionSpec) => ({ low: num(s, 'low'), high: num(s, 'high') });
export const exponentialParams = (s: DistributionSpec) => ({ rate: num(s, 'rate') });
/** Gamma(shape, rate): `scale` specs are read as rate = 1 / scale. */
export const gammaParams = (s: DistributionSpec) => ({
  shape: num(s, 'shape'),
  rate: typeof s.rate === 'number' ? s.rate : 1 / num(s, 'scale'),
});
export const betaParams = (s: DistributionSpec) => ({ alpha: num(s, 'alpha'), beta: num(s, 'beta') });
export const studentTParams = (s: DistributionSpec) => ({
  df: num(s, 'df'),
  loc: num(s, 'loc', 0),
  scale: num(s, 'scale', 1),
});
export const locScaleParams = (s: DistributionSpec) => ({ loc: num(s, 'loc'), scale: num(s, 'scale') });
export const weibullParams = (s: DistributionSpec) => ({ shape: num(s, 'shape'), scale: num(s, 'scale') });
export const bernoulliParams = (s: DistributionSpec) => ({ p: num(s, 'p') });
export const binomialParams = (s: DistributionSpec) => ({ n: num(s, 'n'), p: num(s, 'p') });
export const poissonParams = (s: DistributionSpec) => ({ rate: num(s, 'rate') });
export const geometricParams = (s: DistributionSpec) => ({ p: num(s, 'p') });

/** Categorical probabilities, normalised by their sum (which the family checked is within 1e-9 of 1). */
export function categoricalProbs(s: DistributionSpec): number[] {
  const probs = s.probs as number[];
  let total = 0;
  for (const v of probs) total += v;
  return probs.map((v) => v / total);
}

export function mvnParams(s: DistributionSpec): { mean: number[]; cov: number[][] } {
  const cov = s.cov as number[][];
  // The family accepted cov symmetric to 1e-12 relative: use the symmetrised matrix, as it does.
  const sym = cov.map((row, i) => row.map((v, j) => (i === j ? v : 0.5 * (v + cov[j]![i]!))));
  return { mean: s.mean as number[], cov: sym };
}

export const dirichletParams = (s: DistributionSpec) => ({ alpha: s.alpha as number[] });

export interface MixtureParts {
  weights: number[];
  components: DistributionSpec[];
}

export function mixtureParts(s: DistributionSpec): MixtureParts {
  return { weights: s.weights as number[], components: s.components as DistributionSpec[] };
}
