// Prisma's WebAssembly schema engine, driven through a better-sqlite3 driver adapter.
//
// The native schema engine cannot be downloaded on the kiosk (STACK.md, "Prisma 7 + SQLite"), so migrations
// run through `@prisma/schema-engine-wasm`. Its glue is built for wasm-bindgen's "bundler" target (it does
// `import * as wasm from './schema_engine_bg.wasm'`), which Node 20 cannot load; we instantiate the module by
// hand instead: compile the .wasm, hand the glue module over as its import object, `__wbg_set_wasm`, start.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from '@prisma/driver-adapter-utils';
import type {
  ApplyMigrationsOutput,
  CreateMigrationOutput,
  DevDiagnosticOutput,
  DiagnoseMigrationHistoryOutput,
  MigrationDirectory,
  MigrationList,
  SchemaFilter,
  SchemasContainer,
  SchemaEngine as WasmSchemaEngine,
} from '@prisma/schema-engine-wasm';

export type {
  ApplyMigrationsOutput,
  CreateMigrationOutput,
  DevDiagnosticOutput,
  DiagnoseMigrationHistoryOutput,
  MigrationDirectory,
  MigrationList,
  SchemaFilter,
  SchemasContainer,
};

type GlueModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** The engine's JS glue with the wasm instance wired in; loaded once per process. */
let gluePromise: Promise<GlueModule> | undefined;

/** How long the first load (read + compile + instantiate) took, for the startup log. */
export let lastEngineLoadMs: number | undefined;

/** The wasm panic hook writes the panic message into this global before the Rust side unwinds. */
interface PanicRegistry {
  message: string;
  set_message(message: string): void;
}
declare global {
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

/** The few WebAssembly JS API members used here (the agent compiles without the DOM lib that declares them). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function loadGlue(): Promise<GlueModule> {
  gluePromise ??= (async () => {
    const started = performance.now();
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(message: string) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    const require = createRequire(import.meta.url);
    // The package's exports map only exposes the two JS entry points; the .wasm sits next to them.
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const [bytes, glue] = await Promise.all([
      readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm')),
      import('@prisma/schema-engine-wasm/schema_engine_bg'),
    ]);
    const module = await wasmApi.compile(bytes);
    const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports['__wbindgen_start'] as () => void)();
    lastEngineLoadMs = performance.now() - started;
    return glue;
  })();
  gluePromise.catch(() => {
    gluePromise = undefined;
  });
  return gluePromise;
}

/** The engine's version string (the prisma-engines commit it was built from). */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadGlue()).version();
}

const MULTI_STATEMENT = /more than one statement/i;

/**
 * better-sqlite3's `prepare` accepts one statement only, but the engine replays whole migration scripts on the
 * shadow database through `executeRaw`. Route parameterless multi-statement SQL to `executeScript` (`exec`).
 */
function routeScriptsToExec(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery): Promise<number> => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && error instanceof RangeError && MULTI_STATEMENT.test(error.message)) {
        await executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return adapter;
}

/** Wraps the better-sqlite3 factory: shadow fix-up above, and every opened connection is tracked for close(). */
class TrackingFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly opened: SqlDriverAdapter[] = [];

  constructor(private readonly inner: PrismaBetterSqlite3) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = routeScriptsToExec(await this.inner.connect());
    this.opened.push(adapter);
    return adapter;
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const adapter = routeScriptsToExec(await this.inner.connectToShadowDb());
    this.opened.push(adapter);
    return adapter;
  }
}

export interface OpenSchemaEngineOptions {
  /** `file:` url of the SQLite database the engine migrates. */
  url: string;
  /** Shadow database for diffing migration history (`createMigration`, `devDiagnostic`); default in-memory. */
  shadowDatabaseUrl?: string;
  /** The Prisma schema, needed by `createMigration`/`diff` against the schema (not by `applyMigrations`). */
  schema?: SchemasContainer;
  /** Receives the engine's tracing lines (JSON strings). */
  onLog?: (line: string) => void;
}

/** A live engine bound to one database. Call `close()` when done: it frees the engine and its connections. */
export interface SchemaEngineHandle {
  readonly engine: WasmSchemaEngine;
  close(): Promise<void>;
}

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Loads the wasm engine (first call only) and opens it against a better-sqlite3 adapter for `url`. */
export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<SchemaEngineHandle> {
  const glue = await loadGlue();
  const factory = new TrackingFactory(
    new PrismaBetterSqlite3(
      { url: options.url },
      options.shadowDatabaseUrl === undefined ? {} : { shadowDatabaseUrl: options.shadowDatabaseUrl },
    ),
  );
  const datamodels = options.schema?.files.map((file): [string, string] => [file.path, file.content]);
  const onLog = options.onLog ?? (() => {});
  let engine: WasmSchemaEngine;
  try {
    engine = await glue.SchemaEngine.new({ datamodels }, onLog, bindMigrationAwareSqlAdapterFactory(factory));
  } catch (error) {
    await disposeAll(factory.opened);
    throw toError(error);
  }
  let closed = false;
  return {
    engine,
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      await disposeAll(factory.opened);
    },
  };
}

async function disposeAll(adapters: SqlDriverAdapter[]): Promise<void> {
  for (const adapter of adapters.splice(0)) {
    try {
      await adapter.dispose();
    } catch {
      // already closed
    }
  }
}

/**
 * Engine failures come back as plain objects or Errors whose message carries a Prisma error code and text
 * (e.g. `P3018`); turn whatever was thrown into an Error with a readable message.
 */
export function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const message = typeof record['message'] === 'string' ? record['message'] : JSON.stringify(error);
    const code = typeof record['error_code'] === 'string' ? record['error_code'] : undefined;
    return new Error(code ? `${code}: ${message}` : message);
  }
  return new Error(String(error));
}
