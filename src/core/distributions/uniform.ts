import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const uniformFamily: FamilyDef = {
  name: 'uniform',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: uniform');
  },
};
