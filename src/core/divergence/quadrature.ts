import { createDistribution } from '../distributions/registry.js';
import type { UnivariateDistribution } from '../distributions/types.js';
import { integrate } from '../estimators/quadrature.js';
import type { NumericResult } from './discrete.js';
import { compensatedSum, logRatioToMidpoint } from './numeric.js';
import { locScaleParams, mixtureParts, uniformParams } from './params.js';

/**
 * KL and Jensen-Shannon between univariate continuous distributions by adaptive Gauss-Kronrod
 * quadrature (estimators/quadrature.ts `integrate`), carefully:
 *
 * - Log space. The integrand p(x) (log p(x) - log q(x)) is formed from the two log densities, never
 *   from p / q, and the weight p(x) |dx/dt| is exp(log p + log-Jacobian): two distributions a
 *   thousand standard deviations apart give log ratios of 1e6, finite and harmless, not 0 / 0.
 * - Over p's support, through a change of variables that sends each finite end to infinity:
 *   x = a + e^t on [a, inf), x = b - e^-t on (-inf, b], x = a + (b - a) sigmoid(t) on [a, b]. The
 *   integrable singularities of gamma, Weibull and beta densities at their ends become smooth,
 *   exponentially decaying tails, and 0 is resolved down to the smallest doubles.
 * - Split at p's quantiles (1e-12 ... 1 - 1e-12), at the quantiles of each mixture component, and at
 *   the kinks of both log densities (a Laplace location, the ends of a uniform), so a narrow peak
 *   far from the origin is never stepped over.
 * - The support check (support.ts) runs first: here q > 0 wherever p > 0, up to endpoints.
 */

const LEVELS = [1e-12, 1e-6, 1e-3, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1 - 1e-3, 1 - 1e-6, 1 - 1e-12];
const COMPONENT_LEVELS = [1e-6, 0.01, 0.5, 0.99, 1 - 1e-6];

export interface QuadratureOptions {
  absTol?: number;
  relTol?: number;
  maxEvaluations?: number;
}

const DEFAULTS = { absTol: 1e-13, relTol: 1e-10, maxEvaluations: 400_000 };

/** Points where log d(x) is not smooth, or where d's mass concentrates (mixture components). */
function featurePoints(d: UnivariateDistribution, levels: readonly number[]): number[] {
  switch (d.family) {
    case 'laplace':
      return [locScaleParams(d.spec).loc];
    case 'uniform': {
      const { low, high } = uniformParams(d.spec);
      return [low, high];
    }
    case 'mixture': {
      const { weights, components } = mixtureParts(d.spec);
      const out: number[] = [];
      components.forEach((spec, i) => {
        if (!(weights[i]! > 0)) return;
        const c = createDistribution(spec) as UnivariateDistribution;
        out.push(...featurePoints(c, levels));
        for (const u of levels) out.push(c.quantile(u));
      });
      return out;
    }
    default:
      return [];
  }
}

/** The change of variables x = X(t) for a support [a, b], with log |dx/dt| and the inverse. */
interface Transform {
  x(t: number): number;
  logJac(t: number): number;
  t(x: number): number;
}

function transformFor(a: number, b: number): Transform {
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (fa && fb) {
    const w = b - a;
    // log sigmoid(t) = -softplus(-t)
    const logSig = (t: number) => (t > 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t)));
    return {
      // Each half from its own end, so both ends are resolved to the doubles next to them.
      x: (t) => (t <= 0 ? a + w * Math.exp(logSig(t)) : b - w * Math.exp(logSig(-t))),
      logJac: (t) => Math.log(w) + logSig(t) + logSig(-t),
      t: (x) => Math.log(x - a) - Math.log(b - x),
    };
  }
  if (fa) return { x: (t) => a + Math.exp(t), logJac: (t) => t, t: (x) => Math.log(x - a) };
  if (fb) return { x: (t) => b - Math.exp(-t), logJac: (t) => -t, t: (x) => -Math.log(b - x) };
  return { x: (t) => t, logJac: () => 0, t: (x) => x };
}

/**
 * ∫ p(x) g(x) dx over p's support, g given the two log densities (log p(x), x). Returns the
 * integral with its error estimate, which includes the mass within one double of a finite end
 * (where the density may be singular and cannot be evaluated closer).
 */
function integrateOverP(
  p: UnivariateDistribution,
  others: readonly UnivariateDistribution[],
  g: (lp: number, x: number) => number,
  options: QuadratureOptions,
): NumericResult {
  const { absTol, relTol, maxEvaluations } = { ...DEFAULTS, ...options };
  const { lower: a, upper: b } = p.support;
  const tf = transformFor(a, b);
  const xs: number[] = [];
  for (const u of LEVELS) xs.push(p.quantile(u));
  xs.push(...featurePoints(p, COMPONENT_LEVELS));
  for (const o of others) {
    xs.push(o.quantile(0.5), ...featurePoints(o, [0.5]));
  }
  // Close to a finite end other than 0 (near 0 the doubles are dense) x cannot come nearer than one
  // double, and near the end the rounding of x blurs its distance r to the end (by 1e-16 / r), which a
  // density singular there (beta(a, 0.5) at 1) cannot tolerate. So the quadrature stops at the exact
  // double 2^-26 |e| from such an end, and the gap is handled by a local power law (endCorrection).
  const gapB = Number.isFinite(b) && b !== 0 ? endGap(b) : 0;
  const gapA = Number.isFinite(a) && a !== 0 ? endGap(a) : 0;
  const lo = a + gapA;
  const hi = b - gapB;
  const tLo = gapA > 0 ? tf.t(lo) : Number.NEGATIVE_INFINITY;
  const tHi = gapB > 0 ? tf.t(hi) : Number.POSITIVE_INFINITY;
  const ts = [
    ...new Set(
      xs
        .filter((x) => Number.isFinite(x) && x > lo && x < hi)
        .map((x) => tf.t(x))
        .filter((t) => t > tLo && t < tHi),
    ),
  ].sort((u, v) => u - v);
  const bounds = [tLo, ...ts, tHi];
  const f = (t: number): number => {
    const x = tf.x(t);
    if (!(x > a && x < b)) return 0; // rounded onto an end: a null set
    const lp = p.logPdf(x);
    if (!(lp > Number.NEGATIVE_INFINITY && lp < Number.POSITIVE_INFINITY)) return 0;
    const w = Math.exp(lp + tf.logJac(t));
    if (w === 0) return 0;
    const v = g(lp, x);
    return Number.isFinite(v) ? w * v : 0;
  };
  const pieces = bounds.length - 1;
  const parts: number[] = [];
  let errorEstimate = 0;
  let evaluations = 0;
  let converged = true;
  for (let i = 0; i < pieces; i++) {
    const r = integrate(f, bounds[i]!, bounds[i + 1]!, {
      absTol: absTol / pieces,
      relTol,
      maxEvaluations: Math.max(42, Math.floor(maxEvaluations / pieces)),
    });
    parts.push(r.value);
    errorEstimate += r.errorEstimate;
    evaluations += r.evaluations;
    converged &&= r.converged;
  }
  let value = compensatedSum(parts);
  for (const [gap, e, dir] of [
    [gapB, b, -1],
    [gapA, a, 1],
  ] as const) {
    if (gap === 0) continue;
    const c = endCorrection(p, g, e, dir, gap);
    value += c.value;
    errorEstimate += c.error;
  }
  if (!converged && Number.isFinite(value))
    converged = errorEstimate <= Math.max(absTol, relTol * Math.abs(value));
  return { value, errorEstimate, evaluations, converged };
}

/** 2^-26 |e| (1.5e-8 |e|) rounded down to a power of two: e - gap and e + gap are exact doubles. */
function endGap(e: number): number {
  return 2 ** (Math.floor(Math.log2(Math.abs(e))) - 26);
}

/**
 * ∫ p(x) g(x) dx over the gap of width `gap` between the end `e` of p's support and the exact double
 * e + dir * gap (dir -1 below an upper end, +1 above a lower end). Near an end, densities behave like
 * powers of the distance r = |x - e|: log p ~ c + (k - 1) log r, and g ~ g0 + s log r. With the gap's
 * mass m (p's sf or cdf at its inner edge), the law of r in the gap has density ∝ r^(k-1), so
 * E[log r] = log gap - 1/k and the gap contributes m (g(inner edge) - s / k). k and s come from
 * log p and g at r = gap and r = gap / 64 (exact doubles). Where the model fails (k not positive)
 * the plain m g(inner edge) is used and counted as error in full.
 */
function endCorrection(
  p: UnivariateDistribution,
  g: (lp: number, x: number) => number,
  e: number,
  dir: 1 | -1,
  gap: number,
): { value: number; error: number } {
  const x1 = e + dir * gap;
  const x2 = e + (dir * gap) / 64;
  const mass = dir < 0 ? p.sf(x1) : p.cdf(x1);
  if (!(mass > 0)) return { value: 0, error: 0 };
  const l1 = p.logPdf(x1);
  const l2 = p.logPdf(x2);
  const g1 = Number.isFinite(l1) ? g(l1, x1) : Number.NaN;
  const g2 = Number.isFinite(l2) ? g(l2, x2) : Number.NaN;
  if (!Number.isFinite(g1)) return { value: 0, error: mass };
  const crude = mass * g1;
  const dlog = Math.log(64);
  const k = 1 + (l1 - l2) / dlog;
  const s = (g1 - g2) / dlog;
  if (!(k > 0 && Number.isFinite(s))) return { value: crude, error: Math.abs(crude) };
  const model = mass * (g1 - s / k);
  // Exact for pure powers; the corrections are O(gap / width) ~ 1e-8 relative. Keep a margin.
  return { value: model, error: (1e-6 * Math.abs(model - crude)) / Math.min(1, k) + 1e-7 * Math.abs(model) };
}

/** KL(p || q) = ∫ p (log p - log q) by quadrature; p's support must lie inside q's. */
export function quadratureKl(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  options: QuadratureOptions = {},
): NumericResult {
  const r = integrateOverP(
    p,
    [q],
    (lp, x) => {
      const lq = q.logPdf(x);
      return lq === Number.NEGATIVE_INFINITY ? 0 : lp - lq;
    },
    options,
  );
  return finish(r, Number.POSITIVE_INFINITY);
}

/** JS(p, q) = (∫ p log(p/m) + ∫ q log(q/m)) / 2, m = (p + q) / 2: bounded by log 2. */
export function quadratureJs(
  p: UnivariateDistribution,
  q: UnivariateDistribution,
  options: QuadratureOptions = {},
): NumericResult {
  const x = integrateOverP(p, [q], (lp, t) => logRatioToMidpoint(lp, q.logPdf(t)), options);
  const y = integrateOverP(q, [p], (lq, t) => logRatioToMidpoint(lq, p.logPdf(t)), options);
  return finish(
    {
      value: 0.5 * (x.value + y.value),
      errorEstimate: 0.5 * (x.errorEstimate + y.errorEstimate),
      evaluations: x.evaluations + y.evaluations,
      converged: x.converged && y.converged,
    },
    Math.LN2,
  );
}

/** Clamp to the quantity's range [0, max] (the error estimate covers the rounding) and add a note. */
function finish(r: NumericResult, max: number): NumericResult {
  const value = Math.min(max, Math.max(0, r.value));
  const out: NumericResult = { ...r, value };
  if (!r.converged)
    out.note = `quadrature did not reach its tolerance within ${r.evaluations} evaluations (error estimate ${r.errorEstimate.toPrecision(3)})`;
  return out;
}
