// The migration step in a process of its own (see migrate.ts): `node migrate-child.js '{"dbPath", "migrationsDir"}'`
// applies the pending migrations with the WebAssembly schema engine, prints one JSON line
// (`{"ok": EngineMigrationResult}` or `{"error": EngineMigrationFailure}`) and exits, taking the engine's
// memory with it.
import { applyWithSchemaEngine, MigrationError, type EngineMigrationFailure } from './migrate.js';

const request = JSON.parse(process.argv[2] ?? '{}') as { dbPath?: string; migrationsDir?: string };
if (typeof request.dbPath !== 'string' || typeof request.migrationsDir !== 'string') {
  process.stderr.write('usage: migrate-child \'{"dbPath": FILE, "migrationsDir": DIR}\'\n');
  process.exit(2);
}
try {
  const ok = await applyWithSchemaEngine(request.dbPath, request.migrationsDir);
  process.stdout.write(`${JSON.stringify({ ok })}\n`);
} catch (error) {
  const failure: EngineMigrationFailure =
    error instanceof MigrationError
      ? { message: error.message, failedMigrations: error.failedMigrations }
      : { message: error instanceof Error ? error.message : String(error), failedMigrations: [] };
  process.stdout.write(`${JSON.stringify({ error: failure })}\n`);
  process.exitCode = 1;
}
// Whatever the engine may have left scheduled, the agent is waiting for this process to end (stdout is a pipe:
// written synchronously on Linux).
process.exit();
