import type { Job, JobError, JobStatus, Progress } from './job.js';

export interface JobLinks {
  self: string;
  stream: string;
}

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  created: string;
  started?: string;
  finished?: string;
  n: number;
  seed: number | string;
  progressIntervalMs: number;
  progress: Progress | null;
  result?: unknown;
  error?: JobError;
  reason?: string;
  links: JobLinks;
}

export function jobLinks(id: string): JobLinks {
  return { self: `/v1/jobs/${id}`, stream: `/v1/jobs/${id}/stream` };
}

/** The job as GET /v1/jobs/:id shows it. */
export function jobView(job: Job): JobView {
  const v: JobView = {
    id: job.id,
    kind: job.kind.name,
    status: job.status,
    created: job.created.toISOString(),
    n: job.target,
    seed: job.seed,
    progressIntervalMs: job.progressIntervalMs,
    progress: job.progress,
    links: jobLinks(job.id),
  };
  if (job.started) v.started = job.started.toISOString();
  if (job.finished) v.finished = job.finished.toISOString();
  if (job.status === 'succeeded') v.result = job.result;
  if (job.status === 'failed') v.error = job.error;
  if (job.status === 'cancelled') v.reason = job.cancelReason;
  return v;
}
