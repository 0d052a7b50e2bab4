import {
  describeCost,
  drawCost,
  evaluationCost,
  isMultivariateSpec,
  TYPICAL_QUADRATURE_POINTS,
} from '../distributions/cost.js';
import { createDistribution } from '../distributions/registry.js';
import type { Distribution, DistributionSpec, UnivariateDistribution } from '../distributions/types.js';
import { invalid } from '../errors.js';
import { type ConfidenceInterval, normalInterval, standardError } from '../estimators/stats.js';
import { randomSeed, type Seed } from '../rng/index.js';
import { closedFormKl, closedFormPairs } from './closed-form.js';
import {
  discreteSupportViolation,
  type NumericResult,
  smallFiniteSupport,
  summedJs,
  summedKl,
  vectorSpec,
} from './discrete.js';
import {
  foldKlStats,
  KL_CHUNK_SIZE,
  type KlChunkStats,
  type KlChunksPayload,
  type KlQuantities,
  klChunks,
} from './monte-carlo.js';
import { fmt } from './numeric.js';
import { quadratureJs, quadratureKl } from './quadrature.js';
import { continuousSupportViolation, spaceOf } from './support.js';

/**
 * KL(p || q), KL(q || p) and Jensen-Shannon, each by the best method available for it:
 * an exact form (a closed form of the pair, an exact finite sum, or Infinity by support), else
 * quadrature (exact summation for discrete distributions), else Monte Carlo.
 *
 * The work is split so that a job can run the Monte Carlo part on the pool: `planKl` validates the
 * request and computes every exact or numerical quantity (cheap); `klChunks` (monte-carlo.ts, the
 * task 'kl.chunks') computes chunk statistics; `summarizeKlMonteCarlo` turns the folded chunks into
 * the endpoint's answer. `runKl` does all three on the calling thread (the task 'kl.run').
 */

export type KlMethod = 'auto' | 'closed_form' | 'quadrature' | 'monte_carlo';
export type UsedMethod = 'closed_form' | 'quadrature' | 'monte_carlo';

/** The body of POST /v1/kl (after schema validation and defaults). */
export interface KlRequest {
  p: DistributionSpec | number[];
  q: DistributionSpec | number[];
  method?: KlMethod;
  n?: number;
  seed?: Seed;
  confidence?: number;
}

export interface KlOptions {
  /** Draws per Monte Carlo chunk (default KL_CHUNK_SIZE); the job engine must use the same. */
  chunkSize?: number;
}

/**
 * Draws from each of p and q when a Monte Carlo quantity is needed and n is not given: 100,000, or
 * for costly pairs (two 100-dimensional normals cost 10,000 univariate draws each) as many as the
 * work of 100,000 cheap draws buys, but at least 10,000.
 */
export const DEFAULT_KL_N = 100_000;
export const MIN_DEFAULT_KL_N = 10_000;

export function defaultKlN(p: DistributionSpec, q: DistributionSpec): number {
  const cost = drawCost(p) + drawCost(q);
  const n = Math.floor((DEFAULT_KL_N * 10) / cost / 1000) * 1000;
  return Math.min(DEFAULT_KL_N, Math.max(MIN_DEFAULT_KL_N, n));
}

/** A quantity computed without random numbers. */
export interface ExactQuantity {
  value: number;
  method: 'closed_form' | 'quadrature';
  errorEstimate?: number;
  evaluations?: number;
  note?: string;
}

/** Everything about a request that is not Monte Carlo, plus the Monte Carlo work to do (plain data). */
export interface KlPlan {
  /** Canonical specs; a probability vector becomes a categorical spec. */
  p: DistributionSpec;
  q: DistributionSpec;
  confidence: number;
  /** null: by Monte Carlo. */
  forward: ExactQuantity | null;
  reverse: ExactQuantity | null;
  jensenShannon: ExactQuantity | null;
  /** H(p) where exact (or computed without random numbers). */
  entropyP?: number;
  notes: string[];
  mc?: {
    n: number;
    seed: Seed;
    chunkSize: number;
    chunkCount: number;
    quantities: KlQuantities;
  };
}

type Triple<T> = { forward?: T; reverse?: T; jensenShannon?: T };

/** The answer of POST /v1/kl (non-finite numbers are written as strings by the serializer). */
export interface KlResult {
  forward: number;
  reverse: number;
  jensenShannon: number;
  /** The method of `forward`. */
  method: UsedMethod;
  methods: { forward: UsedMethod; reverse: UsedMethod; jensenShannon: UsedMethod };
  units: 'nats';
  /** Monte Carlo standard error and interval of `forward`. */
  stdError?: number;
  ci?: ConfidenceInterval;
  /** Standard errors and intervals of every Monte Carlo quantity. */
  stdErrors?: Triple<number>;
  cis?: Triple<ConfidenceInterval>;
  /** Error estimates of every quadrature quantity. */
  errorEstimates?: Triple<number>;
  /** H(p, q) = H(p) + KL(p || q), and H(p), in nats. */
  crossEntropy?: number;
  entropyP?: number;
  /** Monte Carlo draws from each of p and q, and the seed, when random numbers were used. */
  n?: number;
  seed?: Seed;
  note?: string;
}

// ---------------------------------------------------------------------------------------------

function resolveOperands(req: KlRequest): { p: Distribution; q: Distribution; vectors: boolean } {
  const pv = Array.isArray(req.p);
  const qv = Array.isArray(req.q);
  if (pv !== qv) {
    const [vec, dist] = pv ? ['p', 'q'] : ['q', 'p'];
    invalid(
      dist,
      `${vec} is a probability vector, so ${dist} must be one too (or send ${vec} as ` +
        `{ "family": "categorical", "probs": [...] })`,
    );
  }
  if (pv && qv) {
    const a = req.p as number[];
    const b = req.q as number[];
    const ps = vectorSpec(a, 'p');
    const qs = vectorSpec(b, 'q');
    if (a.length !== b.length)
      invalid('q', `must have the same length as p (${a.length} entries), got ${b.length}`);
    return { p: createDistribution(ps, 'p'), q: createDistribution(qs, 'q'), vectors: true };
  }
  const p = createDistribution(req.p as DistributionSpec, 'p');
  const q = createDistribution(req.q as DistributionSpec, 'q');
  const describe = (d: Distribution) =>
    d.kind === 'multivariate' ? `multivariate (dimension ${d.dim}, ${d.family})` : `univariate (${d.family})`;
  if ((p.kind === 'multivariate') !== (q.kind === 'multivariate')) {
    invalid('q', `p is ${describe(p)} but q is ${describe(q)}: both must live in the same space`);
  }
  if (p.dim !== q.dim) invalid('q', `has dimension ${q.dim} but p has dimension ${p.dim}`);
  return { p, q, vectors: false };
}

const uni = (d: Distribution) => d as UnivariateDistribution;

function fromNumeric(r: NumericResult, method: 'closed_form' | 'quadrature'): ExactQuantity {
  const out: ExactQuantity = { value: r.value, method, evaluations: r.evaluations };
  if (method === 'quadrature') out.errorEstimate = r.errorEstimate;
  if (r.note !== undefined) out.note = r.note;
  return out;
}

function closedFormUnavailable(p: Distribution, q: Distribution): never {
  invalid(
    'method',
    `no closed form for KL(${p.family} || ${q.family}); use auto, quadrature or monte_carlo. ` +
      `Pairs with a closed form: ${closedFormPairs().join(', ')}; and any discrete p of finite ` +
      'support against any discrete q (an exact finite sum)',
  );
}

/**
 * KL(a || b) without random numbers, or null for Monte Carlo. `strict` (the forward quantity of an
 * explicit method) turns "the method does not apply" into a 400; otherwise the best method is used.
 */
function exactKl(
  a: Distribution,
  b: Distribution,
  names: [string, string],
  method: KlMethod,
  strict: boolean,
): ExactQuantity | null {
  const [an, bn] = names;
  // Infinity by support comes first, whatever the method: it is exact (and Monte Carlo can miss a
  // region of tiny probability, as in N(0, 1) against U(-40, 40)).
  const why =
    a.kind === 'continuous'
      ? continuousSupportViolation(uni(a), uni(b), an, bn)
      : a.kind === 'discrete'
        ? discreteSupportViolation(uni(a), uni(b), an, bn)
        : undefined;
  if (why !== undefined) return { value: Number.POSITIVE_INFINITY, method: 'closed_form', note: why };
  if (method === 'monte_carlo') return null;
  if (method !== 'quadrature') {
    const cf = closedFormKl(a, b);
    if (cf !== undefined) {
      const out: ExactQuantity = { value: cf.value, method: 'closed_form' };
      if (cf.note !== undefined) out.note = renameNote(cf.note, an, bn);
      return out;
    }
    // Over a finite support of a the defining sum is complete: exact, whatever b is.
    if (a.kind === 'discrete' && smallFiniteSupport(uni(a))) {
      return fromNumeric(summedKl(uni(a), uni(b), an, bn), 'closed_form');
    }
    if (method === 'closed_form' && strict) closedFormUnavailable(a, b);
  }
  if (a.kind === 'discrete') return fromNumeric(summedKl(uni(a), uni(b), an, bn), 'quadrature');
  if (a.kind === 'continuous') return fromNumeric(quadratureKl(uni(a), uni(b)), 'quadrature');
  if (method === 'quadrature' && strict) {
    invalid(
      'method',
      `quadrature is for univariate distributions (p and q are ${a.dim}-dimensional); use auto or monte_carlo`,
    );
  }
  return null;
}

/** The closed-form notes speak of p and q; for the reverse direction swap the names. */
function renameNote(note: string, an: string, bn: string): string {
  if (an === 'p') return note;
  return note.replace(/\b([pq])\b/g, (m) => (m === 'p' ? an : bn));
}

function exactJs(p: Distribution, q: Distribution, method: KlMethod): ExactQuantity | null {
  if (method === 'monte_carlo') return null;
  if (p.kind === 'discrete') {
    const finite = smallFiniteSupport(uni(p)) && smallFiniteSupport(uni(q));
    return fromNumeric(summedJs(uni(p), uni(q)), finite ? 'closed_form' : 'quadrature');
  }
  if (p.kind === 'continuous') return fromNumeric(quadratureJs(uni(p), uni(q)), 'quadrature');
  return null;
}

function sameSpec(a: DistributionSpec, b: DistributionSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function entropyOf(p: Distribution): number | undefined {
  // A multivariate mixture's entropy is itself a Monte Carlo estimate: use the run's own draws.
  if (p.family === 'mixture' && p.kind === 'multivariate') return undefined;
  const h = p.entropy();
  return Number.isNaN(h) ? undefined : h;
}

/**
 * Validate a request (InvalidInputError, with paths such as `p.std` or `q.2`) and compute every
 * quantity that needs no random numbers. The Monte Carlo part, if any, is described in `mc`.
 */
export function planKl(req: KlRequest, options: KlOptions = {}): KlPlan {
  const method = req.method ?? 'auto';
  const confidence = req.confidence ?? 0.95;
  const { p, q } = resolveOperands(req);
  const plan: KlPlan = {
    p: p.spec,
    q: q.spec,
    confidence,
    forward: null,
    reverse: null,
    jensenShannon: null,
    notes: [],
  };
  const entropyP = entropyOf(p);
  if (entropyP !== undefined) plan.entropyP = entropyP;

  const sp = spaceOf(p);
  const sq = spaceOf(q);
  if (sp !== sq && sp !== 'mixed' && sq !== 'mixed') {
    const note =
      `p lives on ${sp} and q on ${sq}: they are mutually singular (each puts all its probability ` +
      'where the other has none), so KL is infinite both ways and Jensen-Shannon is log 2';
    plan.forward = { value: Number.POSITIVE_INFINITY, method: 'closed_form', note };
    plan.reverse = { value: Number.POSITIVE_INFINITY, method: 'closed_form' };
    plan.jensenShannon = { value: Math.LN2, method: 'closed_form' };
    return plan;
  }
  if (method !== 'monte_carlo' && method !== 'quadrature' && sameSpec(p.spec, q.spec)) {
    plan.forward = { value: 0, method: 'closed_form' };
    plan.reverse = { value: 0, method: 'closed_form' };
    plan.jensenShannon = { value: 0, method: 'closed_form' };
    plan.notes.push('p and q are the same distribution');
    return plan;
  }

  plan.forward = exactKl(p, q, ['p', 'q'], method, true);
  plan.reverse = exactKl(q, p, ['q', 'p'], method, false);
  plan.jensenShannon = exactJs(p, q, method);

  const quantities: KlQuantities = {
    forward: plan.forward === null,
    reverse: plan.reverse === null,
    jensenShannon: plan.jensenShannon === null,
  };
  if (quantities.forward || quantities.reverse || quantities.jensenShannon) {
    const n = req.n ?? defaultKlN(plan.p, plan.q);
    const chunkSize = options.chunkSize ?? KL_CHUNK_SIZE;
    plan.mc = {
      n,
      seed: req.seed ?? randomSeed(),
      chunkSize,
      chunkCount: Math.ceil(n / chunkSize),
      quantities,
    };
  }
  return plan;
}

/**
 * The size of a plan's Monte Carlo work in plain-draw units (draws times the cost of sampling and
 * evaluating both densities): what decides between inline and the worker pool.
 */
export function klWorkSize(plan: KlPlan): number {
  if (plan.mc === undefined) return 0;
  const { n, quantities: k } = plan.mc;
  const sides = (k.forward || k.jensenShannon ? 1 : 0) + (k.reverse || k.jensenShannon ? 1 : 0);
  return n * sides * (drawCost(plan.p) + drawCost(plan.q));
}

/**
 * The work of planning, before any Monte Carlo: closed forms, and in one dimension the quadratures
 * of forward, reverse and Jensen-Shannon and the entropies (a big mixture's take seconds). Plain-draw
 * units, for the choice between inline and the worker pool.
 */
export function klPlanCost(p: DistributionSpec | number[], q: DistributionSpec | number[]): number {
  if (Array.isArray(p) || Array.isArray(q))
    return (Array.isArray(p) ? p.length : 1) + (Array.isArray(q) ? q.length : 1);
  const entropies = describeCost(p) + describeCost(q);
  if (isMultivariateSpec(p) || isMultivariateSpec(q)) return entropies;
  return 3 * TYPICAL_QUADRATURE_POINTS * (evaluationCost(p) + evaluationCost(q)) + entropies;
}

/** Chunks of a Monte Carlo run of n draws (0 when the plan needs no Monte Carlo). */
export function klChunkCount(plan: KlPlan, n = plan.mc?.n ?? 0): number {
  return plan.mc === undefined ? 0 : Math.ceil(n / plan.mc.chunkSize);
}

/** The 'kl.chunks' payload for chunks [firstChunk, firstChunk + chunkCount) of the plan's run. */
export function klChunksPayload(
  plan: KlPlan,
  firstChunk = 0,
  chunkCount = plan.mc?.chunkCount ?? 0,
  n = plan.mc?.n ?? 0,
): KlChunksPayload {
  if (plan.mc === undefined) throw new Error('this KL request needs no Monte Carlo');
  return {
    p: plan.p,
    q: plan.q,
    seed: plan.mc.seed,
    firstChunk,
    chunkCount,
    n,
    chunkSize: plan.mc.chunkSize,
    quantities: plan.mc.quantities,
  };
}

interface McEstimate {
  value: number;
  stdError: number;
  note?: string;
}

function mcKl(
  stats: KlChunkStats['forward'],
  outside: number,
  first: number | number[] | null,
  drawn: number,
  names: [string, string],
): McEstimate {
  const [a, b] = names;
  if (outside > 0) {
    const at = Array.isArray(first) ? `[${first.map(fmt).join(', ')}]` : fmt(first ?? Number.NaN);
    return {
      value: Number.POSITIVE_INFINITY,
      stdError: 0,
      note:
        `x = ${at}, drawn from ${a}, has ${b} density 0 (${outside} of ${drawn} draws): ` +
        `the support of ${a} is not inside that of ${b}, KL(${a} || ${b}) is infinite`,
    };
  }
  return { value: stats.mean, stdError: standardError(stats) };
}

/**
 * The endpoint's answer from a plan and its Monte Carlo chunk statistics (in chunk order, or
 * already folded). With no Monte Carlo in the plan, pass [] (or nothing).
 */
export function summarizeKlMonteCarlo(
  plan: KlPlan,
  chunks: readonly KlChunkStats[] | KlChunkStats = [],
): KlResult {
  const acc = Array.isArray(chunks) ? foldKlStats(chunks) : (chunks as KlChunkStats);
  const notes: string[] = [];
  const methods = {
    forward: plan.forward?.method ?? 'monte_carlo',
    reverse: plan.reverse?.method ?? 'monte_carlo',
    jensenShannon: plan.jensenShannon?.method ?? 'monte_carlo',
  } as KlResult['methods'];
  const stdErrors: Triple<number> = {};
  const cis: Triple<ConfidenceInterval> = {};
  const errorEstimates: Triple<number> = {};
  const values: Record<'forward' | 'reverse' | 'jensenShannon', number> = {
    forward: Number.NaN,
    reverse: Number.NaN,
    jensenShannon: Number.NaN,
  };
  for (const k of ['forward', 'reverse', 'jensenShannon'] as const) {
    const exact = plan[k];
    if (exact !== null) {
      values[k] = exact.value;
      if (exact.errorEstimate !== undefined) errorEstimates[k] = exact.errorEstimate;
      if (exact.note !== undefined) notes.push(exact.note);
      continue;
    }
    let est: McEstimate;
    if (k === 'forward') {
      est = mcKl(acc.forward, acc.pOutsideQ, acc.firstPOutsideQ, acc.draws, ['p', 'q']);
    } else if (k === 'reverse') {
      est = mcKl(acc.reverse, acc.qOutsideP, acc.firstQOutsideP, acc.draws, ['q', 'p']);
    } else {
      const a = standardError(acc.jsP);
      const b = standardError(acc.jsQ);
      est = { value: 0.5 * (acc.jsP.mean + acc.jsQ.mean), stdError: 0.5 * Math.sqrt(a * a + b * b) };
    }
    values[k] = est.value;
    if (est.note !== undefined) notes.push(est.note);
    if (Number.isFinite(est.value)) {
      stdErrors[k] = est.stdError;
      cis[k] = normalInterval(est.value, est.stdError, plan.confidence);
    }
  }
  notes.push(...plan.notes);
  if (acc.skipped > 0)
    notes.push(
      `${acc.skipped} draws had a log density that is not a finite number (an end of a support) and were left out`,
    );

  const result: KlResult = {
    forward: values.forward,
    reverse: values.reverse,
    jensenShannon: values.jensenShannon,
    method: methods.forward,
    methods,
    units: 'nats',
  };
  if (stdErrors.forward !== undefined) {
    result.stdError = stdErrors.forward;
    result.ci = cis.forward;
  }
  if (Object.keys(stdErrors).length > 0) {
    result.stdErrors = stdErrors;
    result.cis = cis;
  }
  if (Object.keys(errorEstimates).length > 0) result.errorEstimates = errorEstimates;

  // Entropy of p: exact where the family has it, else the Monte Carlo mean of -log p(x).
  let entropyP = plan.entropyP;
  if (entropyP === undefined && acc.negLogP.n > 1) {
    entropyP = acc.negLogP.mean;
    notes.push(`entropyP is a Monte Carlo estimate (standard error ${fmt(standardError(acc.negLogP))})`);
  }
  if (entropyP !== undefined) {
    result.entropyP = entropyP;
    if (!Number.isNaN(values.forward)) result.crossEntropy = entropyP + values.forward;
  }
  if (plan.mc !== undefined) {
    result.n = plan.mc.n;
    result.seed = plan.mc.seed;
  }
  if (notes.length > 0) result.note = notes.join('; ');
  return result;
}

/** The Monte Carlo quantity a job reports as its progress: forward if it is Monte Carlo, else the first that is. */
export function klProgress(
  plan: KlPlan,
  acc: KlChunkStats,
): { estimate: number; stdError: number; ci: ConfidenceInterval; quantity: string } {
  const r = summarizeKlMonteCarlo(plan, acc);
  const quantity = (['forward', 'reverse', 'jensenShannon'] as const).find(
    (k) => r.methods[k] === 'monte_carlo',
  );
  const k = quantity ?? 'forward';
  const estimate = r[k];
  const stdError = r.stdErrors?.[k] ?? 0;
  return { estimate, stdError, ci: normalInterval(estimate, stdError, plan.confidence), quantity: k };
}

/** The payload of the task 'kl.run': the request (defaults applied or not) and the chunk size. */
export interface KlRunPayload extends KlRequest {
  chunkSize?: number;
}

/** The whole computation on the calling thread: what POST /v1/kl answers. */
export function runKl(req: KlRunPayload): KlResult {
  const plan = planKl(req, { chunkSize: req.chunkSize });
  if (plan.mc === undefined) return summarizeKlMonteCarlo(plan);
  return summarizeKlMonteCarlo(plan, klChunks(klChunksPayload(plan)));
}
