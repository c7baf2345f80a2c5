// `pnpm db:migrate <name>`: what `prisma migrate dev --name <name>` does, through the WebAssembly engine.
//
// 1. applies the folder's pending migrations to the dev database (DATABASE_URL, else <repo>/data/wdk.db);
// 2. replays the migrations folder on an in-memory shadow database and diffs it against prisma/schema.prisma;
// 3. writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql and migration_lock.toml, or says
//    "no changes";
// 4. applies the new migration to the dev database (unless --create-only).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  applyPendingMigrations,
  databasePathFromUrl,
  MIGRATION_LOCK_FILE,
  MIGRATION_SCRIPT_FILE,
  migrationLockContent,
  readMigrationsDir,
  type MigrationLogger,
} from './migrate.js';
import { NO_FILTER, openSchemaEngine, toError } from './schema-engine.js';

export const MIGRATION_NAME = /^[a-z0-9_]+$/;

export interface CreateMigrationOptions {
  name: string;
  /** Prisma schema to migrate to. */
  schemaPath: string;
  migrationsDir: string;
  /** `file:` url of the dev database the history is checked against and the new migration applied to. */
  databaseUrl: string;
  /** Write the migration without applying it. */
  createOnly?: boolean;
  logger?: MigrationLogger;
}

export type CreateMigrationResult =
  { created: false } | { created: true; migrationName: string; migrationPath: string; applied: boolean };

/** Diffs the migrations folder against the schema and writes the next migration, if there is a change. */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  if (!MIGRATION_NAME.test(options.name)) {
    throw new Error(`Invalid migration name "${options.name}": use lowercase letters, digits and _ only`);
  }
  const migrationsDir = path.resolve(options.migrationsDir);
  const schemaPath = path.resolve(options.schemaPath);
  const dbPath = databasePathFromUrl(options.databaseUrl);
  const databaseUrl = `file:${dbPath}`;
  const apply = { databaseUrl, migrationsDir, ...(options.logger ? { logger: options.logger } : {}) };

  // The engine needs the dev database to be at the head of the history before `devDiagnostic` (else P1014).
  await applyPendingMigrations(apply);

  const schema = { files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] };
  const list = await readMigrationsDir(migrationsDir);
  const handle = await openSchemaEngine({ url: databaseUrl, schema });
  let migrationName: string;
  let script: string;
  try {
    // Replays the folder on the shadow database; `createMigration` below diffs from that replay.
    const { action } = await handle.engine.devDiagnostic({ migrationsList: list, filters: NO_FILTER });
    if (action.tag === 'reset') {
      throw new Error(
        `The dev database ${dbPath} does not match the migrations folder: ${action.reason}\n` +
          `Delete it (it is recreated from the migrations) and run this again.`,
      );
    }
    const output = await handle.engine.createMigration({
      draft: false,
      migrationName: options.name,
      migrationsList: list,
      schema,
      filters: NO_FILTER,
    });
    if (output.migrationScript === null) return { created: false };
    migrationName = output.generatedMigrationName;
    script = output.migrationScript;
  } catch (error) {
    throw toError(error);
  } finally {
    await handle.close();
  }

  const migrationPath = path.join(migrationsDir, migrationName);
  await mkdir(migrationPath, { recursive: false }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot create ${migrationPath}: ${error.message}`);
  });
  await writeFile(path.join(migrationPath, MIGRATION_SCRIPT_FILE), script, 'utf8');
  await writeFile(path.join(migrationsDir, MIGRATION_LOCK_FILE), migrationLockContent('sqlite'), 'utf8');
  if (options.createOnly) return { created: true, migrationName, migrationPath, applied: false };

  await applyPendingMigrations(apply);
  return { created: true, migrationName, migrationPath, applied: true };
}

/** <repo> from apps/agent/src/db. */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');

/** A relative `file:` url is taken from the repository root, like prisma.config.ts does. */
function devDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'] ?? `file:${path.join(repoRoot, 'data', 'wdk.db')}`;
  return `file:${databasePathFromUrl(url, repoRoot)}`;
}

const consoleLogger: MigrationLogger = {
  info(obj, msg) {
    const applied = (obj as { applied?: unknown }).applied;
    console.log(Array.isArray(applied) && applied.length > 0 ? `${msg}: ${applied.join(', ')}` : msg);
  },
  warn(obj, msg) {
    console.warn(`warning: ${msg} ${JSON.stringify(obj)}`);
  },
};

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  const createOnly = args.includes('--create-only');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const name = names[0];
  if (
    names.length !== 1 ||
    name === undefined ||
    args.some((arg) => arg.startsWith('--') && arg !== '--create-only')
  ) {
    console.error('usage: pnpm db:migrate <name> [--create-only]   (name: lowercase letters, digits, _)');
    return 2;
  }
  if (!MIGRATION_NAME.test(name)) {
    console.error(`Invalid migration name "${name}": use lowercase letters, digits and _ only`);
    return 2;
  }
  const result = await createMigration({
    name,
    schemaPath: path.join(repoRoot, 'prisma', 'schema.prisma'),
    migrationsDir: path.join(repoRoot, 'prisma', 'migrations'),
    databaseUrl: devDatabaseUrl(),
    createOnly,
    logger: consoleLogger,
  });
  if (!result.created) {
    console.log('No changes: prisma/schema.prisma matches the migrations folder.');
  } else {
    console.log(`Created ${path.relative(repoRoot, result.migrationPath)}/${MIGRATION_SCRIPT_FILE}`);
    if (!result.applied) console.log('Not applied (--create-only).');
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
