import { z } from 'zod';

/** A finite JSON number (zod rejects NaN and Infinity; JSON's 1e400 parses to Infinity). */
export const finite = z.number().describe('a finite number');
export const positive = z.number().positive();
export const vector = z.array(finite);

/** The rule of a seed, as every message about a bad one states it. */
export const SEED_RULE = 'must be a non-negative integer below 2^53 or a string of at most 256 characters';

const seedRule = { error: SEED_RULE };

/**
 * Every check carries the rule, so 1.5, null, true, -1, 2^53 and a 257-character string all read
 * `seed: must be ...` (zod reports 2^53 twice, as over int and over the maximum: the error mapping
 * keeps one). A string must be well-formed Unicode (no unpaired surrogate, which only a JSON \u
 * escape can make): it is echoed in the X-Seed header percent-encoded as UTF-8, which such a string
 * has no encoding in.
 */
export const Seed = z
  .union(
    [
      z.number(seedRule).int(seedRule).min(0, seedRule).max(Number.MAX_SAFE_INTEGER, seedRule),
      z
        .string(seedRule)
        .max(256, seedRule)
        .refine(
          (s) => !/[\uD800-\uDFFF]/u.test(s),
          'must be well-formed Unicode (it has an unpaired surrogate)',
        ),
    ],
    seedRule,
  )
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
  429: Problem,
  503: Problem,
} as const;
