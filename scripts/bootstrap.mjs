// Set-up shared by `npm start` and `npm test`: installs whatever a fresh machine lacks, skips what is done.
// Only Node and npm are assumed; pnpm is installed into .tools/ (no global install, no root needed).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
const PNPM_VERSION = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const localPnpm = path.join(root, '.tools', 'node_modules', '.bin', 'pnpm');

export function log(message) {
  console.log(`\x1b[36m[wdk]\x1b[0m ${message}`);
}

/** Environment every child gets: no telemetry, Prisma offline, node-gyp against this Node's headers. */
export function toolEnv() {
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    FORCE_COLOR: process.env.FORCE_COLOR ?? '1',
  };
  // better-sqlite3 has no reachable prebuilt binary; node-gyp must use the local headers (STACK.md).
  const headers = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');
  if (!env.npm_config_nodedir && existsSync(headers))
    env.npm_config_nodedir = path.dirname(path.dirname(process.execPath));
  env.PATH = `${path.join(root, '.tools', 'node_modules', '.bin')}${path.delimiter}${env.PATH}`;
  return env;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: toolEnv(), ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

function pnpmVersion(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', env: toolEnv() }).trim();
  } catch {
    return null;
  }
}

export function ensurePnpm() {
  if (pnpmVersion(localPnpm) === PNPM_VERSION) return localPnpm;
  log(`installing pnpm ${PNPM_VERSION} into .tools/`);
  mkdirSync(path.join(root, '.tools'), { recursive: true });
  run('npm', [
    'install',
    '--prefix',
    path.join(root, '.tools'),
    '--no-save',
    '--no-audit',
    '--no-fund',
    `pnpm@${PNPM_VERSION}`,
  ]);
  return localPnpm;
}

function isNewer(file, than) {
  return existsSync(file) && existsSync(than) && statSync(file).mtimeMs >= statSync(than).mtimeMs;
}

export function ensureDependencies(pnpm) {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  if (isNewer(marker, lock)) return;
  log('installing dependencies (better-sqlite3 compiles from source on first install, about a minute)');
  run(pnpm, ['install', '--frozen-lockfile']);
}

export function ensurePrismaClient(pnpm) {
  const generated = path.join(root, 'apps', 'agent', 'src', 'generated', 'prisma', 'client.ts');
  const schema = path.join(root, 'prisma', 'schema.prisma');
  if (isNewer(generated, schema)) return;
  log('generating the Prisma client');
  run(pnpm, ['--filter', '@wdk/agent', 'run', 'generate']);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Debian packages the tests need; installed when root, otherwise the exact command is printed. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ binary }) => !existsSync(binary)).map(({ pkg }) => pkg);
  if (missing.length === 0) return true;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    log(
      `\x1b[33mmissing system packages: ${missing.join(', ')}. Install them with:\n    sudo ${command}\x1b[0m`,
    );
    return false;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq'], { env: { ...toolEnv(), DEBIAN_FRONTEND: 'noninteractive' } });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { ...toolEnv(), DEBIAN_FRONTEND: 'noninteractive' },
  });
  return true;
}

export function bootstrap() {
  const pnpm = ensurePnpm();
  ensureDependencies(pnpm);
  ensurePrismaClient(pnpm);
  return pnpm;
}
