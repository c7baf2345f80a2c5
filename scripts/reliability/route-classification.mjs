// Proves that the security suite's "classifies every route the server registered" test really fails when a
// route is added without being classified: a scratch copy of apps/agent (beside it, so pnpm's relative links
// resolve) gets one extra route, and the test must fail there. The repository is not touched.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function checkRouteClassification(root) {
  const scratchRoot = path.join(root, '.reliability-scratch');
  const scratch = path.join(scratchRoot, 'agent');
  rmSync(scratchRoot, { recursive: true, force: true });
  mkdirSync(scratchRoot, { recursive: true });
  try {
    cpSync(path.join(root, 'apps', 'agent'), scratch, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !source.includes(`${path.sep}dist`) && !source.endsWith('.turbo'),
    });
    const server = path.join(scratch, 'src', 'http', 'server.ts');
    const text = readFileSync(server, 'utf8');
    const anchor = "app.get('/healthz'";
    if (!text.includes(anchor)) return { ok: false, detail: `anchor ${anchor} not found in server.ts` };
    writeFileSync(
      server,
      text.replace(
        anchor,
        "app.get('/api/debug/unclassified', async () => ({ leaked: true }));\n  " + anchor,
      ),
    );
    const run = (extra) =>
      spawnSync(
        'pnpm',
        ['exec', 'vitest', 'run', 'test/security.test.ts', '-t', 'classifies every route', ...extra],
        { cwd: scratch, encoding: 'utf8', timeout: 180_000 },
      );
    const withRoute = run([]);
    const output = `${withRoute.stdout}\n${withRoute.stderr}`;
    const failed = withRoute.status !== 0 && output.includes('/api/debug/unclassified');
    // Control: the unmodified copy passes, so the failure above is the new route's doing.
    writeFileSync(server, text);
    const control = run([]);
    return {
      ok: failed && control.status === 0,
      detail: failed
        ? `with an unclassified GET /api/debug/unclassified the test failed naming it; without it the test ${
            control.status === 0 ? 'passed' : 'FAILED too'
          }`
        : `the test did not fail on the unclassified route (exit ${withRoute.status})`,
    };
  } finally {
    rmSync(scratchRoot, { recursive: true, force: true });
  }
}
