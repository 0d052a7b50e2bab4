import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const exponentialFamily: FamilyDef = {
  name: 'exponential',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: exponential');
  },
};
