import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Request durations are bucketed on these bounds (seconds), as Prometheus histograms expect. */
const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** Escape a label value for the Prometheus text format. */
const label = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/**
 * GET /metrics in the Prometheus text format: request counts and durations by route and status,
 * plus gauges of the pool, the jobs and the sockets. Small and dependency-free: the service needs a
 * dozen series, not a metrics library.
 */
async function metricsPlugin(app: FastifyInstance) {
  const requests = new Map<string, number>();
  const durations = new Map<string, Histogram>();

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const key = `method="${req.method}",route="${label(route)}",status="${reply.statusCode}"`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const hkey = `method="${req.method}",route="${label(route)}"`;
    let h = durations.get(hkey);
    if (h === undefined) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      durations.set(hkey, h);
    }
    const seconds = reply.elapsedTime / 1000;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]! += 1;
    h.sum += seconds;
    h.count += 1;
  });

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics (text format).' } },
    async (_req, reply) => {
      const lines: string[] = [];
      const gauge = (name: string, help: string, value: number) => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
      };
      lines.push('# HELP likely_http_requests_total HTTP requests by method, route and status.');
      lines.push('# TYPE likely_http_requests_total counter');
      for (const [k, v] of requests) lines.push(`likely_http_requests_total{${k}} ${v}`);
      lines.push('# HELP likely_http_request_duration_seconds HTTP request durations.');
      lines.push('# TYPE likely_http_request_duration_seconds histogram');
      for (const [k, h] of durations) {
        for (let i = 0; i < BUCKETS.length; i++) {
          lines.push(`likely_http_request_duration_seconds_bucket{${k},le="${BUCKETS[i]}"} ${h.counts[i]}`);
        }
        lines.push(`likely_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
        lines.push(`likely_http_request_duration_seconds_sum{${k}} ${h.sum}`);
        lines.push(`likely_http_request_duration_seconds_count{${k}} ${h.count}`);
      }
      const counts = app.jobs.manager.counts;
      gauge('likely_jobs_queued', 'Jobs waiting for a slot.', counts.queued);
      gauge('likely_jobs_running', 'Jobs running now.', counts.running);
      gauge('likely_jobs_finished', 'Finished jobs still kept.', counts.finished);
      gauge('likely_pool_size', 'Worker threads in the pool.', app.pool.size);
      gauge('likely_pool_tasks_running', 'Tasks running on the pool.', app.pool.scheduler.running);
      gauge(
        'likely_pool_tasks_waiting',
        'Synchronous computations waiting for a worker.',
        app.pool.scheduler.waiting,
      );
      gauge('likely_websocket_clients', 'Open WebSocket connections.', app.sockets.count());
      gauge('likely_draining', '1 while shutting down.', app.lifecycle.draining ? 1 : 0);
      const mem = process.memoryUsage();
      gauge('likely_process_resident_memory_bytes', 'Resident set size.', mem.rss);
      gauge('likely_process_heap_used_bytes', 'V8 heap in use.', mem.heapUsed);
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
    },
  );
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['pool', 'jobs', 'websocket'] });
