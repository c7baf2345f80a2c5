import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMigration } from '../src/db/create-migration.js';
import { applyPendingMigrations, MigrationError } from '../src/db/migrate.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const repoMigrations = path.join(repoRoot, 'prisma', 'migrations');
const repoSchema = path.join(repoRoot, 'prisma', 'schema.prisma');
const MODELS = ['WhitelistEntry', 'Setting', 'ConnectionSession', 'EventLogEntry', 'AuditEntry'];

let tmp: string;
let initName: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'wdk-migrate-'));
  const dirs = (await readdir(repoMigrations, { withFileTypes: true })).filter((d) => d.isDirectory());
  const init = dirs.map((d) => d.name).find((name) => name.endsWith('_init'));
  if (!init) throw new Error('prisma/migrations has no *_init migration');
  initName = init;
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let counter = 0;
/** A fresh folder under tmp. */
async function scratch(): Promise<string> {
  const dir = path.join(tmp, `case-${++counter}`);
  await mkdir(dir);
  return dir;
}

/** A copy of the repository's migrations folder holding only the init migration. */
async function initOnlyMigrations(dir: string): Promise<string> {
  const migrations = path.join(dir, 'migrations');
  await mkdir(migrations);
  await cp(path.join(repoMigrations, 'migration_lock.toml'), path.join(migrations, 'migration_lock.toml'));
  await cp(path.join(repoMigrations, initName), path.join(migrations, initName), { recursive: true });
  return migrations;
}

async function addMigration(migrationsDir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name));
  await writeFile(path.join(migrationsDir, name, 'migration.sql'), sql);
}

function tables(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
  logs: string | null;
}
function migrationRows(dbPath: string): Row[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all() as Row[];
  } finally {
    db.close();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('applyPendingMigrations', () => {
  it('creates a fresh database (0600, WAL) with every migration of the repository applied', async () => {
    const dir = await scratch();
    const dbPath = path.join(dir, 'nested', 'data', 'wdk.db');
    const applied = await applyPendingMigrations({
      databaseUrl: `file:${dbPath}`,
      migrationsDir: repoMigrations,
    });

    const folder = (await readdir(repoMigrations, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(applied).toEqual(folder);
    expect(applied).toContain(initName);
    expect(tables(dbPath)).toEqual(expect.arrayContaining(['_prisma_migrations', ...MODELS]));
    expect((await stat(dbPath)).mode & 0o777).toBe(0o600);

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const rows = migrationRows(dbPath);
    expect(rows.map((row) => row.migration_name)).toEqual(folder);
    for (const row of rows) {
      const script = await readFile(path.join(repoMigrations, row.migration_name, 'migration.sql'), 'utf8');
      expect(row.checksum).toBe(sha256(script));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }

    // Second start: nothing pending, nothing applied, history unchanged.
    expect(
      await applyPendingMigrations({ databaseUrl: `file:${dbPath}`, migrationsDir: repoMigrations }),
    ).toEqual([]);
    expect(migrationRows(dbPath)).toEqual(rows);
  });

  it('applies only the pending migration to an old database and keeps its data', async () => {
    const dir = await scratch();
    const migrations = await initOnlyMigrations(dir);
    const dbPath = path.join(dir, 'old.db');
    const url = `file:${dbPath}`;
    expect(await applyPendingMigrations({ databaseUrl: url, migrationsDir: migrations })).toEqual([initName]);

    const db = new Database(dbPath);
    db.prepare('INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?)').run(
      'mode',
      '"pbc"',
      0,
    );
    db.close();

    const second = '29990101000000_add_setting_note';
    await addMigration(
      migrations,
      second,
      'ALTER TABLE "Setting" ADD COLUMN "note" TEXT;\nCREATE TABLE "Extra" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    );
    const logs: string[] = [];
    const logger = {
      info: (_: object, msg: string) => logs.push(msg),
      warn: (_: object, msg: string) => logs.push(msg),
    };
    expect(await applyPendingMigrations({ databaseUrl: url, migrationsDir: migrations, logger })).toEqual([
      second,
    ]);
    expect(logs.some((line) => line.includes('applied 1'))).toBe(true);

    const after = new Database(dbPath, { readonly: true });
    expect(after.prepare('SELECT "key", "value", "note" FROM "Setting"').all()).toEqual([
      { key: 'mode', value: '"pbc"', note: null },
    ]);
    after.close();
    expect(tables(dbPath)).toContain('Extra');
    expect(migrationRows(dbPath).map((row) => row.migration_name)).toEqual([initName, second]);
    expect(await applyPendingMigrations({ databaseUrl: url, migrationsDir: migrations })).toEqual([]);
  });

  it('reports a broken migration clearly and does not mark it applied', async () => {
    const dir = await scratch();
    const migrations = await initOnlyMigrations(dir);
    const broken = '29990101000000_broken';
    await addMigration(
      migrations,
      broken,
      'CREATE TABLE "Fine" ("id" INTEGER);\nINSERT INTO "NoSuchTable" VALUES (1);\n',
    );
    const dbPath = path.join(dir, 'broken.db');
    const url = `file:${dbPath}`;

    const failure = await applyPendingMigrations({ databaseUrl: url, migrationsDir: migrations }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    const message = (failure as Error).message;
    expect(message).toContain(broken);
    expect(message).toContain('NoSuchTable');
    expect(message).toContain('recorded as failed');
    expect((failure as MigrationError).failedMigrations).toEqual([broken]);

    const rows = migrationRows(dbPath);
    expect(rows.find((row) => row.migration_name === initName)?.finished_at).not.toBeNull();
    const brokenRow = rows.find((row) => row.migration_name === broken);
    expect(brokenRow === undefined || brokenRow.finished_at === null).toBe(true);

    // Still refused on the next start: a failed migration is never taken as applied.
    const again = applyPendingMigrations({ databaseUrl: url, migrationsDir: migrations });
    await expect(again).rejects.toThrow(MigrationError);
    await expect(again).rejects.toThrow(broken);
  });

  it('rejects urls that are not SQLite files', async () => {
    await expect(
      applyPendingMigrations({ databaseUrl: 'postgres://x/y', migrationsDir: repoMigrations }),
    ).rejects.toThrow(/file:/);
  });
});

describe('createMigration (pnpm db:migrate)', () => {
  it('finds no changes between the repository migrations and schema.prisma', async () => {
    const dir = await scratch();
    const migrations = path.join(dir, 'migrations');
    await cp(repoMigrations, migrations, { recursive: true });
    const result = await createMigration({
      name: 'nothing',
      schemaPath: repoSchema,
      migrationsDir: migrations,
      databaseUrl: `file:${path.join(dir, 'dev.db')}`,
    });
    expect(result).toEqual({ created: false });
  });

  it('writes and applies a migration for a schema change', async () => {
    const dir = await scratch();
    const migrations = path.join(dir, 'migrations');
    await cp(repoMigrations, migrations, { recursive: true });
    const schemaPath = path.join(dir, 'schema.prisma');
    const schema = await readFile(repoSchema, 'utf8');
    await writeFile(schemaPath, schema.replace(/model Setting \{/, 'model Setting {\n  note String?'));
    const dbPath = path.join(dir, 'dev.db');

    const result = await createMigration({
      name: 'setting_note',
      schemaPath,
      migrationsDir: migrations,
      databaseUrl: `file:${dbPath}`,
    });
    if (!result.created) throw new Error('expected a migration');
    expect(path.basename(result.migrationPath)).toMatch(/^\d{14}_setting_note$/);
    expect(result.applied).toBe(true);
    expect(await readFile(path.join(result.migrationPath, 'migration.sql'), 'utf8')).toContain('"note" TEXT');
    expect(await readFile(path.join(migrations, 'migration_lock.toml'), 'utf8')).toContain(
      'provider = "sqlite"',
    );
    expect(migrationRows(dbPath).map((row) => row.migration_name)).toContain(result.migrationName);

    // Migrations folder and schema agree again.
    expect(
      await createMigration({
        name: 'again',
        schemaPath,
        migrationsDir: migrations,
        databaseUrl: `file:${dbPath}`,
      }),
    ).toEqual({ created: false });
  });

  it('rejects names outside [a-z0-9_]', async () => {
    await expect(
      createMigration({
        name: 'Add-Thing',
        schemaPath: repoSchema,
        migrationsDir: repoMigrations,
        databaseUrl: 'file:x.db',
      }),
    ).rejects.toThrow(/Invalid migration name/);
  });
});
