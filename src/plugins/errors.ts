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

function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}) {
  return reply.code(body.status).headers(headers).type('application/problem+json').send(body);
}

/** A zod issue path (`['distribution', 'std']`) as the dotted path clients see. */
function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
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
    const errors = e.validation.map((v) => {
      const zodPath = (v.params as { issue?: { path?: PropertyKey[] } }).issue?.path;
      const where = e.validationContext ?? 'body';
      const path = zodPath ? dotted(zodPath) : v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { path: path === '' ? where : path, message: v.message ?? 'invalid' };
    });
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
