/**
 * The pure functions the worker pool can run, by name. Each takes and returns plain data
 * (structured-clonable), so the same function runs inline, in a worker, or in a test.
 * Adding a task is one entry here.
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are plain data checked by each task
export type TaskFn = (payload: any) => unknown;

export const TASKS: Record<string, TaskFn> = {};

export function runTask(name: string, payload: unknown): unknown {
  const task = TASKS[name];
  if (task === undefined) throw new Error(`unknown task '${name}'`);
  return task(payload);
}
