import { invalid } from '../errors.js';
import { compileExpression } from '../expressions/index.js';
import { createRng, type Seed } from '../rng/index.js';

export interface ConditionalRequest {
  x: readonly number[];
  /** mean(x), an expression in x. */
  mean: string;
  /** std(x), an expression in x: the STANDARD DEVIATION (eps is scaled by it, not by the variance). */
  std: string;
  samplesPerX: number;
  seed: Seed;
}

export interface ConditionalAnswer {
  seed: Seed;
  /** One row per x, samplesPerX columns. */
  z: number[][];
}

const show = (v: number) => String(v);

/**
 * Check and evaluate mean(x) and std(x) at every x, before any drawing: a mean that is not finite,
 * or a std that is not positive and finite, is an InvalidInputError naming that x
 * (path 'std', message 'std(x) = -1 at x[3] = 2.5 is not positive').
 */
export function conditionalParameters(req: Pick<ConditionalRequest, 'x' | 'mean' | 'std'>): {
  means: Float64Array;
  stds: Float64Array;
} {
  const meanF = compileExpression(req.mean, { field: 'mean' });
  const stdF = compileExpression(req.std, { field: 'std' });
  const k = req.x.length;
  const means = new Float64Array(k);
  const stds = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const x = req.x[i]!;
    const m = meanF.evaluate(x);
    if (!Number.isFinite(m)) invalid('mean', `mean(x) = ${show(m)} at x[${i}] = ${show(x)} is not finite`);
    const s = stdF.evaluate(x);
    if (!Number.isFinite(s)) invalid('std', `std(x) = ${show(s)} at x[${i}] = ${show(x)} is not finite`);
    if (!(s > 0)) invalid('std', `std(x) = ${show(s)} at x[${i}] = ${show(x)} is not positive`);
    means[i] = m;
    stds[i] = s;
  }
  return { means, stds };
}

/**
 * The lecture's probabilistic mapping p(z | x) = N(mean(x), std(x)^2), sampled by reparameterisation:
 * z = mean(x) + std(x) * eps, eps ~ N(0, 1) from stream 0 of the seed, drawn row by row (all
 * samples of x[0], then x[1], ...). Same seed, same z, bit for bit.
 */
export function sampleConditional(req: ConditionalRequest): ConditionalAnswer {
  const { means, stds } = conditionalParameters(req);
  const rng = createRng(req.seed, 0);
  const z: number[][] = new Array(req.x.length);
  for (let i = 0; i < req.x.length; i++) {
    const m = means[i]!;
    const s = stds[i]!;
    const row = new Array<number>(req.samplesPerX);
    for (let j = 0; j < req.samplesPerX; j++) row[j] = m + s * rng.normal();
    z[i] = row;
  }
  return { seed: req.seed, z };
}
