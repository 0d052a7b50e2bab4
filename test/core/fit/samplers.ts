import { createRng, type Rng } from '../../../src/core/rng/index.js';

/**
 * Seeded samplers for the fit tests, built on the Rng primitives only, so the tests do not depend on
 * the distribution classes (written in parallel) and draw exactly the laws they claim.
 */
export type Sampler = (rng: Rng) => number;

export const samplers = {
  normal:
    (mean: number, std: number): Sampler =>
    (r) =>
      mean + std * r.normal(),
  lognormal:
    (mu: number, sigma: number): Sampler =>
    (r) =>
      Math.exp(mu + sigma * r.normal()),
  exponential:
    (rate: number): Sampler =>
    (r) =>
      r.exponential() / rate,
  gamma:
    (shape: number, rate: number): Sampler =>
    (r) =>
      r.gamma(shape) / rate,
  beta:
    (a: number, b: number): Sampler =>
    (r) => {
      const x = r.gamma(a);
      return x / (x + r.gamma(b));
    },
  weibull:
    (k: number, scale: number): Sampler =>
    (r) =>
      scale * r.exponential() ** (1 / k),
  studentT:
    (df: number, loc: number, scale: number): Sampler =>
    (r) =>
      loc + (scale * r.normal()) / Math.sqrt((2 * r.gamma(df / 2)) / df),
  cauchy:
    (loc: number, scale: number): Sampler =>
    (r) =>
      loc + scale * Math.tan(Math.PI * (r.uniformOpen() - 0.5)),
  laplace:
    (loc: number, scale: number): Sampler =>
    (r) => {
      const u = r.uniformOpen() - 0.5;
      return loc - scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    },
  uniform:
    (low: number, high: number): Sampler =>
    (r) =>
      low + (high - low) * r.uniform(),
  poisson:
    (rate: number): Sampler =>
    (r) => {
      // Knuth's multiplication method (fine for small rates).
      const L = Math.exp(-rate);
      let k = 0;
      let p = r.uniform();
      while (p > L) {
        k++;
        p *= r.uniform();
      }
      return k;
    },
  bernoulli:
    (p: number): Sampler =>
    (r) =>
      r.uniform() < p ? 1 : 0,
  binomial:
    (n: number, p: number): Sampler =>
    (r) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (r.uniform() < p) k++;
      return k;
    },
  geometric:
    (p: number): Sampler =>
    (r) =>
      Math.max(1, Math.ceil(Math.log(r.uniformOpen()) / Math.log1p(-p))),
};

export function draw(sampler: Sampler, n: number, seed: number, stream = 0): Float64Array {
  const rng = createRng(seed, stream);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sampler(rng);
  return out;
}

/** n rows from a Dirichlet(alpha), row-major. */
export function drawDirichlet(alpha: number[], n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const K = alpha.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const g = rng.gamma(alpha[k]!);
      out[i * K + k] = g;
      s += g;
    }
    for (let k = 0; k < K; k++) out[i * K + k] = out[i * K + k]! / s;
  }
  return out;
}

/** n rows from N(mean, L L^T) for a lower-triangular L, row-major. */
export function drawMvn(mean: number[], L: number[][], n: number, seed: number, stream = 0): Float64Array {
  const rng = createRng(seed, stream);
  const d = mean.length;
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) z[a] = rng.normal();
    for (let a = 0; a < d; a++) {
      let s = mean[a]!;
      for (let b = 0; b <= a; b++) s += L[a]![b]! * z[b]!;
      out[i * d + a] = s;
    }
  }
  return out;
}
