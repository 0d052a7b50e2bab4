import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const dirichletFamily: FamilyDef = {
  name: 'dirichlet',
  kind: 'multivariate',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: dirichlet');
  },
};
