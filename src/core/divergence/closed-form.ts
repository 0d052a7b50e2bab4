import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import { MultivariateNormal } from '../distributions/multivariate-normal.js';
import type { Distribution, DistributionSpec } from '../distributions/types.js';
import { cholesky, logDetFromCholesky, solveLower, solveLowerMatrix } from '../linalg.js';
import { CROSS_ENTROPY, momentsOf } from './moments.js';
import { EULER_GAMMA, expm1mx, fmt, rm1mlog, xlogxy } from './numeric.js';
import {
  bernoulliParams,
  betaParams,
  binomialParams,
  categoricalProbs,
  dirichletParams,
  exponentialParams,
  gammaParams,
  geometricParams,
  locScaleParams,
  lognormalParams,
  mvnParams,
  normalParams,
  poissonParams,
  uniformParams,
  weibullParams,
} from './params.js';

/** An exact KL(p || q); `note` explains an infinite value. */
export interface ClosedForm {
  value: number;
  note?: string;
}

/**
 * A closed form for KL(p || q) with p of one family and q of another (or the same). Returns
 * undefined where the pair has no closed form for these particular parameters (two binomials of
 * different n, say): the caller then falls back to a numerical method.
 */
export type KlFormula = (
  p: DistributionSpec,
  q: DistributionSpec,
  /** The built distributions, where the caller has them (a formula may reuse their factorisations). */
  built?: { p: Distribution; q: Distribution },
) => ClosedForm | undefined;

const FORMULAS = new Map<string, KlFormula>();
const key = (p: string, q: string) => `${p}|${q}`;

/** Register the closed form of KL(p || q) for p of family `p` and q of family `q`: one entry per pair. */
function pair(p: string, q: string, formula: KlFormula): void {
  FORMULAS.set(key(p, q), formula);
}

const inf = (note: string): ClosedForm => ({ value: Number.POSITIVE_INFINITY, note });
const outcomeNote = (k: number, pk: number) =>
  `p gives probability ${fmt(pk)} to outcome ${k}, where q gives 0: KL(p || q) is infinite`;

// ---------------------------------------------------------------------------------------------
// Same family, continuous. Each is written so that it stays accurate (no cancellation) as p -> q.

/** KL(N(m1, s1^2) || N(m2, s2^2)) = [r^2 - 1 - log r^2] / 2 + (m1 - m2)^2 / (2 s2^2), r = s1 / s2. */
function gaussianKl(m1: number, s1: number, m2: number, s2: number): number {
  const r = s1 / s2;
  const z = (m1 - m2) / s2;
  return 0.5 * rm1mlog(r * r) + 0.5 * z * z;
}

pair('normal', 'normal', (p, q) => {
  const a = normalParams(p);
  const b = normalParams(q);
  return { value: gaussianKl(a.mean, a.std, b.mean, b.std) };
});

// KL is invariant under the bijection x -> log x: lognormals are normals in log space.
pair('lognormal', 'lognormal', (p, q) => {
  const a = lognormalParams(p);
  const b = lognormalParams(q);
  return { value: gaussianKl(a.mu, a.sigma, b.mu, b.sigma) };
});

pair('uniform', 'uniform', (p, q) => {
  const a = uniformParams(p);
  const b = uniformParams(q);
  if (a.low < b.low || a.high > b.high) return undefined; // the support check says why it is infinite
  return { value: Math.log((b.high - b.low) / (a.high - a.low)) };
});

// KL(Exp(a) || Exp(b)) = r - 1 - log r with r = b / a.
pair('exponential', 'exponential', (p, q) => ({
  value: rm1mlog(exponentialParams(q).rate / exponentialParams(p).rate),
}));

// KL(Gamma(k1, b1) || Gamma(k2, b2)), rates b: k1 (r - 1 - log r) + (k1 - k2)(psi(k1) + log r)
// + log Gamma(k2) - log Gamma(k1), r = b2 / b1 (the usual form, regrouped).
pair('gamma', 'gamma', (p, q) => {
  const a = gammaParams(p);
  const b = gammaParams(q);
  const r = b.rate / a.rate;
  const shapePart =
    a.shape === b.shape
      ? 0
      : (a.shape - b.shape) * (digamma(a.shape) + Math.log(r)) + gammaln(b.shape) - gammaln(a.shape);
  return { value: a.shape * rm1mlog(r) + shapePart };
});

pair('beta', 'beta', (p, q) => {
  const { alpha: a1, beta: b1 } = betaParams(p);
  const { alpha: a2, beta: b2 } = betaParams(q);
  const value =
    betaln(a2, b2) -
    betaln(a1, b1) +
    (a1 - a2) * digamma(a1) +
    (b1 - b2) * digamma(b1) +
    (a2 - a1 + b2 - b1) * digamma(a1 + b1);
  return { value };
});

// KL(Laplace(m1, s1) || Laplace(m2, s2)) = log(s2/s1) + d/s2 + (s1/s2) e^{-d/s1} - 1, d = |m1 - m2|,
// as (r - 1 - log r) + r (e^{-x} - 1 + x) with r = s1 / s2, x = d / s1: two non-negative terms.
pair('laplace', 'laplace', (p, q) => {
  const a = locScaleParams(p);
  const b = locScaleParams(q);
  const r = a.scale / b.scale;
  const x = Math.abs(a.loc - b.loc) / a.scale;
  return { value: rm1mlog(r) + r * expm1mx(-x) };
});

// KL(Cauchy(m1, s1) || Cauchy(m2, s2)) = log(((s1 + s2)^2 + (m1 - m2)^2) / (4 s1 s2)) (symmetric).
pair('cauchy', 'cauchy', (p, q) => {
  const a = locScaleParams(p);
  const b = locScaleParams(q);
  const d = a.loc - b.loc;
  const s = a.scale - b.scale;
  return { value: Math.log1p((s * s + d * d) / (4 * a.scale * b.scale)) };
});

// KL(Weibull(k1, l1) || Weibull(k2, l2)) with a = k2 / k1 and z = k2 log(l1 / l2) + log Gamma(1 + a):
// (e^z - 1 - z) + (log Gamma(1 + a) - log a - gamma (1 - a)), both terms non-negative.
pair('weibull', 'weibull', (p, q) => {
  const { shape: k1, scale: l1 } = weibullParams(p);
  const { shape: k2, scale: l2 } = weibullParams(q);
  const a = k2 / k1;
  const lg = gammaln(1 + a);
  const z = k2 * Math.log(l1 / l2) + lg;
  const shapePart = a === 1 ? 0 : lg - Math.log(a) - EULER_GAMMA * (1 - a);
  return { value: expm1mx(z) + shapePart };
});

// ---------------------------------------------------------------------------------------------
// Multivariate.

// KL(N(m1, S1) || N(m2, S2)) = [tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1) - d + log det S2 - log det S1] / 2,
// with S2 = L2 L2^T: tr(S2^-1 S1) = |L2^-1 L1|_F^2 and the quadratic form is |L2^-1 (m2 - m1)|^2.
pair('multivariate_normal', 'multivariate_normal', (p, q, built) => {
  const a = mvnParams(p);
  const b = mvnParams(q);
  const d = a.mean.length;
  // The family has factorised the (symmetrised) covariance already.
  const L1 = built?.p instanceof MultivariateNormal ? built.p.L : cholesky(a.cov, 0);
  const L2 = built?.q instanceof MultivariateNormal ? built.q.L : cholesky(b.cov, 0);
  const X = solveLowerMatrix(L2, L1);
  let trace = 0;
  for (let i = 0; i < d; i++) {
    const row = X[i]!;
    for (let j = 0; j <= i; j++) trace += row[j]! * row[j]!;
  }
  const diff = a.mean.map((m, i) => b.mean[i]! - m);
  const y = solveLower(L2, diff);
  let quad = 0;
  for (let i = 0; i < d; i++) quad += y[i]! * y[i]!;
  const value = 0.5 * (trace - d + quad + logDetFromCholesky(L2) - logDetFromCholesky(L1));
  return { value };
});

// KL(Dir(a) || Dir(b)) = log Gamma(a0) - sum log Gamma(a_i) - log Gamma(b0) + sum log Gamma(b_i)
// + sum (a_i - b_i)(psi(a_i) - psi(a0)).
pair('dirichlet', 'dirichlet', (p, q) => {
  const a = dirichletParams(p).alpha;
  const b = dirichletParams(q).alpha;
  let a0 = 0;
  let b0 = 0;
  for (let i = 0; i < a.length; i++) {
    a0 += a[i]!;
    b0 += b[i]!;
  }
  const psi0 = digamma(a0);
  let value = gammaln(a0) - gammaln(b0);
  for (let i = 0; i < a.length; i++) {
    value += gammaln(b[i]!) - gammaln(a[i]!) + (a[i]! - b[i]!) * (digamma(a[i]!) - psi0);
  }
  return { value };
});

// ---------------------------------------------------------------------------------------------
// Same family, discrete: 0 log(0 / q) = 0, and p > 0 = q is Infinity naming the outcome.

function bernoulliKl(a: number, b: number): ClosedForm {
  if (a > 0 && b === 0) return inf(outcomeNote(1, a));
  if (a < 1 && b === 1) return inf(outcomeNote(0, 1 - a));
  return { value: xlogxy(a, b) + xlogxy(1 - a, 1 - b) };
}

pair('bernoulli', 'bernoulli', (p, q) => bernoulliKl(bernoulliParams(p).p, bernoulliParams(q).p));

// Binomial(n, a) || Binomial(n, b) = n KL(Bernoulli(a) || Bernoulli(b)); other n: summed exactly.
pair('binomial', 'binomial', (p, q) => {
  const a = binomialParams(p);
  const b = binomialParams(q);
  if (a.n !== b.n) return undefined;
  if (a.n === 0) return { value: 0 };
  if (a.p > 0 && b.p === 0) return inf(outcomeNote(1, a.n * a.p * (1 - a.p) ** (a.n - 1)));
  if (a.p < 1 && b.p === 1) return inf(outcomeNote(0, (1 - a.p) ** a.n));
  return { value: a.n * bernoulliKl(a.p, b.p).value };
});

// KL(Poisson(a) || Poisson(b)) = a log(a / b) - a + b = a (r - 1 - log r), r = b / a.
pair('poisson', 'poisson', (p, q) => ({
  value: poissonParams(p).rate * rm1mlog(poissonParams(q).rate / poissonParams(p).rate),
}));

// Geometric on {1, 2, ...}: KL = log(a / b) + ((1 - a) / a) log((1 - a) / (1 - b)).
pair('geometric', 'geometric', (p, q) => {
  const a = geometricParams(p).p;
  const b = geometricParams(q).p;
  if (a < 1 && b === 1) return inf(outcomeNote(2, a * (1 - a)));
  return { value: Math.log(a / b) + xlogxy(1 - a, 1 - b) / a };
});

pair('categorical', 'categorical', (p, q) => {
  const a = categoricalProbs(p);
  const b = categoricalProbs(q);
  return categoricalKl(a, b);
});

/** sum a_k log(a_k / b_k) over outcomes (b_k = 0 past the end of b), compensated. */
export function categoricalKl(a: readonly number[], b: readonly number[]): ClosedForm {
  let sum = 0;
  let c = 0;
  for (let k = 0; k < a.length; k++) {
    const ak = a[k]!;
    if (ak === 0) continue;
    const bk = k < b.length ? b[k]! : 0;
    if (bk === 0) return inf(outcomeNote(k, ak));
    const v = ak * (Math.log(ak) - Math.log(bk));
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return { value: sum + c };
}

// ---------------------------------------------------------------------------------------------
// Cross pairs: KL(p || q) = E_p[-log q(X)] - H(p), with the expectations p needs for q's log density
// in closed form (moments.ts). Adding a pair is one entry: [p family, q family].

const CROSS: Array<[string, string]> = [
  ['lognormal', 'normal'],
  ['uniform', 'normal'],
  ['exponential', 'normal'],
  ['gamma', 'normal'],
  ['beta', 'normal'],
  ['laplace', 'normal'],
  ['weibull', 'normal'],
  ['student_t', 'normal'],
  ['cauchy', 'normal'],
  ['beta', 'uniform'],
  ['gamma', 'exponential'],
  ['lognormal', 'exponential'],
  ['weibull', 'exponential'],
  ['uniform', 'exponential'],
  ['beta', 'exponential'],
  ['exponential', 'gamma'],
  ['lognormal', 'gamma'],
  ['weibull', 'gamma'],
  ['uniform', 'gamma'],
  ['beta', 'gamma'],
  ['exponential', 'lognormal'],
  ['gamma', 'lognormal'],
  ['weibull', 'lognormal'],
  ['uniform', 'lognormal'],
  ['beta', 'lognormal'],
  ['uniform', 'beta'],
  ['normal', 'laplace'],
  ['uniform', 'laplace'],
  ['exponential', 'laplace'],
  ['gamma', 'laplace'],
  ['lognormal', 'laplace'],
  ['cauchy', 'laplace'],
  ['exponential', 'weibull'],
  ['gamma', 'weibull'],
  ['lognormal', 'weibull'],
  ['uniform', 'weibull'],
  ['beta', 'weibull'],
  ['uniform', 'cauchy'],
];

function viaCrossEntropy(p: DistributionSpec, q: DistributionSpec): ClosedForm | undefined {
  const m = momentsOf(p);
  const ce = CROSS_ENTROPY[q.family];
  if (m === undefined || ce === undefined) return undefined;
  // The support check runs first; this guards direct calls.
  const qm = momentsOf(q);
  if (qm !== undefined && (m.lower < qm.lower || m.upper > qm.upper)) return undefined;
  const h = ce(q, m);
  if (h === undefined) return undefined;
  if (h === Number.POSITIVE_INFINITY)
    return inf(
      `the mean of -log q under p diverges: p's tails are too heavy for q (${p.family} against ${q.family})`,
    );
  return { value: h - m.entropy };
}

for (const [p, q] of CROSS) pair(p, q, viaCrossEntropy);

// ---------------------------------------------------------------------------------------------

/** The closed form of KL(p || q), or undefined when the pair (or these parameters) has none. */
export function closedFormKl(p: Distribution, q: Distribution): ClosedForm | undefined {
  const f = FORMULAS.get(key(p.family, q.family));
  const r = f === undefined ? undefined : f(p.spec, q.spec, { p, q });
  // KL >= 0 exactly; formulas that cancel near p = q can round to -1e-17, which is 0.
  return r === undefined || !(r.value < 0) ? r : { ...r, value: 0 };
}

export function hasClosedFormPair(pFamily: string, qFamily: string): boolean {
  return FORMULAS.has(key(pFamily, qFamily));
}

/** The pairs with a closed form, as "p || q" (for messages and the documentation). */
export function closedFormPairs(): string[] {
  return [...FORMULAS.keys()].map((k) => k.replace('|', ' || '));
}
