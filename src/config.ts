import { availableParallelism } from 'node:os';
import { z } from 'zod';

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Every setting comes from the environment; this schema is the one place that says which and why. */
const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest JSON request body in bytes (fit raises it for its own route). */
  BODY_LIMIT: int(1024 * 1024, 1024),
  /** Largest body for POST /v1/fit (1e6 numbers in JSON need about 20 MB). */
  FIT_BODY_LIMIT: int(32 * 1024 * 1024, 1024),
  /** Fastify's requestTimeout (it defaults to 0, no timeout). */
  REQUEST_TIMEOUT_MS: int(60_000, 1),
  /** Largest n for JSON samples: JSON.stringify of 1e6 doubles already takes ~170 ms. */
  MAX_SAMPLE_N_JSON: int(1_000_000, 1),
  /** Largest n (times the dimension) for binary samples: 1e7 doubles = 80 MB. */
  MAX_SAMPLE_N_BINARY: int(10_000_000, 1),
  /** Largest number of draws (or evaluations) a synchronous endpoint will do. */
  MAX_SYNC_N: int(100_000_000, 1),
  /** Synchronous work above this many draws runs on the worker pool, not the event loop. */
  POOL_THRESHOLD_N: int(200_000, 0),
  /**
   * Time a synchronous request's pool task may run (a 100-component mixture's entropy, 1e8 draws of
   * a costly f); past it the worker is stopped and the answer is a 413 naming this limit.
   */
  COMPUTE_TIMEOUT_MS: int(60_000, 1),
  /** Worker threads in the pool. */
  POOL_SIZE: int(availableParallelism(), 1, 256),
  /** Jobs running at once (each holds one worker). */
  MAX_RUNNING_JOBS: int(availableParallelism(), 1, 256),
  /** Jobs waiting for a slot; beyond it POST /v1/jobs is a 429. */
  MAX_QUEUED_JOBS: int(100, 0),
  /** Largest n for a job. */
  MAX_JOB_N: int(1e12, 1),
  /** How long finished jobs are kept before they 404. */
  JOB_TTL_MS: int(15 * 60_000, 0),
  /** Memory cap per worker (MiB of old generation). */
  WORKER_MAX_OLD_MB: int(512, 16),
  /**
   * On SIGTERM, how long the server keeps listening while readyz and new work answer 503, so that a
   * load balancer sees the 503 and stops sending before the port closes. Part of SHUTDOWN_GRACE_MS.
   */
  SHUTDOWN_DRAIN_MS: int(1_000, 0, 600_000),
  /** Time allowed for a graceful shutdown before the process exits anyway. */
  SHUTDOWN_GRACE_MS: int(10_000, 0),
  /** Target duration of one pool task: a job sends batches of chunks this long (cancel latency). */
  JOB_TASK_TARGET_MS: int(100, 1, 60_000),
  /** Finished jobs kept at most (the oldest finished are forgotten first). */
  MAX_RETAINED_JOBS: int(1000, 1),
  /** Synchronous pool tasks waiting for a worker; beyond it the request is a 429. */
  MAX_WAITING_TASKS: int(256, 0),
  /** Enables the job kind 'test' and its misbehaving tasks (tests only; never in production). */
  JOB_TEST_KINDS: z
    .enum(['0', '1', 'false', 'true'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Largest WebSocket message a client may send (bytes); over it the socket closes with 1009. */
  WS_MAX_PAYLOAD: int(64 * 1024, 1024, 16 * 1024 * 1024),
  /** Interval of WebSocket pings; a peer that has not answered the previous one is dropped. */
  WS_PING_INTERVAL_MS: int(30_000, 10),
  /** Progress is sent to a socket only while its send buffer is below this (else only the latest waits). */
  WS_LOW_WATER_BYTES: int(16 * 1024, 0),
  /** A socket whose send buffer passes this many bytes is dropped. */
  WS_MAX_BUFFERED_BYTES: int(1024 * 1024, 1024),
  /** A socket whose send buffer stays above the low-water mark this long is dropped. */
  WS_STALL_MS: int(30_000, 10),
  /** WebSocket clients at once; beyond it an upgrade is a 503. */
  WS_MAX_CLIENTS: int(1000, 1),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Pure: the same environment gives the same config; a wrong value is an Error naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
