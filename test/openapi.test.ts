import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../scripts/openapi.js';

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = JSON.parse(await generateOpenApi());
    expect(doc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(doc));
  });

  it('matches the committed openapi/openapi.json (run `npm run openapi` to update it)', async () => {
    const committed = readFileSync('openapi/openapi.json', 'utf8');
    expect(committed).toBe(await generateOpenApi());
  });

  it('documents every contract path', async () => {
    const doc = JSON.parse(await generateOpenApi());
    for (const path of [
      '/v1/distributions',
      '/v1/sample',
      '/v1/density',
      '/v1/quantile',
      '/v1/describe',
      '/healthz',
      '/readyz',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
