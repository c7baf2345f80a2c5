import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, type AgentConfig } from './config.js';
import { applyPendingMigrations } from './db/migrate.js';
import { openDatabase } from './db/prisma.js';
import { startHttpServer } from './http/server.js';
import { createLogger } from './logger.js';

export interface RunningAgent {
  url: string;
  close(): Promise<void>;
}

/** Starts the agent: database (migrated), HTTP + socket.io API. */
export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  const logger = createLogger(config.logLevel);
  const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');
  if (config.db.startsWith('file:')) mkdirSync(path.dirname(config.db.slice('file:'.length)), { recursive: true });
  const applied = await applyPendingMigrations({ databaseUrl: config.db, migrationsDir });
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const db = openDatabase(config.db);

  const http = await startHttpServer({
    host: config.host,
    port: config.port,
    webOrigins: config.webOrigins,
    trustProxy: config.trustProxy,
    logger,
  });
  http.io.on('connection', (socket) => {
    socket.emit('agent:hello', { product: 'Wi-Fi Direct Kiosk' });
  });
  logger.info({ url: http.url, simulate: config.simulate }, 'agent ready');

  return {
    url: http.url,
    async close() {
      await http.close();
      await db.$disconnect();
    },
  };
}
