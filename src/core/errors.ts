/** One issue with the caller's input: where (a dotted path such as `distribution.std`) and which rule. */
export interface InputIssue {
  path: string;
  message: string;
}

/**
 * Input that is well-formed but breaks a mathematical rule (std <= 0, a covariance that is not
 * positive definite, data outside the support). The HTTP layer turns it into a 400; the core throws
 * it so workers and tests see the same rule without any HTTP in sight.
 */
export class InvalidInputError extends Error {
  readonly issues: InputIssue[];
  constructor(message: string, issues?: InputIssue[]) {
    super(message);
    this.name = 'InvalidInputError';
    this.issues = issues ?? [];
  }

  /** Prefix every issue's path, so a nested validator can report `p.std` rather than `std`. */
  withPrefix(prefix: string): InvalidInputError {
    const join = (p: string) => (p === '' ? prefix : prefix === '' ? p : `${prefix}.${p}`);
    const issues = this.issues.map((i) => ({ path: join(i.path), message: i.message }));
    const err = new InvalidInputError(
      issues.length === 1 ? `${issues[0]!.path}: ${issues[0]!.message}` : this.message,
      issues,
    );
    return err;
  }
}

/** Throw an InvalidInputError for one field. */
export function invalid(path: string, message: string): never {
  throw new InvalidInputError(path === '' ? message : `${path}: ${message}`, [{ path, message }]);
}
