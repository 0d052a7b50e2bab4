import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const weibullFamily: FamilyDef = {
  name: 'weibull',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: weibull');
  },
};
