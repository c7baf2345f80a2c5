import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

import type { Logger } from '../logger.js';
import {
  dnsmasqArgs,
  type GroupAddressingConfig,
  isValidInterfaceName,
  parseDnsmasqLogLine,
} from './group-addressing.js';

/**
 * The imperative shell around group-addressing.ts: gives the group interface the kiosk's address and runs
 * dnsmasq on it while the group lives. Every failure is reported as an `error` event with an operator-readable
 * message and never stops the Wi-Fi Direct connection itself; phones simply get no address from us.
 */

export const DNSMASQ_MISSING = 'dnsmasq is not installed: apt-get install dnsmasq-base';
export const IPROUTE_MISSING = 'the ip command is not installed: apt-get install iproute2';
export const NEEDS_NET_ADMIN = 'the agent needs CAP_NET_ADMIN (run as root or grant it in the systemd unit)';
const NO_ADDRESS = 'phones still connect over Wi-Fi Direct but get no IP address from the kiosk';

export type GroupDhcpErrorCode =
  | 'disabled'
  | 'invalid-interface'
  | 'dnsmasq-missing'
  | 'iproute-missing'
  | 'no-privileges'
  | 'interface-missing'
  | 'port-in-use'
  | 'file-access'
  | 'address-failed'
  | 'dnsmasq-failed'
  | 'restarts-exhausted';

export class GroupDhcpError extends Error {
  override name = 'GroupDhcpError';
  constructor(
    readonly code: GroupDhcpErrorCode,
    message: string,
    readonly ifname: string | null,
    /** What the failing program said, for the log. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

export interface DhcpLease {
  ip: string;
  /** The client's hardware address in the DHCP request: its P2P interface address (AP-STA-CONNECTED's). */
  mac: string;
  hostname: string | null;
}

export interface GroupDhcpEvents {
  /** dnsmasq acknowledged a lease (a new one or a renewal). */
  lease: [DhcpLease];
  /** The client gave its address back (DHCPRELEASE). */
  release: [{ ip: string; mac: string }];
  /** dnsmasq is up on the interface; `restarts` counts restarts after it died during this group. */
  running: [{ ifname: string; pid: number; restarts: number }];
  error: [GroupDhcpError];
}

/** Runs a program to completion; rejects like `execFile` does (`code` = errno string or exit code, `stderr`). */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<void>;

const execFileAsync = promisify(execFile);

export const runCommand: CommandRunner = async (file, args) => {
  await execFileAsync(file, [...args], { timeout: 10_000 });
};

export interface GroupDhcpServerOptions {
  config: GroupAddressingConfig;
  logger: Logger;
  /** Lease and pid files go to `<dataDir>/dhcp/`. */
  dataDir: string;
  dnsmasqPath?: string;
  ipPath?: string;
  /**
   * Prepended to every command (`ip …` and dnsmasq), e.g. `['ip', 'netns', 'exec', 'ns1']` to run in a network
   * namespace. `ip netns exec` execs the program, so the pid we signal is still dnsmasq's.
   */
  commandPrefix?: readonly string[];
  run?: CommandRunner;
  /** Wait before each restart after dnsmasq died while the group lives; its length is the restart budget. */
  restartDelaysMs?: readonly number[];
  /** A dnsmasq that ran this long before dying starts a fresh restart budget. */
  stableAfterMs?: number;
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs?: number;
  /** How long to wait for dnsmasq's "started" line before assuming it runs anyway. */
  readyTimeoutMs?: number;
}

interface Child {
  process: ChildProcess;
  pid: number | null;
  ready: boolean;
  startedAt: number;
  /** The last lines dnsmasq printed, for error messages. */
  tail: string[];
  spawnError: NodeJS.ErrnoException | null;
  gone: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Session {
  ifname: string;
  leaseFile: string;
  pidFile: string;
  child: Child | null;
  deaths: number;
  restartTimer: NodeJS.Timeout | null;
  stopping: boolean;
}

const TAIL_LINES = 12;

export class GroupDhcpServer extends EventEmitter<GroupDhcpEvents> {
  private readonly config: GroupAddressingConfig;
  private readonly log: Logger;
  private readonly dhcpDir: string;
  private readonly dnsmasqPath: string;
  private readonly ipPath: string;
  private readonly prefix: readonly string[];
  private readonly run: CommandRunner;
  private readonly restartDelaysMs: readonly number[];
  private readonly stableAfterMs: number;
  private readonly stopGraceMs: number;
  private readonly readyTimeoutMs: number;

  private session: Session | null = null;
  private readonly leaseTable = new Map<string, DhcpLease>();
  /** start() and stop() run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: GroupDhcpServerOptions) {
    super();
    this.config = options.config;
    this.log = options.logger.child({ component: 'dhcp' });
    this.dhcpDir = path.join(options.dataDir, 'dhcp');
    this.dnsmasqPath = options.dnsmasqPath ?? '/usr/sbin/dnsmasq';
    // Debian ships /sbin/ip (merged /usr or not); /usr/sbin is not on a normal user's PATH.
    this.ipPath = options.ipPath ?? '/sbin/ip';
    this.prefix = options.commandPrefix ?? [];
    this.run = options.run ?? runCommand;
    this.restartDelaysMs = options.restartDelaysMs ?? [1_000, 5_000, 15_000];
    this.stableAfterMs = options.stableAfterMs ?? 60_000;
    this.stopGraceMs = options.stopGraceMs ?? 2_000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  }

  /** The interface being served, or null. */
  get ifname(): string | null {
    return this.session?.ifname ?? null;
  }

  /** dnsmasq's pid while it runs. */
  get pid(): number | null {
    return this.session?.child?.pid ?? null;
  }

  /** Current leases, station interface address (lower case) → IP. */
  leases(): Map<string, string> {
    return new Map([...this.leaseTable].map(([mac, lease]) => [mac, lease.ip]));
  }

  /** The address dnsmasq leased to a station (AP-STA-CONNECTED's address), or null. */
  ipForStation(interfaceAddress: string): string | null {
    return this.leaseTable.get(interfaceAddress.toLowerCase())?.ip ?? null;
  }

  /**
   * Give `ifname` the kiosk's address and serve DHCP on it. Resolves true when dnsmasq runs, false when the
   * feature is off or something failed (then an `error` event has been emitted and logged). Never rejects.
   * Starting again on the same interface is a no-op; on another interface the old one is stopped first.
   */
  start(ifname: string): Promise<boolean> {
    return this.serialize(() => this.doStart(ifname));
  }

  /** Stop dnsmasq, remove its files and the address. Safe to call at any time, any number of times. */
  stop(): Promise<void> {
    return this.serialize(() => this.doStop());
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async doStart(ifname: string): Promise<boolean> {
    if (!this.config.enabled) {
      this.log.info(
        { ifname },
        'group addressing is disabled: no address and no DHCP on the group interface',
      );
      return false;
    }
    if (!isValidInterfaceName(ifname)) {
      this.fail(
        new GroupDhcpError(
          'invalid-interface',
          `not a network interface name: ${JSON.stringify(ifname)}`,
          null,
        ),
      );
      return false;
    }
    const current = this.session;
    if (current && current.ifname === ifname) {
      if (current.child || current.restartTimer) return true;
    } else if (current) {
      await this.doStop();
    }

    const session: Session = this.session ?? {
      ifname,
      leaseFile: path.join(this.dhcpDir, `${ifname}.leases`),
      pidFile: path.join(this.dhcpDir, `${ifname}.pid`),
      child: null,
      deaths: 0,
      restartTimer: null,
      stopping: false,
    };
    if (!this.session) {
      try {
        await mkdir(this.dhcpDir, { recursive: true });
      } catch (error) {
        this.fail(
          new GroupDhcpError(
            'file-access',
            `cannot create ${this.dhcpDir}: ${describe(error)} (${NO_ADDRESS})`,
            ifname,
          ),
        );
        return false;
      }
      await this.killStale(session.pidFile);
      const address = `${this.config.gateway}/${this.config.prefixLength}`;
      try {
        await this.ip(['addr', 'replace', address, 'broadcast', '+', 'dev', ifname]);
        this.session = session; // from here on, stop() removes the address
        await this.ip(['link', 'set', 'dev', ifname, 'up']);
      } catch (error) {
        this.fail(this.ipFailure(error, ifname, `could not give ${ifname} the address ${address}`));
        return false;
      }
      this.log.info({ ifname, address }, 'group interface addressed');
    }
    session.deaths = 0;
    return this.spawnChild(session);
  }

  private async doStop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    session.stopping = true;
    if (session.restartTimer) clearTimeout(session.restartTimer);
    session.restartTimer = null;
    const child = session.child;
    if (child) await this.terminate(child);
    session.child = null;
    await rm(session.leaseFile, { force: true });
    await rm(session.pidFile, { force: true });
    const address = `${this.config.gateway}/${this.config.prefixLength}`;
    try {
      await this.ip(['addr', 'del', address, 'dev', session.ifname]);
    } catch (error) {
      // Usual when the group ended first: wpa_supplicant already deleted the interface with its addresses.
      this.log.debug(
        { ifname: session.ifname, err: describe(error) },
        'address not removed (interface gone?)',
      );
    }
    this.leaseTable.clear();
    this.session = null;
    this.log.info({ ifname: session.ifname }, 'group addressing stopped');
  }

  /** Spawn dnsmasq for the session; resolves true once it said "started" (or still runs after the timeout). */
  private spawnChild(session: Session): Promise<boolean> {
    const args = dnsmasqArgs({
      ifname: session.ifname,
      config: this.config,
      leaseFile: session.leaseFile,
      pidFile: session.pidFile,
    });
    const [file, argv] = this.command(this.dnsmasqPath, args);
    this.log.debug({ file, argv }, 'spawning dnsmasq');
    const processHandle = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let resolveGone!: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
    const child: Child = {
      process: processHandle,
      pid: processHandle.pid ?? null,
      ready: false,
      startedAt: performance.now(),
      tail: [],
      spawnError: null,
      gone: new Promise((resolve) => (resolveGone = resolve)),
    };
    session.child = child;

    return new Promise<boolean>((resolveReady) => {
      let settled = false;
      const settle = (ready: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(readyTimer);
        if (ready && child.pid !== null) {
          child.ready = true;
          this.emit('running', { ifname: session.ifname, pid: child.pid, restarts: session.deaths });
          this.log.info(
            { ifname: session.ifname, pid: child.pid, restarts: session.deaths },
            'dnsmasq running',
          );
        }
        resolveReady(ready);
      };
      const readyTimer = setTimeout(() => {
        this.log.warn({ ifname: session.ifname }, 'dnsmasq did not report "started"; assuming it runs');
        settle(true);
      }, this.readyTimeoutMs);

      const lines = createInterface({ input: processHandle.stderr!, crlfDelay: Infinity });
      lines.on('line', (line) => {
        child.tail.push(line);
        if (child.tail.length > TAIL_LINES) child.tail.shift();
        if (/^dnsmasq(?:\[\d+\])?: started, version /.test(line)) settle(true);
        this.onLogLine(session, line);
      });

      let ended = false;
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (ended) return;
        ended = true;
        resolveGone({ code, signal });
        const wasReady = child.ready;
        settle(false);
        this.onChildGone(session, child, wasReady, code, signal);
      };
      processHandle.on('error', (error: NodeJS.ErrnoException) => {
        // Only spawn failures (ENOENT, EACCES) arrive here for a process we never write to.
        child.spawnError = error;
        if (child.pid === null) end(null, null);
      });
      // 'close' comes after stderr ended, so every log line has been parsed by then.
      processHandle.on('close', (code, signal) => end(code, signal));
    });
  }

  private onLogLine(session: Session, line: string): void {
    const event = parseDnsmasqLogLine(line);
    if (!event) {
      // dnsmasq's own fatal messages have no pid: "dnsmasq: failed to bind DHCP server socket: …".
      if (line.startsWith('dnsmasq: ')) this.log.warn({ ifname: session.ifname, line }, 'dnsmasq');
      else this.log.trace({ ifname: session.ifname, line }, 'dnsmasq');
      return;
    }
    if (event.ifname !== session.ifname) return;
    if (event.kind === 'lease') {
      const lease: DhcpLease = { ip: event.ip, mac: event.mac, hostname: event.hostname };
      this.leaseTable.set(event.mac, lease);
      this.log.info({ ifname: session.ifname, ...lease }, 'DHCP lease');
      this.emit('lease', lease);
    } else {
      if (this.leaseTable.get(event.mac)?.ip === event.ip) this.leaseTable.delete(event.mac);
      this.log.info({ ifname: session.ifname, ip: event.ip, mac: event.mac }, 'DHCP release');
      this.emit('release', { ip: event.ip, mac: event.mac });
    }
  }

  private onChildGone(
    session: Session,
    child: Child,
    wasReady: boolean,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (session.child === child) session.child = null;
    if (session.stopping || this.session !== session) return;
    const failure = this.dnsmasqFailure(child, session.ifname, code, signal);
    this.log.warn({ ifname: session.ifname, code, signal, tail: child.tail }, 'dnsmasq exited');

    // A first start that fails is a setup problem (missing binary, privileges, port taken): retrying would
    // only repeat it. Restarts are for a dnsmasq that died while serving.
    const restarting = wasReady || session.deaths > 0;
    if (!restarting) {
      this.fail(failure);
      return;
    }
    if (wasReady && performance.now() - child.startedAt >= this.stableAfterMs) session.deaths = 0;
    const delay = this.restartDelaysMs[session.deaths];
    if (delay === undefined) {
      this.fail(
        new GroupDhcpError(
          'restarts-exhausted',
          `dnsmasq keeps dying on ${session.ifname} (restarted ${session.deaths} times), giving up: ${failure.message}`,
          session.ifname,
          failure.detail,
        ),
      );
      return;
    }
    session.deaths += 1;
    this.log.warn({ ifname: session.ifname, delayMs: delay, restart: session.deaths }, 'restarting dnsmasq');
    session.restartTimer = setTimeout(() => {
      session.restartTimer = null;
      if (session.stopping || this.session !== session) return;
      void this.spawnChild(session);
    }, delay);
  }

  private fail(error: GroupDhcpError): void {
    this.log.error({ ifname: error.ifname, code: error.code, detail: error.detail }, error.message);
    // An unhandled 'error' event would crash the agent; the log line above is then the report.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private async terminate(child: Child): Promise<void> {
    if (child.pid === null) return;
    const exited = (ms: number): Promise<boolean> =>
      Promise.race([
        child.gone.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
      ]);
    child.process.kill('SIGTERM');
    if (await exited(this.stopGraceMs)) return;
    this.log.warn({ pid: child.pid }, 'dnsmasq ignored SIGTERM, killing it');
    child.process.kill('SIGKILL');
    if (!(await exited(this.stopGraceMs))) this.log.error({ pid: child.pid }, 'dnsmasq survived SIGKILL');
  }

  /** A dnsmasq left behind by an agent that crashed would hold the interface's port 67: end it. */
  private async killStale(pidFile: string): Promise<void> {
    let pid: number;
    try {
      pid = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10);
    } catch {
      return;
    }
    if (!Number.isInteger(pid) || pid <= 1) return;
    let cmdline: string;
    try {
      cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    } catch {
      return; // not running any more
    }
    if (!cmdline.includes('dnsmasq') || !cmdline.includes(pidFile)) return;
    this.log.warn({ pid, pidFile }, 'ending a dnsmasq left over from an earlier run');
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }

  private command(program: string, args: readonly string[]): [string, string[]] {
    const [head, ...rest] = this.prefix;
    return head === undefined ? [program, [...args]] : [head, [...rest, program, ...args]];
  }

  private ip(args: readonly string[]): Promise<void> {
    const [file, argv] = this.command(this.ipPath, args);
    return this.run(file, argv);
  }

  private ipFailure(error: unknown, ifname: string, what: string): GroupDhcpError {
    const detail = describe(error);
    const errno = (error as { code?: unknown } | null)?.code;
    if (errno === 'ENOENT' || /exec of .* failed: No such file/.test(detail)) {
      return new GroupDhcpError('iproute-missing', `${IPROUTE_MISSING} (${NO_ADDRESS})`, ifname, detail);
    }
    if (errno === 'EPERM' || errno === 'EACCES' || /Operation not permitted|Permission denied/.test(detail)) {
      return new GroupDhcpError(
        'no-privileges',
        `${NEEDS_NET_ADMIN}: ${what} (${NO_ADDRESS})`,
        ifname,
        detail,
      );
    }
    if (/Cannot find device|does not exist/.test(detail)) {
      return new GroupDhcpError('interface-missing', `${what}: the interface does not exist`, ifname, detail);
    }
    return new GroupDhcpError('address-failed', `${what} (${NO_ADDRESS})`, ifname, detail);
  }

  private dnsmasqFailure(
    child: Child,
    ifname: string,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): GroupDhcpError {
    // Lines with a pid are dnsmasq's running log; fatal start-up errors come as `dnsmasq: …` (or from the
    // command prefix, e.g. `ip netns exec`'s "exec of … failed").
    const said = child.tail
      .filter((line) => line.trim() !== '' && !/^dnsmasq(?:-dhcp)?\[\d+\]:/.test(line))
      .slice(-3)
      .join(' | ');
    const spawnCode = child.spawnError?.code;
    const detail = child.spawnError ? `${child.spawnError.message}` : said || null;
    const text = `${detail ?? ''}`;
    if (spawnCode === 'ENOENT' || /exec of .* failed: No such file/.test(text)) {
      return new GroupDhcpError('dnsmasq-missing', `${DNSMASQ_MISSING} (${NO_ADDRESS})`, ifname, detail);
    }
    if (/(lease|pid) ?file/i.test(text) && /Permission denied|Read-only/.test(text)) {
      return new GroupDhcpError(
        'file-access',
        `dnsmasq cannot write its lease and pid files in ${this.dhcpDir}: ${said} (${NO_ADDRESS})`,
        ifname,
        detail,
      );
    }
    if (
      spawnCode === 'EACCES' ||
      /Permission denied|Operation not permitted|missing required capability/.test(text)
    ) {
      return new GroupDhcpError(
        'no-privileges',
        `${NEEDS_NET_ADMIN}; ${detail ?? ''} (${NO_ADDRESS})`,
        ifname,
        detail,
      );
    }
    if (/unknown interface/.test(text)) {
      return new GroupDhcpError(
        'interface-missing',
        `dnsmasq: the interface ${ifname} does not exist`,
        ifname,
        detail,
      );
    }
    if (/Address (already )?in use/.test(text)) {
      return new GroupDhcpError(
        'port-in-use',
        `another DHCP server holds UDP port 67 on every interface (a system dnsmasq without bind-interfaces or bind-dynamic?) (${NO_ADDRESS})`,
        ifname,
        detail,
      );
    }
    const how = signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
    return new GroupDhcpError(
      'dnsmasq-failed',
      `dnsmasq stopped (${how})${said ? `: ${said}` : ''}`,
      ifname,
      detail,
    );
  }
}

function describe(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  const { stderr, message } = error as { stderr?: unknown; message?: unknown };
  const text =
    typeof stderr === 'string' && stderr.trim() ? stderr.trim() : typeof message === 'string' ? message : '';
  return text || String(error);
}
