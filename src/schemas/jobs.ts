import { z } from 'zod';
import type { AnyJobKind } from '../jobs/kinds/types.js';
import { NumberOut } from './common.js';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

/**
 * n of a job: any whole number from 1; over MAX_JOB_N is a 413 that names the limit (so a huge n is
 * not a vague 400). 1e20 is a whole number in JSON and gets the 413.
 */
export const JobN = z
  .number()
  .min(1)
  .refine(Number.isInteger, 'must be an integer')
  .describe('Total draws (limit: MAX_JOB_N, 1e12 by default).');

export const ProgressIntervalMs = z
  .number()
  .int()
  .min(10)
  .max(60_000)
  .default(250)
  .describe('How often subscribers get a progress message (ms).');

/** One option per kind: the synchronous endpoint's body plus kind, n and progressIntervalMs. */
export function jobBodySchema(kinds: AnyJobKind[]): z.ZodType<JobBody> {
  const options = kinds.map((k) =>
    k.bodySchema
      .extend({ kind: z.literal(k.name), n: JobN, progressIntervalMs: ProgressIntervalMs })
      .describe(k.summary),
  );
  if (options.length === 0) return z.strictObject({ kind: z.never() }) as unknown as z.ZodType<JobBody>;
  // biome-ignore lint/suspicious/noExplicitAny: a non-empty list of object schemas
  return z.discriminatedUnion('kind', options as any) as unknown as z.ZodType<JobBody>;
}

export type JobBody = { kind: string; n: number; progressIntervalMs: number } & Record<string, unknown>;

export const JobParams = z.strictObject({
  id: z.string().describe('The job id (a UUID); any other string is a 404.'),
});

export const JobLinks = z.object({ self: z.string(), stream: z.string() });

export const JobAccepted = z.object({ id: z.string(), status: JobStatus, links: JobLinks });

export const Interval = z.object({ level: z.number(), low: NumberOut, high: NumberOut });

export const Progress = z
  .object({
    n: z.number(),
    target: z.number(),
    estimate: NumberOut,
    stdError: NumberOut,
    ci: Interval,
    samplesPerSecond: z.number(),
    elapsedMs: z.number(),
  })
  .describe('The latest folded numbers of a job.');

export const JobError = z.object({
  code: z.enum(['task_failed', 'worker_crashed', 'out_of_memory', 'too_slow', 'invalid_input', 'internal']),
  message: z.string(),
});

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  status: JobStatus,
  created: z.string(),
  started: z.string().optional(),
  finished: z.string().optional(),
  n: z.number(),
  seed: z.union([z.number(), z.string()]),
  progressIntervalMs: z.number(),
  progress: Progress.nullable(),
  result: z.unknown().optional().describe("The synchronous endpoint's answer (status succeeded)."),
  error: JobError.optional().describe('Why it failed (status failed).'),
  reason: z.string().optional().describe('Why it was cancelled (status cancelled).'),
  links: JobLinks,
});

export const JobList = z.object({
  jobs: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      status: JobStatus,
      created: z.string(),
      finished: z.string().optional(),
      progress: z
        .object({ n: z.number(), target: z.number(), estimate: NumberOut, stdError: NumberOut })
        .nullable(),
    }),
  ),
  total: z.number().int().describe('Jobs matching the filter (the list holds at most `limit`).'),
});

export const JobListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  status: JobStatus.optional(),
});

/** A message from a /v1/stream client: which action (the rest is checked per action). */
export const StreamAction = z.object({ action: z.enum(['start', 'cancel']) }).loose();
export const CancelMessage = z.strictObject({ action: z.literal('cancel') });
