import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/** The OpenAPI document as the running service generates it, pretty-printed with a final newline. */
export async function generateOpenApi(): Promise<string> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }));
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}
