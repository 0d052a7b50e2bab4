import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import sjson from 'secure-json-parse';
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import type { Job } from '../jobs/job.js';
import { SocketSender, streamJob } from '../jobs/stream.js';
import { jobLinks, jobView } from '../jobs/view.js';
import { nestingDepth } from '../json.js';
import { HttpError, toProblem } from '../plugins/errors.js';
import { Problem, problemResponses } from '../schemas/common.js';
import {
  CancelMessage,
  JobAccepted,
  type JobBody,
  JobList,
  JobListQuery,
  JobParams,
  JobView,
  jobBodySchema,
  StreamAction,
} from '../schemas/jobs.js';

/** 404 for an id that names no job (any string: an id that could never exist is just as unknown). */
function noJob(id: string): HttpError {
  const shown = id.length > 64 ? `${id.slice(0, 64)}...` : id;
  return new HttpError(404, `no job '${shown}' (finished jobs expire)`);
}

const MAX_MESSAGE_DEPTH = 32;

const CODES: Record<number, string> = {
  400: 'invalid_input',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'queue_full',
  503: 'unavailable',
};

/** A rejected client message, as a WebSocket message (the socket stays open). */
function rejection(err: unknown) {
  const { body, headers } = toProblem(err);
  const error: Record<string, unknown> = {
    code: CODES[body.status] ?? 'internal',
    status: body.status,
    message: body.detail,
  };
  if (body.errors) error.errors = body.errors;
  if (headers['retry-after']) error.retryAfter = Number(headers['retry-after']);
  return { type: 'error', error };
}

function zodIssues(error: z.ZodError, prefix = '') {
  const errors = error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.');
    return { path: path === '' ? 'message' : path, message: i.message };
  });
  const first = errors[0]!;
  const detail = `${first.path}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  return new HttpError(400, detail, {}, errors);
}

const jobs: FastifyPluginAsyncZod = async (app) => {
  const { manager } = app.jobs;
  const JobBodySchema = jobBodySchema([...app.jobs.kinds.values()]);
  const c = app.config;
  const limits = {
    lowWater: c.WS_LOW_WATER_BYTES,
    maxBuffered: c.WS_MAX_BUFFERED_BYTES,
    stallMs: c.WS_STALL_MS,
  };
  const kindNames = [...app.jobs.kinds.keys()].map((k) => `"${k}"`).join(' | ');

  const admitSocket = async (req: FastifyRequest) => {
    if (req.ws && app.sockets.count() >= c.WS_MAX_CLIENTS)
      throw new HttpError(503, `too many WebSocket clients (limit ${c.WS_MAX_CLIENTS})`, {
        'retry-after': '5',
      });
  };
  const newSender = (socket: WebSocket, req: FastifyRequest) =>
    new SocketSender(socket, limits, (why) => req.log.warn({ why }, 'dropped a slow WebSocket client'));

  app.post(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Start a long Monte Carlo run on the worker pool.',
        description:
          `\`kind\` (${kindNames}) picks the synchronous endpoint whose body follows; \`n\` is required. ` +
          'The job gives the same numbers as the synchronous endpoint for the same body and seed, whatever ' +
          'the pool size. n over MAX_JOB_N is a 413; a full queue a 429 with Retry-After.',
        body: JobBodySchema,
        response: { 202: JobAccepted, ...problemResponses, 429: Problem, 503: Problem },
      },
    },
    async (req, reply) => {
      const job = await app.jobs.create(req.body as JobBody);
      const links = jobLinks(job.id);
      return reply.code(202).header('location', links.self).send({ id: job.id, status: job.status, links });
    },
  );

  app.get(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'The jobs this server knows, newest first.',
        querystring: JobListQuery,
        response: { 200: JobList, 400: Problem },
      },
    },
    async (req) => manager.list(req.query.limit, req.query.status),
  );

  app.get(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job, its latest progress and, once done, its result or error.',
        params: JobParams,
        response: { 200: JobView, 404: Problem },
      },
    },
    async (req) => {
      const job = manager.get(req.params.id);
      if (job === undefined) throw noJob(req.params.id);
      return jobView(job);
    },
  );

  app.delete(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a queued or running job.',
        description: 'Cancelling a cancelled job is a 202 again; a job that succeeded or failed is a 409.',
        params: JobParams,
        response: { 202: JobAccepted, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const outcome = manager.cancel(id);
      if (outcome === undefined) throw noJob(id);
      const job = manager.get(id)!;
      if (outcome === 'finished') throw new HttpError(409, `job '${id}' has already ${job.status}`);
      return reply.code(202).send({ id, status: job.status, links: jobLinks(id) });
    },
  );

  app.route({
    method: 'GET',
    url: '/v1/jobs/:id/stream',
    schema: {
      tags: ['jobs'],
      summary: 'WebSocket: a job state at once, progress at its interval, then its end.',
      description:
        'Messages: `{ type: "state", jobId, ...job }` at once, then `{ type: "progress", jobId, n, target, ' +
        'estimate, stdError, ci, samplesPerSecond, elapsedMs }` at the job interval (a slow client gets ' +
        'only the latest), then one `{ type: "result", jobId, result }`, `{ type: "error", jobId, error }` or ' +
        '`{ type: "cancelled", jobId, reason }` and a 1000 close. `{ type: "shutdown" }` and 1001 when the ' +
        'server stops. An unknown job is a 404 before the upgrade; a plain GET is a 426.',
      params: JobParams,
      response: { 404: Problem, 426: Problem, 503: Problem },
    },
    preValidation: async (req) => {
      const { id } = req.params as { id: string };
      if (manager.get(id) === undefined) throw noJob(id);
      await admitSocket(req);
    },
    handler: async () => {
      throw new HttpError(426, 'this endpoint speaks WebSocket: send an Upgrade request', {
        upgrade: 'websocket',
      });
    },
    wsHandler: (socket, req) => {
      const job = manager.get((req.params as { id: string }).id);
      const sender = newSender(socket, req);
      if (job === undefined) {
        sender.send(rejection(new HttpError(404, 'the job has expired')));
        sender.close(1000);
        return;
      }
      const unsubscribe = streamJob(job, sender);
      socket.on('close', unsubscribe);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/stream',
    schema: {
      tags: ['jobs'],
      summary: 'WebSocket: start a job and watch it over one socket.',
      description:
        'Send `{ action: "start", kind, ...body }` (the body of POST /v1/jobs) and receive the messages of ' +
        '/v1/jobs/:id/stream. `{ action: "cancel" }` or closing the socket cancels the job. A bad message ' +
        'gets `{ type: "error", error: { code, status, message, errors? } }` and the socket stays open.',
      response: { 426: Problem, 503: Problem },
    },
    preValidation: admitSocket,
    handler: async () => {
      throw new HttpError(426, 'this endpoint speaks WebSocket: send an Upgrade request', {
        upgrade: 'websocket',
      });
    },
    wsHandler: (socket, req) => {
      const sender = newSender(socket, req);
      let job: Job | undefined;
      /** A start being prepared (KL planning may run on the pool): a second start is a 409 meanwhile. */
      let starting = false;
      let closed = false;
      let unsubscribe = () => {};

      socket.on('message', async (data, isBinary) => {
        if (sender.done) return;
        try {
          if (isBinary) throw new HttpError(400, 'messages are JSON text, not binary');
          let msg: unknown;
          try {
            msg = sjson.parse(data.toString(), undefined, {
              protoAction: 'error',
              constructorAction: 'error',
            });
          } catch (err) {
            throw new HttpError(400, `the message is not valid JSON: ${(err as Error).message}`);
          }
          if (nestingDepth(msg, MAX_MESSAGE_DEPTH) > MAX_MESSAGE_DEPTH)
            throw new HttpError(400, `the message nests deeper than ${MAX_MESSAGE_DEPTH} levels`);
          const head = StreamAction.safeParse(msg);
          if (!head.success) throw zodIssues(head.error);
          if (head.data.action === 'cancel') {
            const cancel = CancelMessage.safeParse(msg);
            if (!cancel.success) throw zodIssues(cancel.error);
            if (job === undefined) throw new HttpError(409, 'no job has been started on this socket');
            manager.cancel(job.id, 'cancelled by the client');
            return;
          }
          if (job !== undefined) throw new HttpError(409, `this socket already streams job '${job.id}'`);
          if (starting) throw new HttpError(409, 'this socket is already starting a job');
          const { action: _action, ...rest } = msg as Record<string, unknown>;
          const body = JobBodySchema.safeParse(rest);
          if (!body.success) throw zodIssues(body.error);
          starting = true;
          try {
            job = await app.jobs.create(body.data);
          } finally {
            starting = false;
          }
          // The client left while the job was being prepared: it has no one to stream to.
          if (closed) {
            manager.cancel(job.id, 'the client closed the stream');
            return;
          }
          unsubscribe = streamJob(job, sender);
        } catch (err) {
          sender.send(rejection(err));
        }
      });

      socket.on('close', () => {
        closed = true;
        unsubscribe();
        if (job !== undefined && !job.terminal) manager.cancel(job.id, 'the client closed the stream');
      });
    },
  });
};

export default jobs;
