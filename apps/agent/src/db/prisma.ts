import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;

/** Opens the agent's database (SQLite through better-sqlite3 by default). */
export function openDatabase(url: string): Database {
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  loadQueryCompilerFromText(client);
  return client;
}

/** The part of the generated client's configuration that loads the query compiler (Prisma 7 internals). */
interface CompilerWasmConfig {
  getQueryCompilerWasmModule: () => Promise<unknown>;
  /** `./query_compiler_<build>_bg.js` */
  importName: string;
}

const PATCHED = Symbol('wdk.queryCompilerFromText');

/**
 * Prisma's generated client loads its WebAssembly query compiler from an ES module holding it in base64
 * (`@prisma/client/runtime/query_compiler_<build>_bg.<provider>.wasm-base64.mjs`, `const wasm = "…"`). An ES
 * module is never unloaded: its source text and the exported string stayed on the V8 heap for good, two copies
 * of 2.2 MB. Here the same file is read as text, decoded and compiled, and the text becomes garbage.
 *
 * This reaches into Prisma's internals (the client's `_engineConfig.compilerWasm`, the object the generated
 * client builds; the engine calls `getQueryCompilerWasmModule` once per provider). When their shape is not the
 * expected one, or reading the file fails, Prisma's own loader runs: the same compiler, only more memory.
 * Returns whether the loader was replaced (test/prisma-compiler.test.ts checks it, so that a Prisma upgrade that
 * changes the shape does not go unnoticed).
 */
export function loadQueryCompilerFromText(client: PrismaClient): boolean {
  const engineConfig = (
    client as unknown as { _engineConfig?: { compilerWasm?: unknown; activeProvider?: unknown } }
  )._engineConfig;
  const compiler = engineConfig?.compilerWasm as (CompilerWasmConfig & { [PATCHED]?: true }) | undefined;
  const provider = engineConfig?.activeProvider;
  const build = /^\.\/(query_compiler_[a-z]+_bg)\.js$/.exec(
    typeof compiler?.importName === 'string' ? compiler.importName : '',
  )?.[1];
  if (
    !compiler ||
    typeof compiler.getQueryCompilerWasmModule !== 'function' ||
    typeof provider !== 'string' ||
    !build
  )
    return false;
  if (compiler[PATCHED]) return true;
  const prismaLoader = compiler.getQueryCompilerWasmModule.bind(compiler);
  const file = `@prisma/client/runtime/${build}.${provider}.wasm-base64.mjs`;
  compiler.getQueryCompilerWasmModule = async () => {
    let bytes: Buffer;
    try {
      const text = readFileSync(createRequire(import.meta.url).resolve(file), 'latin1');
      bytes = Buffer.from(text.slice(text.indexOf('"') + 1, text.lastIndexOf('"')), 'base64');
    } catch {
      return prismaLoader();
    }
    // "\0asm": anything else means the file no longer looks like `const wasm = "<base64>"`.
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) return prismaLoader();
    return new (
      globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => unknown } }
    ).WebAssembly.Module(bytes);
  };
  compiler[PATCHED] = true;
  return true;
}
