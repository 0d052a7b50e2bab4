import erf from '@stdlib/math-base-special-erf';
import gammaln from '@stdlib/math-base-special-gammaln';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
  FUNCTIONS,
} from '../../../src/core/expressions/index.js';

const FUNCTION_NAMES = [...FUNCTIONS.keys()];
const FN = FUNCTION_NAMES.join('|');

/**
 * The alphabet generated code may use, written independently of the compiler: numbers as JS prints
 * them, x or x[literal], the temporaries, NaN, the functions bound from M, a few keywords, operators.
 * No quotes, no `.` other than in `M.name` and numbers, no other names, no bare brackets.
 */
const ALLOWED_TOKEN = new RegExp(
  String.raw`\s+|\d+(?:\.\d+)?(?:e[+-]\d+)?|x\[\d+\]|M\.(?:${FN})\b|m_(?:${FN})\b|t\d+\b|(?:x|NaN|const|let|return)\b|=>|===|!==|<=|>=|\*\*|\|\||[-+*/<>?:(),;={}]`,
  'y',
);

function assertWhitelisted(code: string): void {
  ALLOWED_TOKEN.lastIndex = 0;
  while (ALLOWED_TOKEN.lastIndex < code.length) {
    const at = ALLOWED_TOKEN.lastIndex;
    if (ALLOWED_TOKEN.exec(code) === null)
      throw new Error(`generated code has a stray token at ${at}: ${code}`);
  }
}

/** Compile; only an ExpressionError may come out. On success, check the code and that f returns numbers. */
function tryCompile(source: string, dim: number): CompiledExpression | undefined {
  let compiled: CompiledExpression;
  try {
    compiled = compileExpression(source, { dim });
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    expect(err.column).toBeGreaterThanOrEqual(1);
    expect(err.detail).toContain(`at column ${err.column}`);
    return undefined;
  }
  assertWhitelisted(compiled.code);
  for (const x of [0, 1.5, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
    const v = dim === 1 ? compiled.evaluate(x) : compiled.evaluateVector(new Float64Array(dim).fill(x));
    expect(typeof v).toBe('number');
  }
  return compiled;
}

const TOKENS = [
  ...['0', '1', '2', '2.5', '.5', '1e3', '2.5e-3', '1E3', '1e999', '1.', '1e', '007', '-1'],
  ...['x', 'x[0]', 'x[1]', 'x[2]', 'x[-1]', 'x[0.5]', 'pi', 'e', ...FUNCTION_NAMES],
  ...[
    'constructor',
    '__proto__',
    'prototype',
    'process',
    'globalThis',
    'this',
    'Function',
    'eval',
    'y',
    'NaN',
  ],
  ...['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||', '!', '?', ':'],
  ...['(', '(', ')', ')', '[', ']', ',', '.', ';', '=', '=>', '"', "'", '`', '{', '}', '\\', '$', '**', '%'],
  ...['х', '−', '\u00a0', '\u0000', '𝑥', '\ud800'],
];

describe('fuzz: anything in, only ExpressionError out', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: 'binary-ascii', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom(...'x[]().,+-*/^<>=!&|?:;01e pisn'), maxLength: 40 }),
        ),
        fc.constantFrom(1, 2, 3),
        (source, dim) => {
          tryCompile(source, dim);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sequences of tokens and names, allowed and forbidden', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }),
        fc.constantFrom('', ' '),
        fc.constantFrom(1, 2, 3),
        (tokens, sep, dim) => {
          tryCompile(tokens.join(sep), dim);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('long and deep inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('(', '-', '!', 'sin(', 'min(1,', '2^', 'x+', '1?', 'x', ')'), {
          minLength: 50,
          maxLength: 600,
        }),
        (parts) => {
          tryCompile(parts.join(''), 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A random tree printed with every composite node in parentheses, with its own reference semantics. */
type Tree =
  | { k: 'num'; v: number }
  | { k: 'x' }
  | { k: 'const'; name: 'pi' | 'e' }
  | { k: 'unary'; op: '-' | '+' | '!'; a: Tree }
  | { k: 'bin'; op: string; a: Tree; b: Tree }
  | { k: 'cond'; c: Tree; a: Tree; b: Tree }
  | { k: 'call'; fn: string; args: Tree[] };

const UNARY_FNS = FUNCTION_NAMES.filter((n) => FUNCTIONS.get(n)!.maxArgs === 1);
const BINARY_FNS = ['atan2', 'pow', 'hypot'];
const VARIADIC_FNS = ['min', 'max'];
const BIN_OPS = ['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||'];

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    fc.oneof(
      fc.record({
        k: fc.constant('num' as const),
        v: fc.constantFrom(0, 1, 2, 0.5, 3, 10, 1e-300, 1e300, 5e-324),
      }),
      fc.record({ k: fc.constant('num' as const), v: fc.double({ min: 0, max: 1e6, noNaN: true }) }),
      fc.record({ k: fc.constant('x' as const) }),
      fc.record({ k: fc.constant('const' as const), name: fc.constantFrom('pi' as const, 'e' as const) }),
    ),
    fc.record({
      k: fc.constant('unary' as const),
      op: fc.constantFrom('-' as const, '+' as const, '!' as const),
      a: tie('tree'),
    }),
    fc.record({
      k: fc.constant('bin' as const),
      op: fc.constantFrom(...BIN_OPS),
      a: tie('tree'),
      b: tie('tree'),
    }),
    fc.record({ k: fc.constant('cond' as const), c: tie('tree'), a: tie('tree'), b: tie('tree') }),
    fc.record({
      k: fc.constant('call' as const),
      fn: fc.constantFrom(...UNARY_FNS),
      args: fc.tuple(tie('tree')),
    }),
    fc.record({
      k: fc.constant('call' as const),
      fn: fc.constantFrom(...BINARY_FNS),
      args: fc.tuple(tie('tree'), tie('tree')),
    }),
    fc.record({
      k: fc.constant('call' as const),
      fn: fc.constantFrom(...VARIADIC_FNS),
      args: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
    }),
  ) as fc.Arbitrary<Tree>,
}));

function print(t: Tree): string {
  switch (t.k) {
    case 'num':
      return String(t.v);
    case 'x':
      return 'x';
    case 'const':
      return t.name;
    case 'unary':
      return `(${t.op}${print(t.a)})`;
    case 'bin':
      return `(${print(t.a)} ${t.op} ${print(t.b)})`;
    case 'cond':
      return `(${print(t.c)} ? ${print(t.a)} : ${print(t.b)})`;
    case 'call':
      return `${t.fn}(${t.args.map(print).join(', ')})`;
  }
}

/**
 * Depth as the parser counts it: each pair of parentheses a level, each node a level, except that a
 * binary node adds a level only above its right operand (chains of links do not nest).
 */
function depth(t: Tree): number {
  switch (t.k) {
    case 'num':
    case 'x':
    case 'const':
      return 1;
    case 'unary':
      return 2 + depth(t.a);
    case 'bin':
      return 1 + Math.max(depth(t.a), 1 + depth(t.b));
    case 'cond':
      return 2 + Math.max(depth(t.c), depth(t.a), depth(t.b));
    case 'call':
      return 1 + Math.max(...t.args.map(depth));
  }
}

const truth = (v: number): number => (Number.isNaN(v) ? Number.NaN : v !== 0 ? 1 : 0);
const compare = (a: number, b: number, r: boolean): number =>
  Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : r ? 1 : 0;

const REFERENCE: Record<string, (...a: number[]) => number> = {
  sigmoid: (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))),
  softplus: (v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))),
  lgamma: (v) => gammaln(v),
  erf: (v) => erf(v),
};

/** The documented semantics, written independently of the generated code. */
function reference(t: Tree, x: number): number {
  switch (t.k) {
    case 'num':
      return t.v;
    case 'x':
      return x;
    case 'const':
      return t.name === 'pi' ? Math.PI : Math.E;
    case 'unary': {
      const a = reference(t.a, x);
      return t.op === '-' ? -a : t.op === '+' ? a : Number.isNaN(a) ? Number.NaN : a === 0 ? 1 : 0;
    }
    case 'cond': {
      const c = reference(t.c, x);
      return Number.isNaN(c) ? Number.NaN : c !== 0 ? reference(t.a, x) : reference(t.b, x);
    }
    case 'call': {
      const args = t.args.map((a) => reference(a, x));
      const f = REFERENCE[t.fn] ?? (Math[t.fn as keyof Math] as (...a: number[]) => number);
      return f(...args);
    }
    case 'bin': {
      const a = reference(t.a, x);
      if (t.op === '&&') return Number.isNaN(a) ? Number.NaN : a === 0 ? 0 : truth(reference(t.b, x));
      if (t.op === '||') return Number.isNaN(a) ? Number.NaN : a !== 0 ? 1 : truth(reference(t.b, x));
      const b = reference(t.b, x);
      switch (t.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return a ** b;
        case '<':
          return compare(a, b, a < b);
        case '<=':
          return compare(a, b, a <= b);
        case '>':
          return compare(a, b, a > b);
        case '>=':
          return compare(a, b, a >= b);
        case '==':
          return compare(a, b, a === b);
        default:
          return compare(a, b, a !== b);
      }
    }
  }
}

const sameNumber = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('fuzz: generated expressions against a reference interpreter', () => {
  it('compiles every well-formed expression and agrees with the reference', () => {
    fc.assert(
      fc.property(
        tree,
        fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 0.5, 2, Number.NaN, Number.POSITIVE_INFINITY)),
        (t, x) => {
          const source = print(t);
          const compiled = tryCompile(source, 1);
          if (source.length > 1000 || depth(t) > 64) {
            expect(compiled).toBeUndefined();
            return;
          }
          expect(compiled, source).toBeDefined();
          const got = compiled!.evaluate(x);
          const want = reference(t, x);
          if (!sameNumber(got, want)) throw new Error(`${source} at x = ${x}: got ${got}, want ${want}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('accepts exactly the nestings of depth <= 64', () => {
    const WRAPPERS: [string, string, number][] = [
      ['(', ')', 1],
      ['sin(', ')', 1],
      ['min(1, ', ')', 1],
      ['-(', ')', 2],
      ['x + (', ')', 2],
      ['2^(', ')', 2],
      ['1 ? (', ') : 0', 2],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WRAPPERS), { minLength: 20, maxLength: 80 }), (wrappers) => {
        let source = 'x';
        let d = 1;
        for (const [open, close, levels] of wrappers) {
          source = `${open}${source}${close}`;
          d += levels;
        }
        const compiled = tryCompile(source, 1);
        if (source.length > 1000) expect(compiled).toBeUndefined();
        else expect(compiled !== undefined, `${source} has depth ${d}`).toBe(d <= 64);
      }),
      { numRuns: 500 },
    );
  });

  it('survives one-character edits of well-formed expressions', () => {
    fc.assert(
      fc.property(
        tree,
        fc.nat(),
        fc.constantFrom(...'()[],.;=+-*/^!?:<>&|"x0e \u00a0х'),
        fc.constantFrom('insert', 'delete', 'replace'),
        (t, at, ch, edit) => {
          const s = print(t);
          const i = at % (s.length + 1);
          const mutated =
            edit === 'insert'
              ? s.slice(0, i) + ch + s.slice(i)
              : edit === 'delete'
                ? s.slice(0, i) + s.slice(i + 1)
                : s.slice(0, i) + ch + s.slice(i + 1);
          tryCompile(mutated, 1);
          tryCompile(mutated, 2);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
