import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { stringify } from '../json.js';
import { HttpError } from './errors.js';

export interface Sockets {
  /** Connected WebSocket clients. */
  count(): number;
  /**
   * Shutdown: every client gets { type: "shutdown" } and a 1001 close; those that have not closed
   * after `waitMs` are terminated. Idempotent (the same promise).
   */
  shutdown(waitMs?: number): Promise<void>;
  readonly shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    sockets: Sockets;
  }
}

const SHUTDOWN_MESSAGE = stringify({ type: 'shutdown' });

/**
 * @fastify/websocket with the service's limits: small messages (maxPayload; over it ws closes with
 * 1009), ping/pong heartbeats that drop dead peers, and a shutdown that says so (1001) rather than
 * the plugin's default close without a code.
 */
async function websocketPlugin(app: FastifyInstance) {
  const { WS_MAX_PAYLOAD, WS_PING_INTERVAL_MS, SHUTDOWN_GRACE_MS } = app.config;
  let shutdownPromise: Promise<void> | undefined;
  const waitDefault = Math.min(2000, Math.max(100, Math.floor(SHUTDOWN_GRACE_MS / 4)));

  const sockets: Sockets = {
    count: () => app.websocketServer.clients.size,
    get shuttingDown() {
      return shutdownPromise !== undefined;
    },
    shutdown(waitMs = waitDefault) {
      shutdownPromise ??= closeAll(app, waitMs);
      return shutdownPromise;
    },
  };

  await app.register(websocket, {
    options: { maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false },
    // The plugin's default closes every client without a code; ours says why, then closes the server.
    preClose: async () => {
      await sockets.shutdown();
      await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
    },
  });
  app.decorate('sockets', sockets);

  // An upgrade request to a plain HTTP route is refused before any upgrade (the plugin alone would
  // upgrade it and close at once with 1005).
  const wsRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    const r = route as { websocket?: boolean; wsHandler?: unknown };
    if (r.websocket || r.wsHandler) wsRoutes.add(route.url);
  });
  app.addHook('onRequest', async (req) => {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || req.is404) return;
    const url = req.routeOptions.url ?? '';
    if (!wsRoutes.has(url))
      throw new HttpError(
        400,
        `${req.method} ${url} does not accept WebSocket upgrades; the WebSocket endpoints are ` +
          `${[...wsRoutes].sort().join(' and ')}`,
      );
  });

  const alive = new WeakMap<WebSocket, boolean>();
  app.websocketServer.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });
  const heartbeat = setInterval(() => {
    for (const ws of app.websocketServer.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, WS_PING_INTERVAL_MS);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));
}

async function closeAll(app: FastifyInstance, waitMs: number): Promise<void> {
  const clients = [...app.websocketServer.clients];
  const closed = clients.map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
      }),
  );
  for (const ws of clients) {
    if (ws.readyState !== ws.OPEN) continue;
    try {
      ws.send(SHUTDOWN_MESSAGE);
      ws.close(1001, 'server shutting down');
    } catch {
      ws.terminate();
    }
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(closed),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
  for (const ws of clients) if (ws.readyState !== ws.CLOSED) ws.terminate();
}

export default fp(websocketPlugin, { name: 'websocket' });
