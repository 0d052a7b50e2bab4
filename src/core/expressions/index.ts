/**
 * The expression language in which clients send functions f(x) (`f`, `mean`, `std`, ...).
 *
 * Grammar, lowest precedence first:
 *
 *   expression := or ['?' expression ':' expression]       right-associative
 *   or         := and {'||' and}
 *   and        := equality {'&&' equality}
 *   equality   := relation {('==' | '!=') relation}
 *   relation   := sum {('<' | '<=' | '>' | '>=') sum}
 *   sum        := product {('+' | '-') product}
 *   product    := unary {('*' | '/') unary}
 *   unary      := ('-' | '+' | '!') unary | power
 *   power      := primary ['^' unary]                      right-associative: 2^3^2 = 512, 2^-1 = 0.5
 *   primary    := number | 'x' | 'x' '[' digits ']' | 'pi' | 'e' | name '(' args ')' | '(' expression ')'
 *
 * so `-2^2` = -4 and `(-2)^2` = 4. Numbers: `1`, `2.5`, `.5`, `2.5e-3`, `1E3` (no `1.`, no overflow
 * to Infinity). Functions (exact arity): abs sqrt cbrt exp expm1 log log1p log2 log10 sin cos tan
 * asin acos atan sinh cosh tanh floor ceil round sign sigmoid softplus lgamma erf (1); atan2 pow
 * hypot (2); min max (1 or more). round is JS Math.round (halves go up: round(-2.5) = -2); lgamma is
 * log|Gamma(x)|; sigmoid and softplus are computed without overflow.
 *
 * Truth values: comparisons and `&& || !` give 1 or 0. A value is true when it is nonzero (Infinity
 * is true, -0 is false). NaN is neither: NaN propagates through every operator instead of turning
 * into a silent 0 or 1, so `x > 1` is NaN when x is NaN, `!NaN` is NaN, `NaN ? a : b` is NaN, and the
 * caller can count those points. `&&`, `||` and `?:` short-circuit: `0 && NaN` = 0, `1 || NaN` = 1,
 * and only the chosen branch of `?:` is evaluated.
 *
 * Limits: at most 1,000 characters and 64 levels of nesting (each operator, call, unary operator
 * and pair of parentheses is a level; a sum of 65 terms is too deep, write it in groups). Every
 * rejection is an ExpressionError (an InvalidInputError, so a 400) with a 1-based column.
 */
export type {
  BinaryNode,
  BinaryOp,
  CallNode,
  ConditionalNode,
  ConstantName,
  ConstantNode,
  FunctionName,
  FunctionSpec,
  Node,
  NumberNode,
  UnaryNode,
  UnaryOp,
  VariableNode,
} from './ast.js';
export { CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_LENGTH } from './ast.js';
export {
  type BatchFunction,
  type CompiledExpression,
  type CompileOptions,
  checkGeneratedCode,
  compileAst,
  compileExpression,
  evaluateBatch,
} from './compiler.js';
export { ExpressionError } from './errors.js';
export { lgamma, sigmoid, softplus } from './functions.js';
export {
  analyzeGrowth,
  compareOrders,
  describeOrder,
  type Growth,
  growthOrder,
  type Order,
  type TailGrowth,
} from './growth.js';
export { type ParseOptions, parseExpression } from './parser.js';
