/** Shared by the benchmarks of every workspace: the result file scripts/bench.mjs reads, a free port. */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export { percentiles, type Percentiles } from './statistics.js';

/** Writes the result as JSON to `file` (the orchestrator reads it), if one was given. */
export function writeResult(file: string | undefined, result: object): void {
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
