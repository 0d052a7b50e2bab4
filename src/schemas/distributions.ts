import { z } from 'zod';

export const Catalogue = z.object({
  families: z.array(
    z.object({
      family: z.string(),
      kind: z.enum(['continuous', 'discrete', 'multivariate', 'mixed']),
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
