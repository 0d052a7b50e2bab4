/**
 * The piscina worker entry: runs one named task (src/jobs/tasks.ts) on plain data and answers with
 * an Envelope. Test-only tasks are loaded only when the pool is created with workerData.testTasks.
 */
import { workerData } from 'node:worker_threads';
import { type Envelope, runEnveloped, type TaskMessage } from './envelope.js';
import { TASKS, type TaskFn } from './tasks.js';

let extra: Record<string, TaskFn> = {};
if ((workerData as { testTasks?: boolean } | undefined)?.testTasks) {
  extra = (await import('./test-tasks.js')).TEST_TASKS;
}

const lookup = (name: string): TaskFn | undefined =>
  Object.hasOwn(extra, name) ? extra[name] : Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;

export default function run(msg: TaskMessage): Envelope {
  return runEnveloped(lookup, msg);
}
