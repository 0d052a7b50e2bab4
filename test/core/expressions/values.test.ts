import erf from '@stdlib/math-base-special-erf';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateBatch, parseExpression } from '../../../src/core/expressions/index.js';

/** [source, x, expected]: hand-computed values. */
const SCALAR: [string, number, number][] = [
  // numbers, variable, constants
  ['1', 0, 1],
  ['2.5', 0, 2.5],
  ['.5', 0, 0.5],
  ['2.5e-3', 0, 0.0025],
  ['1E3', 0, 1000],
  ['1e+2', 0, 100],
  ['1e-999', 0, 0],
  ['007', 0, 7],
  ['x', 3, 3],
  ['pi', 0, Math.PI],
  ['e', 0, Math.E],
  [' \t x \n + \r 1 ', 2, 3],
  // precedence and associativity
  ['-2^2', 0, -4],
  ['2^3^2', 0, 512],
  ['(2^3)^2', 0, 64],
  ['(-2)^2', 0, 4],
  ['2*3^2', 0, 18],
  ['2^-1', 0, 0.5],
  ['2^-1^2', 0, 0.5],
  ['-2^-2', 0, -0.25],
  ['2^2^-1', 0, Math.SQRT2],
  ['2^3*2', 0, 16],
  ['-x^2', 3, -9],
  ['1-2-3', 0, -4],
  ['8/4/2', 0, 1],
  ['1+2*3', 0, 7],
  ['(1+2)*3', 0, 9],
  ['2*-3', 0, -6],
  ['1 - -1', 0, 2],
  ['--1', 0, 1],
  ['+1', 0, 1],
  ['-x*2', 3, -6],
  ['1 + 1 == 2', 0, 1],
  ['1 < 2 == 1', 0, 1],
  ['3 > 2 > 1', 0, 0],
  // comparisons give 1 or 0
  ['1 < 2', 0, 1],
  ['2 <= 2', 0, 1],
  ['3 > 4', 0, 0],
  ['3 >= 3', 0, 1],
  ['1 == 1', 0, 1],
  ['1 != 1', 0, 0],
  ['-0 == 0', 0, 1],
  ['x > 1 ? 1 : 0', 2, 1],
  ['x > 1 ? 1 : 0', 0, 0],
  ['x > 1', 1, 0],
  ['x>1 && x<3', 2, 1],
  ['x>1 && x<3', 3, 0],
  ['x>1 && x<3', 1, 0],
  // logic: nonzero is true; results are 1 / 0
  ['!0', 0, 1],
  ['!5', 0, 0],
  ['!!5', 0, 1],
  ['!-0', 0, 1],
  ['!x > 1', 0, 0],
  ['2 && 3', 0, 1],
  ['0 && 1', 0, 0],
  ['0 || 0', 0, 0],
  ['0 || -3', 0, 1],
  ['1 || 0 && 0', 0, 1],
  ['(1 || 0) && 0', 0, 0],
  ['x < 2 || x > 4', 5, 1],
  // ternary: right-associative, lowest precedence
  ['x < 0 ? -1 : x > 0 ? 1 : 0', -5, -1],
  ['x < 0 ? -1 : x > 0 ? 1 : 0', 0, 0],
  ['x < 0 ? -1 : x > 0 ? 1 : 0', 5, 1],
  ['1 ? 0 ? 7 : 8 : 9', 0, 8],
  ['0 ? 1 : 2 + 3', 0, 5],
  ['x ? 1 : 2', 0, 2],
  ['x ? 1 : 2', -0.5, 1],
  // functions
  ['abs(-3)', 0, 3],
  ['sqrt(16)', 0, 4],
  ['cbrt(27)', 0, 3],
  ['exp(0)', 0, 1],
  ['expm1(0)', 0, 0],
  ['log(e)', 0, 1],
  ['log1p(0)', 0, 0],
  ['log2(8)', 0, 3],
  ['log10(1000)', 0, 3],
  ['sin(0)', 0, 0],
  ['cos(0)', 0, 1],
  ['tan(0)', 0, 0],
  ['asin(1)', 0, Math.PI / 2],
  ['acos(1)', 0, 0],
  ['atan(1)', 0, Math.PI / 4],
  ['sinh(0)', 0, 0],
  ['cosh(0)', 0, 1],
  ['tanh(0)', 0, 0],
  ['floor(-1.5)', 0, -2],
  ['ceil(1.2)', 0, 2],
  ['round(2.5)', 0, 3],
  ['round(-2.5)', 0, -2],
  ['sign(-3)', 0, -1],
  ['atan2(1,1)', 0, Math.PI / 4],
  ['atan2(1, -1)', 0, (3 * Math.PI) / 4],
  ['pow(2, 10)', 0, 1024],
  ['hypot(3, 4)', 0, 5],
  ['min(3,1,2)', 0, 1],
  ['max(3,1,2)', 0, 3],
  ['min(4)', 0, 4],
  ['max(x, 0)', -2, 0],
  ['sigmoid(0)', 0, 0.5],
  ['sigmoid(1000)', 0, 1],
  ['sigmoid(-1000)', 0, 0],
  ['softplus(1000)', 0, 1000],
  ['softplus(-1000)', 0, 0],
  ['softplus(0)', 0, Math.LN2],
  ['lgamma(1)', 0, 0],
  ['erf(0)', 0, 0],
  ['sin(pi/2) + cos(0)', 0, 2],
  ['x^2 + sin(x)', 2, 4 + Math.sin(2)],
];

describe('expression values', () => {
  it.each(SCALAR)('%s at x = %d is %d', (source, x, expected) => {
    const f = compileExpression(source);
    expect(f.evaluate(x)).toBe(expected);
    expect(f.evaluateVector([x])).toBe(expected);
  });

  it('computes the special functions accurately', () => {
    const at = (s: string) => compileExpression(s).evaluate(0);
    expect(at('lgamma(0.5)')).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(at('lgamma(10)')).toBeCloseTo(Math.log(362880), 12);
    expect(at('lgamma(-0.5)')).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 14);
    expect(at('erf(1)')).toBe(erf(1));
    expect(at('erf(1)')).toBeCloseTo(0.8427007929497149, 15);
    // softplus(x) = log1p(exp(x)) is exactly exp(x) far left, positive while exp(x) is.
    expect(at('softplus(-700)')).toBeGreaterThan(0);
    expect(at('softplus(-700)')).toBe(Math.exp(-700));
    expect(at('softplus(-1000)')).toBe(Math.exp(-1000));
    expect(at('softplus(40)')).toBe(40);
    expect(at('softplus(710)')).toBe(710);
    expect(at('sigmoid(-40)')).toBeCloseTo(Math.exp(-40), 30);
    expect(at('sigmoid(-745)')).toBeGreaterThan(0);
  });

  it('evaluates vector expressions', () => {
    const f = compileExpression('x[0]*x[1]', { dim: 2 });
    expect(f.evaluateVector([2, 3])).toBe(6);
    expect(f.evaluateVector(Float64Array.of(-1.5, 4))).toBe(-6);
    expect(() => f.evaluate(1)).toThrow(/evaluateVector/);
    const g = compileExpression('x[0] + x[1] * x[2] - x[2]^2', { dim: 3 });
    expect(g.evaluateVector([1, 2, 3])).toBe(-2);
    expect(g.dim).toBe(3);
    expect(g.usesX).toBe(true);
  });

  it('lets NaN through instead of turning it into 0 or 1', () => {
    const at = (s: string, x: number) => compileExpression(s).evaluate(x);
    for (const s of [
      'x > 1',
      'x <= 1',
      'x == x',
      'x != 1',
      '!x',
      'x ? 1 : 2',
      'x && 1',
      '0 || x',
      'min(x, 1)',
    ]) {
      expect(at(s, Number.NaN), s).toBeNaN();
    }
    expect(at('0 && x', Number.NaN)).toBe(0);
    expect(at('1 || x', Number.NaN)).toBe(1);
    expect(at('x > 0 ? 1 : log(x)', 5)).toBe(1);
    expect(at('x ? 1 : 2', Number.POSITIVE_INFINITY)).toBe(1);
    expect(at('log(x)', -1)).toBeNaN();
    expect(at('1/x', 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports whether x is used', () => {
    expect(compileExpression('1 + 2').usesX).toBe(false);
    expect(compileExpression('pi * e').usesX).toBe(false);
    expect(compileExpression('sin(x) * 0').usesX).toBe(true);
    expect(compileExpression('1 ? 2 : x').usesX).toBe(true);
  });

  it('builds the tree with columns', () => {
    expect(parseExpression('1 + x * 2')).toEqual({
      type: 'binary',
      op: '+',
      column: 3,
      left: { type: 'number', value: 1, column: 1 },
      right: {
        type: 'binary',
        op: '*',
        column: 7,
        left: { type: 'variable', index: null, column: 5 },
        right: { type: 'number', value: 2, column: 9 },
      },
    });
    expect(parseExpression('-2^2')).toMatchObject({
      type: 'unary',
      op: '-',
      operand: { type: 'binary', op: '^' },
    });
    expect(parseExpression('max(x[1], pi)', { dim: 2 })).toMatchObject({
      type: 'call',
      name: 'max',
      args: [
        { type: 'variable', index: 1 },
        { type: 'constant', name: 'pi' },
      ],
    });
  });

  it('generates straight-line code', () => {
    expect(compileExpression('x^2 + sin(x)').code).toBe(
      'const m_sin = M.sin; return (x) => ((x ** 2) + m_sin(x));',
    );
    expect(compileExpression('x[0] - 1.5', { dim: 2 }).code).toBe('return (x) => (x[0] - 1.5);');
  });

  it('evaluates a batch and counts NaN and Infinity', () => {
    const xs = Float64Array.of(-1, 0, 1, 4);
    const out = new Float64Array(4);
    expect(evaluateBatch(compileExpression('log(x)'), xs, out)).toBe(2);
    expect([...out]).toEqual([Number.NaN, Number.NEGATIVE_INFINITY, 0, Math.log(4)]);
    expect(evaluateBatch(compileExpression('x > 0 && x < 2'), xs, out)).toBe(0);
    expect([...out]).toEqual([0, 0, 1, 0]);
    const v = compileExpression('x[0] * x[1]', { dim: 2 });
    const rows = Float64Array.of(1, 2, 3, 4, 5, 6);
    const out3 = new Float64Array(3);
    expect(evaluateBatch(v, rows, out3)).toBe(0);
    expect([...out3]).toEqual([2, 12, 30]);
    expect(evaluateBatch((x) => 1 / x, Float64Array.of(0, 2), new Float64Array(2))).toBe(1);
    expect(() => evaluateBatch(v, rows, new Float64Array(4))).toThrow(RangeError);
  });
});
