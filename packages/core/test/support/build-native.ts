/**
 * vitest globalSetup: builds the wdk-dgram addon (native/build.mjs) when it is missing or older than its source,
 * since `turbo run test` does not run this package's own build first. Never fails: without a compiler the
 * tests fall back to node-unix-socket and say so (dgram-backends.ts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../native/build.mjs', import.meta.url)), '--quiet'],
    {
      stdio: 'inherit',
    },
  );
}
