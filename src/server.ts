import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

// pino writes JSON lines with the request id on each; pipe through pino-pretty to read them by eye.
const app = await buildApp(config, { logger: { level: config.LOG_LEVEL } });

/**
 * SIGTERM / SIGINT (or an uncaught error): stop taking work (readyz and new requests 503, still
 * listening for SHUTDOWN_DRAIN_MS), tell
 * WebSocket clients { type: "shutdown" } and close them with 1001, cancel the jobs, close the pool,
 * exit 0. close-with-grace exits 1 if all that takes longer than SHUTDOWN_GRACE_MS; a second signal
 * exits at once.
 */
closeWithGrace(
  {
    delay: config.SHUTDOWN_GRACE_MS,
    logger: { error: (msg: unknown) => app.log.error(msg) },
  },
  async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'shutting down');
    app.lifecycle.draining = true;
    // Keep listening a moment with readyz and new work at 503 (in-flight requests and jobs go on),
    // so that load balancers take this instance out before its port closes.
    if (!err)
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(config.SHUTDOWN_DRAIN_MS, config.SHUTDOWN_GRACE_MS / 2)),
      );
    // Fastify's close() can wait out keepAliveTimeout on idle keep-alive sockets (fastify#7044):
    // close the idle ones now, and again as in-flight requests finish and leave theirs idle.
    app.server.closeIdleConnections();
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
    sweeper.unref();
    try {
      await app.close();
    } finally {
      clearInterval(sweeper);
    }
    app.log.info('closed');
  },
);

await app.listen({ host: config.HOST, port: config.PORT });
