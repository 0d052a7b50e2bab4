import { readFileSync } from 'node:fs';
import { gammaP, gammaQ } from '../../../src/core/distributions/continuous-util.js';
const ref = JSON.parse(readFileSync('/tmp/cdiag/gref.json', 'utf8')) as number[][];
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));
let worst = 0;
const t0 = performance.now();
for (const [a, x, P, Q] of ref) {
  const p = gammaP(a!, x!), q = gammaQ(a!, x!);
  const ep = rel(p, P!), eq = rel(q, Q!);
  worst = Math.max(worst, ep, eq);
  if (ep > 1e-13 || eq > 1e-13) console.log(a, x, 'P', ep.toExponential(1), 'Q', eq.toExponential(1), P, Q);
}
console.log('worst', worst, 'ms', performance.now() - t0);
