import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FAMILIES } from '../core/distributions/registry.js';
import type { FamilyDef, Kind } from '../core/distributions/types.js';

const KINDS: Kind[] = ['continuous', 'discrete', 'multivariate'];

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
      // A mixture is of its components' kind; the catalogue names the commonest and lists all three.
      kind: f.kind === 'mixed' ? 'continuous' : f.kind,
      ...(f.kind === 'mixed' ? { kinds: [...KINDS] } : {}),
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
