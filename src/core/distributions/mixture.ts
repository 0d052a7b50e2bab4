import { invalid } from '../errors.js';
import { createRng, type Rng } from '../rng/index.js';
import {
  AliasTable,
  CompensatedSum,
  discreteQuantile,
  integrateAdaptive,
  logSumExp,
  requireProbabilityVector,
} from './discrete-util.js';
import { createDistribution } from './registry.js';
import type {
  Distribution,
  DistributionSpec,
  FamilyDef,
  MultivariateDistribution,
  UnivariateDistribution,
} from './types.js';

// NOTE: this module and registry.ts import each other. Load it through the registry (import
// createDistribution or FAMILIES first); importing mixture.js before registry.js makes registry's
// top-level FAMILIES list read `mixtureFamily` before it exists.

/** Mixtures may nest (a mixture component may itself be a mixture) this many levels deep. */
const MAX_NESTING = 8;
/**
 * Components at most, counted after nested mixtures are flattened: every density of a mixture costs
 * one density per component, and its quantiles and entropy more (a 1,000-component Student-t
 * mixture's entropy took minutes). Fitted mixtures have at most 20.
 */
export const MAX_MIXTURE_COMPONENTS = 100;

/** The fixed seed of the Monte Carlo entropy estimates, so that they are reproducible. */
const ENTROPY_SEED = 'likely/mixture-entropy';
/** Total draws of a Monte Carlo entropy estimate (split over the components by weight). */
const ENTROPY_MC_DRAWS = 200_000;
/** At most this many lattice points are summed for the exact entropy of a discrete mixture. */
const ENTROPY_MAX_TERMS = 4_000_000;
/** Quadrature tolerances of the continuous mixture entropy. */
const ENTROPY_ABS_TOL = 1e-12;
const ENTROPY_REL_TOL = 1e-12;
const ENTROPY_MAX_INTERVALS = 2000;

// -----------------------------------------------------------------------------------------------
// Exact smallest double satisfying a monotone predicate: bisection on the bit patterns.

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const SIGN = 1n << 63n;
const MASK = (1n << 64n) - 1n;

/** A 64-bit key that orders like the double x (negative numbers reversed, -0 just below +0). */
function orderedKey(x: number): bigint {
  F64[0] = x;
  const bits = U64[0]!;
  return bits & SIGN ? ~bits & MASK : bits | SIGN;
}

function fromOrderedKey(k: bigint): number {
  U64[0] = k & SIGN ? k ^ SIGN : ~k & MASK;
  return F64[0]!;
}

/** The smallest double in (lo, hi] with ok(x), given !ok(lo) and ok(hi): at most 64 halvings. */
function smallestDouble(ok: (x: number) => boolean, lo: number, hi: number): number {
  let kl = orderedKey(lo);
  let kh = orderedKey(hi);
  while (kh - kl > 1n) {
    const km = (kl + kh) >> 1n;
    if (ok(fromOrderedKey(km))) kh = km;
    else kl = km;
  }
  return fromOrderedKey(kh);
}

// -----------------------------------------------------------------------------------------------

function kindText(d: Distribution): string {
  return d.kind === 'multivariate' ? `multivariate (dimension ${d.dim})` : `${d.kind} univariate`;
}

/** Indices of the components with positive weight: zero-weight components take no part. */
function activeIndices(weights: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) out.push(i);
  return out;
}

/**
 * The weight bookkeeping both mixture classes share: weights divided by their sum (within 1e-9 of
 * 1), their logs, the components that take part, an alias table to pick one, and a scratch row.
 */
function weightTables(raw: ArrayLike<number>) {
  let total = 0;
  for (let i = 0; i < raw.length; i++) total += raw[i]!;
  const weights = Float64Array.from(raw, (w) => w / total);
  const active = activeIndices(weights);
  return {
    weights,
    logWeights: weights.map(Math.log),
    active,
    table: new AliasTable(weights),
    scratch: new Float64Array(active.length),
  };
}

/**
 * The Monte Carlo part of an entropy estimate, per component: H = sum_i w_i (H_i + C_i) with H_i
 * the component's own (exact) entropy and C_i = E_i[-log(m(X) / f_i(X))], m the mixture density.
 * C_i is a control-variate form of E_i[-log m(X)]: log(m / f_i) >= log w_i is bounded below and
 * nearly constant where component i dominates, so its variance is far below that of log m.
 * Draws come from a fixed internal seed, so the estimate is deterministic.
 */
function monteCarloEntropy(
  weights: Float64Array,
  active: readonly number[],
  componentEntropy: (i: number) => number,
  /** Draw from component i and return [log m(x), log f_i(x)]. */
  drawLogs: (i: number, rng: Rng) => [number, number],
): { value: number; stdError: number } {
  const rng = createRng(ENTROPY_SEED, 0);
  const total = new CompensatedSum();
  let var2 = 0;
  for (const i of active) {
    const w = weights[i]!;
    const n = Math.max(2000, Math.ceil(ENTROPY_MC_DRAWS * w));
    const hi = componentEntropy(i);
    const useControl = Number.isFinite(hi);
    let mean = 0;
    let m2 = 0;
    let count = 0;
    for (let s = 0; s < n; s++) {
      const [lm, lf] = drawLogs(i, rng);
      const t = useControl ? -(lm - lf) : -lm;
      if (!Number.isFinite(t)) continue; // a draw rounded onto a boundary of the support
      count++;
      const delta = t - mean;
      mean += delta / count;
      m2 += delta * (t - mean);
    }
    total.add(w * ((useControl ? hi : 0) + mean));
    if (count > 1) var2 += (w * w * (m2 / (count - 1))) / count;
  }
  return { value: total.value, stdError: Math.sqrt(var2) };
}

/**
 * Monte Carlo entropies already computed, by canonical spec: the estimate is a deterministic
 * function of the spec (fixed seed), and it costs ~0.1 s, while every request builds a fresh
 * distribution. A small LRU (insertion order of a Map).
 */
const MC_ENTROPY_CACHE = new Map<string, { value: number; stdError: number }>();
const MC_ENTROPY_CACHE_SIZE = 256;

function cachedMonteCarloEntropy(
  spec: DistributionSpec,
  compute: () => { value: number; stdError: number },
): { value: number; stdError: number } {
  const key = JSON.stringify(spec);
  const hit = MC_ENTROPY_CACHE.get(key);
  if (hit !== undefined) {
    MC_ENTROPY_CACHE.delete(key);
    MC_ENTROPY_CACHE.set(key, hit);
    return hit;
  }
  const value = compute();
  MC_ENTROPY_CACHE.set(key, value);
  if (MC_ENTROPY_CACHE.size > MC_ENTROPY_CACHE_SIZE) {
    MC_ENTROPY_CACHE.delete(MC_ENTROPY_CACHE.keys().next().value!);
  }
  return value;
}

/**
 * A finite mixture of univariate distributions of one kind (all continuous or all discrete):
 * density sum w_i f_i, evaluated as a log-sum-exp.
 */
export class UnivariateMixture implements UnivariateDistribution {
  readonly family = 'mixture';
  readonly kind: 'continuous' | 'discrete';
  readonly dim = 1;
  readonly support: { lower: number; upper: number };
  /**
   * Normalised weights (divided by their sum, which is within 1e-9 of 1) and the components, with
   * nested mixtures flattened into their components (the spec keeps the nesting as sent).
   */
  readonly weights: Float64Array;
  readonly components: readonly UnivariateDistribution[];
  private readonly logWeights: Float64Array;
  private readonly active: number[];
  private readonly table: AliasTable;
  private readonly scratch: Float64Array;
  private cachedEntropy: { value: number; stdError: number } | undefined;

  constructor(
    weights: ArrayLike<number>,
    components: readonly UnivariateDistribution[],
    readonly spec: DistributionSpec,
  ) {
    this.kind = components[0]!.kind;
    this.components = components;
    const t = weightTables(weights);
    this.weights = t.weights;
    this.logWeights = t.logWeights;
    this.active = t.active;
    this.table = t.table;
    this.scratch = t.scratch;
    let lower = Infinity;
    let upper = -Infinity;
    for (const i of this.active) {
      lower = Math.min(lower, components[i]!.support.lower);
      upper = Math.max(upper, components[i]!.support.upper);
    }
    this.support = { lower, upper };
  }

  /** log sum_i w_i f_i(x), by log-sum-exp over the components with positive weight. */
  logPdf(x: number): number {
    const { active, scratch, components, logWeights } = this;
    for (let j = 0; j < active.length; j++) {
      const i = active[j]!;
      scratch[j] = logWeights[i]! + components[i]!.logPdf(x);
    }
    return logSumExp(scratch);
  }

  cdf(x: number): number {
    return Math.min(1, Math.max(0, this.cdfMinus(x, 0)));
  }

  sf(x: number): number {
    return Math.min(1, Math.max(0, this.sfMinus(x, 0)));
  }

  /**
   * sum_i w_i F_i(x) - p, the subtraction done inside the compensated sum: its sign is right even
   * where the cdf is within an ulp of p (say 0.99 F_1 + 0.01 with F_1 ~ 1e-17, p = 0.01 + 9e-18).
   */
  private cdfMinus(x: number, p: number): number {
    const s = new CompensatedSum();
    s.add(-p);
    for (const i of this.active) s.add(this.weights[i]! * this.components[i]!.cdf(x));
    return s.value;
  }

  /** sum_i w_i S_i(x) - q, like cdfMinus. */
  private sfMinus(x: number, q: number): number {
    const s = new CompensatedSum();
    s.add(-q);
    for (const i of this.active) s.add(this.weights[i]! * this.components[i]!.sf(x));
    return s.value;
  }

  /**
   * The smallest x with cdf(x) >= p (sf(x) <= 1 - p for p > 1/2, for accuracy in the upper tail).
   * The answer lies between the smallest and the largest component quantile at p (at the smallest,
   * every component's cdf is <= p; at the largest, >= p). Continuous: bisection on the bit patterns
   * of the doubles in that bracket, which finds the smallest such double exactly in at most 64 steps
   * (so to full precision, not only 1e-12). Discrete: the integer search of discreteQuantile.
   */
  quantile(p: number): number {
    if (!(p >= 0 && p <= 1)) return Number.NaN;
    if (p === 0) return this.support.lower;
    if (p === 1) return this.support.upper;
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of this.active) {
      const q = this.components[i]!.quantile(p);
      if (q < lo) lo = q;
      if (q > hi) hi = q;
    }
    const cdf = (x: number) => this.cdf(x);
    const sf = (x: number) => this.sf(x);
    if (this.kind === 'discrete') {
      return discreteQuantile(p, this.support.lower, this.support.upper, cdf, sf, lo);
    }
    const q = 1 - p;
    const ok = p <= 0.5 ? (x: number) => this.cdfMinus(x, p) >= 0 : (x: number) => this.sfMinus(x, q) <= 0;
    // Guard the bracket against rounding in the component quantiles: widen it until it holds.
    if (!Number.isFinite(lo)) lo = -Number.MAX_VALUE;
    if (!Number.isFinite(hi)) hi = Number.MAX_VALUE;
    for (let step = Math.max(Math.abs(lo) * 2 ** -40, 1e-300); ok(lo); step *= 2) {
      lo -= step;
      if (!Number.isFinite(lo)) return -Infinity;
    }
    for (let step = Math.max(Math.abs(hi) * 2 ** -40, 1e-300); !ok(hi); step *= 2) {
      hi += step;
      if (!Number.isFinite(hi)) return Infinity;
    }
    return smallestDouble(ok, lo, hi);
  }

  /** Choose a component by the alias table (weights), then draw from it. */
  sample(rng: Rng): number {
    return this.components[this.table.sample(rng)]!.sample(rng);
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.sample(rng);
  }

  mean(): number {
    const s = new CompensatedSum();
    for (const i of this.active) s.add(this.weights[i]! * this.components[i]!.mean());
    return s.value;
  }

  /** The law of total variance: sum w_i (var_i + (mean_i - mean)^2). */
  variance(): number {
    const mu = this.mean();
    const s = new CompensatedSum();
    for (const i of this.active) {
      const c = this.components[i]!;
      const d = c.mean() - mu;
      s.add(this.weights[i]! * (c.variance() + d * d));
    }
    return s.value;
  }

  /**
   * Entropy, which has no closed form:
   * - discrete: the exact sum of -m(k) log m(k), done per component as
   *   sum_i w_i sum_k f_i(k) (-log m(k)) over each component's quantile range [Q_i(1e-17),
   *   Q_i(1 - 2^-53)] (mass left out below 2e-16). If those ranges hold more than 4 million points
   *   in all, the deterministic Monte Carlo estimate of monteCarloEntropy instead (see
   *   entropyStdError).
   * - continuous: H = sum_i w_i (H_i + C_i), H_i the component's exact entropy and
   *   C_i = integral_0^1 -log(m(x) / f_i(x)) du at x = Q_i(u): the substitution maps each
   *   component's whole support onto (0, 1), so no tail is cut off, and C_i is computed by adaptive
   *   Gauss-Kronrod quadrature to 1e-12 (the initial partition includes the images of the other
   *   components' quantiles, so narrow far-away components are not missed).
   * Computed once, on first call.
   */
  entropy(): number {
    return this.entropyResult().value;
  }

  /** The standard error of entropy(): 0 when exact (summation or quadrature), else the Monte Carlo one. */
  entropyStdError(): number {
    return this.entropyResult().stdError;
  }

  private entropyResult(): { value: number; stdError: number } {
    if (this.cachedEntropy === undefined) {
      if (this.active.length === 1) {
        this.cachedEntropy = { value: this.components[this.active[0]!]!.entropy(), stdError: 0 };
      } else {
        this.cachedEntropy = this.kind === 'discrete' ? this.discreteEntropy() : this.continuousEntropy();
      }
    }
    return this.cachedEntropy;
  }

  private discreteEntropy(): { value: number; stdError: number } {
    const ranges: [number, number][] = [];
    let terms = 0;
    for (const i of this.active) {
      const c = this.components[i]!;
      const lo = c.quantile(1e-17);
      const hi = c.quantile(1 - 2 ** -53);
      ranges.push([lo, hi]);
      terms += hi - lo + 1;
    }
    if (!(terms <= ENTROPY_MAX_TERMS)) {
      return cachedMonteCarloEntropy(this.spec, () =>
        monteCarloEntropy(
          this.weights,
          this.active,
          (i) => this.components[i]!.entropy(),
          (i, rng) => {
            const x = this.components[i]!.sample(rng);
            return [this.logPdf(x), this.components[i]!.logPdf(x)];
          },
        ),
      );
    }
    const total = new CompensatedSum();
    this.active.forEach((i, j) => {
      const c = this.components[i]!;
      const [lo, hi] = ranges[j]!;
      const s = new CompensatedSum();
      for (let k = lo; k <= hi; k++) {
        const lf = c.logPdf(k);
        if (lf === -Infinity) continue;
        s.add(Math.exp(lf) * -this.logPdf(k));
      }
      total.add(this.weights[i]! * s.value);
    });
    return { value: total.value, stdError: 0 };
  }

  private continuousEntropy(): { value: number; stdError: number } {
    const total = new CompensatedSum();
    const probes = [1e-6, 0.01, 0.5, 0.99, 1 - 1e-6];
    const uMax = 1 - 2 ** -53;
    for (const i of this.active) {
      const c = this.components[i]!;
      const g = (u: number): number => {
        const x = c.quantile(Math.min(u, uMax));
        if (!Number.isFinite(x)) return 0;
        const lf = c.logPdf(x);
        if (!Number.isFinite(lf)) return 0; // a node rounded onto an edge of the support
        const v = lf - this.logPdf(x);
        return Number.isFinite(v) ? v : 0;
      };
      const points = new Set<number>([0, 1]);
      for (let j = 1; j < 16; j++) points.add(j / 16);
      for (const j of this.active) {
        if (j === i) continue;
        for (const v of probes) {
          const u = c.cdf(this.components[j]!.quantile(v));
          if (u > 0 && u < 1) points.add(u);
        }
      }
      const sorted = [...points].sort((x, y) => x - y);
      const tol = ENTROPY_ABS_TOL / this.active.length;
      const ci = integrateAdaptive(g, sorted, tol, ENTROPY_REL_TOL, ENTROPY_MAX_INTERVALS).value;
      total.add(this.weights[i]! * (c.entropy() + ci));
    }
    return { value: total.value, stdError: 0 };
  }
}

/** A finite mixture of multivariate distributions of one dimension. */
export class MultivariateMixture implements MultivariateDistribution {
  readonly family = 'mixture';
  readonly kind = 'multivariate';
  readonly dim: number;
  readonly supportText: string;
  /** As for UnivariateMixture: normalised weights and components, nested mixtures flattened. */
  readonly weights: Float64Array;
  readonly components: readonly MultivariateDistribution[];
  private readonly logWeights: Float64Array;
  private readonly active: number[];
  private readonly table: AliasTable;
  private readonly scratch: Float64Array;
  private cachedEntropy: { value: number; stdError: number } | undefined;

  constructor(
    weights: ArrayLike<number>,
    components: readonly MultivariateDistribution[],
    readonly spec: DistributionSpec,
  ) {
    this.dim = components[0]!.dim;
    this.components = components;
    const t = weightTables(weights);
    this.weights = t.weights;
    this.logWeights = t.logWeights;
    this.active = t.active;
    this.table = t.table;
    this.scratch = t.scratch;
    const texts = [...new Set(this.active.map((i) => components[i]!.supportText))];
    this.supportText = texts.length === 1 ? texts[0]! : `the union of ${texts.join(' and ')}`;
  }

  logPdf(x: ArrayLike<number>): number {
    const { active, scratch, components, logWeights } = this;
    for (let j = 0; j < active.length; j++) {
      const i = active[j]!;
      scratch[j] = logWeights[i]! + components[i]!.logPdf(x);
    }
    return logSumExp(scratch);
  }

  /** Choose a component by the alias table (weights), then draw from it. */
  sample(rng: Rng, out: Float64Array, offset: number): void {
    this.components[this.table.sample(rng)]!.sample(rng, out, offset);
  }

  mean(): number[] {
    const mu = new Array<number>(this.dim).fill(0);
    for (const i of this.active) {
      const m = this.components[i]!.mean();
      for (let k = 0; k < this.dim; k++) mu[k]! += this.weights[i]! * m[k]!;
    }
    return mu;
  }

  /** The law of total covariance: sum w_i (Sigma_i + (mu_i - mu)(mu_i - mu)^T). */
  covariance(): number[][] {
    const d = this.dim;
    const mu = this.mean();
    const out: number[][] = [];
    for (let r = 0; r < d; r++) out.push(new Array<number>(d).fill(0));
    for (const i of this.active) {
      const w = this.weights[i]!;
      const c = this.components[i]!;
      const m = c.mean();
      const s = c.covariance();
      for (let r = 0; r < d; r++) {
        const dr = m[r]! - mu[r]!;
        for (let k = 0; k < d; k++) out[r]![k]! += w * (s[r]![k]! + dr * (m[k]! - mu[k]!));
      }
    }
    return out;
  }

  /**
   * A deterministic Monte Carlo estimate (there is no closed form, and quadrature in d dimensions
   * is not practical): sum_i w_i (H_i + mean of -log(m(x) / f_i(x)) over draws x from component i),
   * about 200,000 draws in all from a fixed internal seed, so the same mixture always gets the
   * same number. Its standard error is entropyStdError() (typically 1e-3 nats or better; less
   * the better separated the components). Computed once per instance, and remembered for the last
   * 256 distinct mixtures (by spec), since it takes ~0.1 s.
   */
  entropy(): number {
    return this.entropyResult().value;
  }

  entropyStdError(): number {
    return this.entropyResult().stdError;
  }

  private entropyResult(): { value: number; stdError: number } {
    if (this.cachedEntropy === undefined) {
      if (this.active.length === 1) {
        this.cachedEntropy = { value: this.components[this.active[0]!]!.entropy(), stdError: 0 };
      } else {
        const x = new Float64Array(this.dim);
        this.cachedEntropy = cachedMonteCarloEntropy(this.spec, () =>
          monteCarloEntropy(
            this.weights,
            this.active,
            (i) => this.components[i]!.entropy(),
            (i, rng) => {
              const c = this.components[i]!;
              c.sample(rng, x, 0);
              return [this.logPdf(x), c.logPdf(x)];
            },
          ),
        );
      }
    }
    return this.cachedEntropy;
  }
}

/** How deeply mixtures nest inside `spec` (1 for a mixture of plain families), counted to MAX_NESTING + 1. */
function nestingDepth(spec: unknown): number {
  const isMixture = (s: unknown): s is DistributionSpec =>
    typeof s === 'object' && s !== null && (s as DistributionSpec).family === 'mixture';
  let depth = 0;
  let level: unknown[] = [spec];
  while (depth <= MAX_NESTING) {
    const next: unknown[] = [];
    let found = false;
    for (const s of level) {
      if (!isMixture(s)) continue;
      found = true;
      if (Array.isArray(s.components)) for (const c of s.components) next.push(c);
    }
    if (!found) break;
    depth++;
    level = next;
  }
  return depth;
}

export const mixtureFamily: FamilyDef = {
  name: 'mixture',
  kind: 'mixed',
  description:
    'A finite mixture sum w_i p_i: weights summing to 1 and components that are all continuous ' +
    'univariate, all discrete univariate, or all multivariate of one dimension. Its kind is theirs.',
  params: [
    {
      name: 'weights',
      type: 'number[]',
      constraint: 'one per component, each >= 0, summing to 1 within 1e-9',
    },
    {
      name: 'components',
      type: 'distribution[]',
      constraint:
        `1 to ${MAX_MIXTURE_COMPONENTS} distributions of one kind and dimension (counted with nested ` +
        `mixtures flattened); mixtures nest at most ${MAX_NESTING} deep`,
    },
  ],
  support: 'the union of the supports of the components',
  create(spec) {
    const comps = spec.components;
    if (!Array.isArray(comps)) invalid('components', 'is required and must be an array of distributions');
    if (comps.length === 0) invalid('components', 'must have at least one component');
    if (nestingDepth(spec) > MAX_NESTING) {
      invalid('components', `mixtures may nest at most ${MAX_NESTING} levels deep`);
    }
    requireProbabilityVector(spec.weights, 'weights');
    const weights = (spec.weights as number[]).slice();
    if (weights.length !== comps.length) {
      invalid(
        'weights',
        `must have one weight per component (got ${weights.length} weights for ${comps.length} components)`,
      );
    }
    const dists: Distribution[] = [];
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i] as unknown;
      if (
        typeof c !== 'object' ||
        c === null ||
        Array.isArray(c) ||
        typeof (c as DistributionSpec).family !== 'string'
      ) {
        invalid(`components.${i}`, 'must be a distribution: an object with a family and its parameters');
      }
      dists.push(createDistribution(c as DistributionSpec, `components.${i}`));
    }
    const first = dists[0]!;
    for (let i = 1; i < dists.length; i++) {
      const d = dists[i]!;
      if (d.kind !== first.kind || d.dim !== first.dim) {
        invalid(`components.${i}`, `must be ${kindText(first)} like components.0 (got ${kindText(d)})`);
      }
    }
    const canonical: DistributionSpec = { family: 'mixture', weights, components: dists.map((d) => d.spec) };
    // A component that is itself a mixture is the same law as its components with the weights
    // multiplied through: flatten, so quantiles and entropies need no nested searches.
    const flatWeights: number[] = [];
    const flat: Distribution[] = [];
    const total = weights.reduce((a, b) => a + b, 0);
    dists.forEach((d, i) => {
      const w = weights[i]! / total;
      if (d instanceof UnivariateMixture || d instanceof MultivariateMixture) {
        d.components.forEach((c, j) => {
          flatWeights.push(w * d.weights[j]!);
          flat.push(c);
        });
      } else {
        flatWeights.push(w);
        flat.push(d);
      }
    });
    if (flat.length > MAX_MIXTURE_COMPONENTS)
      invalid(
        'components',
        `a mixture may have at most ${MAX_MIXTURE_COMPONENTS} components, counted with nested mixtures ` +
          `flattened (got ${flat.length})`,
      );
    if (first.kind === 'multivariate') {
      return new MultivariateMixture(flatWeights, flat as MultivariateDistribution[], canonical);
    }
    return new UnivariateMixture(flatWeights, flat as UnivariateDistribution[], canonical);
  },
};
