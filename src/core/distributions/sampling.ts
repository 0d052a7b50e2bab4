import type { Rng } from '../rng/index.js';
import type { Distribution } from './types.js';

/** n draws, row-major (n x dim) in one array: the layout of the binary sample format. */
export function drawSamples(dist: Distribution, rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n * dist.dim);
  if (dist.kind === 'multivariate') {
    for (let i = 0; i < n; i++) dist.sample(rng, out, i * dist.dim);
  } else {
    dist.sampleInto(rng, out);
  }
  return out;
}

/** Rows of a row-major array, as the JSON form of multivariate samples. */
export function toRows(flat: Float64Array, dim: number): number[][] {
  const rows: number[][] = new Array(flat.length / dim);
  for (let i = 0; i < rows.length; i++) rows[i] = Array.from(flat.subarray(i * dim, (i + 1) * dim));
  return rows;
}
