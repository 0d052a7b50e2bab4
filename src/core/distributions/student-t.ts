import type { FamilyDef } from './types.js';

// STUB: to be replaced by the real family.
export const studentTFamily: FamilyDef = {
  name: 'student_t',
  kind: 'continuous',
  description: '',
  params: [],
  support: '',
  create() {
    throw new Error('not implemented: student_t');
  },
};
