import { readFileSync } from 'node:fs';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { DistributionSpec } from '../../../src/core/distributions/types.js';
import { InvalidInputError } from '../../../src/core/errors.js';

export interface Case {
  name: string;
  distribution: DistributionSpec;
  f: string;
  exact: number;
  varF?: number;
}

const data = JSON.parse(
  readFileSync(new URL('../../fixtures/expectation.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** A reference case by name (test/reference/expectation.py writes them). */
export function fixture(name: string): Case {
  const c = data.cases.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no fixture '${name}'`);
  return c;
}

/**
 * Whether a family is implemented yet (families land one by one): an InvalidInputError means it is
 * there and checks its parameters; any other error ("not implemented") means not yet.
 */
export function hasFamily(spec: DistributionSpec): boolean {
  try {
    createDistribution(spec);
    return true;
  } catch (err) {
    return err instanceof InvalidInputError;
  }
}
