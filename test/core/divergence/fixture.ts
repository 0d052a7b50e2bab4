import { readFileSync } from 'node:fs';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';

/** Reference values written by test/reference/kl.py (scipy and mpmath); "Infinity" as a string. */
export type Num = number | 'Infinity' | '-Infinity' | 'NaN';
type Operand = DistributionSpec | number[];

export interface ContinuousCase {
  p: DistributionSpec;
  q: DistributionSpec;
  /** mpmath's integral at 30 digits. */
  value: Num;
  /** `agrees`: scipy met 1e-9 relative (or its error estimate) against mpmath; it cannot where a
   * density is singular at a finite upper end (beta with beta < 1): one double short of 1 is too far. */
  scipy: { value: Num; error: Num; agrees: boolean };
  /** mpmath's closed form for same-family pairs. */
  closedForm: Num | null;
}

export interface KlFixture {
  continuous: ContinuousCase[];
  infinite: { p: DistributionSpec; q: DistributionSpec; value: Num; why: string }[];
  jensenShannon: {
    p: DistributionSpec;
    q: DistributionSpec;
    value: Num;
    scipy: { value: number; error: number };
  }[];
  discrete: { p: Operand; q: Operand; value: Num; scipy: Num; firstOutcome?: number }[];
  jensenShannonDiscrete: { p: Operand; q: Operand; value: Num }[];
  multivariate: {
    p: DistributionSpec;
    q: DistributionSpec;
    value: Num;
    scipy?: { value: number; error: number };
  }[];
  monteCarlo: {
    p: DistributionSpec;
    q: DistributionSpec;
    forward: Num;
    reverse: Num;
    jensenShannon?: Num;
  }[];
}

export const fixture: KlFixture = JSON.parse(
  readFileSync(new URL('../../fixtures/kl.json', import.meta.url), 'utf8'),
);

export function num(x: Num): number {
  if (typeof x === 'number') return x;
  return x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number.NaN;
}

export const label = (p: unknown, q: unknown) => `${JSON.stringify(p)} || ${JSON.stringify(q)}`;

/** |actual - expected| <= max(abs, rel |expected|), with a readable failure message. */
export function close(actual: number, expected: number, rel: number, abs = 0): { ok: boolean; msg: string } {
  if (actual === expected) return { ok: true, msg: '' };
  const diff = Math.abs(actual - expected);
  const tol = Math.max(abs, rel * Math.abs(expected));
  return {
    ok: diff <= tol,
    msg: `got ${actual}, expected ${expected} (diff ${diff.toExponential(2)}, tolerance ${tol.toExponential(2)})`,
  };
}
