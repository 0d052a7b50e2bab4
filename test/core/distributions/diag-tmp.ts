import { readFileSync } from 'node:fs';
import { createDistribution } from '../../../src/core/distributions/registry.js';
import type { UnivariateDistribution } from '../../../src/core/distributions/types.js';

const fx = JSON.parse(readFileSync('test/fixtures/continuous.json', 'utf8'));
const dec = (v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : (v as number));
function rel(a: number, b: number) {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
const thr = Number(process.argv[2] ?? 1e-13);
for (const c of fx.cases) {
  const d = createDistribution(c.spec) as UnivariateDistribution;
  const name = JSON.stringify(c.spec);
  const worst: Record<string, number> = {};
  const note = (k: string, e: number, msg: string) => {
    worst[k] = Math.max(worst[k] ?? 0, e);
    if (e > thr) console.log(`  ${name} ${msg} rel=${e.toExponential(2)}`);
  };
  for (const pt of c.points) {
    const x = dec(pt.x);
    for (const [k, f] of [['logpdf', d.logPdf], ['cdf', d.cdf], ['sf', d.sf]] as const) {
      const got = f.call(d, x);
      const want = dec(pt[k]);
      note(k, rel(got, want), `${k}(${x}) got ${got} want ${want}`);
    }
  }
  for (const q of c.quantiles) {
    const got = d.quantile(q.p);
    note('q', rel(got, dec(q.x)), `quantile(${q.p}) got ${got} want ${dec(q.x)}`);
  }
  for (const k of ['mean', 'variance', 'entropy'] as const) {
    const got = d[k]();
    note(k, rel(got, dec(c[k])), `${k} got ${got} want ${dec(c[k])}`);
  }
  console.log(name, Object.entries(worst).map(([k, v]) => `${k}:${v.toExponential(1)}`).join(' '));
}
