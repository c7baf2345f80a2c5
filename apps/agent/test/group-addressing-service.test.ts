import { EventEmitter } from 'node:events';
import http from 'node:http';

import { describe, expect, it, onTestFinished } from 'vitest';

import { resolveAgentConfig } from '../src/config.js';
import { parseGroupAddressingConfig } from '../src/dhcp/group-addressing.js';
import type { GroupDhcpEvents } from '../src/dhcp/group-dhcp-server.js';
import { WelcomePage } from '../src/dhcp/welcome-page.js';
import { type GroupDhcp, GroupAddressingService } from '../src/group-addressing-service.js';
import { createLogger } from '../src/logger.js';

const logger = createLogger('silent');

/** GroupDhcpServer's contract without dnsmasq or `ip`: start "addresses" the interface after a delay. */
class FakeDhcp extends EventEmitter<GroupDhcpEvents> implements GroupDhcp {
  ifname: string | null = null;
  readonly calls: string[] = [];
  /** Like the real server, stop() runs after a start() in progress. */
  private last: Promise<unknown> = Promise.resolve();
  constructor(private readonly addressOk = true) {
    super();
  }
  start(ifname: string): Promise<boolean> {
    this.calls.push(`start ${ifname}`);
    const done = this.last.then(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (this.addressOk) this.ifname = ifname;
      return this.addressOk;
    });
    this.last = done;
    return done;
  }
  stop(): Promise<void> {
    this.calls.push('stop');
    const done = this.last.then(() => {
      this.ifname = null;
    });
    this.last = done;
    return done;
  }
  ipForStation(): string | null {
    return null;
  }
}

/** GET on 127.0.0.1:port; the status and body, or the connection error's code. */
function get(port: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Loopback stands in for the group subnet, so the page listens where a test can reach it. */
const config = parseGroupAddressingConfig({
  gateway: '127.0.0.1',
  prefixLength: 24,
  dhcpRange: { start: '127.0.0.10', end: '127.0.0.99' },
  eapolRange: null,
});

function setup(options: { addressOk?: boolean; welcome?: boolean } = {}) {
  const dhcp = new FakeDhcp(options.addressOk ?? true);
  // Port 0 picks a free port; the page's url says which.
  const welcomePage = options.welcome === false ? undefined : new WelcomePage({ logger, port: 0 });
  const service = new GroupAddressingService(
    config,
    {
      request: async () => 'OK',
      onClientIp: () => undefined,
      onError: () => undefined,
      deviceName: async () => 'Lobby <kiosk>',
    },
    logger,
    '/nonexistent',
    { dhcp, ...(welcomePage ? { welcomePage } : {}) },
  );
  onTestFinished(() => service.close());
  const port = () => Number(new URL(welcomePage?.url ?? 'http://127.0.0.1:1/').port);
  return { dhcp, welcomePage, service, port };
}

describe('GroupAddressingService and the welcome page', () => {
  it('serves the page on the group address once the group is addressed, and stops with the group', async () => {
    const { dhcp, welcomePage, service, port } = setup();
    expect(welcomePage!.url).toBeNull();
    service.onDomainEvent({
      type: 'group-started',
      ifname: 'p2p-wlan0-0',
      ssid: 'DIRECT-ab-Lobby',
      freq: 2437,
    });
    await until(
      async () => welcomePage!.url,
      (url) => url !== null,
    );
    expect(welcomePage!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(port());
    expect(page).toMatchObject({ status: 200 });
    const body = (page as { body: string }).body;
    expect(body).toContain('You are connected to Lobby &lt;kiosk&gt;');
    expect(body).toContain('<code>DIRECT-ab-Lobby</code>');

    const served = port();
    service.onDomainEvent({ type: 'group-removed', ifname: 'p2p-wlan0-0', reason: 'REQUESTED' });
    await until(
      async () => welcomePage!.url,
      (url) => url === null,
    );
    expect(await get(served)).toEqual({ error: 'ECONNREFUSED' });
    expect(dhcp.calls).toEqual(['start p2p-wlan0-0', 'stop']);
  });

  it('a group removed before it was addressed never leaves the page running', async () => {
    const { welcomePage, service } = setup();
    service.onDomainEvent({ type: 'group-started', ifname: 'p2p-wlan0-1', ssid: '', freq: null });
    service.onDomainEvent({ type: 'daemon-lost' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(welcomePage!.url).toBeNull();
  });

  it('no page when the interface could not be addressed, or when the page is off', async () => {
    const failed = setup({ addressOk: false });
    failed.service.onDomainEvent({ type: 'group-started', ifname: 'p2p-wlan0-2', ssid: '', freq: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failed.welcomePage!.url).toBeNull();

    const off = setup({ welcome: false });
    off.service.onDomainEvent({ type: 'group-started', ifname: 'p2p-wlan0-3', ssid: '', freq: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(off.dhcp.calls).toEqual(['start p2p-wlan0-3']);
  });
});

describe('wdk agent --welcome-page', () => {
  it('is off by default, on with the flag or WDK_WELCOME_PAGE, the flag first', () => {
    expect(resolveAgentConfig({}, {}).welcomePage).toBe(false);
    expect(resolveAgentConfig({ welcomePage: true }, {}).welcomePage).toBe(true);
    expect(resolveAgentConfig({}, { WDK_WELCOME_PAGE: '1' }).welcomePage).toBe(true);
    expect(resolveAgentConfig({}, { WDK_WELCOME_PAGE: 'no' }).welcomePage).toBe(false);
    expect(resolveAgentConfig({ welcomePage: false }, { WDK_WELCOME_PAGE: 'true' }).welcomePage).toBe(false);
  });
});
