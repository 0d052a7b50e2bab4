import { readFileSync } from 'node:fs';
import gammainc from '@stdlib/math-base-special-gammainc';
const ref = JSON.parse(readFileSync('/tmp/cdiag/gref.json', 'utf8')) as number[][];
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));
for (const [a, x, P, Q] of ref) {
  const p = gammainc(x!, a!), q = gammainc(x!, a!, true, true);
  const ep = rel(p, P!), eq = rel(q, Q!);
  if (ep > 1e-13 || eq > 1e-13) console.log(a, x, 'P', ep.toExponential(1), 'Q', eq.toExponential(1), P, Q);
}
