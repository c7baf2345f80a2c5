import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;

/** Opens the agent's database (SQLite through better-sqlite3 by default). */
export function openDatabase(url: string): Database {
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}
