import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const bernoulliFamily: FamilyDef = {
  name: 'bernoulli',
  kind: 'discrete',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: bernoulli');
  },
};
