import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const gammaFamily: FamilyDef = {
  name: 'gamma',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: gamma');
  },
};
