import { invalid } from '../errors.js';
import type { Rng } from '../rng/index.js';

/** Shared default for UnivariateDistribution.sampleInto: a plain loop over sample(). */
export function sampleIntoLoop(d: { sample(rng: Rng): number }, rng: Rng, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = d.sample(rng);
}

/** Parameter checks shared by every family; each throws InvalidInputError naming the field. */
export function requirePositive(value: number, path: string): number {
  if (!(value > 0) || !Number.isFinite(value)) invalid(path, `must be a finite number > 0 (got ${value})`);
  return value;
}

/**
 * A positive parameter with an upper bound where the special functions behind the family stop being
 * both fast and accurate (the incomplete gamma and beta need ~sqrt(shape) terms and lose digits).
 */
export function requirePositiveAtMost(value: number, path: string, max: number, why: string): number {
  requirePositive(value, path);
  if (value > max)
    invalid(path, `must be at most ${max.toExponential(0).replace('+', '')} (got ${value}): ${why}`);
  return value;
}

export function requireFinite(value: number, path: string): number {
  if (!Number.isFinite(value)) invalid(path, `must be a finite number (got ${value})`);
  return value;
}

export function requireProbability(value: number, path: string): number {
  if (!(value >= 0 && value <= 1)) invalid(path, `must be a probability in [0, 1] (got ${value})`);
  return value;
}

export function requireNumber(spec: Record<string, unknown>, key: string): number {
  const v = spec[key];
  if (typeof v !== 'number') invalid(key, `is required and must be a number`);
  return v;
}

export function optionalNumber(spec: Record<string, unknown>, key: string, fallback: number): number {
  const v = spec[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') invalid(key, 'must be a number');
  return v;
}
