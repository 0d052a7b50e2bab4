/**
 * The pure functions the worker pool can run, by name. Each takes and returns plain data
 * (structured-clonable), so the same function runs inline, in a worker, or in a test.
 * Adding a task is one entry here.
 */

import { densityAt, describe, quantilesAt } from '../core/distributions/evaluate.js';
import { createDistribution } from '../core/distributions/registry.js';
import { drawSamples } from '../core/distributions/sampling.js';
import { klChunks, runKl } from '../core/divergence/index.js';
import { sampleConditional } from '../core/estimators/conditional.js';
import { expectationChunks, runExpectation } from '../core/estimators/expectation.js';
import { runFitTask } from '../core/fit/index.js';
import { createRng } from '../core/rng/index.js';
import { jobKinds } from './kinds/index.js';

// biome-ignore lint/suspicious/noExplicitAny: payloads are plain data checked by each task
export type TaskFn = (payload: any) => unknown;

export const TASKS: Record<string, TaskFn> = {
  'density.run': (p) => densityAt(p.distribution, p.x),
  'quantile.run': (p) => quantilesAt(p.distribution, p.p),
  'describe.run': (p) => describe(p.distribution),
  'sample.draw': (p) => drawSamples(createDistribution(p.distribution), createRng(p.seed), p.n),
  'expectation.run': (p) => runExpectation(p),
  'expectation.chunks': (p) => expectationChunks(p.spec, p.firstChunk, p.chunkCount, p.n),
  'conditional.sample': (p) => sampleConditional(p),
  'fit.run': (p) => runFitTask(p),
  'kl.chunks': (p) => klChunks(p),
  'kl.run': (p) => runKl(p),
  'job.prepare': (p) => prepareJob(p.kind, p.body),
};

/** A job kind's prepare, on a worker (for kinds whose preparation can be heavy). */
function prepareJob(name: string, body: unknown): unknown {
  const kind = jobKinds().find((k) => k.name === name);
  if (kind === undefined) throw new Error(`unknown job kind '${name}'`);
  return kind.prepare(body);
}

export function runTask(name: string, payload: unknown): unknown {
  const task = TASKS[name];
  if (task === undefined) throw new Error(`unknown task '${name}'`);
  return task(payload);
}
