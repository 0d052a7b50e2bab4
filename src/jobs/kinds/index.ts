/**
 * The job kinds: adding one is one file in this folder and one line in KINDS.
 */
import { expectationKind } from './expectation.js';
import { klKind } from './kl.js';
import { testKind } from './test.js';
import type { AnyJobKind } from './types.js';

const KINDS: AnyJobKind[] = [expectationKind, klKind];

/** The kinds this process offers ('test' only when enabled). */
export function jobKinds(options: { testKinds?: boolean } = {}): AnyJobKind[] {
  return options.testKinds ? [...KINDS, testKind] : [...KINDS];
}
