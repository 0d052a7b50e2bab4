import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const multivariateNormalFamily: FamilyDef = {
  name: 'multivariate_normal',
  kind: 'multivariate',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: multivariate_normal');
  },
};
