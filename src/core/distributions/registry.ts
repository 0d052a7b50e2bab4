import { InvalidInputError, invalid } from '../errors.js';
import { bernoulliFamily } from './bernoulli.js';
import { betaFamily } from './beta.js';
import { binomialFamily } from './binomial.js';
import { categoricalFamily } from './categorical.js';
import { cauchyFamily } from './cauchy.js';
import { dirichletFamily } from './dirichlet.js';
import { exponentialFamily } from './exponential.js';
import { gammaFamily } from './gamma.js';
import { geometricFamily } from './geometric.js';
import { laplaceFamily } from './laplace.js';
import { lognormalFamily } from './lognormal.js';
import { mixtureFamily } from './mixture.js';
import { multivariateNormalFamily } from './multivariate-normal.js';
import { normalFamily } from './normal.js';
import { poissonFamily } from './poisson.js';
import { studentTFamily } from './student-t.js';
import type { Distribution, DistributionSpec, FamilyDef } from './types.js';
import { uniformFamily } from './uniform.js';
import { weibullFamily } from './weibull.js';

/** The one registry of families: the catalogue, validation and construction all read it. */
export const FAMILIES: readonly FamilyDef[] = [
  normalFamily,
  lognormalFamily,
  uniformFamily,
  exponentialFamily,
  gammaFamily,
  betaFamily,
  studentTFamily,
  laplaceFamily,
  cauchyFamily,
  weibullFamily,
  bernoulliFamily,
  binomialFamily,
  poissonFamily,
  geometricFamily,
  categoricalFamily,
  multivariateNormalFamily,
  dirichletFamily,
  mixtureFamily,
];

const BY_NAME = new Map(FAMILIES.map((f) => [f.name, f]));

export const FAMILY_NAMES = FAMILIES.map((f) => f.name) as [string, ...string[]];

export function getFamily(name: string): FamilyDef | undefined {
  return BY_NAME.get(name);
}

/**
 * Build a distribution from its plain-data spec. `path` prefixes the field names in errors, so a
 * bad `q` in a KL request reports `q.scale`, not `scale`.
 */
export function createDistribution(spec: DistributionSpec, path = ''): Distribution {
  const family = BY_NAME.get(spec.family);
  if (family === undefined) {
    invalid(
      path === '' ? 'family' : `${path}.family`,
      `unknown family '${spec.family}'; one of ${FAMILY_NAMES.join(', ')}`,
    );
  }
  try {
    return family.create(spec);
  } catch (err) {
    if (err instanceof InvalidInputError && path !== '') throw err.withPrefix(path);
    throw err;
  }
}
