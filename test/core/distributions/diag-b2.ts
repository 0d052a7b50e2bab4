import { readFileSync } from 'node:fs';
import betainc from '@stdlib/math-base-special-betainc';
const ref = JSON.parse(readFileSync('/tmp/cdiag/bref.json', 'utf8')) as number[][];
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));
let n = 0;
for (const [a, b, x, P, Q] of ref) {
  const p = betainc(x!, a!, b!), q = betainc(x!, a!, b!, true, true);
  const ep = rel(p, P!), eq = rel(q, Q!);
  if (ep > 1e-13 || eq > 1e-13) { n++; console.log(a, b, x, 'P', ep.toExponential(1), 'Q', eq.toExponential(1), P, Q); }
}
console.log('bad', n, 'of', ref.length);
