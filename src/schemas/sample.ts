import { z } from 'zod';
import { Seed } from './common.js';
import { Distribution } from './distribution.js';

export const SampleBody = z.strictObject({
  distribution: Distribution,
  n: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('Number of draws (limits: MAX_SAMPLE_N_JSON, MAX_SAMPLE_N_BINARY).'),
  seed: Seed.optional(),
});

export const SampleResponse = z.object({
  distribution: Distribution,
  n: z.number().int(),
  seed: Seed,
  samples: z.union([z.array(z.number()), z.array(z.array(z.number()))]),
});
