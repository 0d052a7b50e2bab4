/**
 * A small Pratt parser for the expression language (see index.ts for the grammar). It builds a
 * checked tree: every name is resolved against the whitelist, every `x[i]` is in range, every call
 * has the right number of arguments. It never recurses more than MAX_DEPTH levels: the level of the
 * node being parsed is passed down and checked before each descent, and the depth of every finished
 * subtree is checked as it is built (left-associative chains grow by a loop, not by recursion).
 */
import {
  type BinaryOp,
  CONSTANTS,
  FUNCTIONS,
  type FunctionSpec,
  MAX_DEPTH,
  MAX_LENGTH,
  type Node,
  type UnaryOp,
} from './ast.js';
import { ExpressionError } from './errors.js';
import { Lexer, quote, type Token } from './lexer.js';

export interface ParseOptions {
  /** Dimension of the variable: undefined or 1 for a scalar `x`, d > 1 for `x[0]` .. `x[d-1]`. */
  dim?: number;
  /** Field name used as the issue path in errors (default 'f'). */
  field?: string;
  /** Longest accepted source (default 1000). Tests raise it to show the parser alone is stack-safe. */
  maxLength?: number;
}

interface Parsed {
  readonly node: Node;
  /** Depth of the subtree, parentheses counted as a level. */
  readonly depth: number;
}

/** Left binding powers of the infix operators; `?:` (1) is handled by `expression`. */
const INFIX_BP: ReadonlyMap<string, number> = new Map([
  ['||', 2],
  ['&&', 3],
  ['==', 4],
  ['!=', 4],
  ['<', 5],
  ['<=', 5],
  ['>', 5],
  ['>=', 5],
  ['+', 6],
  ['-', 6],
  ['*', 7],
  ['/', 7],
  ['^', 9],
]);
/** Prefix `- + !` bind tighter than `* /` but looser than `^`: `-2^2` is -(2^2). */
const UNARY_BP = 8;

/** Validate the dimension option: a programming error (not the client's) if it is wrong. */
export function checkDim(dim: number | undefined): number {
  if (dim === undefined) return 1;
  if (!Number.isSafeInteger(dim) || dim < 1)
    throw new RangeError(`expression dim must be a positive integer, got ${dim}`);
  return dim;
}

/** 1-based column of a UTF-16 offset, counting code points. */
export function columnAt(source: string, offset: number): number {
  let column = 1;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = source.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    column++;
  }
  return column + Math.max(0, offset - source.length);
}

/** Parse a client's expression into a checked tree. Throws only ExpressionError for any source. */
export function parseExpression(source: string, options: ParseOptions = {}): Node {
  const field = options.field ?? 'f';
  const dim = checkDim(options.dim);
  if (typeof source !== 'string')
    throw new ExpressionError(field, 'expression must be a string at column 1', 1);
  return new Parser(source, dim, field, options.maxLength ?? MAX_LENGTH).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;

  constructor(
    private readonly source: string,
    private readonly dim: number,
    private readonly field: string,
    maxLength: number,
  ) {
    if (source.length > maxLength) this.fail(maxLength, `expression is longer than ${maxLength} characters`);
    if (/^[ \t\r\n]*$/.test(source)) this.fail(0, 'expression is empty');
    this.lexer = new Lexer(source, this.fail);
    this.tok = this.lexer.next();
  }

  parse(): Node {
    const root = this.expression(1);
    if (this.tok.kind !== 'eof') {
      this.fail(
        this.tok.start,
        'expected an operator or end of input',
        `but found ${this.describe(this.tok)}`,
      );
    }
    return root.node;
  }

  private readonly fail = (offset: number, before: string, after?: string): never => {
    const column = columnAt(this.source, offset);
    throw new ExpressionError(this.field, `${before} at column ${column}${after ? ` ${after}` : ''}`, column);
  };

  private advance(): void {
    this.tok = this.lexer.next();
  }

  private isPunct(text: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text))
      this.fail(this.tok.start, `expected '${text}'`, `but found ${this.describe(this.tok)}`);
    this.advance();
  }

  private describe(tok: Token): string {
    switch (tok.kind) {
      case 'eof':
        return 'end of input';
      case 'number':
        return `number ${quote(tok.text)}`;
      case 'name':
        return quote(tok.text);
      default:
        return `'${tok.text}'`;
    }
  }

  /** Refuse to descend to a node at `level` (the root is level 1) beyond the limit. */
  private enter(level: number): void {
    if (level > MAX_DEPTH) this.tooDeep(this.tok.start);
  }

  private tooDeep(offset: number): never {
    return this.fail(offset, 'expression is nested too deeply', `(at most ${MAX_DEPTH} levels)`);
  }

  /** A finished subtree parsed at `level`: its leaves sit at level + depth - 1 or deeper. */
  private made(level: number, offset: number, node: Node, depth: number): Parsed {
    if (level + depth - 1 > MAX_DEPTH) this.tooDeep(offset);
    return { node, depth };
  }

  /** expression := binary ['?' expression ':' expression]   (right-associative, lowest precedence) */
  private expression(level: number): Parsed {
    this.enter(level);
    const test = this.binary(level, 0);
    if (!this.isPunct('?')) return test;
    const q = this.tok;
    this.advance();
    const consequent = this.expression(level + 1);
    this.expect(':');
    const alternate = this.expression(level + 1);
    const node: Node = {
      type: 'conditional',
      test: test.node,
      consequent: consequent.node,
      alternate: alternate.node,
      column: q.start + 1,
    };
    return this.made(level, q.start, node, 1 + Math.max(test.depth, consequent.depth, alternate.depth));
  }

  /** Operators binding tighter than minBp; all left-associative except `^`. */
  private binary(level: number, minBp: number): Parsed {
    this.enter(level);
    let left = this.unary(level);
    for (;;) {
      const op = this.tok;
      if (op.kind !== 'punct') break;
      const bp = INFIX_BP.get(op.text);
      if (bp === undefined || bp <= minBp) break;
      this.advance();
      const right = this.binary(level + 1, op.text === '^' ? bp - 1 : bp);
      const node: Node = {
        type: 'binary',
        op: op.text as BinaryOp,
        left: left.node,
        right: right.node,
        column: op.start + 1,
      };
      // A chain `a + b + c ...` grows by this loop, not by recursion, so its links do not nest:
      // only the right operand goes a level deeper. x[0] + ... + x[99] is flat, as users expect.
      left = this.made(level, op.start, node, Math.max(left.depth, 1 + right.depth));
    }
    return left;
  }

  private unary(level: number): Parsed {
    this.enter(level);
    const t = this.tok;
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '!')) {
      this.advance();
      const operand = this.binary(level + 1, UNARY_BP);
      const node: Node = { type: 'unary', op: t.text as UnaryOp, operand: operand.node, column: t.start + 1 };
      return this.made(level, t.start, node, 1 + operand.depth);
    }
    return this.primary(level);
  }

  private primary(level: number): Parsed {
    this.enter(level);
    const t = this.tok;
    if (t.kind === 'number') {
      this.advance();
      return this.made(level, t.start, { type: 'number', value: t.value, column: t.start + 1 }, 1);
    }
    if (t.kind === 'name') return this.name(level, t);
    if (t.kind === 'punct' && t.text === '(') {
      this.advance();
      const inner = this.expression(level + 1);
      this.expect(')');
      return this.made(level, t.start, inner.node, inner.depth + 1);
    }
    return this.fail(t.start, 'expected an expression', `but found ${this.describe(t)}`);
  }

  private name(level: number, t: Token): Parsed {
    if (t.text === 'x') return this.variable(level, t);
    const constant = CONSTANTS.get(t.text);
    if (constant !== undefined) {
      if (this.lexer.nextCharIs('(')) this.fail(t.start, `'${constant.name}' is a constant, not a function`);
      this.advance();
      const node: Node = {
        type: 'constant',
        name: constant.name,
        value: constant.value,
        column: t.start + 1,
      };
      return this.made(level, t.start, node, 1);
    }
    const spec = FUNCTIONS.get(t.text);
    if (spec === undefined) {
      if (this.lexer.nextCharIs('(')) this.fail(t.start, `unknown function ${quote(t.text)}`);
      return this.fail(
        t.start,
        `unknown name ${quote(t.text)}`,
        "(the variable is 'x', the constants 'pi' and 'e')",
      );
    }
    return this.call(level, t, spec);
  }

  private call(level: number, t: Token, spec: FunctionSpec): Parsed {
    this.advance();
    if (!this.isPunct('(')) {
      this.fail(
        this.tok.start,
        `expected '(' after function '${spec.name}'`,
        `but found ${this.describe(this.tok)}`,
      );
    }
    this.advance();
    const args: Parsed[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.expression(level + 1));
        if (this.isPunct(',')) {
          this.advance();
          continue;
        }
        if (this.isPunct(')')) break;
        this.fail(this.tok.start, "expected ',' or ')'", `but found ${this.describe(this.tok)}`);
      }
    }
    this.advance();
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const wanted =
        spec.maxArgs === Infinity
          ? `at least ${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
          : `exactly ${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`;
      this.fail(t.start, `function '${spec.name}'`, `takes ${wanted} but got ${args.length}`);
    }
    const node: Node = { type: 'call', name: spec.name, args: args.map((a) => a.node), column: t.start + 1 };
    return this.made(level, t.start, node, 1 + Math.max(...args.map((a) => a.depth)));
  }

  private variable(level: number, t: Token): Parsed {
    if (this.lexer.nextCharIs('(')) this.fail(t.start, "'x' is the variable, not a function");
    this.advance();
    const dim = this.dim;
    if (!this.isPunct('[')) {
      if (dim > 1) this.fail(t.start, `'x' is ${dim}-dimensional here`, `(use x[0] .. x[${dim - 1}])`);
      return this.made(level, t.start, { type: 'variable', index: null, column: t.start + 1 }, 1);
    }
    if (dim === 1) this.fail(this.tok.start, "'x' is a number here, not a vector", '(write x, not x[i])');
    this.advance();
    const idx = this.tok;
    if (idx.kind !== 'number' || !/^[0-9]+$/.test(idx.text)) {
      this.fail(
        idx.start,
        'the index of x must be an integer literal like x[0]',
        `but found ${this.describe(idx)}`,
      );
    }
    if (!(idx.value < dim)) {
      this.fail(idx.start, `index ${quote(idx.text)} is out of range`, `(use x[0] .. x[${dim - 1}])`);
    }
    this.advance();
    this.expect(']');
    return this.made(level, t.start, { type: 'variable', index: idx.value, column: t.start + 1 }, 1);
  }
}
