/**
 * Turns a checked tree into a JavaScript function. The generated text is built only from pieces
 * this module owns: numbers printed by `String(value)`, `x` / `x[i]` with an integer i checked
 * against the dimension, `m_<name>(` for names found in the whitelist (bound once as
 * `const m_sin = M.sin` from the frozen table M), operators, and temporaries `t0, t1, ...`.
 * Client text never reaches `new Function`, and before compiling, the generated text is scanned
 * once more against that alphabet (checkGeneratedCode).
 */
import { type BinaryNode, FUNCTIONS, type FunctionName, mentionsVariable, type Node } from './ast.js';
import { IMPLEMENTATIONS } from './functions.js';
import { checkDim, parseExpression } from './parser.js';

export interface CompileOptions {
  /** undefined or 1: a scalar `x`; d > 1: `x[0]` .. `x[d-1]`. */
  dim?: number;
  /** Path used in errors (default 'f'). */
  field?: string;
}

export interface CompiledExpression {
  readonly source: string;
  readonly dim: number;
  /** f(x) for a scalar expression (dim 1). Throws a plain Error when dim > 1 (a programming error). */
  readonly evaluate: (x: number) => number;
  /** f(x) for a vector x of length >= dim (for dim 1, x[0] is used). */
  readonly evaluateVector: (x: ArrayLike<number>) => number;
  readonly ast: Node;
  /** Does the expression mention x at all (a constant f needs no samples)? */
  readonly usesX: boolean;
  /**
   * The generated JavaScript, the body of `new Function('M', code)` with M the frozen table of
   * implementations: `const m_sin = M.sin; return (x) => ((x ** 2) + m_sin(x));`. For debugging and
   * the whitelist check in the tests.
   */
  readonly code: string;
}

/** Parse, check and compile a client's expression. Throws ExpressionError for any bad source. */
export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  const dim = checkDim(options.dim);
  const ast = parseExpression(source, { dim, field: options.field });
  return compileAst(ast, source, dim);
}

/** Compile a tree (normally from parseExpression; a hand-built tree is checked again here). */
export function compileAst(ast: Node, source: string, dim: number): CompiledExpression {
  checkDim(dim);
  const gen = new Generator(dim, dim === 1 ? () => 'x' : (i) => `x[${i}]`);
  const body = gen.expression(ast);
  const arrow = gen.temps === 0 ? `(x) => ${body}` : `(x) => { ${gen.declarations()}return ${body}; }`;
  const code = `${gen.prologue()}return ${arrow};`;
  const fn = build(code) as (x: unknown) => number;
  let evaluate: (x: number) => number;
  let evaluateVector: (x: ArrayLike<number>) => number;
  if (dim === 1) {
    evaluate = fn as (x: number) => number;
    evaluateVector = (x) => evaluate(x[0] as number);
  } else {
    evaluate = () => {
      throw new Error(`expression '${source}' is ${dim}-dimensional: call evaluateVector`);
    };
    evaluateVector = fn as (x: ArrayLike<number>) => number;
  }
  return Object.freeze({ source, dim, evaluate, evaluateVector, ast, usesX: mentionsVariable(ast), code });
}

export type BatchFunction = (xs: ArrayLike<number>, out: Float64Array, n: number) => number;
const batchCache = new WeakMap<CompiledExpression, BatchFunction>();

/**
 * out[i] = f(row i of xs) for i < out.length, with the loop and the expression compiled together.
 * For dim d, xs holds the rows one after another (row i is xs[i*d] .. xs[i*d + d - 1]). A plain
 * function is applied to xs[i]. Returns how many results are NaN or +-Infinity, so a caller can
 * report them rather than return a silent NaN.
 */
export function evaluateBatch(
  fn: CompiledExpression | ((x: number) => number),
  xs: ArrayLike<number>,
  out: Float64Array,
): number {
  const dim = typeof fn === 'function' ? 1 : fn.dim;
  if (xs.length < out.length * dim) {
    throw new RangeError(
      `evaluateBatch: ${out.length} rows of dimension ${dim} need ${out.length * dim} inputs`,
    );
  }
  if (typeof fn === 'function') {
    let bad = 0;
    for (let i = 0; i < out.length; i++) {
      const v = fn(xs[i] as number);
      out[i] = v;
      if (v - v !== 0) bad++;
    }
    return bad;
  }
  let batch = batchCache.get(fn);
  if (batch === undefined) {
    batch = compileBatch(fn.ast, fn.dim);
    batchCache.set(fn, batch);
  }
  return batch(xs, out, out.length);
}

function compileBatch(ast: Node, dim: number): BatchFunction {
  const gen = new Generator(dim, dim === 1 ? () => 'x' : (i) => `xs[o + ${i}]`);
  const body = gen.expression(ast);
  const row = dim === 1 ? 'const x = xs[i]; ' : `const o = i * ${dim}; `;
  const code =
    `${gen.prologue()}return (xs, out, n) => { let bad = 0; for (let i = 0; i < n; i++) { ` +
    `${row}${gen.declarations()}const v = ${body}; out[i] = v; if (v - v !== 0) bad++; } return bad; };`;
  return build(code) as BatchFunction;
}

/** The alphabet of generated code: anything else means a bug in the generator, and nothing is compiled. */
const CODE_TOKEN =
  /\s+|[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|M\.[a-z][a-z0-9]*|[A-Za-z_][A-Za-z0-9_]*|=>|===|!==|<=|>=|\*\*|\+\+|\|\||[-+*/<>?:()[\]{};,=]/y;
const CODE_WORDS = new Set([
  'x',
  'xs',
  'out',
  'n',
  'i',
  'o',
  'v',
  'bad',
  'NaN',
  'let',
  'const',
  'return',
  'for',
  'if',
]);

/** Throws (a plain Error: this is our bug, never the client's) unless `code` uses only the alphabet. */
export function checkGeneratedCode(code: string): void {
  CODE_TOKEN.lastIndex = 0;
  while (CODE_TOKEN.lastIndex < code.length) {
    const at = CODE_TOKEN.lastIndex;
    const m = CODE_TOKEN.exec(code);
    if (m === null) throw new Error(`generated expression code has a stray character at ${at}`);
    const word = m[0];
    if (/^[A-Za-z_]/.test(word)) {
      const ok =
        word.startsWith('M.') || word.startsWith('m_')
          ? Object.hasOwn(IMPLEMENTATIONS, word.slice(2)) && FUNCTIONS.has(word.slice(2))
          : CODE_WORDS.has(word) || /^t[0-9]+$/.test(word);
      if (!ok) throw new Error(`generated expression code has a name outside the whitelist: ${word}`);
    }
  }
}

/** Compile a generated function body `const m_sin = M.sin; return (x) => ...;` with M the frozen table. */
function build(code: string): unknown {
  checkGeneratedCode(code);
  // The only use of code generation: `code` was built from the checked tree and passed the scan above.
  const fn: unknown = new Function('M', `'use strict'; ${code}`)(IMPLEMENTATIONS);
  if (typeof fn !== 'function') throw new Error('generated expression code did not produce a function');
  return fn;
}

/** A finite number as JS prints it; negatives (and -0) in parentheses. */
function literal(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`bad literal in expression tree: ${value}`);
  if (Object.is(value, -0)) return '(-0)';
  return value < 0 ? `(${String(value)})` : String(value);
}

const isSimple = (node: Node): boolean =>
  node.type === 'number' ||
  node.type === 'constant' ||
  node.type === 'variable' ||
  (node.type === 'unary' && node.op === '+' && isSimple(node.operand));

/** The comparison that is true exactly when `a op b` is false and neither side is NaN. */
const COMPLEMENT: ReadonlyMap<string, string> = new Map([
  ['<', '>='],
  ['<=', '>'],
  ['>', '<='],
  ['>=', '<'],
]);

class Generator {
  temps = 0;
  /** Functions called, bound once outside the generated function (a local call inlines well). */
  private readonly used = new Set<FunctionName>();

  constructor(
    private readonly dim: number,
    private readonly variableText: (index: number) => string,
  ) {}

  prologue(): string {
    if (this.used.size === 0) return '';
    return `const ${[...this.used].map((name) => `m_${name} = M.${name}`).join(', ')}; `;
  }

  declarations(): string {
    if (this.temps === 0) return '';
    return `let ${Array.from({ length: this.temps }, (_, i) => `t${i} = 0`).join(', ')}; `;
  }

  /**
   * A value used twice: [code that computes it first, code that reads it again]. Numbers and the
   * variable are read twice as they are; anything else goes through a fresh temporary.
   */
  private twice(node: Node): [string, string] {
    const code = this.expression(node);
    if (isSimple(node)) return [code, code];
    const t = `t${this.temps++}`;
    return [`(${t} = ${code})`, t];
  }

  /**
   * Code for `test ? yes : no` under the language's truth rules: nonzero is true, 0 is false, and a
   * NaN test gives NaN. Each of `yes` and `no` appears once in the result. Comparisons and `!` branch
   * directly on the JS comparison instead of first making a 1/0.
   */
  private branch(test: Node, yes: string, no: string): string {
    if (test.type === 'unary' && test.op === '!') return this.branch(test.operand, no, yes);
    if (test.type === 'binary') {
      const complement = COMPLEMENT.get(test.op);
      if (complement !== undefined) {
        const [a, ra] = this.twice(test.left);
        const [b, rb] = this.twice(test.right);
        return `(${a} ${test.op} ${b} ? ${yes} : ${ra} ${complement} ${rb} ? ${no} : NaN)`;
      }
      if (test.op === '==' || test.op === '!=') {
        const [a, ra] = this.twice(test.left);
        const [b, rb] = this.twice(test.right);
        const [eq, ne] = test.op === '==' ? [yes, no] : [no, yes];
        return `(${a} === ${b} ? ${eq} : ${ra} !== ${ra} || ${rb} !== ${rb} ? NaN : ${ne})`;
      }
    }
    const [c, rc] = this.twice(test);
    return `(${c} === 0 ? ${no} : ${rc} === ${rc} ? ${yes} : NaN)`;
  }

  /** Truthiness as 1 / 0, NaN staying NaN. */
  private truth(node: Node): string {
    return this.branch(node, '1', '0');
  }

  expression(node: Node): string {
    switch (node.type) {
      case 'number':
      case 'constant':
        return literal(node.value);
      case 'variable':
        return this.variable(node.index);
      case 'unary':
        if (node.op === '-') return `(-${this.expression(node.operand)})`;
        if (node.op === '+') return this.expression(node.operand);
        if (node.op === '!') return this.branch(node.operand, '0', '1');
        break;
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.branch(node.test, this.expression(node.consequent), this.expression(node.alternate));
      case 'call':
        return this.call(node.name, node.args);
    }
    throw new Error(`unknown node in expression tree: ${(node as { type?: unknown }).type}`);
  }

  private variable(index: number | null): string {
    if (index === null) {
      if (this.dim !== 1) throw new Error('scalar x in a multi-dimensional expression tree');
      return this.variableText(0);
    }
    if (this.dim === 1 || !Number.isSafeInteger(index) || index < 0 || index >= this.dim) {
      throw new Error(`x[${index}] out of range in an expression tree of dimension ${this.dim}`);
    }
    return this.variableText(index);
  }

  private binary(node: BinaryNode): string {
    const { op, left, right } = node;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
        return `(${this.expression(left)} ${op} ${this.expression(right)})`;
      case '^':
        return `(${this.expression(left)} ** ${this.expression(right)})`;
      case '&&':
        return this.branch(left, this.truth(right), '0');
      case '||':
        return this.branch(left, '1', this.truth(right));
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '==':
      case '!=':
        return this.branch(node, '1', '0');
    }
    throw new Error(`unknown operator in expression tree: ${op}`);
  }

  private call(name: string, args: readonly Node[]): string {
    const spec = FUNCTIONS.get(name);
    if (spec === undefined || spec.name !== name || !Object.hasOwn(IMPLEMENTATIONS, spec.name)) {
      throw new Error(`function outside the whitelist in an expression tree: ${name}`);
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      throw new Error(`wrong number of arguments to ${spec.name} in an expression tree`);
    }
    // spec.name is our own string from the whitelist, not the client's text.
    this.used.add(spec.name);
    return `m_${spec.name}(${args.map((a) => this.expression(a)).join(', ')})`;
  }
}
