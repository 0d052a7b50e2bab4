import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FAMILIES } from '../core/distributions/registry.js';
import type { FamilyDef } from '../core/distributions/types.js';
import { Catalogue } from '../schemas/distributions.js';

/** What a client may ask of a family. */
function operationsOf(f: FamilyDef): string[] {
  const ops = ['sample', 'density', 'describe', 'expectation', 'kl'];
  if (f.kind !== 'multivariate') ops.push('cdf', 'quantile');
  return ops;
}

const distributions: FastifyPluginAsyncZod = async (app) => {
  const catalogue = {
    families: FAMILIES.map((f) => ({
      family: f.name,
      kind: f.kind,
      description: f.description,
      parameters: f.params,
      support: f.support,
      operations: operationsOf(f),
    })),
  };
  app.get(
    '/v1/distributions',
    {
      schema: {
        tags: ['distributions'],
        summary: 'The catalogue of families, their parameters, supports and operations.',
        response: { 200: Catalogue },
      },
    },
    async () => catalogue,
  );
};

export default distributions;
