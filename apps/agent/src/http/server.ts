import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Server as SocketServer } from 'socket.io';
import type { Logger } from '../logger.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  webOrigins: string[];
  trustProxy: boolean;
  logger: Logger;
}

export interface HttpServer {
  app: FastifyInstance;
  io: SocketServer;
  url: string;
  close(): Promise<void>;
}

/** Fastify for HTTP plus socket.io on the same port; the kiosk's browser talks to both. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    disableRequestLogging: true,
    trustProxy: options.trustProxy,
    bodyLimit: 64 * 1024,
  });
  const io = new SocketServer(app.server, {
    cors: { origin: options.webOrigins, credentials: true },
    serveClient: false,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    app,
    io,
    url: `http://${shownHost}:${port}`,
    async close() {
      await io.close();
      await app.close().catch(() => undefined);
    },
  };
}
