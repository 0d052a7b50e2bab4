import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { inverseFromCholesky, type Matrix, tryCholesky } from '../linalg.js';
import type { Interval, ParamEstimate, ParamKind } from './types.js';

/** The two-sided normal critical value for a confidence level (1.96 for 0.95). */
export function zFor(confidence: number): number {
  return normalQuantile(0.5 + confidence / 2, 0, 1);
}

/**
 * A Wald interval at level `confidence`, built on the scale where the parameter is free and mapped
 * back (the delta method): plain for a real parameter, on the log scale for a positive one and on
 * the logit scale for a probability, so an interval never leaves the parameter space.
 */
export function waldInterval(value: number, se: number, kind: ParamKind, z: number): Interval {
  if (!Number.isFinite(se)) return { low: Number.NaN, high: Number.NaN };
  switch (kind) {
    case 'real':
      return { low: value - z * se, high: value + z * se };
    case 'positive': {
      const f = Math.exp((z * se) / value);
      return { low: value / f, high: value * f };
    }
    case 'probability': {
      if (value <= 0 || value >= 1) return { low: value, high: value };
      const l = Math.log(value / (1 - value));
      const s = se / (value * (1 - value));
      const expit = (t: number) => 1 / (1 + Math.exp(-t));
      return { low: expit(l - z * s), high: expit(l + z * s) };
    }
  }
}

/** Inverse of an information matrix, or null when it is not positive definite. */
export function covarianceFrom(information: Matrix): Matrix | null {
  for (const row of information) for (const v of row) if (!Number.isFinite(v)) return null;
  const chol = tryCholesky(information, 1e-14);
  if (!chol.ok) return null;
  return inverseFromCholesky(chol.L);
}

export interface Inference {
  standardErrors: Record<string, number>;
  confidenceIntervals: Record<string, Interval>;
  ok: boolean;
}

/** Standard errors (sqrt of the diagonal of the inverse observed information) and Wald intervals. */
export function inferenceFrom(
  estimates: readonly ParamEstimate[],
  information: Matrix | null | undefined,
  confidence: number,
  derived: ReadonlyArray<ParamEstimate & { gradient: number[] }> = [],
): Inference {
  const z = zFor(confidence);
  const cov = information ? covarianceFrom(information) : null;
  const standardErrors: Record<string, number> = {};
  const confidenceIntervals: Record<string, Interval> = {};
  estimates.forEach((e, i) => {
    const se = cov ? Math.sqrt(Math.max(0, cov[i]![i]!)) : Number.NaN;
    standardErrors[e.name] = se;
    confidenceIntervals[e.name] = waldInterval(e.value, se, e.kind, z);
  });
  for (const d of derived) {
    let v = Number.NaN;
    if (cov) {
      v = 0;
      for (let i = 0; i < d.gradient.length; i++)
        for (let j = 0; j < d.gradient.length; j++) v += d.gradient[i]! * cov[i]![j]! * d.gradient[j]!;
    }
    const se = Math.sqrt(Math.max(0, v));
    standardErrors[d.name] = se;
    confidenceIntervals[d.name] = waldInterval(d.value, se, d.kind, z);
  }
  return { standardErrors, confidenceIntervals, ok: cov !== null };
}

/** A diagonal information matrix. */
export function diagonal(values: readonly number[]): Matrix {
  return values.map((v, i) => values.map((_, j) => (i === j ? v : 0)));
}
