import type { DomainEvent, WpaEvent } from '@wdk/core';
import {
  eapolIpAddress,
  wpaIpAllocationCommands,
  type GroupAddressingConfig,
} from './dhcp/group-addressing.js';
import { type GroupDhcpEvents, GroupDhcpServer } from './dhcp/group-dhcp-server.js';
import type { WelcomePage } from './dhcp/welcome-page.js';
import type { Logger } from './logger.js';

export interface GroupAddressingPorts {
  request(command: string): Promise<string>;
  /** The client got an address: recorded in its session and shown on the kiosk. */
  onClientIp(p2pDeviceAddress: string, ip: string): void;
  /** DHCP cannot run: shown on the kiosk; the Wi-Fi connection still works. */
  onError(message: string): void;
  /** The kiosk's Wi-Fi Direct device name, for the welcome page. */
  deviceName?(): Promise<string>;
}

/** What the service needs of GroupDhcpServer (tests give a stand-in). */
export interface GroupDhcp {
  readonly ifname: string | null;
  start(ifname: string): Promise<boolean>;
  stop(): Promise<void>;
  ipForStation(interfaceAddress: string): string | null;
  on<K extends keyof GroupDhcpEvents>(event: K, listener: (...args: GroupDhcpEvents[K]) => void): unknown;
}

export interface GroupAddressingOptions {
  dhcp?: GroupDhcp;
  /** Served on the kiosk's group address while a group lives (off when absent). */
  welcomePage?: WelcomePage;
}

/**
 * IP for every client of the group (issue 11): when a group starts, the group interface gets the kiosk's
 * address and dnsmasq serves DHCP on it; wpa_supplicant also offers EAPOL-Key IP allocation in a disjoint
 * pool. A station is known by its interface address in DHCP and by its P2P device address in the engine;
 * AP-STA-CONNECTED carries both.
 */
export class GroupAddressingService {
  private readonly dhcp: GroupDhcp;
  private readonly welcomePage: WelcomePage | null;
  /** Welcome page start/stop, one at a time in event order (a start waits for the address). */
  private welcomeQueue: Promise<unknown> = Promise.resolve();
  private readonly deviceByInterface = new Map<string, string>();
  private readonly ipByDevice = new Map<string, string>();

  constructor(
    private readonly config: GroupAddressingConfig,
    private readonly ports: GroupAddressingPorts,
    private readonly logger: Logger,
    dataDir: string,
    options: GroupAddressingOptions = {},
  ) {
    this.dhcp = options.dhcp ?? new GroupDhcpServer({ config, logger, dataDir });
    this.welcomePage = options.welcomePage ?? null;
    this.dhcp.on('lease', (lease) => {
      const device = this.deviceByInterface.get(lease.mac.toLowerCase());
      if (device) this.assign(device, lease.ip);
    });
    this.dhcp.on('error', (error) => {
      this.logger.error({ code: error.code, detail: error.detail }, error.message);
      this.ports.onError(`Phones connect but get no IP address: ${error.message}`);
    });
  }

  /** wpa_supplicant copies these into each new group (hostap ap.c): send them before any group starts. */
  async configureDaemon(): Promise<void> {
    for (const command of wpaIpAllocationCommands(this.config)) {
      const reply = await this.ports.request(command).catch((err: unknown) => String(err));
      if (!reply.startsWith('OK'))
        this.logger.warn({ command, reply }, 'wpa_supplicant refused an IP allocation setting');
    }
  }

  ipOf(p2pDeviceAddress: string): string | null {
    return this.ipByDevice.get(p2pDeviceAddress) ?? null;
  }

  onWpaEvent(event: WpaEvent): void {
    if (event.type !== 'AP-STA-CONNECTED' || !event.address) return;
    const device = (event.fields['p2p_dev_addr'] ?? event.address).toLowerCase();
    this.deviceByInterface.set(event.address.toLowerCase(), device);
    const eapol = eapolIpAddress(event.fields);
    const ip = eapol ?? this.dhcp.ipForStation(event.address);
    if (ip) this.assign(device, ip);
  }

  onDomainEvent(event: DomainEvent): void {
    if (!this.config.enabled) return;
    if (event.type === 'group-started') {
      const { ifname, ssid } = event;
      const addressed = this.dhcp.start(ifname);
      this.queueWelcome(async (page) => {
        await addressed;
        // Only on an interface that has the kiosk's address (dnsmasq itself may have failed: the page still helps).
        if (this.dhcp.ifname !== ifname) return;
        const deviceName = (await this.ports.deviceName?.().catch(() => '')) ?? '';
        await page.start(this.config.gateway, { deviceName, groupName: ssid || null });
      });
    }
    if (event.type === 'group-removed' || event.type === 'daemon-lost') {
      void this.dhcp.stop();
      this.queueWelcome((page) => page.stop());
      this.deviceByInterface.clear();
      this.ipByDevice.clear();
    }
    if (event.type === 'disconnected') this.ipByDevice.delete(event.address);
  }

  async close(): Promise<void> {
    this.queueWelcome((page) => page.stop());
    await this.welcomeQueue;
    await this.dhcp.stop();
  }

  private queueWelcome(task: (page: WelcomePage) => Promise<unknown>): void {
    const page = this.welcomePage;
    if (!page) return;
    this.welcomeQueue = this.welcomeQueue
      .then(() => task(page))
      .catch((err: unknown) => this.logger.warn({ err }, 'welcome page'));
  }

  private assign(device: string, ip: string) {
    if (this.ipByDevice.get(device) === ip) return;
    this.ipByDevice.set(device, ip);
    this.ports.onClientIp(device, ip);
  }
}
