import { z } from 'zod';

export const Catalogue = z.object({
  families: z.array(
    z.object({
      family: z.string(),
      kind: z.enum(['continuous', 'discrete', 'multivariate']),
      kinds: z
        .array(z.enum(['continuous', 'discrete', 'multivariate']))
        .optional()
        .describe('mixture only: the kinds it can take (that of its components)'),
      description: z.string(),
      parameters: z.array(
        z.object({
          name: z.string(),
          type: z.string(),
          constraint: z.string(),
          optional: z.boolean().optional(),
          default: z.number().optional(),
        }),
      ),
      support: z.string(),
      operations: z.array(z.string()),
    }),
  ),
});
