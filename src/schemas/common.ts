import { z } from 'zod';

/** A finite JSON number (zod rejects NaN and Infinity; JSON's 1e400 parses to Infinity). */
export const finite = z.number().describe('a finite number');
export const positive = z.number().positive();
export const vector = z.array(finite);

export const Seed = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().max(256)])
  .describe('A non-negative integer below 2^53 or a string of at most 256 characters.');

export const Confidence = z.number().gt(0).lt(1).default(0.95).describe('Level of the confidence interval.');

/** JSON has no Infinity or NaN: the service writes them as strings. */
export const NumberOut = z
  .union([z.number(), z.enum(['Infinity', '-Infinity', 'NaN'])])
  .describe('A number, or "Infinity", "-Infinity" or "NaN" where the value is not finite.');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json).');

/** Error responses every body-taking route can give. */
export const problemResponses = {
  400: Problem,
  413: Problem,
  415: Problem,
} as const;
