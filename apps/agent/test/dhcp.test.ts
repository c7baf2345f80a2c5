import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import {
  dnsmasqArgs,
  eapolIpAddress,
  isValidInterfaceName,
  parseDnsmasqLogLine,
  parseGroupAddressingConfig,
  wpaIpAllocationCommands,
} from '../src/dhcp/group-addressing.js';
import {
  DNSMASQ_MISSING,
  type CommandRunner,
  type DhcpLease,
  GroupDhcpError,
  GroupDhcpServer,
  type GroupDhcpServerOptions,
  NEEDS_NET_ADMIN,
} from '../src/dhcp/group-dhcp-server.js';
import { renderWelcomePage, WelcomePage } from '../src/dhcp/welcome-page.js';
import { createLogger } from '../src/logger.js';

const execFileAsync = promisify(execFile);
const logger = createLogger('silent');
const DNSMASQ = '/usr/sbin/dnsmasq';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wdk-dhcp-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next `event` from the server, or a failure naming what was awaited. */
async function next<E extends 'lease' | 'release' | 'running' | 'error'>(
  server: GroupDhcpServer,
  event: E,
  timeoutMs = 10_000,
): Promise<unknown> {
  const [value] = await once(server as unknown as NodeJS.EventEmitter, event, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  return value;
}

// -------------------------------------------------------------------------------------------------------------
describe('group addressing configuration', () => {
  it("defaults to Android's 192.168.49.1/24 with disjoint DHCP and EAPOL pools", () => {
    expect(parseGroupAddressingConfig()).toEqual({
      enabled: true,
      gateway: '192.168.49.1',
      prefixLength: 24,
      dhcpRange: { start: '192.168.49.10', end: '192.168.49.99' },
      leaseTime: '1h',
      eapolRange: { start: '192.168.49.100', end: '192.168.49.199' },
    });
  });

  it.each([
    [{ gateway: '192.168.49.300' }, 'gateway: must be an IPv4 address'],
    [{ gateway: '192.168.049.1' }, 'gateway: must be an IPv4 address'],
    [{ gateway: '192.168.49.0' }, 'gateway: 192.168.49.0 is the network address of 192.168.49.0/24'],
    [{ gateway: '192.168.49.255' }, 'gateway: 192.168.49.255 is the broadcast address'],
    [{ prefixLength: 31 }, 'prefixLength'],
    [
      { dhcpRange: { start: '10.0.0.10', end: '192.168.49.99' } },
      "dhcpRange.start: 10.0.0.10 is outside the host addresses of the gateway's subnet 192.168.49.0/24",
    ],
    [
      { dhcpRange: { start: '192.168.49.10', end: '192.168.49.255' } },
      'dhcpRange.end: 192.168.49.255 is outside',
    ],
    [
      { dhcpRange: { start: '192.168.49.90', end: '192.168.49.20' } },
      'dhcpRange: start 192.168.49.90 is after end 192.168.49.20',
    ],
    [
      { gateway: '192.168.49.50' },
      'dhcpRange: the gateway 192.168.49.50 is inside the range 192.168.49.10-192.168.49.99',
    ],
    [{ gateway: '192.168.49.150' }, 'eapolRange: the gateway 192.168.49.150 is inside'],
    [{ eapolRange: { start: '192.168.49.90', end: '192.168.49.120' } }, 'eapolRange: overlaps dhcpRange'],
    [{ leaseTime: '1 hour' }, 'leaseTime: must be a lease time like 3600, 45m, 1h, 1d or infinite'],
  ])('rejects %j with a message naming the field and the rule', (input, message) => {
    expect(() => parseGroupAddressingConfig(input)).toThrow(message);
    expect(() => parseGroupAddressingConfig(input)).toThrow(/^invalid group addressing configuration:\n/);
  });

  it('accepts a custom subnet and no EAPOL pool', () => {
    const config = parseGroupAddressingConfig({
      gateway: '10.42.0.1',
      prefixLength: 16,
      dhcpRange: { start: '10.42.1.1', end: '10.42.1.254' },
      eapolRange: null,
      leaseTime: 'infinite',
    });
    expect(config.eapolRange).toBeNull();
    expect(config.prefixLength).toBe(16);
  });

  it('validates interface names like the kernel does', () => {
    for (const ok of ['p2p-wlan0-0', 'p2p-wlan0-12', 'wdkd0', 'a.b_c-d', 'x'.repeat(15)])
      expect(isValidInterfaceName(ok)).toBe(true);
    for (const bad of ['', '.', '..', 'x'.repeat(16), 'wlan0 up', 'a/b', 'a:1', '-i', 'wlan0\n'])
      expect(isValidInterfaceName(bad)).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('dnsmasqArgs', () => {
  const files = {
    leaseFile: '/var/lib/wdk/dhcp/p2p-wlan0-0.leases',
    pidFile: '/var/lib/wdk/dhcp/p2p-wlan0-0.pid',
  };

  it('builds a DHCP-only, interface-bound, system-config-free command line for the default config', () => {
    expect(dnsmasqArgs({ ifname: 'p2p-wlan0-0', config: parseGroupAddressingConfig(), ...files })).toEqual([
      '--keep-in-foreground',
      '--log-facility=-',
      '--log-dhcp',
      '--conf-file=/dev/null',
      '--port=0',
      '--no-resolv',
      '--no-hosts',
      '--interface=p2p-wlan0-0',
      '--bind-interfaces',
      '--except-interface=lo',
      '--dhcp-range=192.168.49.10,192.168.49.99,255.255.255.0,1h',
      '--dhcp-option=option:router',
      '--dhcp-authoritative',
      '--dhcp-leasefile=/var/lib/wdk/dhcp/p2p-wlan0-0.leases',
      '--pid-file=/var/lib/wdk/dhcp/p2p-wlan0-0.pid',
    ]);
  });

  it('follows a custom subnet, range and lease time', () => {
    const config = parseGroupAddressingConfig({
      gateway: '10.42.0.1',
      prefixLength: 16,
      dhcpRange: { start: '10.42.1.1', end: '10.42.1.254' },
      leaseTime: '30m',
      eapolRange: { start: '10.42.2.1', end: '10.42.2.254' },
    });
    const args = dnsmasqArgs({ ifname: 'p2p-wlan1-3', config, ...files });
    expect(args).toContain('--dhcp-range=10.42.1.1,10.42.1.254,255.255.0.0,30m');
    expect(args).toContain('--interface=p2p-wlan1-3');
    for (const flag of ['--bind-interfaces', '--except-interface=lo', '--port=0', '--conf-file=/dev/null'])
      expect(args).toContain(flag);
    // No default route is offered: phones keep their mobile data for the internet.
    expect(args.filter((a) => a.startsWith('--dhcp-option='))).toEqual(['--dhcp-option=option:router']);
  });

  it('refuses an interface name that is not one', () => {
    expect(() =>
      dnsmasqArgs({ ifname: '--conf-file=/etc/x', config: parseGroupAddressingConfig(), ...files }),
    ).toThrow(/not a network interface name/);
  });

  it.skipIf(!existsSync(DNSMASQ))('is accepted by the real dnsmasq (--test)', async () => {
    const args = dnsmasqArgs({ ifname: 'p2p-wlan0-0', config: parseGroupAddressingConfig(), ...files });
    const { stdout, stderr } = await execFileAsync(DNSMASQ, [...args, '--test']);
    expect(`${stdout}${stderr}`).toMatch(/syntax check OK/);
  });
});

describe('wpaIpAllocationCommands', () => {
  it("configures wpa_supplicant's EAPOL-Key allocation on the EAPOL pool", () => {
    expect(wpaIpAllocationCommands(parseGroupAddressingConfig())).toEqual([
      'SET ip_addr_go 192.168.49.1',
      'SET ip_addr_mask 255.255.255.0',
      'SET ip_addr_start 192.168.49.100',
      'SET ip_addr_end 192.168.49.199',
    ]);
  });

  it('resets all four to 0.0.0.0 when the pool or the feature is off', () => {
    const off = [
      'SET ip_addr_go 0.0.0.0',
      'SET ip_addr_mask 0.0.0.0',
      'SET ip_addr_start 0.0.0.0',
      'SET ip_addr_end 0.0.0.0',
    ];
    expect(wpaIpAllocationCommands(parseGroupAddressingConfig({ eapolRange: null }))).toEqual(off);
    expect(wpaIpAllocationCommands(parseGroupAddressingConfig({ enabled: false }))).toEqual(off);
  });

  it('reads the allocated address from AP-STA-CONNECTED fields', () => {
    expect(eapolIpAddress({ p2p_dev_addr: '42:00:00:00:01:00', ip_addr: '192.168.49.100' })).toBe(
      '192.168.49.100',
    );
    expect(eapolIpAddress({ p2p_dev_addr: '42:00:00:00:01:00' })).toBeNull();
    expect(eapolIpAddress({ ip_addr: 'junk' })).toBeNull();
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('parseDnsmasqLogLine', () => {
  // Lines as dnsmasq 2.90 prints them with --log-facility=- --log-dhcp (captured from a real run on a veth pair).
  it.each([
    [
      'dnsmasq-dhcp[123]: DHCPACK(p2p-wlan0-0) 192.168.49.23 46:00:00:00:01:00 android-1234',
      {
        kind: 'lease',
        ifname: 'p2p-wlan0-0',
        ip: '192.168.49.23',
        mac: '46:00:00:00:01:00',
        hostname: 'android-1234',
      },
    ],
    [
      'dnsmasq-dhcp[16300]: 939205888 DHCPACK(wdkd0) 192.168.49.85 76:14:ea:f7:c6:84 phone-1',
      { kind: 'lease', ifname: 'wdkd0', ip: '192.168.49.85', mac: '76:14:ea:f7:c6:84', hostname: 'phone-1' },
    ],
    [
      'dnsmasq-dhcp[16300]: 3350116958 DHCPACK(wdkd0) 192.168.49.85 76:14:EA:F7:C6:84 ',
      { kind: 'lease', ifname: 'wdkd0', ip: '192.168.49.85', mac: '76:14:ea:f7:c6:84', hostname: null },
    ],
    [
      // syslog strips the tag: the same message without the `dnsmasq-dhcp[pid]: ` prefix
      'DHCPACK(p2p-wlan0-0) 192.168.49.23 46:00:00:00:01:00 android-1234',
      {
        kind: 'lease',
        ifname: 'p2p-wlan0-0',
        ip: '192.168.49.23',
        mac: '46:00:00:00:01:00',
        hostname: 'android-1234',
      },
    ],
    [
      'dnsmasq-dhcp[16300]: 1412 DHCPRELEASE(wdkd0) 192.168.49.85 76:14:ea:f7:c6:84 ',
      { kind: 'release', ifname: 'wdkd0', ip: '192.168.49.85', mac: '76:14:ea:f7:c6:84' },
    ],
    [
      'DHCPRELEASE(p2p-wlan0-0) 192.168.49.23 46:00:00:00:01:00',
      { kind: 'release', ifname: 'p2p-wlan0-0', ip: '192.168.49.23', mac: '46:00:00:00:01:00' },
    ],
  ])('%s', (line, expected) => {
    expect(parseDnsmasqLogLine(line)).toEqual(expected);
  });

  it.each([
    'dnsmasq[16300]: started, version 2.90 DNS disabled',
    'dnsmasq-dhcp[16300]: DHCP, sockets bound exclusively to interface wdkd0',
    'dnsmasq-dhcp[16300]: 939205888 DHCPDISCOVER(wdkd0) 76:14:ea:f7:c6:84 ',
    'dnsmasq-dhcp[16300]: 939205888 DHCPOFFER(wdkd0) 192.168.49.85 76:14:ea:f7:c6:84 ',
    'dnsmasq-dhcp[16300]: 939205888 DHCPREQUEST(wdkd0) 192.168.49.85 76:14:ea:f7:c6:84 ',
    'dnsmasq-dhcp[16300]: 939205888 client provides name: phone-1',
    'dnsmasq-dhcp[16300]: 939205888 DHCPACK(wdkd0) 192.168.49.85 20-76:14:ea:f7:c6:84:00:00 ib',
    'dnsmasq-dhcp[16300]: 939205888 DHCPACK(wdkd0) 192.168.49.300 76:14:ea:f7:c6:84 x',
    'dnsmasq: failed to bind DHCP server socket: Permission denied',
  ])('ignores %s', (line) => {
    expect(parseDnsmasqLogLine(line)).toBeNull();
  });
});

// -------------------------------------------------------------------------------------------------------------
// Life cycle against a stand-in dnsmasq (a shell script): runs anywhere, no root needed.

let scriptCounter = 0;
/** A fake dnsmasq: appends its pid to `<script>.spawns`, then runs `body` (sh). */
async function fakeDnsmasq(body: string): Promise<{ file: string; spawns: () => Promise<number> }> {
  const file = path.join(tmp, `fake-dnsmasq-${++scriptCounter}.sh`);
  const spawnLog = `${file}.spawns`;
  await writeFile(file, `#!/bin/sh\necho "$$" >> '${spawnLog}'\n${body}\n`);
  await chmod(file, 0o755);
  return {
    file,
    spawns: async () => (await readFile(spawnLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
  };
}
const STARTED = 'echo "dnsmasq[$$]: started, version 2.90 DNS disabled" >&2';

function fakeRun(calls: string[][] = []): CommandRunner {
  return async (file, args) => {
    calls.push([file, ...args]);
  };
}

const servers: GroupDhcpServer[] = [];
function makeServer(options: Partial<GroupDhcpServerOptions>): GroupDhcpServer {
  const server = new GroupDhcpServer({
    config: parseGroupAddressingConfig(),
    logger,
    dataDir: mkdtempSync(path.join(tmp, 'data-')),
    run: fakeRun(),
    restartDelaysMs: [30, 60, 90],
    ...options,
  });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('GroupDhcpServer life cycle (stand-in dnsmasq)', () => {
  it('addresses the interface, spawns dnsmasq with the built argv, parses leases, stops idempotently', async () => {
    const calls: string[][] = [];
    const argsFile = path.join(tmp, 'argv.txt');
    const fake = await fakeDnsmasq(
      `printf '%s\\n' "$@" > '${argsFile}'\n${STARTED}\n` +
        `echo "dnsmasq-dhcp[$$]: 77 DHCPACK(p2p-wlan0-0) 192.168.49.23 46:00:00:00:01:00 android-1234" >&2\nexec sleep 30`,
    );
    const server = makeServer({ dnsmasqPath: fake.file, run: fakeRun(calls) });
    const leases: DhcpLease[] = [];
    server.on('lease', (lease) => leases.push(lease));

    expect(await server.start('p2p-wlan0-0')).toBe(true);
    expect(await server.start('p2p-wlan0-0')).toBe(true); // already running: no second dnsmasq
    expect(await fake.spawns()).toBe(1);
    expect(calls).toEqual([
      ['/sbin/ip', 'addr', 'replace', '192.168.49.1/24', 'broadcast', '+', 'dev', 'p2p-wlan0-0'],
      ['/sbin/ip', 'link', 'set', 'dev', 'p2p-wlan0-0', 'up'],
    ]);
    const argv = (await readFile(argsFile, 'utf8')).trim().split('\n');
    expect(argv).toContain('--interface=p2p-wlan0-0');
    expect(argv).toContain('--conf-file=/dev/null');

    await expect.poll(() => leases.length).toBe(1);
    expect(leases[0]).toEqual({ ip: '192.168.49.23', mac: '46:00:00:00:01:00', hostname: 'android-1234' });
    expect(server.leases()).toEqual(new Map([['46:00:00:00:01:00', '192.168.49.23']]));
    expect(server.ipForStation('46:00:00:00:01:00'.toUpperCase())).toBe('192.168.49.23');

    const pid = server.pid!;
    expect(alive(pid)).toBe(true);
    await server.stop();
    await server.stop();
    expect(alive(pid)).toBe(false);
    expect(server.pid).toBeNull();
    expect(server.leases().size).toBe(0);
    expect(calls.at(-1)).toEqual(['/sbin/ip', 'addr', 'del', '192.168.49.1/24', 'dev', 'p2p-wlan0-0']);
  });

  it('reports a missing dnsmasq clearly and keeps the Wi-Fi side going', async () => {
    const server = makeServer({ dnsmasqPath: path.join(tmp, 'no-such-dir', 'dnsmasq') });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('p2p-wlan0-0')).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GroupDhcpError);
    expect(errors[0]?.code).toBe('dnsmasq-missing');
    expect(errors[0]?.message).toContain(DNSMASQ_MISSING);
    await server.stop();
  });

  it('maps a refused `ip addr` to the CAP_NET_ADMIN message and never spawns dnsmasq', async () => {
    const fake = await fakeDnsmasq(`${STARTED}\nexec sleep 30`);
    const run: CommandRunner = async () => {
      throw Object.assign(new Error('Command failed: ip addr replace'), {
        code: 2,
        stderr: 'RTNETLINK answers: Operation not permitted\n',
      });
    };
    const server = makeServer({ dnsmasqPath: fake.file, run });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('p2p-wlan0-0')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['no-privileges']);
    expect(errors[0]?.message).toContain(NEEDS_NET_ADMIN);
    expect(errors[0]?.detail).toContain('Operation not permitted');
    expect(await fake.spawns()).toBe(0);
  });

  it('does not retry a dnsmasq that fails at start (port taken) and says why', async () => {
    const fake = await fakeDnsmasq(
      'echo "dnsmasq: failed to bind DHCP server socket: Address in use" >&2\nexit 2',
    );
    const server = makeServer({ dnsmasqPath: fake.file });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('p2p-wlan0-0')).toBe(false);
    await sleep(300);
    expect(errors.map((e) => e.code)).toEqual(['port-in-use']);
    expect(errors[0]?.message).toMatch(/UDP port 67/);
    expect(await fake.spawns()).toBe(1);
  });

  it('restarts a dnsmasq killed while the group lives, 3 times, then reports and stops trying', async () => {
    const fake = await fakeDnsmasq(`${STARTED}\nexec sleep 30`);
    const server = makeServer({ dnsmasqPath: fake.file, restartDelaysMs: [30, 60, 90] });
    const running: Array<{ pid: number; restarts: number }> = [];
    const errors: GroupDhcpError[] = [];
    server.on('running', ({ pid, restarts }) => running.push({ pid, restarts }));
    server.on('error', (error) => errors.push(error));

    expect(await server.start('p2p-wlan0-0')).toBe(true);
    for (let restart = 1; restart <= 3; restart++) {
      const pid = server.pid!;
      const restarted = next(server, 'running');
      process.kill(pid, 'SIGKILL');
      const event = (await restarted) as { pid: number; restarts: number };
      expect(event.restarts).toBe(restart);
      expect(event.pid).not.toBe(pid);
      expect(alive(event.pid)).toBe(true);
    }
    const failed = next(server, 'error');
    process.kill(server.pid!, 'SIGKILL');
    const error = (await failed) as GroupDhcpError;
    expect(error.code).toBe('restarts-exhausted');
    expect(error.message).toBe(
      'dnsmasq keeps dying on p2p-wlan0-0 (restarted 3 times), giving up: dnsmasq stopped (killed by SIGKILL)',
    );

    await sleep(400); // longer than every restart delay: nothing more may be spawned
    expect(await fake.spawns()).toBe(4);
    expect(running.map((r) => r.restarts)).toEqual([0, 1, 2, 3]);
    expect(errors).toHaveLength(1);
    expect(server.pid).toBeNull();
  });

  it('never busy-loops on a dnsmasq that dies right after starting: the backoff is waited out', async () => {
    const fake = await fakeDnsmasq(`${STARTED}\nsleep 0.05\nexit 5`);
    const server = makeServer({ dnsmasqPath: fake.file, restartDelaysMs: [100, 150, 200] });
    const startedAt = performance.now();
    const failed = next(server, 'error');
    expect(await server.start('p2p-wlan0-0')).toBe(true);
    const error = (await failed) as GroupDhcpError;
    expect(error.code).toBe('restarts-exhausted');
    expect(error.message).toMatch(/exit code 5/);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(450);
    await sleep(300);
    expect(await fake.spawns()).toBe(4);
  });

  it('stop() ends a pending restart and SIGKILLs a dnsmasq that ignores SIGTERM', async () => {
    const fake = await fakeDnsmasq(`trap '' TERM\n${STARTED}\nwhile :; do sleep 0.1; done`);
    const server = makeServer({ dnsmasqPath: fake.file, stopGraceMs: 200 });
    expect(await server.start('p2p-wlan0-0')).toBe(true);
    const pid = server.pid!;
    const startedAt = performance.now();
    await server.stop();
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(alive(pid)).toBe(false);

    const fast = await fakeDnsmasq(`${STARTED}\nexec sleep 30`);
    const other = makeServer({ dnsmasqPath: fast.file, restartDelaysMs: [300] });
    expect(await other.start('p2p-wlan0-0')).toBe(true);
    const gone = next(other, 'running', 100).catch(() => 'no restart');
    process.kill(other.pid!, 'SIGKILL');
    await sleep(50);
    await other.stop(); // inside the 300 ms backoff
    expect(await gone).toBe('no restart');
    await sleep(400);
    expect(await fast.spawns()).toBe(1);
  });

  it('does nothing when disabled, and refuses a bad interface name', async () => {
    const calls: string[][] = [];
    const disabled = makeServer({
      config: parseGroupAddressingConfig({ enabled: false }),
      run: fakeRun(calls),
    });
    expect(await disabled.start('p2p-wlan0-0')).toBe(false);
    const server = makeServer({ run: fakeRun(calls) });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('wlan0; reboot')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['invalid-interface']);
    expect(calls).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('welcome page', () => {
  it('escapes the device and group names and links nothing', () => {
    const html = renderWelcomePage({
      deviceName: 'Kiosk <script>alert(1)</script>',
      groupName: 'DIRECT-ab-"x"&y',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('Kiosk &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('DIRECT-ab-&quot;x&quot;&amp;y');
    expect(html).toMatch(/Wi-Fi Direct settings/);
    expect(html).not.toMatch(/<a |<script|<form|<link|src=/);
  });

  it('serves only the page, on the given address, and stops', async () => {
    const page = new WelcomePage({ logger, port: 0 });
    expect(
      await page.start('127.0.0.1', { deviceName: 'Museum kiosk', groupName: 'DIRECT-xy-Museum kiosk' }),
    ).toBe(true);
    const url = page.url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await home.text()).toContain('You are connected to Museum kiosk');
    for (const p of ['api/state', 'login', 'socket.io/?EIO=4'])
      expect((await fetch(`${url}${p}`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
    await page.stop();
    await page.stop();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('reports, without throwing, an address the machine does not have', async () => {
    const page = new WelcomePage({ logger, port: 0 });
    expect(await page.start('192.0.2.77', { deviceName: 'k', groupName: null })).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------------------------
// The real thing: dnsmasq on a veth end in one network namespace, busybox udhcpc on the other end in another.

const isRoot = process.getuid?.() === 0;
function findBusybox(): string | null {
  return ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? null;
}
if (isRoot && !findBusybox()) {
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'busybox'], {
      stdio: 'ignore',
      timeout: 180_000,
    });
  } catch {
    // reported by the skip below
  }
}
const BUSYBOX = findBusybox();
const missing = [
  !isRoot && 'root',
  !existsSync(DNSMASQ) && DNSMASQ,
  !BUSYBOX && 'busybox (udhcpc)',
  !existsSync('/sbin/ip') && '/sbin/ip',
]
  .filter(Boolean)
  .join(', ');
if (missing) console.warn(`\n!!! SKIPPING the real dnsmasq + udhcpc DHCP tests: missing ${missing}\n`);

describe.skipIf(Boolean(missing))('GroupDhcpServer with the real dnsmasq and a real DHCP client', () => {
  const suffix = randomBytes(3).toString('hex');
  const serverNs = `wdk-dhcp-${suffix}`;
  const clientNs = `wdk-dhcpc-${suffix}`;
  const inServerNs = ['ip', 'netns', 'exec', serverNs];
  let clientMac = '';
  let dataDir = '';

  const ip = async (...args: string[]): Promise<string> => (await execFileAsync('/sbin/ip', args)).stdout;

  beforeAll(async () => {
    await ip('netns', 'add', serverNs);
    await ip('netns', 'add', clientNs);
    await ip(
      'link',
      'add',
      'wdkd0',
      'netns',
      serverNs,
      'type',
      'veth',
      'peer',
      'name',
      'wdkd1',
      'netns',
      clientNs,
    );
    await ip('-n', clientNs, 'link', 'set', 'lo', 'up');
    await ip('-n', clientNs, 'link', 'set', 'wdkd1', 'up');
    const [link] = JSON.parse(await ip('-n', clientNs, '-j', 'link', 'show', 'dev', 'wdkd1')) as Array<{
      address: string;
    }>;
    clientMac = link!.address;
    dataDir = mkdtempSync(path.join(tmp, 'real-'));
  });

  afterAll(async () => {
    await ip('netns', 'del', serverNs).catch(() => undefined);
    await ip('netns', 'del', clientNs).catch(() => undefined);
  });

  /**
   * busybox udhcpc on wdkd1; its script configures the address and records what the server offered. With
   * `release`, udhcpc stays up until bound and is then ended with SIGTERM, which with -R unicasts a DHCPRELEASE
   * (udhcpc -q -R does not: it quits before entering the BOUND state).
   */
  async function dhcpClient(
    options: { release?: boolean; hostname?: string } = {},
  ): Promise<Record<string, string>> {
    const out = path.join(tmp, `udhcpc-${randomBytes(3).toString('hex')}.env`);
    const script = `${out}.sh`;
    await writeFile(
      script,
      '#!/bin/sh\ncase "$1" in bound|renew)\n' +
        '  /sbin/ip addr replace "$ip/$mask" dev "$interface"\n' +
        `  printf 'ip=%s\\nsubnet=%s\\nrouter=%s\\ndns=%s\\nserverid=%s\\n' "$ip" "$subnet" "$router" "$dns" "$serverid" > '${out}.tmp'\n` +
        `  mv '${out}.tmp' '${out}'\n` +
        '  ;;\nesac\n',
    );
    await chmod(script, 0o755);
    const args = [
      'netns',
      'exec',
      clientNs,
      BUSYBOX!,
      'udhcpc',
      '-i',
      'wdkd1',
      '-f',
      '-n',
      '-t',
      '5',
      '-T',
      '1',
      '-s',
      script,
    ];
    args.push(options.release ? '-R' : '-q');
    if (options.hostname) args.push('-x', `hostname:${options.hostname}`);
    const client = spawn('/sbin/ip', args, { stdio: 'ignore' });
    const exited = once(client, 'exit');
    await expect.poll(() => existsSync(out), { timeout: 15_000, interval: 50 }).toBe(true);
    if (options.release) client.kill('SIGTERM');
    await exited;
    return Object.fromEntries(
      (await readFile(out, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }

  const inRange = (address: string) => {
    const last = Number(address.split('.')[3]);
    return address.startsWith('192.168.49.') && last >= 10 && last <= 99;
  };

  it(
    'addresses the interface, leases to a real client, survives a crash, and cleans up on stop',
    { timeout: 60_000 },
    async () => {
      const server = makeServer({
        dataDir,
        run: undefined,
        commandPrefix: inServerNs,
        restartDelaysMs: [100, 200, 400],
      });
      const errors: GroupDhcpError[] = [];
      server.on('error', (error) => errors.push(error));

      expect(await server.start('wdkd0')).toBe(true);
      expect(await ip('-n', serverNs, '-4', 'addr', 'show', 'dev', 'wdkd0')).toContain(
        'inet 192.168.49.1/24',
      );
      const pid = server.pid!;
      const pidFile = path.join(dataDir, 'dhcp', 'wdkd0.pid');
      const leaseFile = path.join(dataDir, 'dhcp', 'wdkd0.leases');
      expect(Number((await readFile(pidFile, 'utf8')).trim())).toBe(pid);

      // Bound to wdkd0 only, and no DNS at all (no port 53, UDP or TCP).
      const { stdout: sockets } = await execFileAsync('ip', [...inServerNs.slice(1), 'ss', '-Hlunpt']);
      expect(sockets).toMatch(/0\.0\.0\.0%wdkd0:67\b/);
      expect(sockets).not.toMatch(/:53\b/);

      const leased = next(server, 'lease');
      const offered = await dhcpClient({ hostname: 'wdk-test-phone' });
      const lease = (await leased) as DhcpLease;
      expect(lease).toEqual({ ip: offered.ip, mac: clientMac, hostname: 'wdk-test-phone' });
      expect(inRange(lease.ip)).toBe(true);
      expect(offered).toMatchObject({
        subnet: '255.255.255.0',
        serverid: '192.168.49.1',
        router: '',
        dns: '',
      });
      expect(server.ipForStation(clientMac)).toBe(lease.ip);
      expect(await readFile(leaseFile, 'utf8')).toContain(`${clientMac} ${lease.ip} wdk-test-phone`);

      // The client gives the address back.
      const released = next(server, 'release');
      await dhcpClient({ release: true });
      expect(await released).toEqual({ ip: lease.ip, mac: clientMac });

      // dnsmasq dies while the group lives: it is restarted and serves again.
      const restarted = next(server, 'running');
      process.kill(pid, 'SIGKILL');
      const running = (await restarted) as { pid: number; restarts: number };
      expect(running.restarts).toBe(1);
      const leasedAgain = next(server, 'lease');
      const again = await dhcpClient();
      expect(((await leasedAgain) as DhcpLease).ip).toBe(again.ip);

      await server.stop();
      expect(alive(running.pid)).toBe(false);
      expect(existsSync(pidFile)).toBe(false);
      expect(existsSync(leaseFile)).toBe(false);
      expect(await ip('-n', serverNs, '-4', 'addr', 'show', 'dev', 'wdkd0')).not.toContain('192.168.49.1');
      expect(errors).toEqual([]);
    },
  );

  it('reports a missing dnsmasq behind `ip netns exec` too', { timeout: 20_000 }, async () => {
    const server = makeServer({
      dataDir,
      run: undefined,
      commandPrefix: inServerNs,
      dnsmasqPath: '/nonexistent/dnsmasq',
    });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('wdkd0')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['dnsmasq-missing']);
    expect(errors[0]?.message).toContain(DNSMASQ_MISSING);
    await server.stop();
    expect(await ip('-n', serverNs, '-4', 'addr', 'show', 'dev', 'wdkd0')).not.toContain('192.168.49.1');
  });

  it('reports missing privileges from the real `ip` (run as nobody)', { timeout: 20_000 }, async () => {
    const asNobody = [...inServerNs, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];
    const server = makeServer({ dataDir, run: undefined, commandPrefix: asNobody });
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('wdkd0')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['no-privileges']);
    expect(errors[0]?.message).toContain(NEEDS_NET_ADMIN);
    expect(errors[0]?.detail).toMatch(/Operation not permitted/);
  });

  /** dnsmasq runs as nobody; the address is given by a privileged `ip`. */
  function unprivilegedDnsmasq(dir: string): GroupDhcpServer {
    const asNobody = [...inServerNs, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];
    const run: CommandRunner = async (_file, args) => {
      await execFileAsync('ip', ['netns', 'exec', serverNs, ...args.slice(args.indexOf('/sbin/ip'))]);
    };
    return makeServer({ dataDir: dir, run, commandPrefix: asNobody });
  }

  it(
    'reports missing privileges from the real dnsmasq (run as nobody, port 67 refused)',
    { timeout: 20_000 },
    async () => {
      // Outside `tmp` (0700): nobody must be able to reach the directory.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-dhcp-nobody-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      await mkdir(path.join(dir, 'dhcp'));
      await chmod(dir, 0o777);
      await chmod(path.join(dir, 'dhcp'), 0o777); // so the lease and pid files are not what fails
      const server = unprivilegedDnsmasq(dir);
      const errors: GroupDhcpError[] = [];
      server.on('error', (error) => errors.push(error));
      expect(await server.start('wdkd0')).toBe(false);
      expect(errors.map((e) => e.code)).toEqual(['no-privileges']);
      expect(errors[0]?.message).toContain(NEEDS_NET_ADMIN);
      expect(errors[0]?.detail).toBe('dnsmasq: failed to bind DHCP server socket: Permission denied');
      await server.stop();
    },
  );

  it('says so when dnsmasq cannot write its lease file', { timeout: 20_000 }, async () => {
    const server = unprivilegedDnsmasq(mkdtempSync(path.join(tmp, 'private-'))); // 0700 root: nobody cannot write
    const errors: GroupDhcpError[] = [];
    server.on('error', (error) => errors.push(error));
    expect(await server.start('wdkd0')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['file-access']);
    expect(errors[0]?.message).toMatch(
      /^dnsmasq cannot write its lease and pid files in .*\/dhcp: dnsmasq: cannot open or create lease file/,
    );
    await server.stop();
  });
});
