import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';

/** A test app with the given environment overrides (no listening port). */
export async function testApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', POOL_SIZE: '2', ...env });
  const app = await buildApp(config);
  await app.ready();
  return app;
}

export async function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    payload: body as object,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
