import type { Rng } from '../rng/index.js';
import { AliasTable, CompensatedSum, requireProbabilityVector } from './discrete-util.js';
import type { DistributionSpec, FamilyDef, UnivariateDistribution } from './types.js';

/**
 * Categorical(probs) on {0..k-1}. The probabilities are divided by their sum (which is within 1e-9
 * of 1), so the masses sum to 1 to rounding; the spec keeps them as sent.
 */
export class Categorical implements UnivariateDistribution {
  readonly family = 'categorical';
  readonly kind = 'discrete';
  readonly dim = 1;
  readonly support: { lower: number; upper: number };
  readonly probs: Float64Array;
  private readonly logProbs: Float64Array;
  /** cum[k] = P(X <= k) and tail[k] = P(X > k), each summed from its own end for accuracy. */
  private readonly cum: Float64Array;
  private readonly tail: Float64Array;
  private readonly table: AliasTable;
  private readonly mu: number;
  private readonly var: number;
  private readonly h: number;

  constructor(
    probs: ArrayLike<number>,
    readonly spec: DistributionSpec = { family: 'categorical', probs: Array.from(probs) },
  ) {
    const k = probs.length;
    let total = 0;
    for (let i = 0; i < k; i++) total += probs[i]!;
    this.probs = new Float64Array(k);
    this.logProbs = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      this.probs[i] = probs[i]! / total;
      this.logProbs[i] = Math.log(this.probs[i]!);
    }
    this.support = { lower: 0, upper: k - 1 };
    this.cum = new Float64Array(k);
    this.tail = new Float64Array(k);
    let c = 0;
    for (let i = 0; i < k; i++) this.cum[i] = c += this.probs[i]!;
    this.cum[k - 1] = 1;
    let t = 0;
    for (let i = k - 1; i >= 0; i--) {
      this.tail[i] = t;
      t += this.probs[i]!;
    }
    this.table = new AliasTable(this.probs);
    const m = new CompensatedSum();
    const h = new CompensatedSum();
    for (let i = 0; i < k; i++) {
      const p = this.probs[i]!;
      m.add(i * p);
      if (p > 0) h.add(-p * this.logProbs[i]!);
    }
    this.mu = m.value;
    const v = new CompensatedSum();
    for (let i = 0; i < k; i++) v.add((i - this.mu) * (i - this.mu) * this.probs[i]!);
    this.var = v.value;
    this.h = h.value;
  }

  logPdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    if (!Number.isInteger(x) || x < 0 || x >= this.probs.length) return -Infinity;
    return this.logProbs[x]!;
  }

  cdf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 0;
    if (k >= this.probs.length - 1) return 1;
    return this.cum[k]!;
  }

  sf(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const k = Math.floor(x);
    if (k < 0) return 1;
    if (k >= this.probs.length - 1) return 0;
    return this.tail[k]!;
  }

  /** The smallest k with cdf(k) >= p, by binary search on the cumulative sums (tail sums for p > 1/2). */
  quantile(p: number): number {
    if (!(p >= 0 && p <= 1)) return Number.NaN;
    const last = this.probs.length - 1;
    if (p === 0) return 0;
    if (p === 1) return last;
    let lo = -1;
    let hi = last;
    if (p <= 0.5) {
      const { cum } = this;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid]! >= p) hi = mid;
        else lo = mid;
      }
    } else {
      const { tail } = this;
      const q = 1 - p;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (tail[mid]! <= q) hi = mid;
        else lo = mid;
      }
    }
    return hi;
  }

  /** Walker/Vose alias table built at construction: O(1) per draw whatever k. */
  sample(rng: Rng): number {
    return this.table.sample(rng);
  }

  sampleInto(rng: Rng, out: Float64Array): void {
    const t = this.table;
    for (let i = 0; i < out.length; i++) out[i] = t.sample(rng);
  }

  mean(): number {
    return this.mu;
  }

  variance(): number {
    return this.var;
  }

  /** -sum p log p, with 0 log 0 = 0. */
  entropy(): number {
    return this.h;
  }
}

export const categoricalFamily: FamilyDef = {
  name: 'categorical',
  kind: 'discrete',
  description: 'Categorical on {0..k-1}: P(X = i) = probs[i].',
  params: [
    { name: 'probs', type: 'number[]', constraint: 'k >= 1 entries, each >= 0, summing to 1 within 1e-9' },
  ],
  support: '{0, 1, ..., k-1}',
  create(spec) {
    requireProbabilityVector(spec.probs, 'probs');
    const probs = (spec.probs as number[]).slice();
    return new Categorical(probs, { family: 'categorical', probs });
  },
};
