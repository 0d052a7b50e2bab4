import { z } from 'zod';
import { NumberOut, vector } from './common.js';
import { Distribution } from './distribution.js';

export const DensityBody = z.strictObject({
  distribution: Distribution,
  x: z
    .union([vector, z.array(vector)])
    .describe('Points: numbers for a univariate family, rows of d numbers for a d-dimensional one.'),
});

export const DensityResponse = z.object({
  logDensity: z
    .array(NumberOut)
    .describe('log density (log mass for a discrete family); "-Infinity" outside the support'),
  density: z.array(NumberOut),
  cdf: z.array(NumberOut).optional().describe('P(X <= x), univariate families only'),
});

export const QuantileBody = z.strictObject({
  distribution: Distribution,
  p: z.array(z.number().min(0).max(1)).min(1).describe('Probabilities in [0, 1].'),
});

export const QuantileResponse = z.object({ x: z.array(NumberOut) });

export const DescribeBody = z.strictObject({ distribution: Distribution });

export const DescribeResponse = z.object({
  family: z.string(),
  kind: z.enum(['continuous', 'discrete', 'multivariate']),
  dim: z.number().int(),
  mean: z.union([NumberOut, z.array(NumberOut)]),
  variance: z
    .union([NumberOut, z.array(NumberOut)])
    .describe('variance; for a multivariate family, the diagonal of the covariance'),
  std: z.union([NumberOut, z.array(NumberOut)]),
  entropy: NumberOut.describe('in nats (Shannon entropy for a discrete family)'),
  support: z.object({ text: z.string(), lower: NumberOut.optional(), upper: NumberOut.optional() }),
  covariance: z.array(z.array(NumberOut)).optional(),
});
