// Builds native/wdk-dgram.c into dist/native/wdk-dgram.node with the system C compiler and Node's own headers
// (node_api.h, uv.h; Debian's nodejs package puts them in /usr/include/node). No node-gyp, nothing downloaded.
// Never fails the build: without a compiler or headers it says so once and the control client uses
// node-unix-socket instead (src/ctrl/dgram-addon.ts). Skips the compile when the addon is newer than its source.
//
//   node native/build.mjs [--force] [--quiet]        WDK_NATIVE=0 skips it (e.g. to test the fallback)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const source = path.join(here, 'wdk-dgram.c');
export const output = path.join(here, '..', 'dist', 'native', 'wdk-dgram.node');

/** Directories that may hold node_api.h (and uv.h): next to this Node, then Debian's. */
function headerDirectory() {
  const candidates = [
    process.env.WDK_NODE_HEADERS,
    path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  // uv.h may also come from the system (Debian's libuv1-dev puts it in /usr/include): the compiler finds it.
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

function compiler() {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Not there; try the next.
    }
  }
  return null;
}

/**
 * Compiles the addon unless it is up to date. Returns `{ built, path }` or `{ built: false, reason }`;
 * never throws.
 */
export function buildNativeDgram({ force = false } = {}) {
  if (process.env.WDK_NATIVE === '0') return { built: false, reason: 'WDK_NATIVE=0' };
  if (!force && existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) {
    return { built: true, path: output, upToDate: true };
  }
  if (process.platform !== 'linux') return { built: false, reason: `not on Linux (${process.platform})` };
  const headers = headerDirectory();
  if (headers === undefined) return { built: false, reason: 'Node headers (node_api.h) not found' };
  const cc = compiler();
  if (cc === null) return { built: false, reason: 'no C compiler (cc, gcc, clang)' };
  mkdirSync(path.dirname(output), { recursive: true });
  // Compiled next to the target and renamed: a build and a test run may race for the same file.
  const temporary = `${output}.${process.pid}.tmp`;
  try {
    execFileSync(
      cc,
      [
        '-O2',
        '-shared',
        '-fPIC',
        '-Wall',
        '-Wextra',
        '-Wno-unused-parameter',
        '-I',
        headers,
        '-o',
        temporary,
        source,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    renameSync(temporary, output);
  } catch (error) {
    rmSync(temporary, { force: true });
    const stderr = error.stderr?.toString().trim();
    return { built: false, reason: `${cc} failed${stderr ? `: ${stderr}` : ''}` };
  }
  return { built: true, path: output, upToDate: false };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = buildNativeDgram({ force: process.argv.includes('--force') });
  const quiet = process.argv.includes('--quiet');
  if (!result.built) {
    console.log(
      `[wdk] native/wdk-dgram.c not built (${result.reason}); the control client will use node-unix-socket`,
    );
  } else if (!quiet && !result.upToDate) {
    console.log(`[wdk] built ${path.relative(process.cwd(), result.path)}`);
  }
}
