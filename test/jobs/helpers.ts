import type { FastifyInstance } from 'fastify';
import { post } from '../helpers/app.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// biome-ignore lint/suspicious/noExplicitAny: job views are checked field by field in the tests
export type JobJson = any;

/** POST /v1/jobs; fails the test unless it is a 202. */
export async function startJob(app: FastifyInstance, body: Record<string, unknown>): Promise<string> {
  const res = await post(app, '/v1/jobs', body);
  if (res.statusCode !== 202) throw new Error(`POST /v1/jobs: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export async function getJob(app: FastifyInstance, id: string): Promise<JobJson> {
  const res = await app.inject(`/v1/jobs/${id}`);
  if (res.statusCode !== 200) throw new Error(`GET /v1/jobs/${id}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Poll until the job leaves queued/running (or until `timeoutMs`). */
export async function waitJob(app: FastifyInstance, id: string, timeoutMs = 20_000): Promise<JobJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(app, id);
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (Date.now() > end) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Poll until `pred` holds for the job. */
export async function waitFor(
  app: FastifyInstance,
  id: string,
  pred: (job: JobJson) => boolean,
  timeoutMs = 20_000,
): Promise<JobJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(app, id);
    if (pred(job)) return job;
    if (Date.now() > end)
      throw new Error(`job ${id}: condition not met after ${timeoutMs} ms (${job.status})`);
    await sleep(5);
  }
}

/** Run a tiny job so the workers have loaded their code before timing-sensitive tests. */
export async function warmUp(app: FastifyInstance): Promise<void> {
  const ids = await Promise.all(
    [1, 2].map(() => startJob(app, { kind: 'test', n: 20_000, chunkSize: 1000, seed: 0 })),
  );
  for (const id of ids) await waitJob(app, id, 60_000);
}
