import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const poissonFamily: FamilyDef = {
  name: 'poisson',
  kind: 'discrete',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: poisson');
  },
};
