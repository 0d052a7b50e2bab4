import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import sjson from 'secure-json-parse';
import type { Config } from './config.js';
import { nestingDepth, stringify } from './json.js';
import compute from './plugins/compute.js';
import errors, { HttpError, problem, toProblem } from './plugins/errors.js';
import jobs from './plugins/jobs.js';
import metrics from './plugins/metrics.js';
import pool from './plugins/pool.js';
import swagger from './plugins/swagger.js';
import websocket from './plugins/websocket.js';
import routes from './routes/index.js';

/**
 * Errors Node's HTTP parser meets before Fastify has a request (a body still arriving after
 * REQUEST_TIMEOUT_MS, malformed HTTP, headers over the size limit), written as problem+json on the
 * raw socket, which then closes (as Node's and Fastify's own handlers do).
 */
export function clientError(err: NodeJS.ErrnoException, socket: Duplex, timeoutMs: number): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail]: [number, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, `the request did not arrive in full within ${timeoutMs} ms (REQUEST_TIMEOUT_MS)`]
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are larger than the server accepts (16 KiB)']
        : [400, 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(problem(status, detail));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/** Bodies nest a mixture inside a mixture at most a few levels; anything deeper is an attack. */
const MAX_JSON_DEPTH = 32;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Set when shutdown begins: readyz turns 503 and new work is refused. */
    lifecycle: { draining: boolean };
  }
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Build the application: registers everything, never listens. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.BODY_LIMIT,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    requestIdHeader: 'x-request-id',
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
    // Errors of the router (a path parameter over maxParamLength: 414; a bad URL: 400) leave as
    // problem+json like every other error.
    frameworkErrors: (err, req, reply) => {
      const { body, headers } = toProblem(err, req);
      (reply as FastifyReply).code(body.status).headers(headers).type('application/problem+json').send(body);
    },
    clientErrorHandler: (err, socket) => clientError(err, socket, config.REQUEST_TIMEOUT_MS),
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('config', config);
  app.decorate('lifecycle', { draining: false });

  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; the serializer writes non-finite numbers as strings.
  app.setSerializerCompiler(() => (data) => stringify(data));
  app.setReplySerializer((payload) => stringify(payload));

  // One JSON parser: prototype poisoning is a 400 (before any handler runs), and so is nesting deep
  // enough to threaten a recursive validator.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new HttpError(400, 'the JSON body is empty'), undefined);
      return;
    }
    let value: unknown;
    try {
      value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (err) {
      const msg = (err as Error).message;
      const poisoned = /prototype|constructor/i.test(msg);
      done(
        new HttpError(
          400,
          poisoned
            ? 'the body contains a forbidden key (__proto__ or constructor.prototype)'
            : `the body is not valid JSON: ${msg}`,
        ),
        undefined,
      );
      return;
    }
    if (nestingDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(new HttpError(400, `the body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    done(null, value);
  });

  // While draining, new work is refused; health checks still answer.
  app.addHook('onRequest', async (req, reply) => {
    if (!app.lifecycle.draining) return;
    const url = req.url.split('?')[0];
    if (url === '/healthz' || url === '/readyz') return;
    reply.header('connection', 'close');
    throw new HttpError(503, 'the server is shutting down');
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(errors);
  await app.register(swagger);
  await app.register(pool);
  await app.register(compute);
  await app.register(websocket);
  await app.register(jobs);
  await app.register(metrics);
  await app.register(routes);
  return app;
}
