import betainc from '@stdlib/math-base-special-betainc';
import kernelBetaincinv from '@stdlib/math-base-special-kernel-betaincinv';
import type { Rng } from '../rng/index.js';
import { optionalNumber, requireFinite, requireNumber, requirePositive } from './base.js';
import {
  betaIncLower,
  digammaHalfDiff,
  isProbability,
  LOG_PI,
  log1pSquare,
  logGammaHalfRatio,
  stdNormalQuantile,
} from './continuous-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * P(T <= t) for t < 0, T standard Student t with df v: I_w(v/2, 1/2) / 2 with w = v / (v + t^2), or
 * (1 - I_y(1/2, v/2)) / 2 with y = t^2 / (v + t^2) = 1 - w near the centre.
 *
 * Written out rather than taken from stdlib's t cdf, which forms t^2 (overflowing for |t| > 1e154,
 * so it returns 0 where the tail is still representable: df 1 at t = -1e200 has cdf 3.2e-201) and
 * near the centre uses betainc's upper tail, which is off for a = b = 1/2 (df 1) at small
 * arguments (relative error 6e-11 at y = 1e-20). Here only betainc's lower tail is used (accurate
 * everywhere we checked against mpmath), on whichever of w and y keeps the result's digits.
 */
function lowerTail(t: number, v: number): number {
  const r = Math.sqrt(v) / Math.abs(t); // sqrt(v) / |t|, finite for every t != 0
  if (r >= 1) {
    // Central: P(|T| <= |t|) = I_y(1/2, v/2), and the tail is half the rest when that loses nothing.
    const y = 1 / (1 + r * r);
    const inner = betainc(y, 0.5, 0.5 * v);
    if (inner <= 0.5) return 0.5 - 0.5 * inner;
  }
  if (r < 1e-100) {
    // w = r^2 / (1 + r^2) underflows long before the tail does. Here I_w(a, 1/2) =
    // w^a / (a B(a, 1/2)) (1 + O(w)), and the O(w) is far below rounding.
    const a = 0.5 * v;
    return 0.5 * Math.exp(v * Math.log(r) - Math.log(a) - 0.5 * LOG_PI + logGammaHalfRatio(a));
  }
  const r2 = r * r;
  return 0.5 * betaIncLower(r2 / (1 + r2), 0.5 * v, 0.5);
}

/** Student t with `df` degrees of freedom, location `loc` and scale `scale`. */

/** Beyond this df the quantile comes from the normal by Cornish-Fisher (see quantile). */
const LARGE_DF = 1e10;

export class StudentT implements UnivariateDistribution {
  readonly family = 'student_t';
  readonly kind = 'continuous';
  readonly dim = 1;
  readonly support = { lower: -Infinity, upper: Infinity };
  readonly spec: DistributionSpec;
  private readonly logNorm: number;
  private readonly halfDf1: number;

  constructor(
    readonly df: number,
    readonly loc: number,
    readonly scale: number,
  ) {
    this.spec = { family: 'student_t', df, loc, scale };
    // log Gamma((v+1)/2) - log Gamma(v/2) - log(v pi)/2 - log(scale), the ratio of gammas by a
    // series for large df (where the two log-gammas agree in most of their digits).
    this.logNorm = logGammaHalfRatio(0.5 * df) - 0.5 * (Math.log(df) + LOG_PI) - Math.log(scale);
    this.halfDf1 = 0.5 * (df + 1);
  }

  logPdf(x: number): number {
    const z = (x - this.loc) / this.scale;
    if (!Number.isFinite(z)) return Number.isNaN(z) ? Number.NaN : -Infinity;
    // log(1 + z^2 / v) = log(1 + (z / sqrt v)^2), safe from overflow for huge |z|.
    return this.logNorm - this.halfDf1 * log1pSquare(z / Math.sqrt(this.df));
  }

  cdf(x: number): number {
    const z = (x - this.loc) / this.scale;
    if (Number.isNaN(z)) return Number.NaN;
    if (z === 0) return 0.5;
    return z < 0 ? lowerTail(z, this.df) : 1 - lowerTail(-z, this.df);
  }

  /** By symmetry: the upper tail at z is the lower tail at -z. */
  sf(x: number): number {
    const z = (x - this.loc) / this.scale;
    if (Number.isNaN(z)) return Number.NaN;
    if (z === 0) return 0.5;
    return z > 0 ? lowerTail(-z, this.df) : 1 - lowerTail(z, this.df);
  }

  /**
   * Inverts I_w(v/2, 1/2) = 2 min(p, 1 - p), the kernel returning both w and 1 - w to full precision,
   * and t = sqrt(v (1 - w) / w), formed as a product of square roots so that a tiny w does not
   * overflow the ratio. For a small df, w itself can underflow while t is still representable
   * (df 1 at p = 1e-300: w = 1e-599, t = 3.2e299); there I_w(a, 1/2) = w^a / (a B(a, 1/2)) to far
   * below rounding, so log w comes from the tail probability directly.
   */
  quantile(p: number): number {
    if (!isProbability(p)) return Number.NaN;
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    if (p === 0.5) return this.loc;
    const v = this.df;
    if (v > LARGE_DF) {
      // The inverse incomplete beta loses t entirely for huge df (it returned 0 at df 1e16); the
      // Cornish-Fisher expansion about the normal quantile has its next term below 1e-20 here.
      const z = stdNormalQuantile(p);
      const z2 = z * z;
      return (
        this.loc +
        this.scale * (z + (z * (z2 + 1)) / (4 * v) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * v * v))
      );
    }
    const tail = p < 0.5 ? p : 1 - p;
    const [w, y] = kernelBetaincinv(0.5 * v, 0.5, 2 * tail, 1 - 2 * tail) as [number, number];
    let t: number;
    if (w > 1e-200) {
      t = (Math.sqrt(v) * Math.sqrt(y)) / Math.sqrt(w);
    } else {
      const a = 0.5 * v;
      const logW = (Math.log(2 * tail) + Math.log(a) + 0.5 * LOG_PI - logGammaHalfRatio(a)) / a;
      t = Math.exp(0.5 * (Math.log(v) - logW));
    }
    return this.loc + this.scale * (p < 0.5 ? -t : t);
  }

  /**
   * Z / sqrt(V / v) with Z standard normal and V ~ chi-squared(v) = 2 Gamma(v/2, 1). For v < 2 the
   * gamma variate is drawn in log space (rng.logGamma), as it can underflow for tiny shapes.
   */
  sample(rng: Rng): number {
    return this.loc + this.scale * standardT(rng, this.df);
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const { df, loc, scale } = this;
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * standardT(rng, df);
  }

  mean(): number {
    return this.df > 1 ? this.loc : Number.NaN;
  }

  variance(): number {
    const v = this.df;
    if (v > 2) return (this.scale * this.scale * v) / (v - 2);
    return v > 1 ? Infinity : Number.NaN;
  }

  /**
   * (v+1)/2 [digamma((v+1)/2) - digamma(v/2)] + log(sqrt(v) B(v/2, 1/2)) + log(scale), where
   * log B(v/2, 1/2) = log(pi)/2 - [log Gamma((v+1)/2) - log Gamma(v/2)]; both differences go through
   * the large-argument series, so the entropy keeps its digits for a large df.
   */
  entropy(): number {
    const h = 0.5 * this.df;
    return (
      this.halfDf1 * digammaHalfDiff(h) +
      0.5 * Math.log(this.df) +
      0.5 * LOG_PI -
      logGammaHalfRatio(h) +
      Math.log(this.scale)
    );
  }
}

function standardT(rng: Rng, df: number): number {
  const z = rng.normal();
  const h = 0.5 * df;
  if (h >= 1) return z * Math.sqrt(h / rng.gamma(h));
  return z * Math.exp(0.5 * (Math.log(h) - rng.logGamma(h)));
}

export const studentTFamily: FamilyDef = {
  name: 'student_t',
  kind: 'continuous',
  description:
    "Student's t with df degrees of freedom, location loc and scale scale: loc + scale * T. Mean exists for df > 1, variance for df > 2.",
  params: [
    { name: 'df', type: 'number', constraint: '> 0' },
    { name: 'loc', type: 'number', constraint: 'finite', optional: true, default: 0 },
    { name: 'scale', type: 'number', constraint: '> 0', optional: true, default: 1 },
  ],
  support: '(-inf, inf)',
  create(spec) {
    const df = requirePositive(requireNumber(spec, 'df'), 'df');
    const loc = requireFinite(optionalNumber(spec, 'loc', 0), 'loc');
    const scale = requirePositive(optionalNumber(spec, 'scale', 1), 'scale');
    return new StudentT(df, loc, scale);
  },
};
