import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const categoricalFamily: FamilyDef = {
  name: 'categorical',
  kind: 'discrete',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: categorical');
  },
};
