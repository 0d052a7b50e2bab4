/**
 * The piscina worker entry: runs one named task (src/jobs/tasks.ts) on plain data and answers with
 * an Envelope. Test-only tasks are loaded only when the pool is created with workerData.testTasks.
 */
import { workerData } from 'node:worker_threads';
import { type Envelope, runEnveloped, type TaskMessage } from './envelope.js';
import { TASKS, type TaskFn } from './tasks.js';

// No top-level await: piscina first loads the entry with require(), and Node 20's require() of an
// ESM graph with top-level await can abort the whole process (v8 IsGraphAsync fatal error).
const extraReady: Promise<Record<string, TaskFn>> = (workerData as { testTasks?: boolean } | undefined)
  ?.testTasks
  ? import('./test-tasks.js').then((m) => m.TEST_TASKS)
  : Promise.resolve({});

export default async function run(msg: TaskMessage): Promise<Envelope> {
  const extra = await extraReady;
  const lookup = (name: string): TaskFn | undefined =>
    Object.hasOwn(extra, name) ? extra[name] : Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
  return runEnveloped(lookup, msg);
}
