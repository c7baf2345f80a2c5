// Installs and builds everything for a deployment (deploy/install.sh), without running anything.
import { bootstrap, log, run } from './bootstrap.mjs';

const pnpm = bootstrap();
log('building');
run(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
log('built');
