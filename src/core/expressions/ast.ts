/**
 * The checked syntax tree of an expression. Every node carries the 1-based `column` where it starts
 * (for the operator nodes: the column of the operator). An accepted expression is pure ASCII, so
 * columns and string offsets agree.
 */

export type UnaryOp = '-' | '+' | '!';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '^';
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type LogicalOp = '&&' | '||';
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp;

/** The functions of the language (the whitelist). */
export type FunctionName =
  | 'abs'
  | 'sqrt'
  | 'cbrt'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'log2'
  | 'log10'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'sign'
  | 'sigmoid'
  | 'softplus'
  | 'lgamma'
  | 'erf'
  | 'atan2'
  | 'pow'
  | 'hypot'
  | 'min'
  | 'max';

export type ConstantName = 'pi' | 'e';

export interface NumberNode {
  readonly type: 'number';
  readonly value: number;
  readonly column: number;
}

export interface ConstantNode {
  readonly type: 'constant';
  readonly name: ConstantName;
  readonly value: number;
  readonly column: number;
}

/** `x` (index null, scalar) or `x[index]` (a d-dimensional distribution, 0 <= index < d). */
export interface VariableNode {
  readonly type: 'variable';
  readonly index: number | null;
  readonly column: number;
}

export interface UnaryNode {
  readonly type: 'unary';
  readonly op: UnaryOp;
  readonly operand: Node;
  readonly column: number;
}

export interface BinaryNode {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
  readonly column: number;
}

export interface ConditionalNode {
  readonly type: 'conditional';
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
  readonly column: number;
}

export interface CallNode {
  readonly type: 'call';
  readonly name: FunctionName;
  readonly args: readonly Node[];
  readonly column: number;
}

export type Node =
  | NumberNode
  | ConstantNode
  | VariableNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | CallNode;

export interface FunctionSpec {
  readonly name: FunctionName;
  readonly minArgs: number;
  /** Infinity for min and max. */
  readonly maxArgs: number;
}

const unary = (name: FunctionName): [string, FunctionSpec] => [name, { name, minArgs: 1, maxArgs: 1 }];
const binary = (name: FunctionName): [string, FunctionSpec] => [name, { name, minArgs: 2, maxArgs: 2 }];
const variadic = (name: FunctionName): [string, FunctionSpec] => [
  name,
  { name, minArgs: 1, maxArgs: Infinity },
];

/** The whitelist, looked up by the client's name. A Map, so `constructor` or `__proto__` are simply absent. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ...(
    [
      'abs',
      'sqrt',
      'cbrt',
      'exp',
      'expm1',
      'log',
      'log1p',
      'log2',
      'log10',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'tanh',
      'floor',
      'ceil',
      'round',
      'sign',
      'sigmoid',
      'softplus',
      'lgamma',
      'erf',
    ] as const
  ).map(unary),
  ...(['atan2', 'pow', 'hypot'] as const).map(binary),
  ...(['min', 'max'] as const).map(variadic),
]);

export interface ConstantSpec {
  readonly name: ConstantName;
  readonly value: number;
}

export const CONSTANTS: ReadonlyMap<string, ConstantSpec> = new Map<string, ConstantSpec>([
  ['pi', { name: 'pi', value: Math.PI }],
  ['e', { name: 'e', value: Math.E }],
]);

/** Longest chain of nested nodes (parentheses count as a level): `((x))` has depth 3. */
export const MAX_DEPTH = 64;
/** Longest accepted source, in UTF-16 code units. */
export const MAX_LENGTH = 1000;

/** Does the subtree mention the variable x (else it is a constant)? */
export function mentionsVariable(node: Node): boolean {
  switch (node.type) {
    case 'number':
    case 'constant':
      return false;
    case 'variable':
      return true;
    case 'unary':
      return mentionsVariable(node.operand);
    case 'binary':
      return mentionsVariable(node.left) || mentionsVariable(node.right);
    case 'conditional':
      return (
        mentionsVariable(node.test) || mentionsVariable(node.consequent) || mentionsVariable(node.alternate)
      );
    case 'call':
      return node.args.some(mentionsVariable);
  }
}
