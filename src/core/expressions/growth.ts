/**
 * How fast an expression f(x) grows as x -> +infinity and as x -> -infinity, read off its checked
 * tree without evaluating it at any x: for the analytic check that E[f(X)] does not exist under a
 * heavy-tailed distribution (f = x under a Cauchy), whatever the draws look like.
 *
 * Orders are |x|^power (log|x|)^logPower, compared lexicographically (x^2 > x log x > x > x / log x).
 * For each direction the analysis gives two sure bounds, valid for all large enough |x| in that
 * direction:
 *
 * - `lower`: |f(x)| >= c |x|^power (log|x|)^logPower for some c > 0. Absent when no such bound is known:
 *   f may vanish (x * (abs(x) < 10), x - x), oscillate through 0 (sin(x), x * sin(x)), decay
 *   (exp(-x) at +infinity), or is not understood. Only this bound is used to claim that a mean does
 *   not exist, so the analysis errs towards leaving it out: a missing claim is safe, a false one is not.
 * - `upper`: |f(x)| <= C |x|^power (log|x|)^logPower. power Infinity: faster than any power of x (exp)
 *   or not known; power -Infinity: decays faster than any power (exp(-x) at +infinity), or is 0.
 *
 * plus the eventual sign of f (1 or -1 when f > 0, or f < 0, for all large x; 0 when not known or it
 * changes) and, where f is eventually one constant (an indicator, sign(x), a comparison), that value.
 *
 * The rules: constants are themselves; x has order 1; a + b is dominated by the term whose lower bound
 * beats the other's upper bound (or adds up when both have one sign); a * b adds orders; a / b
 * subtracts b's; a^c multiplies the order by c; exp of something that grows like a power is faster
 * than any power (and decays faster than any when it goes to -infinity); log of a power grows like
 * log|x|; bounded functions (sin, cos, tanh, atan, erf, sigmoid, atan2, comparisons, && || !) have
 * upper order 0; comparisons and ternaries are decided where the sign of a - b is known eventually
 * (x > 1 is 1 at +infinity and 0 at -infinity; abs(x) < 10 ? x : 0 is 0 at both ends).
 */
import { type CallNode, mentionsVariable, type Node } from './ast.js';
import { compileAst } from './compiler.js';
import { IMPLEMENTATIONS } from './functions.js';

/** The order |x|^power (log|x|)^logPower. An infinite power has logPower 0. */
export interface Order {
  readonly power: number;
  readonly logPower: number;
}

/** What f does as x goes to one end (see the module comment). */
export interface TailGrowth {
  /** |f(x)| >= c |x|^power (log|x|)^logPower eventually; absent when no such bound is known. */
  readonly lower?: Order;
  /** |f(x)| <= C |x|^power (log|x|)^logPower eventually (power Infinity: faster than any power, or unknown). */
  readonly upper: Order;
  /** 1 or -1: f > 0 (f < 0) for all large x in this direction; 0: not known, or it changes sign. */
  readonly sign: -1 | 0 | 1;
  /** f is eventually exactly this constant (an indicator, a comparison, sign(x)). */
  readonly value?: number;
}

/** The growth of f at both ends. */
export interface Growth {
  /** As x -> +infinity. */
  readonly positive: TailGrowth;
  /** As x -> -infinity. */
  readonly negative: TailGrowth;
}

type Sign = -1 | 0 | 1;

/** The working form: `lower` is always present, power -Infinity standing for "none known". */
interface Tail {
  lower: Order;
  upper: Order;
  sign: Sign;
  value?: number;
}

const order = (power: number, logPower = 0): Order => ({
  power,
  logPower: Number.isFinite(power) ? logPower + 0 : 0,
});
/** As a lower bound: none known. As an upper bound: decays faster than any power (or is 0). */
const NONE = order(Number.NEGATIVE_INFINITY);
/** As an upper bound: faster than any power, or not known. As a lower bound: faster than any power. */
const HUGE = order(Number.POSITIVE_INFINITY);
/** Bounded (upper) or bounded away from 0 (lower). */
const ONE = order(0);
const LOG = order(0, 1);

const UNKNOWN: Tail = { lower: NONE, upper: HUGE, sign: 0 };
const BOUNDED: Tail = { lower: NONE, upper: ONE, sign: 0 };

/** Lexicographic comparison of orders: negative when a grows slower than b. */
export function compareOrders(a: Order, b: Order): number {
  if (a.power !== b.power) return a.power < b.power ? -1 : 1;
  return a.logPower - b.logPower;
}

const maxOrder = (a: Order, b: Order) => (compareOrders(a, b) >= 0 ? a : b);
const minOrder = (a: Order, b: Order) => (compareOrders(a, b) <= 0 ? a : b);
const isNone = (o: Order) => o.power === Number.NEGATIVE_INFINITY;
/** |f| goes to infinity: its lower bound is above the constants. */
const unbounded = (t: Tail) => compareOrders(t.lower, ONE) > 0;
/** |f| stays below a constant. */
const bounded = (t: Tail) => compareOrders(t.upper, ONE) <= 0;

/** The order of a product, as a lower bound: unknown as soon as one factor has none. */
function lowerProduct(a: Order, b: Order): Order {
  if (isNone(a) || isNone(b)) return NONE;
  if (a.power === Number.POSITIVE_INFINITY || b.power === Number.POSITIVE_INFINITY) return HUGE;
  return order(a.power + b.power, a.logPower + b.logPower);
}

/** The order of a product, as an upper bound: unknown (HUGE) as soon as one factor's is. */
function upperProduct(a: Order, b: Order): Order {
  if (a.power === Number.POSITIVE_INFINITY || b.power === Number.POSITIVE_INFINITY) return HUGE;
  if (isNone(a) || isNone(b)) return NONE;
  return order(a.power + b.power, a.logPower + b.logPower);
}

/** The order of |f|^c for a finite c != 0 (for c < 0 a lower bound becomes an upper one and back). */
function scaleOrder(o: Order, c: number): Order {
  return order(o.power * c, o.logPower * c);
}

function signOf(v: number): Sign {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function constant(v: number): Tail {
  if (Number.isNaN(v) || !Number.isFinite(v)) return UNKNOWN;
  if (v === 0) return { lower: NONE, upper: NONE, sign: 0, value: 0 };
  return { lower: ONE, upper: ONE, sign: signOf(v), value: v };
}

function negate(t: Tail): Tail {
  const out: Tail = { lower: t.lower, upper: t.upper, sign: -t.sign as Sign };
  if (t.value !== undefined) out.value = -t.value;
  return out;
}

/** Whether f is eventually nonzero (true), eventually 0 (false), or not known. */
function truth(t: Tail): boolean | undefined {
  if (t.value !== undefined) return Number.isNaN(t.value) ? undefined : t.value !== 0;
  if (t.sign !== 0 || !isNone(t.lower)) return true;
  return undefined;
}

const fromTruth = (b: boolean | undefined): Tail => (b === undefined ? BOUNDED : constant(b ? 1 : 0));

function add(a: Tail, b: Tail): Tail {
  if (a.value !== undefined && b.value !== undefined) return constant(a.value + b.value);
  if (a.value === 0) return b;
  if (b.value === 0) return a;
  const upper = maxOrder(a.upper, b.upper);
  // One term outgrows every bound on the other: it decides the order and the sign.
  if (compareOrders(a.lower, b.upper) > 0) return { lower: a.lower, upper, sign: a.sign };
  if (compareOrders(b.lower, a.upper) > 0) return { lower: b.lower, upper, sign: b.sign };
  // Two terms of one sign: |a + b| >= max(|a|, |b|).
  if (a.sign !== 0 && a.sign === b.sign) return { lower: maxOrder(a.lower, b.lower), upper, sign: a.sign };
  // They may cancel (x - x): nothing sure below.
  return { lower: NONE, upper, sign: 0 };
}

function multiply(a: Tail, b: Tail): Tail {
  if (a.value === 0 || b.value === 0) return constant(0);
  if (a.value !== undefined && b.value !== undefined) return constant(a.value * b.value);
  return {
    lower: lowerProduct(a.lower, b.lower),
    upper: upperProduct(a.upper, b.upper),
    sign: (a.sign * b.sign) as Sign,
  };
}

function divide(a: Tail, b: Tail): Tail {
  if (b.value === 0) return UNKNOWN;
  if (a.value !== undefined && b.value !== undefined) return constant(a.value / b.value);
  if (a.value === 0) return constant(0);
  return {
    // |a / b| >= |a|_lower / |b|_upper and <= |a|_upper / |b|_lower (unbounded when b may vanish).
    lower: lowerProduct(a.lower, scaleOrder(b.upper, -1)),
    upper: upperProduct(a.upper, scaleOrder(b.lower, -1)),
    sign: (a.sign * b.sign) as Sign,
  };
}

/** a^c for a constant c. */
function powerConst(a: Tail, c: number): Tail {
  if (!Number.isFinite(c)) return UNKNOWN;
  if (c === 0) return constant(1);
  if (a.value !== undefined) return constant(a.value ** c);
  const integer = Number.isInteger(c);
  // A negative base to a fractional power is NaN: nothing to claim.
  if (!integer && a.sign !== 1) return UNKNOWN;
  let sign: Sign;
  if (a.sign === 1) sign = 1;
  else if (c % 2 === 0) sign = a.sign !== 0 || !isNone(a.lower) ? 1 : 0;
  else sign = a.sign;
  return c > 0
    ? { lower: scaleOrder(a.lower, c), upper: scaleOrder(a.upper, c), sign }
    : { lower: scaleOrder(a.upper, c), upper: scaleOrder(a.lower, c), sign };
}

function expOf(g: Tail): Tail {
  if (g.value !== undefined) return constant(Math.exp(g.value));
  if (bounded(g)) return { lower: ONE, upper: ONE, sign: 1 };
  const powerLike = g.lower.power > 0;
  if (g.sign === 1)
    return powerLike ? { lower: HUGE, upper: HUGE, sign: 1 } : { lower: ONE, upper: HUGE, sign: 1 };
  if (g.sign === -1)
    return powerLike ? { lower: NONE, upper: NONE, sign: 1 } : { lower: NONE, upper: ONE, sign: 1 };
  return { lower: NONE, upper: HUGE, sign: 1 };
}

/** The natural log (log2, log10 differ by a constant factor, which changes no order). */
function logOf(a: Tail): Tail {
  if (a.value !== undefined) return constant(Math.log(a.value));
  if (a.sign !== 1) return UNKNOWN; // log of a negative number is NaN
  const upperKnown = a.upper.power < Number.POSITIVE_INFINITY;
  const lowerKnown = !isNone(a.lower);
  if (unbounded(a)) {
    // a -> +infinity: log a >= c log|x| when a grows like a power, >= c at least; <= C log|x| below a power.
    return { lower: a.lower.power > 0 ? LOG : ONE, upper: upperKnown ? LOG : HUGE, sign: 1 };
  }
  if (compareOrders(a.upper, ONE) < 0) {
    // a -> 0+: log a -> -infinity.
    return { lower: a.upper.power < 0 ? LOG : ONE, upper: lowerKnown ? LOG : HUGE, sign: -1 };
  }
  if (bounded(a) && compareOrders(a.lower, ONE) >= 0) return BOUNDED;
  return { lower: NONE, upper: upperKnown && lowerKnown ? LOG : HUGE, sign: 0 };
}

/** Odd, bounded, increasing maps that vanish only at 0: tanh, atan, erf. */
function squash(a: Tail, fn: (v: number) => number): Tail {
  if (a.value !== undefined) return constant(fn(a.value));
  return { lower: compareOrders(a.lower, ONE) >= 0 ? ONE : NONE, upper: ONE, sign: a.sign };
}

function maxOf(a: Tail, b: Tail): Tail {
  if (a.value !== undefined && b.value !== undefined) return constant(Math.max(a.value, b.value));
  // One side outgrows the other: the larger is the positive one, or else the other.
  if (a.sign !== 0 && compareOrders(a.lower, b.upper) > 0) return a.sign > 0 ? a : b;
  if (b.sign !== 0 && compareOrders(b.lower, a.upper) > 0) return b.sign > 0 ? b : a;
  const upper = maxOrder(a.upper, b.upper);
  if (a.sign === 1 && b.sign === 1) return { lower: maxOrder(a.lower, b.lower), upper, sign: 1 };
  if (a.sign === 1) return { lower: a.lower, upper, sign: 1 };
  if (b.sign === 1) return { lower: b.lower, upper, sign: 1 };
  if (a.sign === -1 && b.sign === -1)
    return { lower: minOrder(a.lower, b.lower), upper: minOrder(a.upper, b.upper), sign: -1 };
  return { lower: NONE, upper, sign: 0 };
}

const minOf = (a: Tail, b: Tail): Tail => negate(maxOf(negate(a), negate(b)));

/** The value of a comparison of two constants, with the language's NaN rule. */
function compareValues(op: string, a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  switch (op) {
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    default:
      return a !== b ? 1 : 0;
  }
}

function comparison(op: string, a: Tail, b: Tail): Tail {
  const d = add(a, negate(b));
  if (d.value !== undefined) return constant(compareValues(op, d.value, 0));
  if (d.sign === 0) return BOUNDED;
  return constant(compareValues(op, d.sign, 0));
}

/** The value of an x-free subtree, by the compiler itself (so with the language's exact semantics). */
function evaluateConstant(node: Node): number {
  if (node.type === 'number' || node.type === 'constant') return node.value;
  return compileAst(node, '(constant)', 1).evaluate(0);
}

class Analyzer {
  /** dir: 1 for x -> +infinity, -1 for x -> -infinity. */
  constructor(private readonly dir: 1 | -1) {}

  tail(node: Node): Tail {
    if (!mentionsVariable(node)) return constant(evaluateConstant(node));
    switch (node.type) {
      case 'number':
      case 'constant':
        return constant(node.value);
      case 'variable':
        // x[i] of a multivariate distribution: "x -> infinity" has no single meaning there.
        return node.index === null ? { lower: order(1), upper: order(1), sign: this.dir } : UNKNOWN;
      case 'unary': {
        const t = this.tail(node.operand);
        if (node.op === '-') return negate(t);
        if (node.op === '+') return t;
        const b = truth(t);
        return fromTruth(b === undefined ? undefined : !b);
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right);
      case 'conditional': {
        const test = truth(this.tail(node.test));
        if (test === true) return this.tail(node.consequent);
        if (test === false) return this.tail(node.alternate);
        const a = this.tail(node.consequent);
        const b = this.tail(node.alternate);
        const out: Tail = {
          lower: minOrder(a.lower, b.lower),
          upper: maxOrder(a.upper, b.upper),
          sign: a.sign === b.sign ? a.sign : 0,
        };
        if (a.value !== undefined && a.value === b.value) out.value = a.value;
        return out;
      }
      case 'call':
        return this.call(node);
    }
  }

  private binary(op: string, left: Node, right: Node): Tail {
    if (op === '^') return this.power(left, right);
    const a = this.tail(left);
    if (op === '&&' || op === '||') {
      const ta = truth(a);
      const decided = op === '&&' ? ta === false : ta === true;
      if (decided) return constant(op === '&&' ? 0 : 1);
      const tb = truth(this.tail(right));
      if (ta !== undefined) return fromTruth(tb);
      // a not known: a && b is 0 when b is; a || b is 1 when b is.
      if (op === '&&' && tb === false) return constant(0);
      if (op === '||' && tb === true) return constant(1);
      return BOUNDED;
    }
    const b = this.tail(right);
    switch (op) {
      case '+':
        return add(a, b);
      case '-':
        return add(a, negate(b));
      case '*':
        return multiply(a, b);
      case '/':
        return divide(a, b);
      default:
        return comparison(op, a, b);
    }
  }

  /** a^b (and pow(a, b)). */
  private power(base: Node, exponent: Node): Tail {
    const a = this.tail(base);
    const b = this.tail(exponent);
    if (b.value !== undefined) return powerConst(a, b.value);
    // A non-constant exponent: a^b = exp(b log a) where a > 0 (x^x, 2^x); else nothing to claim.
    if (a.value !== undefined) {
      if (!(a.value > 0)) return UNKNOWN;
      return expOf(multiply(b, constant(Math.log(a.value))));
    }
    if (a.sign !== 1) return UNKNOWN;
    return expOf(multiply(b, logOf(a)));
  }

  private call(node: CallNode): Tail {
    const args = node.args.map((arg) => this.tail(arg));
    const a = args[0]!;
    const fn = IMPLEMENTATIONS[node.name];
    if (args.every((t) => t.value !== undefined)) return constant(fn(...args.map((t) => t.value!)));
    switch (node.name) {
      case 'abs':
        return {
          lower: a.lower,
          upper: a.upper,
          sign: a.sign !== 0 || !isNone(a.lower) ? 1 : 0,
        };
      case 'sign':
        return a.sign !== 0 ? constant(a.sign) : BOUNDED;
      case 'sqrt':
        return powerConst(a, 0.5);
      case 'cbrt':
        // Defined for negative arguments too: the sign is kept.
        return { lower: scaleOrder(a.lower, 1 / 3), upper: scaleOrder(a.upper, 1 / 3), sign: a.sign };
      case 'floor':
      case 'ceil':
      case 'round':
        if (unbounded(a)) return a;
        return bounded(a) ? BOUNDED : { lower: NONE, upper: maxOrder(a.upper, ONE), sign: 0 };
      case 'exp':
        return expOf(a);
      case 'expm1':
        return add(expOf(a), constant(-1));
      case 'sinh':
        return add(expOf(a), negate(expOf(negate(a))));
      case 'cosh':
        return add(expOf(a), expOf(negate(a)));
      case 'log':
      case 'log2':
      case 'log10':
        return logOf(a);
      case 'log1p':
        return logOf(add(a, constant(1)));
      case 'softplus':
        if (a.sign === 1 && unbounded(a)) return { lower: a.lower, upper: a.upper, sign: 1 };
        if (a.sign === -1 && a.lower.power > 0) return { lower: NONE, upper: NONE, sign: 1 };
        if (a.sign === -1) return { lower: NONE, upper: ONE, sign: 1 };
        if (bounded(a)) return { lower: ONE, upper: ONE, sign: 1 };
        return { lower: NONE, upper: maxOrder(a.upper, ONE), sign: 1 };
      case 'sigmoid':
        // In (0, 1); above 1/2 where a > 0, bounded away from 0 where a is bounded.
        return { lower: a.sign === 1 || bounded(a) ? ONE : NONE, upper: ONE, sign: 1 };
      case 'tanh':
      case 'atan':
      case 'erf':
        return squash(a, fn);
      case 'sin':
      case 'cos':
      case 'atan2':
        return BOUNDED;
      case 'asin':
      case 'acos':
        // NaN outside [-1, 1].
        return bounded(a) ? BOUNDED : UNKNOWN;
      case 'lgamma':
        // log Gamma(a) ~ a log a as a -> +infinity; poles and sign changes below 0.
        if (a.sign === 1 && a.lower.power > 0)
          return {
            lower: lowerProduct(a.lower, LOG),
            upper: upperProduct(a.upper, LOG),
            sign: 1,
          };
        return UNKNOWN;
      case 'pow':
        return this.power(node.args[0]!, node.args[1]!);
      case 'hypot': {
        const b = args[1]!;
        const lower = maxOrder(a.lower, b.lower);
        return { lower, upper: maxOrder(a.upper, b.upper), sign: isNone(lower) ? 0 : 1 };
      }
      case 'min':
        return args.slice(1).reduce(minOf, a);
      case 'max':
        return args.slice(1).reduce(maxOf, a);
      case 'tan':
        return UNKNOWN;
    }
  }
}

function publicTail(t: Tail): TailGrowth {
  const out: { -readonly [K in keyof TailGrowth]: TailGrowth[K] } = { upper: t.upper, sign: t.sign };
  if (!isNone(t.lower)) out.lower = t.lower;
  if (t.value !== undefined) out.value = t.value;
  return out;
}

/** The growth of a checked tree (normally CompiledExpression.ast) at both ends. */
export function analyzeGrowth(node: Node): Growth {
  return {
    positive: publicTail(new Analyzer(1).tail(node)),
    negative: publicTail(new Analyzer(-1).tail(node)),
  };
}

/**
 * The growth order of f: the larger of its sure lower bounds at the two ends, so that
 * |f(x)| >= c |x|^power (log|x|)^logPower for all large x at that end. undefined when no such bound
 * is known at either end (f bounded and possibly 0 there, oscillating, decaying, or not understood).
 * x -> {1, 0}; x^2 + sin(x) -> {2, 0}; x log(x) -> {1, 1}; exp(x) -> {Infinity, 0}; 3 -> {0, 0};
 * sin(x), x - x, 0 -> undefined.
 */
export function growthOrder(node: Node): Order | undefined {
  const { positive, negative } = analyzeGrowth(node);
  if (positive.lower === undefined) return negative.lower;
  if (negative.lower === undefined) return positive.lower;
  return maxOrder(positive.lower, negative.lower);
}

/** "|x|^2", "|x| log|x|", "faster than any power of |x|". */
export function describeOrder(o: Order): string {
  if (o.power === Number.POSITIVE_INFINITY) return 'faster than any power of |x|';
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  const power = `|x|^${fmt(o.power)}`;
  if (o.logPower === 0) return power;
  return o.logPower === 1 ? `${power} log|x|` : `${power} (log|x|)^${fmt(o.logPower)}`;
}
