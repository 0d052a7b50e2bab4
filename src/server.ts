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

closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'shutting down');
  app.lifecycle.draining = true;
  // Fastify's close() can wait out keepAliveTimeout on idle keep-alive sockets (fastify#7044).
  app.server.closeIdleConnections();
  await app.close();
});

await app.listen({ host: config.HOST, port: config.PORT });
