import { InvalidInputError } from '../errors.js';

/**
 * A client's expression that does not parse or breaks a rule of the language. It is an
 * InvalidInputError, so the HTTP layer answers 400 with `issues: [{ path: field, message }]`.
 * `column` is 1-based and counts Unicode code points.
 */
export class ExpressionError extends InvalidInputError {
  /** 1-based column (in code points) of the offending character or token. */
  readonly column: number;
  /** The field the expression came from (`f`, `mean`, ...). */
  readonly field: string;
  /** The detail without the field prefix, e.g. `unknown function 'foo' at column 5`. */
  readonly detail: string;

  constructor(field: string, detail: string, column: number) {
    super(field === '' ? detail : `${field}: ${detail}`, [{ path: field, message: detail }]);
    this.name = 'ExpressionError';
    this.field = field;
    this.detail = detail;
    this.column = column;
  }
}
