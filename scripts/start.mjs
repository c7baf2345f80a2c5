// `npm start`: set up what is missing, build, then run the agent (on the built-in simulator unless --real)
// and the kiosk web server. Flags after `--` go to the agent, e.g. `npm start -- --real --iface p2p-dev-wlan0`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { bootstrap, log, root, run, toolEnv } from './bootstrap.mjs';

const pnpm = bootstrap();
const args = process.argv.slice(2);
const real = args.includes('--real');
const agentArgs = args.filter((a) => a !== '--real');
const webPort = process.env.WDK_WEB_PORT ?? '3000';

log('building');
run(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

const env = { ...toolEnv(), WDK_WEB_PORT: webPort };
const agent = spawn(
  process.execPath,
  [
    path.join(root, 'apps/agent/bin/wdk.js'),
    'agent',
    ...(real ? [] : ['--simulate', '--sim-http-port', '8091']),
    ...agentArgs,
  ],
  { stdio: 'inherit', env, cwd: root },
);
const web = spawn(pnpm, ['--filter', '@wdk/web', 'run', 'start'], { stdio: 'inherit', env, cwd: root });

log(
  `kiosk: http://localhost:${webPort}  (agent ${real ? 'on wpa_supplicant' : 'on the simulator'}; Ctrl-C stops both)`,
);

const children = [agent, web];
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
