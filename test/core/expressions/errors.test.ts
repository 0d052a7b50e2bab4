import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { compileExpression, ExpressionError, parseExpression } from '../../../src/core/expressions/index.js';

/** Compile and return the ExpressionError, failing the test on success or on any other error. */
function rejection(source: string, dim?: number, field?: string): ExpressionError {
  let caught: unknown;
  try {
    compileExpression(source, { dim, field });
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${JSON.stringify(source.slice(0, 60))} to be rejected`).toBeInstanceOf(
    ExpressionError,
  );
  return caught as ExpressionError;
}

/** [source, dim, column, part of the message]. */
const REJECTED: [string, number, number, RegExp][] = [
  // names outside the whitelist
  ['constructor', 1, 1, /unknown name 'constructor'/],
  ['__proto__', 1, 1, /unknown name '__proto__'/],
  ['prototype', 1, 1, /unknown name/],
  ['process', 1, 1, /unknown name 'process'/],
  ['process.exit()', 1, 1, /unknown name 'process'/],
  ['this', 1, 1, /unknown name 'this'/],
  ['globalThis', 1, 1, /unknown name 'globalThis'/],
  ['Function("return 1")()', 1, 1, /unknown function 'Function'/],
  ['eval(1)', 1, 1, /unknown function 'eval'/],
  ['require(1)', 1, 1, /unknown function 'require'/],
  ['y', 1, 1, /unknown name 'y'/],
  ['X', 1, 1, /unknown name 'X'/],
  ['PI', 1, 1, /unknown name 'PI'/],
  ['NaN', 1, 1, /unknown name 'NaN'/],
  ['Infinity', 1, 1, /unknown name 'Infinity'/],
  ['true', 1, 1, /unknown name 'true'/],
  ['sin(x) + foo(2)', 1, 10, /unknown function 'foo' at column 10/],
  ['Math.sin(x)', 1, 1, /unknown name 'Math'/],
  ['valueOf()', 1, 1, /unknown function 'valueOf'/],
  ['hasOwnProperty(x)', 1, 1, /unknown function 'hasOwnProperty'/],
  ['toString', 1, 1, /unknown name 'toString'/],
  [`${'a'.repeat(200)}`, 1, 1, /unknown name 'a{24}\.\.\.'/],
  // member access
  ['x.constructor', 1, 2, /member access/],
  ['x.__proto__', 1, 2, /member access/],
  ['sin.call', 1, 4, /member access/],
  ['(1).constructor', 1, 4, /member access/],
  ['1.toString()', 1, 2, /member access/],
  ['x.5', 1, 2, /expected an operator or end of input at column 2 but found number '.5'/],
  ['1.2.3', 1, 4, /member access/],
  // brackets other than x[literal in range]
  ['x["constructor"]', 1, 2, /'x' is a number here/],
  ['x["constructor"]', 2, 3, /strings are not allowed/],
  ['x[1]', 1, 2, /'x' is a number here/],
  ['x[0]', 1, 2, /'x' is a number here/],
  ['x[2]', 2, 3, /index '2' is out of range at column 3 \(use x\[0\] \.\. x\[1\]\)/],
  ['x[-1]', 2, 3, /integer literal .* but found '-'/],
  ['x[0.5]', 2, 3, /integer literal .* but found number '0.5'/],
  ['x[1e3]', 2, 3, /integer literal .* but found number '1e3'/],
  ['x[1e0]', 2, 3, /integer literal/],
  ['x[x[0]]', 2, 3, /integer literal .* but found 'x'/],
  ['x[0', 2, 4, /expected '\]' at column 4 but found end of input/],
  ['x[0][1]', 2, 5, /expected an operator or end of input at column 5 but found '\['/],
  ['x', 2, 1, /'x' is 2-dimensional here/],
  ['x + x[0]', 3, 1, /'x' is 3-dimensional here/],
  ['(x)[0]', 2, 2, /'x' is 2-dimensional/],
  ['sin(x[0])[0]', 2, 10, /expected an operator/],
  ['[1]', 1, 1, /expected an expression at column 1 but found '\['/],
  ['1[0]', 1, 2, /expected an operator/],
  ['x[999999999999999999999]', 3, 3, /out of range/],
  // literals that overflow
  ['1e999', 1, 1, /number '1e999' is too large at column 1/],
  ['-1e999', 1, 2, /too large/],
  ['2 * 1e309', 1, 5, /too large/],
  [`${'9'.repeat(400)}`, 1, 1, /too large/],
  // malformed numbers
  ['1.', 1, 1, /malformed number '1\.'/],
  ['2e', 1, 1, /malformed number '2e'/],
  ['2e+', 1, 1, /malformed number/],
  ['1e-x', 1, 1, /malformed number/],
  ['0x10', 1, 2, /but found 'x10'/],
  ['2x', 1, 2, /expected an operator or end of input at column 2 but found 'x'/],
  // statements, assignments, functions, strings
  ['1;2', 1, 2, /';' is not allowed/],
  ['x;', 1, 2, /';'/],
  ['a=1', 1, 1, /unknown name 'a'/],
  ['x=1', 1, 2, /assignment '=' is not allowed at column 2 \(use '==' to compare\)/],
  ['x === 1', 1, 5, /assignment/],
  ['x !== 1', 1, 5, /assignment/],
  ['x=>x', 1, 2, /'=>' is not allowed/],
  ['(x) => x', 1, 5, /'=>'/],
  ['`x`', 1, 1, /strings are not allowed/],
  ["'a'", 1, 1, /strings are not allowed/],
  ['"a"', 1, 1, /strings are not allowed/],
  ['x + "1"', 1, 5, /strings/],
  ['{}', 1, 1, /unexpected character '\{'/],
  ['x % 2', 1, 3, /unexpected character '%'/],
  ['x & 1', 1, 3, /use '&&'/],
  ['x | 1', 1, 3, /use '\|\|'/],
  ['x ** 2', 1, 3, /use '\^'/],
  ['x ~ 1', 1, 3, /unexpected character '~'/],
  ['$', 1, 1, /unexpected character '\$'/],
  ['#', 1, 1, /unexpected character/],
  ['@x', 1, 1, /unexpected character/],
  ['\\u0078', 1, 1, /unexpected character '\\'/],
  ['x\0', 1, 2, /unexpected character U\+0000/],
  // calls: arity, shape
  ['sin()', 1, 1, /function 'sin' at column 1 takes exactly 1 argument but got 0/],
  ['sin(1,2)', 1, 1, /takes exactly 1 argument but got 2/],
  ['pow(1)', 1, 1, /function 'pow' at column 1 takes exactly 2 arguments but got 1/],
  ['atan2(1,2,3)', 1, 1, /exactly 2 arguments but got 3/],
  ['hypot()', 1, 1, /exactly 2 arguments/],
  ['min()', 1, 1, /function 'min' at column 1 takes at least 1 argument but got 0/],
  ['1 + max()', 1, 5, /at least 1 argument/],
  ['sin(1,)', 1, 7, /expected an expression at column 7 but found '\)'/],
  ['sin(,1)', 1, 5, /expected an expression at column 5 but found ','/],
  ['sin(1 2)', 1, 7, /expected ',' or '\)' at column 7 but found number '2'/],
  ['sin(1', 1, 6, /expected ',' or '\)' at column 6 but found end of input/],
  ['sin', 1, 4, /expected '\(' after function 'sin' at column 4 but found end of input/],
  ['sin x', 1, 5, /expected '\('/],
  ['sin[0]', 2, 4, /expected '\('/],
  ['pi()', 1, 1, /'pi' is a constant, not a function/],
  ['e (1)', 1, 1, /'e' is a constant/],
  ['x(1)', 1, 1, /'x' is the variable, not a function/],
  ['sin(1)(2)', 1, 7, /expected an operator/],
  // commas, brackets, operators out of place
  ['1,2', 1, 2, /expected an operator or end of input at column 2 but found ','/],
  ['(1,2)', 1, 3, /expected '\)' at column 3 but found ','/],
  ['(x', 1, 3, /expected '\)' at column 3 but found end of input/],
  ['x)', 1, 2, /expected an operator or end of input at column 2 but found '\)'/],
  ['()', 1, 2, /expected an expression at column 2 but found '\)'/],
  ['1 +', 1, 4, /expected an expression at column 4 but found end of input/],
  ['* 2', 1, 1, /expected an expression at column 1 but found '\*'/],
  ['1 ? 2', 1, 6, /expected ':' at column 6 but found end of input/],
  ['? 1 : 2', 1, 1, /expected an expression/],
  ['1 : 2', 1, 3, /expected an operator/],
  ['1 2', 1, 3, /but found number '2'/],
  ['x!', 1, 2, /expected an operator or end of input at column 2 but found '!'/],
  ['1 < > 2', 1, 5, /expected an expression at column 5 but found '>'/],
  // empty and too long
  ['', 1, 1, /expression is empty at column 1/],
  ['   ', 1, 1, /expression is empty/],
  ['\t\n\r ', 1, 1, /expression is empty/],
  [`${'x+'.repeat(500)}x`, 1, 1001, /longer than 1000 characters at column 1001/],
  [`${' '.repeat(1000)}x`, 1, 1001, /longer than 1000/],
  // Unicode look-alikes and invisible characters
  ['х', 1, 1, /unexpected character 'х' \(U\+0445\)/],
  ['2 − 1', 1, 3, /U\+2212/],
  ['x＋1', 1, 2, /U\+FF0B/],
  ['ｘ', 1, 1, /U\+FF58/],
  ['π', 1, 1, /U\+03C0/],
  ['x\u00a0+ 1', 1, 2, /unexpected character U\+00A0/],
  ['x\u200b', 1, 2, /U\+200B/],
  ['x\u2028', 1, 2, /U\+2028/],
  ['1 + 𝑥', 1, 5, /U\+1D465/],
  ['\ud800', 1, 1, /U\+D800/],
  ['ｓｉｎ(x)', 1, 1, /U\+FF53/],
  ['ⅹ', 1, 1, /U\+2179/],
];

describe('rejected expressions', () => {
  const cases = REJECTED.map(([source, dim, column, message]) => {
    const label = JSON.stringify(source);
    return [label.length > 40 ? `${label.slice(0, 37)}...` : label, dim, column, source, message] as const;
  });
  it.each(cases)('%s (dim %d) at column %d', (_label, dim, column, source, message) => {
    const err = rejection(source, dim);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.name).toBe('ExpressionError');
    expect(err.column).toBe(column);
    expect(err.detail).toMatch(message);
    expect(err.detail).toContain(`at column ${column}`);
    expect(err.message).toBe(`f: ${err.detail}`);
    expect(err.issues).toEqual([{ path: 'f', message: err.detail }]);
  });

  it('names the field in the issue path', () => {
    const err = rejection('foo(x)', 1, 'mean');
    expect(err.issues).toEqual([{ path: 'mean', message: "unknown function 'foo' at column 1" }]);
    expect(err.message).toBe("mean: unknown function 'foo' at column 1");
  });

  it('accepts exactly 1000 characters', () => {
    expect(compileExpression(`${'0'.repeat(999)}1`).evaluate(0)).toBe(1);
    expect(compileExpression(`${' '.repeat(999)}x`).evaluate(3)).toBe(3);
  });

  it('rejects a non-string', () => {
    expect(() => compileExpression(undefined as unknown as string)).toThrow(ExpressionError);
    expect(() => compileExpression(42 as unknown as string)).toThrow(ExpressionError);
  });

  it('treats a bad dim as a programming error', () => {
    expect(() => compileExpression('x', { dim: 0 })).toThrow(RangeError);
    expect(() => compileExpression('x', { dim: 1.5 })).toThrow(RangeError);
  });
});

describe('nesting depth', () => {
  const depthError = (source: string, column: number, options: { dim?: number; maxLength?: number } = {}) => {
    let caught: unknown;
    try {
      parseExpression(source, options);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).detail).toMatch(/nested too deeply/);
    expect((caught as ExpressionError).column).toBe(column);
  };

  it('rejects 100,000 open parentheses without overflowing the stack', () => {
    depthError('('.repeat(100_000), 65, { maxLength: Number.POSITIVE_INFINITY });
    depthError(`${'('.repeat(100_000)}x${')'.repeat(100_000)}`, 65, { maxLength: Number.POSITIVE_INFINITY });
    depthError('-'.repeat(100_000), 65, { maxLength: Number.POSITIVE_INFINITY });
    depthError('sin('.repeat(50_000), 257, { maxLength: Number.POSITIVE_INFINITY });
    depthError('2^'.repeat(50_000), 129, { maxLength: Number.POSITIVE_INFINITY });
    depthError('1?'.repeat(50_000), 129, { maxLength: Number.POSITIVE_INFINITY });
    // Through the public API the length limit answers first.
    expect(rejection('('.repeat(100_000)).detail).toMatch(/longer than 1000 characters/);
  });

  it('rejects 1000-character nestings', () => {
    depthError(`${'('.repeat(500)}1${')'.repeat(499)}`, 65);
    depthError(`${'-'.repeat(999)}x`, 65);
    depthError(`${'!'.repeat(999)}x`, 65);
    depthError(`${'-('.repeat(333)}x`, 65);
    depthError(`${'x[0]^'.repeat(199)}x[0]`, 321, { dim: 2 });
  });

  it('does not count the links of a flat chain as nesting', () => {
    expect(compileExpression(`${'1+'.repeat(499)}1`).evaluate(0)).toBe(500);
    expect(compileExpression(`${'x*'.repeat(99)}x`).evaluate(1)).toBe(1);
    const sum = Array.from({ length: 100 }, (_, i) => `x[${i}]`).join('+');
    const xs = Array.from({ length: 100 }, (_, i) => i);
    expect(compileExpression(sum, { dim: 100 }).evaluateVector(xs)).toBe(4950);
    // Parenthesised chains still nest: ((((1+1)+1)+1)...) counts every pair of parentheses.
    depthError(`${'('.repeat(64)}1${')+1'.repeat(64)}`, 65);
  });

  it('accepts exactly 64 levels', () => {
    const ok = (source: string) => expect(() => compileExpression(source)).not.toThrow();
    ok(`${'('.repeat(63)}1${')'.repeat(63)}`);
    depthError(`${'('.repeat(64)}1${')'.repeat(64)}`, 65);
    ok(`${'-'.repeat(63)}1`);
    depthError(`${'-'.repeat(64)}1`, 65);
    ok(`${'sin('.repeat(63)}x${')'.repeat(63)}`);
    depthError(`${'sin('.repeat(64)}x${')'.repeat(64)}`, 257);
    ok(`${'2^'.repeat(63)}1`);
    depthError(`${'2^'.repeat(64)}1`, 129);
    // Sums of many terms fit when grouped.
    const group = `(${Array.from({ length: 30 }, () => 'x').join('+')})`;
    expect(compileExpression(Array.from({ length: 10 }, () => group).join('+')).evaluate(1)).toBe(300);
  });
});
