import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const laplaceFamily: FamilyDef = {
  name: 'laplace',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: laplace');
  },
};
