import { describe, expect, it } from 'vitest';
import { DrainingError, QueueFullError } from '../../src/jobs/errors.js';
import { type Dispatch, Scheduler, type TaskSource } from '../../src/jobs/scheduler.js';

/** A runner whose tasks finish when the test says so. */
function manualRunner() {
  const calls: Array<{ name: string; payload: unknown; signal: AbortSignal; resolve: (v: unknown) => void }> =
    [];
  const runner = (name: string, payload: unknown, signal: AbortSignal) =>
    new Promise((resolve, reject) => {
      calls.push({ name, payload, signal, resolve });
      signal.addEventListener('abort', () =>
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
      );
    });
  return { calls, runner };
}

function source(name: string, count: number, log: string[]): TaskSource {
  let left = count;
  return {
    next(): Dispatch | undefined {
      if (left === 0) return undefined;
      left--;
      return { name, payload: left, settle: () => log.push(`${name} done`) };
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Scheduler', () => {
  it('never runs more tasks than slots, and shares them round robin between sources', async () => {
    const { calls, runner } = manualRunner();
    const s = new Scheduler(runner, 2, 10);
    const log: string[] = [];
    s.addSource(source('a', 3, log));
    s.addSource(source('b', 3, log));
    expect(calls.map((c) => c.name)).toEqual(['a', 'a']);
    expect(s.running).toBe(2);
    calls[0]!.resolve(1);
    await tick();
    calls[1]!.resolve(1);
    await tick();
    // freed slots alternate between the sources
    expect(calls.map((c) => c.name)).toEqual(['a', 'a', 'b', 'a']);
    expect(s.running).toBe(2);
  });

  it("a running task that is aborted rejects with the signal's reason, not the runner's wrapper", async () => {
    const { calls, runner } = manualRunner();
    const s = new Scheduler(runner, 1, 10);
    const ac = new AbortController();
    const answer = s.run('sync', 1, ac.signal);
    expect(calls).toHaveLength(1);
    const reason = Object.assign(new Error('the client closed the connection'), { statusCode: 499 });
    ac.abort(reason);
    await expect(answer).rejects.toBe(reason);
    const shutdown = s.run('sync', 2);
    s.close();
    await expect(shutdown).rejects.toBeInstanceOf(DrainingError);
  });

  it('puts synchronous requests ahead of jobs', async () => {
    const { calls, runner } = manualRunner();
    const s = new Scheduler(runner, 1, 10);
    s.addSource(source('job', 5, []));
    const answer = s.run('sync', 42);
    expect(calls.map((c) => c.name)).toEqual(['job']);
    calls[0]!.resolve(0);
    await tick();
    expect(calls.map((c) => c.name)).toEqual(['job', 'sync']);
    calls[1]!.resolve('ok');
    await expect(answer).resolves.toBe('ok');
  });

  it('refuses past maxWaiting with a QueueFullError, and drops an aborted waiter', async () => {
    const { calls, runner } = manualRunner();
    const s = new Scheduler(runner, 1, 1);
    const first = s.run('t', 1);
    const ac = new AbortController();
    const second = s.run('t', 2, ac.signal);
    await expect(s.run('t', 3)).rejects.toBeInstanceOf(QueueFullError);
    ac.abort();
    await expect(second).rejects.toThrow();
    expect(s.waiting).toBe(0);
    calls[0]!.resolve('one');
    await expect(first).resolves.toBe('one');
    expect(calls).toHaveLength(1);
  });

  it('aborts a running request with its signal', async () => {
    const { calls, runner } = manualRunner();
    const s = new Scheduler(runner, 1, 1);
    const ac = new AbortController();
    const p = s.run('t', 1, ac.signal);
    expect(calls).toHaveLength(1);
    ac.abort();
    await expect(p).rejects.toThrow(/abort/);
    await tick();
    expect(s.running).toBe(0);
  });

  it('close() refuses new work, fails the waiting and aborts the running', async () => {
    const { runner } = manualRunner();
    const s = new Scheduler(runner, 1, 5);
    const running = s.run('t', 1);
    const waiting = s.run('t', 2);
    s.close();
    await expect(waiting).rejects.toBeInstanceOf(DrainingError);
    await expect(running).rejects.toThrow();
    await expect(s.run('t', 3)).rejects.toBeInstanceOf(DrainingError);
  });
});
