// The agent as the Pi runs it: tsc's dist/ bundled by esbuild into dist/bundle/ (bin/wdk.js loads it).
//
// Why: every ES module the agent loads keeps its source text on the V8 heap for good (about 6 MB of strings at
// idle, most of it zod's, fastify's and @wdk/core's sources with their comments), plus a module record and
// scope data per file. One minified, tree-shaken bundle carries a fraction of that. (The simulator stays in:
// @wdk/core's index re-exports it, which ties it to the agent's own imports; taking it out with a stub saved
// about 0.5 MB of heap, within the run-to-run spread, so the bundle does not play tricks for it.)
//
// Left outside the bundle, loaded from node_modules as before: native addons (better-sqlite3, node-unix-socket;
// ours is found through @wdk/core's exports map), Prisma's query compiler in base64 (db/prisma.ts reads it as
// text, so that its 2.2 MB string does not stay in the bundle's source) and the schema engine of the
// migration child. Also left out: what fastify requires only on demand and the agent never asks for (its Ajv
// and fast-json-stringify compilers — server.ts installs its own — and light-my-request, behind inject(),
// which only the tests use, on the sources): in the bundle they would be source text on the heap for nothing.
//
// Fully minified: idle RSS about 78 MB with --simulate, against 80.3 MB keeping function names and 81.9 MB
// minifying whitespace only (the agent at ready + 5 s, as `pnpm bench` measures it). Stack traces name minified functions: the source maps are written next to
// the bundle, and `node --enable-source-maps apps/agent/bin/wdk.js …` prints the original names and lines.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const outdir = here('./dist/bundle');
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { wdk: here('./dist/cli.js'), 'migrate-child': here('./dist/db/migrate-child.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: [
    '@fastify/ajv-compiler',
    '@fastify/fast-json-stringify-compiler',
    'light-my-request',
    'better-sqlite3',
    'node-unix-socket',
    '@prisma/schema-engine-wasm',
    '*.wasm-base64.mjs',
  ],
  // The CommonJS packages inside (fastify, socket.io, pino …) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __wdkCreateRequire } from 'node:module'; const require = __wdkCreateRequire(import.meta.url);",
  },
});
