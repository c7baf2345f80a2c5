import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { Server as SocketServer, type Socket } from 'socket.io';
import { z } from 'zod';
import { commandAccess, commands, runCommand, type Caller } from '../api/commands.js';
import { ApiError, storageFailure, type ApiResult } from '../api/errors.js';
import type { AuthService } from '../auth/auth-service.js';
import type { KioskService, KioskState } from '../kiosk-service.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { SESSION_COOKIE, clientAddressOf, isAllowedOrigin, isKioskAddress, readCookie } from './caller.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  webOrigins: string[];
  trustProxy: boolean;
  logger: Logger;
  kiosk: KioskService;
  auth: AuthService;
  metrics: Metrics;
}

export interface HttpServer {
  app: FastifyInstance;
  io: SocketServer;
  url: string;
  port: number;
  /** Every route registered, for the security test that each one is classified. */
  routes: { method: string; url: string }[];
  close(): Promise<void>;
}

/** Routes outside the command table, each with its access class (tested by the security suite). */
export const extraRoutes = [
  { method: 'GET', path: '/healthz', access: 'public' },
  { method: 'GET', path: '/metrics', access: 'public' },
  { method: 'GET', path: '/api/auth/me', access: 'public' },
  { method: 'POST', path: '/api/auth/login', access: 'public' },
  { method: 'POST', path: '/api/auth/logout', access: 'public' },
] as const;

const loginBody = z.object({ passcode: z.string().min(1, 'is required').max(128, 'is too long') }).strict();

/** Fastify for HTTP plus socket.io on the same port; the kiosk's browser talks to both. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { kiosk, auth, metrics, webOrigins, trustProxy } = options;
  // Request logs are info level: the http child logs warnings and errors only.
  const log = options.logger.child({ component: 'http' }, { level: 'warn' });
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // Requests are checked with zod (api/validators.ts) and replies are plain JSON: no route has a JSON schema,
    // so fastify's Ajv and fast-json-stringify compilers (about 140 modules, over 1 MB of the agent's heap on a
    // Pi budget) are never loaded. A route given a schema fails at startup, saying so.
    schemaController: { compilersFactory: { buildValidator: noJsonSchemas, buildSerializer: noJsonSchemas } },
  });

  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });

  /** The caller of a request or socket, or null when it must log in first. */
  function callerOf(request: FastifyRequest['raw']): Caller | null {
    const address = clientAddressOf(request, trustProxy);
    if (isKioskAddress(address)) return { actor: 'kiosk' };
    const session = auth.sessions.touch(readCookie(request.headers.cookie, SESSION_COOKIE));
    return session ? { actor: `lan:${session.user}@${address ?? '?'}` } : null;
  }

  /** An ApiError as is; a storage failure (locked, disk full) as 503, shown on the kiosk; anything else null. */
  function toApiError(error: unknown): ApiError | null {
    if (error instanceof ApiError) return error;
    const storage = storageFailure(error);
    if (!storage) return null;
    log.error({ err: error }, 'database write failed');
    kiosk.reportAgentError('storage', storage.message);
    return storage;
  }

  function sendError(reply: FastifyReply, error: unknown) {
    const known = toApiError(error);
    if (known) return reply.code(known.httpStatus).send({ status: 'error', error: known.toBody() });
    log.error({ err: error }, 'request failed');
    return reply.code(500).send({ status: 'error', error: { code: 'internal', message: 'internal error' } });
  }

  // CORS for the kiosk web app (another port on the same host) and the CSRF guard for every method.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, request.headers.host, webOrigins)) {
      return reply
        .code(403)
        .send({ status: 'error', error: { code: 'forbidden', message: 'cross-site request refused' } });
    }
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET,POST,PUT,PATCH,DELETE');
      reply.header('access-control-allow-headers', 'content-type');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return sendError(reply, new ApiError('bad-request', 'request body too large (limit 64 KiB)'));
    if (status >= 400 && status < 500) return sendError(reply, new ApiError('bad-request', error.message));
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new ApiError('not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.get('/healthz', async () => ({ status: 'ok', daemon: kiosk.state().daemon }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/api/auth/me', async (request) => {
    const caller = callerOf(request.raw);
    return { status: 'ok', data: { authenticated: caller !== null, kiosk: caller?.actor === 'kiosk' } };
  });
  app.post('/api/auth/login', async (request, reply) => {
    const client = clientAddressOf(request.raw, trustProxy) ?? 'unknown';
    const body = loginBody.safeParse(request.body);
    if (!body.success)
      return sendError(
        reply,
        new ApiError('bad-request', `passcode: ${body.error.issues[0]?.message}`, 'passcode'),
      );
    try {
      const session = await auth.login(client, body.data.passcode);
      void reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(auth.sessionTtlMs / 1000)}`,
      );
      return { status: 'ok', data: { authenticated: true } };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'rate-limited') {
        void reply.header('retry-after', String(Math.ceil(auth.throttle.retryAfterMs(client) / 1000)));
      }
      return sendError(reply, error);
    }
  });
  app.post('/api/auth/logout', async (request, reply) => {
    auth.sessions.revoke(readCookie(request.headers.cookie, SESSION_COOKIE));
    void reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { status: 'ok', data: { authenticated: false } };
  });

  for (const [name, definition] of Object.entries(commands)) {
    app.route({
      method: definition.http.method,
      url: definition.http.path,
      handler: async (request, reply) => {
        try {
          const caller = callerOf(request.raw);
          if (definition.access !== 'public' && !caller) throw new ApiError('unauthorized', 'log in first');
          const input = {
            ...(request.query as object),
            ...(typeof request.body === 'object' && request.body !== null ? request.body : {}),
            ...(request.params as object),
          };
          const data = await runCommand(name, input, { kiosk, caller: caller ?? { actor: 'anonymous' } });
          // A write went through: a storage problem shown on the kiosk is over.
          if (definition.http.method !== 'GET') kiosk.clearAgentError('storage');
          return { status: 'ok', data } satisfies ApiResult<unknown>;
        } catch (error) {
          return sendError(reply, error);
        }
      },
    });
  }

  const io = new SocketServer(app.server, {
    // Origins are checked in allowRequest (same host or a configured web origin); CORS just reflects them.
    cors: { origin: true, credentials: true },
    allowRequest: (request, callback) => {
      callback(null, isAllowedOrigin(request.headers.origin, request.headers.host, webOrigins));
    },
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // A ping every 10 s, answered within 5 s: a LAN browser whose network silently drops (no carrier change
    // it could see) shows "reconnecting" within 15 s, not socket.io's default 45 s, and the agent frees
    // its socket as soon. The e2e test `LAN link dropped (silent)` depends on this.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });

  io.on('connection', (socket: Socket) => {
    const caller = callerOf(socket.request);
    socket.emit('hello', {
      product: 'Wi-Fi Direct Kiosk',
      authenticated: caller !== null,
      kiosk: caller?.actor === 'kiosk',
    });
    if (caller) {
      void socket.join('operators');
      socket.emit('state', kiosk.state());
    }
    socket.on('command', async (message: unknown, ack: unknown) => {
      const respond =
        typeof ack === 'function' ? (ack as (result: ApiResult<unknown>) => void) : () => undefined;
      try {
        const parsed = z
          .object({ name: z.string().max(64), input: z.unknown().optional() })
          .safeParse(message);
        if (!parsed.success) throw new ApiError('bad-request', 'a command is { name, input }', 'name');
        const access = commandAccess(parsed.data.name);
        if (access === undefined)
          throw new ApiError('not-found', `unknown command '${parsed.data.name}'`, 'name');
        // Re-check on every command: the login session may have expired since the socket connected.
        const current = callerOf(socket.request);
        if (access !== 'public' && !current) throw new ApiError('unauthorized', 'log in first');
        const data = await runCommand(parsed.data.name, parsed.data.input, {
          kiosk,
          caller: current ?? { actor: 'anonymous' },
        });
        if (commands[parsed.data.name as keyof typeof commands].http.method !== 'GET') {
          kiosk.clearAgentError('storage');
        }
        respond({ status: 'ok', data });
      } catch (error) {
        const known = toApiError(error);
        if (known) respond({ status: 'error', error: known.toBody() });
        else {
          log.error({ err: error }, 'socket command failed');
          respond({ status: 'error', error: { code: 'internal', message: 'internal error' } });
        }
      }
    });
  });

  // One engine step (or a burst of events read together) changes the state several times: push the latest
  // once per turn of the event loop, after the datagrams at hand were handled, instead of serialising every
  // intermediate state for every operator.
  let pendingState: KioskState | null = null;
  kiosk.on('state', (state) => {
    const scheduled = pendingState !== null;
    pendingState = state;
    if (scheduled) return;
    setImmediate(() => {
      const latest = pendingState;
      pendingState = null;
      if (latest !== null) io.to('operators').emit('state', latest);
    });
  });
  kiosk.on('domain-event', (event) => io.to('operators').emit('domain-event', event));
  kiosk.on('whitelist', (entries) => io.to('operators').emit('whitelist', entries));
  kiosk.on('settings', (settings) => io.to('operators').emit('settings', settings));

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    app,
    io,
    port,
    routes,
    url: `http://${shownHost}:${port}`,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close().catch(() => undefined);
    },
  };
}

function noJsonSchemas(): never {
  throw new Error('the agent validates with zod: routes take no JSON schema (http/server.ts)');
}
