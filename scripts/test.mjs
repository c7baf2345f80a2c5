// `npm test`: set up what is missing, then lint, typecheck, unit + integration tests, and the browser e2e suite.
import { bootstrap, ensureDebianPackages, log, run } from './bootstrap.mjs';

const pnpm = bootstrap();
ensureDebianPackages([
  { pkg: 'chromium', binary: '/usr/bin/chromium' },
  { pkg: 'wpasupplicant', binary: '/usr/sbin/wpa_supplicant' },
  { pkg: 'iproute2', binary: '/usr/sbin/ip' },
]);

const started = Date.now();
log('format check');
run(pnpm, ['exec', 'prettier', '--check', '--log-level', 'warn', '.']);
log('build, lint, typecheck, unit and integration tests');
run(pnpm, [
  'exec',
  'turbo',
  'run',
  'build',
  'lint',
  'typecheck',
  'test',
  '--output-logs=errors-only',
  '--concurrency=2',
]);
log('browser end-to-end tests (Debian chromium)');
run(pnpm, ['exec', 'turbo', 'run', 'test:e2e', '--output-logs=full']);
log('real radios: the agent against real wpa_supplicant on mac80211_hwsim in a QEMU VM');
// Skips (loudly, exit 0) where it cannot run: not root, not Linux amd64, no apt.
run(process.execPath, ['scripts/test-hwsim.mjs']);
log(`all tests passed in ${Math.round((Date.now() - started) / 1000)} s`);
