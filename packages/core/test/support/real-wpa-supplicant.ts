/**
 * Debian's real wpa_supplicant for integration tests: `-Dwired` on one end of a veth pair inside a network
 * namespace of its own (the kernel here has no `dummy` links, STACK.md), with its control socket in a
 * temporary directory. The daemon runs in the foreground as our child, so stop() and cleanup() can always
 * find it; `ip netns exec` execs into it, so the child's pid is the daemon's.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const WPA_SUPPLICANT = '/usr/sbin/wpa_supplicant';
export const WPA_CLI = '/usr/sbin/wpa_cli';
const run = promisify(execFile);

/** Why the real-daemon tests cannot run here, or null when they can. */
export function realDaemonUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'they need root (network namespaces, veth links)';
  if (!existsSync(WPA_SUPPLICANT)) return `${WPA_SUPPLICANT} is missing (apt-get install wpasupplicant)`;
  return null;
}

export class RealWpaSupplicant {
  readonly ifname = 'veth0';
  readonly namespace = `wdk-test-${randomBytes(4).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'wdk-real-wpas-'));
  readonly ctrlDir = join(this.dir, 'ctrl');
  readonly ctrlPath = join(this.ctrlDir, this.ifname);
  /** The global control interface (`-g`), where commands take an `IFNAME=` prefix and events carry one. */
  readonly globalCtrlPath = join(this.ctrlDir, 'global');
  readonly #config = join(this.dir, 'wpa_supplicant.conf');
  #daemon: ChildProcess | null = null;
  #output = '';

  /** Creates the namespace and the veth pair and starts the daemon. */
  async setUp(): Promise<void> {
    writeFileSync(this.#config, `ctrl_interface=DIR=${this.ctrlDir}\nupdate_config=0\n`);
    await run('ip', ['netns', 'add', this.namespace]);
    await this.#inNamespace('ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    await this.#inNamespace('ip', 'link', 'set', 'veth0', 'up');
    await this.#inNamespace('ip', 'link', 'set', 'veth1', 'up');
    await this.start();
  }

  /** The daemon's pid (`ip netns exec` execs into wpa_supplicant), or null before start(). */
  get pid(): number | null {
    return this.#daemon?.pid ?? null;
  }

  get running(): boolean {
    return this.#daemon !== null && this.#daemon.exitCode === null && this.#daemon.signalCode === null;
  }

  /** Starts wpa_supplicant and resolves once its control socket answers. */
  async start(): Promise<void> {
    if (this.running) throw new Error('wpa_supplicant is already running');
    this.#output = '';
    // -g does not create its directory (ctrl_iface_unix.c creates it only for per-interface sockets), and the
    // daemon removes it on exit when it is empty. 0770 root:root, as wpa_supplicant makes it.
    mkdirSync(this.ctrlDir, { recursive: true, mode: 0o770 });
    const daemon = spawn(
      'ip',
      [
        ...['netns', 'exec', this.namespace, WPA_SUPPLICANT],
        ...['-Dwired', `-i${this.ifname}`, '-c', this.#config, `-g${this.globalCtrlPath}`],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    daemon.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    daemon.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.#daemon = daemon;
    await this.#until(
      () => existsSync(this.ctrlPath) && existsSync(this.globalCtrlPath),
      `the control sockets in ${this.ctrlDir} to appear`,
    );
  }

  /** Waits for the daemon to exit by itself (after TERMINATE), killing it if it takes longer than 5 s. */
  async exited(): Promise<void> {
    const daemon = this.#daemon;
    if (daemon === null || !this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => daemon.kill('SIGKILL'), 5000);
      daemon.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops the daemon with `signal` (SIGTERM: clean exit; SIGKILL: leaves a stale socket file behind). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.#daemon?.kill(signal);
    await this.exited();
  }

  /** Kills the daemon, deletes the namespace (and with it the veth pair) and the temporary directory. */
  async cleanUp(): Promise<void> {
    await this.stop('SIGKILL').catch(() => undefined);
    await run('ip', ['netns', 'delete', this.namespace]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the daemon printed, for failure messages. */
  get output(): string {
    return this.#output;
  }

  async #inNamespace(...command: string[]): Promise<void> {
    await run('ip', ['netns', 'exec', this.namespace, ...command]);
  }

  async #until(condition: () => boolean, what: string): Promise<void> {
    // Polling is fine in a test fixture: bounded, and only while a daemon starts.
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (!this.running) throw new Error(`wpa_supplicant exited while waiting for ${what}:\n${this.#output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
