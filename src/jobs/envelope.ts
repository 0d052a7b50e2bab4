import { type InputIssue, InvalidInputError } from '../core/errors.js';
import type { TaskFn } from './tasks.js';

/**
 * A task's answer as it crosses the thread boundary. Structured cloning keeps an Error's message but
 * not its class, so errors travel as plain data and are rebuilt on the main thread: an
 * InvalidInputError thrown in a worker is still a 400, exactly as when the task ran inline.
 */
export type Envelope =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; message: string; invalidInput?: boolean; issues?: InputIssue[] } };

export interface TaskMessage {
  name: string;
  payload: unknown;
}

/** Run a task by name (looked up at call time) and wrap its answer or its error. */
export function runEnveloped(lookup: (name: string) => TaskFn | undefined, msg: TaskMessage): Envelope {
  try {
    const task = lookup(msg.name);
    if (task === undefined) throw new Error(`unknown task '${msg.name}'`);
    return { ok: true, value: task(msg.payload) };
  } catch (err) {
    const e = err as Error;
    if (e instanceof InvalidInputError)
      return { ok: false, error: { name: e.name, message: e.message, invalidInput: true, issues: e.issues } };
    return { ok: false, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } };
  }
}

/** The task's value, or its error rebuilt (an InvalidInputError, or a subclass, stays one with its issues). */
export function unwrap(envelope: Envelope): unknown {
  if (envelope.ok) return envelope.value;
  const { name, message, issues, invalidInput } = envelope.error;
  if (invalidInput) {
    const err = new InvalidInputError(message, issues);
    err.name = name;
    throw err;
  }
  const err = new TaskError(message);
  err.taskErrorName = name;
  throw err;
}

/** A task that threw in a worker (not a crash: the worker lives on). */
export class TaskError extends Error {
  taskErrorName = 'Error';
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}
