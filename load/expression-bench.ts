/**
 * How fast is a compiled client expression compared with a hand-written closure?
 *
 *   npx tsx load/expression-bench.ts [points]
 *
 * Times `x^2 + sin(x)` over 1e7 points (best of 5 timed loops after a warm-up, best of 3 processes):
 * the compiled evaluate, evaluateBatch, and the hand-written `(x) => x ** 2 + Math.sin(x)`, and
 * prints the ratios (1.00 = as fast). Each contender runs in its own child process: timing several functions through
 * one process skews whichever runs later (V8's feedback and inlining decisions are shared).
 */
import { spawnSync } from 'node:child_process';
import { compileExpression, evaluateBatch } from '../src/core/expressions/index.js';

const SOURCE = 'x^2 + sin(x)';
const CONTENDERS = ['hand-written', 'compiled evaluate', 'compiled evaluateBatch'] as const;
type Contender = (typeof CONTENDERS)[number];

function measure(which: Contender, n: number): { ms: number; checksum: number } {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = -5 + (10 * i) / n;
  const out = new Float64Array(n);
  const compiled = compileExpression(SOURCE);
  const hand = (x: number): number => x ** 2 + Math.sin(x);
  const f = which === 'hand-written' ? hand : compiled.evaluate;
  let best = Infinity;
  let checksum = 0;
  for (let round = 0; round < 6; round++) {
    const t0 = performance.now();
    let s = 0;
    if (which === 'compiled evaluateBatch') {
      evaluateBatch(compiled, xs, out);
      for (let i = 0; i < n; i += 1000) s += out[i]!;
    } else {
      for (let i = 0; i < n; i++) s += f(xs[i]!);
    }
    const ms = performance.now() - t0;
    checksum = s;
    if (round > 0 && ms < best) best = ms;
  }
  return { ms: best, checksum };
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
  const which = process.argv[child + 1] as Contender;
  const n = Number(process.argv[child + 2]);
  process.stdout.write(JSON.stringify(measure(which, n)));
} else {
  const n = Number(process.argv[2] ?? 1e7);
  console.log(`expression: ${SOURCE}`);
  console.log(`generated:  ${compileExpression(SOURCE).code}`);
  console.log(`points:     ${n}\n`);
  // Interleave the contenders over three rounds and keep each one's best, to damp a busy machine.
  const ms = new Map<Contender, number>();
  for (let round = 0; round < 3; round++) {
    for (const which of CONTENDERS) {
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, '--child', which, String(n)],
        {
          encoding: 'utf8',
        },
      );
      if (run.status !== 0) throw new Error(`${which} failed: ${run.stderr}`);
      const result = JSON.parse(run.stdout) as { ms: number; checksum: number };
      ms.set(which, Math.min(ms.get(which) ?? Infinity, result.ms));
    }
  }
  for (const which of CONTENDERS)
    console.log(`${which.padEnd(24)} ${ms.get(which)!.toFixed(1).padStart(8)} ms`);
  const hand = ms.get('hand-written')!;
  console.log(`\nratio evaluate / hand-written:      ${(ms.get('compiled evaluate')! / hand).toFixed(2)}`);
  console.log(`ratio evaluateBatch / hand-written: ${(ms.get('compiled evaluateBatch')! / hand).toFixed(2)}`);
}
