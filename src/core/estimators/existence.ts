/**
 * The analytic check that E[f(X)] does not exist, from the distribution's tails and f's growth
 * alone (no draws): under a density falling like |x|^-(a+1) (tail index a), E|f(X)| is infinite when
 * |f(x)| >= c |x|^g (log|x|)^k in that tail with g > a, or g = a and k >= -1 (the integral of
 * |x|^(g-a-1) (log|x|)^k diverges). Then no method converges: the Monte Carlo mean wanders off as n
 * grows however small its standard error looks (antithetic pairs of x under a Cauchy cancel exactly:
 * estimate 0, standard error 0), and the integral behind riemann and quadrature is infinite.
 * Only sure claims are made: an f whose growth is not understood, or a family not listed in tails.ts,
 * gets none.
 */
import { tailIndices } from '../distributions/tails.js';
import type { Distribution } from '../distributions/types.js';
import type { CompiledExpression } from '../expressions/index.js';
import { analyzeGrowth, describeOrder, type Growth, type Order } from '../expressions/index.js';
import { type ExpectationTaskSpec, prepareExpectation } from './expectation-spec.js';

/** Why E[f(X)] does not exist. */
export interface Divergence {
  /** The tail where it fails: 'both', or only x -> +infinity ('positive') or -infinity ('negative'). */
  side: 'both' | 'positive' | 'negative';
  /** The tail index a of that tail. */
  tailIndex: number;
  /** The sure lower bound on the growth of |f| there. */
  growth: Order;
}

const GROWTH_CACHE = new WeakMap<CompiledExpression, Growth>();

/** f's growth at both ends (univariate f), analysed once per compiled expression. */
export function growthOf(f: CompiledExpression): Growth {
  let g = GROWTH_CACHE.get(f);
  if (g === undefined) {
    g = analyzeGrowth(f.ast);
    GROWTH_CACHE.set(f, g);
  }
  return g;
}

/** Does |f| >= c |x|^power (log|x|)^logPower make E|f| infinite against a tail of index a? */
export function divergesAgainst(growth: Order | undefined, a: number): boolean {
  if (growth === undefined || !Number.isFinite(a)) return false;
  return growth.power > a || (growth.power === a && growth.logPower >= -1);
}

/**
 * Why E[f(X)] certainly does not exist, or undefined when that is not certain (the usual case: the
 * mean exists, or nothing is claimed). Univariate distributions only.
 */
export function meanDivergence(dist: Distribution, f: CompiledExpression): Divergence | undefined {
  if (dist.kind === 'multivariate' || f.dim !== 1) return undefined;
  const tails = tailIndices(dist.spec);
  if (tails === undefined) return undefined;
  const growth = growthOf(f);
  const pos = divergesAgainst(growth.positive.lower, tails.upper);
  const neg = divergesAgainst(growth.negative.lower, tails.lower);
  if (pos && neg) {
    const same =
      tails.upper === tails.lower &&
      growth.positive.lower!.power === growth.negative.lower!.power &&
      growth.positive.lower!.logPower === growth.negative.lower!.logPower;
    return { side: same ? 'both' : 'positive', tailIndex: tails.upper, growth: growth.positive.lower! };
  }
  if (pos) return { side: 'positive', tailIndex: tails.upper, growth: growth.positive.lower! };
  if (neg) return { side: 'negative', tailIndex: tails.lower, growth: growth.negative.lower! };
  return undefined;
}

/**
 * Why Var f(X) is certainly infinite while E[f(X)] is not claimed infinite: E[f^2] diverges when f^2
 * (twice f's growth) diverges against a tail. x under a Student t with df 2, x^2 with df 3. The mean
 * then exists, but the central limit theorem does not hold: the Monte Carlo error shrinks slower than
 * 1/sqrt(n) and the standard error understates it.
 */
export function varianceDivergence(dist: Distribution, f: CompiledExpression): Divergence | undefined {
  if (dist.kind === 'multivariate' || f.dim !== 1 || meanDivergence(dist, f) !== undefined) return undefined;
  const tails = tailIndices(dist.spec);
  if (tails === undefined) return undefined;
  const growth = growthOf(f);
  const square = (o: Order | undefined): Order | undefined =>
    o === undefined ? undefined : { power: 2 * o.power, logPower: 2 * o.logPower };
  if (divergesAgainst(square(growth.positive.lower), tails.upper))
    return { side: 'positive', tailIndex: tails.upper, growth: growth.positive.lower! };
  if (divergesAgainst(square(growth.negative.lower), tails.lower))
    return { side: 'negative', tailIndex: tails.lower, growth: growth.negative.lower! };
  return undefined;
}

/** The prepared distribution and f of a task spec, or undefined for an invalid spec. */
function prepared(spec: ExpectationTaskSpec): ReturnType<typeof prepareExpectation> | undefined {
  try {
    return prepareExpectation(spec);
  } catch {
    return undefined;
  }
}

/** meanDivergence for a task spec (through the cache of prepared specs); undefined for an invalid spec. */
export function specDivergence(spec: ExpectationTaskSpec): Divergence | undefined {
  const p = prepared(spec);
  return p === undefined ? undefined : meanDivergence(p.dist, p.f);
}

/** varianceDivergence for a task spec; undefined for an invalid spec. */
export function specVarianceDivergence(spec: ExpectationTaskSpec): Divergence | undefined {
  const p = prepared(spec);
  return p === undefined ? undefined : varianceDivergence(p.dist, p.f);
}

/** The warning for an infinite variance of f (Monte Carlo methods). */
export function varianceWarning(d: Divergence): string {
  const where = d.side === 'positive' ? 'x -> +infinity' : 'x -> -infinity';
  return (
    `Var f(x) is infinite under this distribution: its tails fall like |x|^-${fmt(d.tailIndex + 1)} ` +
    `(tail index a = ${fmt(d.tailIndex)}) and f(x)^2 grows like ${describeOrder({ power: 2 * d.growth.power, logPower: 2 * d.growth.logPower })} ` +
    `as ${where}. The mean exists and the estimate converges to it, but more slowly than 1/sqrt(n): ` +
    'the standard error and interval understate the error'
  );
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/**
 * The warning that leads the answer. `kind`: 'sample' for the Monte Carlo methods, 'integral' for
 * riemann and quadrature.
 */
export function divergenceWarning(d: Divergence, kind: 'sample' | 'integral'): string {
  const where =
    d.side === 'both' ? '|x| -> infinity' : d.side === 'positive' ? 'x -> +infinity' : 'x -> -infinity';
  const head =
    `E[f(x)] does not exist under this distribution: its tails fall like |x|^-${fmt(d.tailIndex + 1)} ` +
    `(tail index a = ${fmt(d.tailIndex)}) and |f(x)| grows like ${describeOrder(d.growth)} as ${where}, ` +
    'so E|f(x)| is infinite';
  if (kind === 'sample')
    return (
      `${head}, and the estimate and its standard error do not converge as n grows (another seed or n ` +
      'gives a very different estimate; a small standard error here means nothing)'
    );
  return (
    `${head}: the integral of f(x) p(x) diverges, so the estimate is not E[f(x)] and the error ` +
    'estimate is Infinity'
  );
}
