import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const geometricFamily: FamilyDef = {
  name: 'geometric',
  kind: 'discrete',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: geometric');
  },
};
