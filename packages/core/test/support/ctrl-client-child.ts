/**
 * The product's WpaCtrlClient in a process of its own, so a test can run it as another user (the permission
 * case: root bypasses file modes). Prints JSON lines: the failed connect, the errors it reports while it waits
 * (waitForDaemon), its CPU time over the first `waitMs`, and when it is connected.
 *   node --import tsx ctrl-client-child.ts <ctrlDir> <ifname> <localDir> <waitMs>
 */
import { WpaCtrlClient } from '../../src/ctrl/wpa-ctrl-client.js';

const [ctrlDir, ifname, localDir, waitMs] = process.argv.slice(2);
const out = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const options = { ctrlDir: ctrlDir!, ifname: ifname!, localDir: localDir! };
const first = new WpaCtrlClient(options);
await first.connect().then(
  () => out({ kind: 'connected-at-once' }),
  (error: Error) => out({ kind: 'connect-failed', name: error.name, message: error.message }),
);
await first.close();

const client = new WpaCtrlClient(options);
let errors = 0;
client.on('error', (error) => {
  errors += 1;
  if (errors <= 3) out({ kind: 'error', name: error.name, message: error.message });
});
const started = performance.now();
const cpu = process.cpuUsage();
setTimeout(() => {
  const used = process.cpuUsage(cpu);
  out({ kind: 'cpu', ms: (used.user + used.system) / 1000, wallMs: performance.now() - started, errors });
}, Number(waitMs));
await client.connect({ waitForDaemon: true });
out({ kind: 'connected', afterMs: performance.now() - started, errors });
out({ kind: 'ping', reply: await client.request('PING') });
await client.close();
