// Prisma CLI configuration. The native schema engine cannot be downloaded here, and `generate`/`validate`
// only need the variable to point at an existing file (STACK.md); migrations run through the WebAssembly
// engine in apps/agent/src/db/ instead.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(
  import.meta.dirname,
  'scripts',
  'no-native-schema-engine.sh',
);

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/wdk.db' },
});
