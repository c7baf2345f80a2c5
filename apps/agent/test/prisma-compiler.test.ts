import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPendingMigrations } from '../src/db/migrate.js';
import { loadQueryCompilerFromText, openDatabase } from '../src/db/prisma.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the query compiler loaded from text (db/prisma.ts)', () => {
  it('replaces the base64 ES module loader of this Prisma version, and queries run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wdk-prisma-compiler-'));
    dirs.push(dir);
    const url = `file:${path.join(dir, 'kiosk.db')}`;
    await applyPendingMigrations({
      databaseUrl: url,
      migrationsDir: path.join(repoRoot, 'prisma', 'migrations'),
    });
    const db = openDatabase(url);
    try {
      // false here means Prisma's internals changed: the agent still works, with about 4 MB more resident.
      expect(loadQueryCompilerFromText(db)).toBe(true);
      await db.setting.create({ data: { key: 'probe', value: '"x"' } });
      expect(await db.setting.findUnique({ where: { key: 'probe' } })).toMatchObject({ value: '"x"' });
    } finally {
      await db.$disconnect();
    }
  });
});
