import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const mixtureFamily: FamilyDef = {
  name: 'mixture',
  kind: 'mixed',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: mixture');
  },
};
