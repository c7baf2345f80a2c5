import type { Database } from '../db/prisma.js';

/** Key/value settings, each value stored as JSON; the caller validates what it reads. */
export class SettingsStore {
  constructor(private readonly db: Database) {}

  async readAll(): Promise<Record<string, unknown>> {
    const rows = await this.db.setting.findMany();
    const out: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        out[row.key] = JSON.parse(row.value);
      } catch {
        // A hand-edited or corrupt value is skipped; the schema default applies instead.
      }
    }
    return out;
  }

  async read(key: string): Promise<unknown> {
    const row = await this.db.setting.findUnique({ where: { key } });
    return row ? JSON.parse(row.value) : undefined;
  }

  async write(values: Record<string, unknown>): Promise<void> {
    await this.db.$transaction(
      Object.entries(values).map(([key, value]) =>
        this.db.setting.upsert({
          where: { key },
          create: { key, value: JSON.stringify(value) },
          update: { value: JSON.stringify(value) },
        }),
      ),
    );
  }
}
