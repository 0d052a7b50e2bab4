import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type InputIssue, InvalidInputError } from '../core/errors.js';

const TITLES: Record<number, string> = {
  400: 'Invalid input',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const SLUGS: Record<number, string> = {
  400: 'invalid-input',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  500: 'internal',
  503: 'unavailable',
};

/** An error with an HTTP status that routes throw; the one error handler shapes it. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly issues?: InputIssue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: InputIssue[];
}

export function problem(status: number, detail: string, errors?: InputIssue[]): Problem {
  const body: Problem = {
    type: `https://likely.dev/problems/${SLUGS[status] ?? 'error'}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
  if (errors !== undefined && errors.length > 0) body.errors = errors;
  return body;
}

/** Can Node write this header? (A CR, LF or other control character or a non-Latin-1 one throws.) */
function writableHeader(name: string, value: unknown): boolean {
  try {
    validateHeaderName(name);
    for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v);
    return true;
  } catch {
    return false;
  }
}

function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}) {
  // A header Node refuses to write (a route that set one from unchecked input) throws inside
  // reply.send, while Fastify writes the head; the error comes back here with the header still set,
  // and sending again would throw again, past this handler to Fastify's plain-JSON fallback. Drop such
  // headers so every error, this one included, leaves as problem+json.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (!writableHeader(name, value)) reply.removeHeader(name);
  }
  const safe = Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => writableHeader(name, value)),
  );
  return reply.code(body.status).headers(safe).type('application/problem+json').send(body);
}

/** A zod 4 issue as fastify-type-provider-zod hands it over, or as nested in an invalid_union. */
interface ZodIssueLike {
  code?: string;
  path?: readonly PropertyKey[];
  message?: string;
  expected?: string;
  /** invalid_union of a discriminated union: the tags it knows. */
  options?: unknown[];
  /** invalid_union: the issues of each branch, paths relative to the union. */
  errors?: ZodIssueLike[][];
}

/** zod's message for an invalid_union when the schema gives none of its own. */
const BARE_UNION_MESSAGE = 'Invalid input';
const INVALID_TYPE = /^Invalid input: expected (.+), received (.+)$/;
const TYPE_NAMES: Record<string, string> = { int: 'integer' };

function withArticle(type: string): string {
  const name = TYPE_NAMES[type] ?? type;
  if (name === 'null' || name === 'undefined' || name === 'NaN' || name.includes('Infinity')) return name;
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/**
 * zod's own messages in plain words: invalid_type ("Invalid input: expected number, received null")
 * and a discriminated union's unknown or missing tag ("Invalid discriminator value. Expected 'a' | 'b'").
 */
function humanize(issue: ZodIssueLike): string {
  const message = issue.message ?? 'invalid';
  if (
    issue.code === 'invalid_union' &&
    message.startsWith('Invalid discriminator value.') &&
    Array.isArray(issue.options) &&
    issue.options.length > 0
  )
    return `must be one of: ${issue.options.map(String).join(', ')}`;
  if (issue.code !== 'invalid_type') return message;
  const m = INVALID_TYPE.exec(message);
  if (m === null) return message;
  return typeRule([withArticle(issue.expected ?? m[1]!)], m[2]);
}

/** "expected a number, got null"; a missing value "is required (expected a number)". */
function typeRule(expected: string[], received: string | undefined): string {
  const rule = `expected ${expected.join(' or ')}`;
  if (received === 'undefined') return `is required (${rule})`;
  return received === undefined ? rule : `${rule}, got ${received}`;
}

/** How far into the input an issue got: two steps per path level, one more when the type there matched. */
function reach(issue: ZodIssueLike): number {
  const here = (issue.path?.length ?? 0) * 2;
  if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0)
    return here + Math.max(...issue.errors.map(branchReach));
  return here + (issue.code === 'invalid_type' ? 0 : 1);
}

function branchReach(branch: ZodIssueLike[]): number {
  return branch.length === 0 ? 0 : Math.max(...branch.map(reach));
}

/** Compare two paths: positive when `a` points further into the input (a later index, or deeper). */
function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number' && x !== y) return x - y;
    if (x !== y) return 0; // different keys of an object: neither is further
  }
  return a.length - b.length;
}

/**
 * The branch of a failed union that came closest to matching the input: the one that got deepest
 * into it (a type that matched, then a bad element or field), then the one whose first failure comes
 * latest (x: [1, null] fails the number[] branch at x.1 but the number[][] branch at x.0), then
 * the one with fewest issues, then the first.
 */
function closestBranch(branches: ZodIssueLike[][]): ZodIssueLike[] | undefined {
  let best: ZodIssueLike[] | undefined;
  for (const branch of branches) {
    if (branch.length === 0) continue;
    if (best === undefined) {
      best = branch;
      continue;
    }
    const byReach = branchReach(branch) - branchReach(best);
    const byFirst = comparePaths(branch[0]!.path ?? [], best[0]!.path ?? []);
    if (byReach > 0 || (byReach === 0 && (byFirst > 0 || (byFirst === 0 && branch.length < best.length))))
      best = branch;
  }
  return best;
}

/**
 * One zod issue as the `{ path, message }` items clients see. A union whose schema gives no message
 * of its own ("Invalid input" says nothing) is replaced by the issues of its closest branch, so that
 * `x: [1, null]` against number[] | number[][] reads `x.1: expected a number, got null`; when every
 * branch failed on the type of the value itself the message lists the types it could have been.
 */
function issueItems(
  issue: ZodIssueLike,
  prefix: readonly PropertyKey[],
): { path: string; message: string }[] {
  const path = [...prefix, ...(issue.path ?? [])];
  const branches = issue.errors;
  if (
    issue.code === 'invalid_union' &&
    issue.message === BARE_UNION_MESSAGE &&
    branches &&
    branches.length > 0
  ) {
    const all = branches.flat();
    if (all.length > 0 && all.every((i) => i.code === 'invalid_type' && (i.path?.length ?? 0) === 0)) {
      const expected = [...new Set(all.map((i) => withArticle(i.expected ?? 'value')))];
      const got = INVALID_TYPE.exec(all[0]!.message ?? '')?.[2];
      return [{ path: dotted(path), message: typeRule(expected, got) }];
    }
    const branch = closestBranch(branches);
    if (branch) return branch.flatMap((i) => issueItems(i, path));
  }
  return [{ path: dotted(path), message: humanize(issue) }];
}

/** A zod issue path (`['distribution', 'std']`) as the dotted path clients see. */
function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The same `{ path, message }` once (two checks of one value can say the same thing). */
function unique(items: { path: string; message: string }[]): { path: string; message: string }[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Map any thrown error to the contract's problem shape. 5xx details never leave the server. */
export function toProblem(
  err: unknown,
  req?: FastifyRequest,
): { body: Problem; headers: Record<string, string> } {
  if (err instanceof InvalidInputError) return { body: problem(400, err.message, err.issues), headers: {} };
  if (err instanceof HttpError)
    return { body: problem(err.statusCode, err.message, err.issues), headers: err.headers };
  const e = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = e.validationContext ?? 'body';
    const errors = unique(
      e.validation.flatMap((v) => {
        const path = v.instancePath.split('/').filter((p) => p !== '');
        const issue = { ...(v.params as ZodIssueLike), code: v.keyword, message: v.message, path };
        return issueItems(issue, []).map((i) => (i.path === '' ? { ...i, path: where } : i));
      }),
    );
    const first = errors[0];
    const detail = first ? `${first.path}: ${first.message}` : 'invalid input';
    return {
      body: problem(400, errors.length > 1 ? `${detail} (and ${errors.length - 1} more)` : detail, errors),
      headers: {},
    };
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 500) {
    req?.log.error({ err }, 'unhandled error');
    return {
      body: problem(status === 503 ? 503 : 500, status === 503 ? 'service unavailable' : 'internal error'),
      headers: {},
    };
  }
  let detail = e.message;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      detail = `request body is larger than the limit of ${req?.routeOptions.bodyLimit ?? 'the configured'} bytes`;
      break;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      detail = `unsupported content type '${req?.headers['content-type'] ?? '(none)'}'; send application/json`;
      break;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      detail = 'the JSON body is empty';
      break;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      detail = 'the body is not valid JSON';
      break;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      detail = `a path parameter is longer than the limit of ${req?.server.initialConfig.routerOptions?.maxParamLength ?? 100} characters`;
      break;
    case 'FST_ERR_BAD_URL':
      detail = 'the path is not a valid URL component (bad percent-encoding)';
      break;
  }
  return { body: problem(status, detail), headers: {} };
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    const { body, headers } = toProblem(err, req);
    return sendProblem(reply, body, headers);
  });
  app.setNotFoundHandler((req, reply) => {
    return sendProblem(reply, problem(404, `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}

export default fp(errorsPlugin, { name: 'errors' });
