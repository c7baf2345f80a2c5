/** A P2P group the simulated kiosk runs (as GO) or belongs to (as client), and its WPS registrar. */
import { pbkdf2Sync } from 'node:crypto';
import type { TimerHandle } from './clock.js';
import type { GroupRole } from './event-text.js';
import type { MacAddress } from './mac-address.js';
import type { GroupSnapshot } from './model-types.js';
import type { WpsMethod } from './wps-method.js';

export interface Station {
  readonly deviceAddress: MacAddress;
  readonly interfaceAddress: MacAddress;
  readonly name: string;
  /** Radio ms when the 4-way handshake completed (STA connected_time). */
  readonly connectedAt: number;
  /** The address the GO allocated in EAPOL-Key msg 3 (ip_addr_start set), if any. */
  readonly ipAddress: string | undefined;
}

/** A GO's EAPOL-Key IP address pool (ip_addr_start..ip_addr_end, as numbers). */
export interface IpPool {
  readonly start: number;
  readonly end: number;
}

function ipv4ToNumber(text: string | undefined): number | null {
  const parts = text?.split('.') ?? [];
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function numberToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** True for what `SET ip_addr_*` accepts (a dotted quad). */
export function isIpv4Address(text: string): boolean {
  return ipv4ToNumber(text) !== null;
}

/** hostap wpa_auth.c: no pool unless ip_addr_start is set (not 0.0.0.0) and the range is not empty. */
export function ipAllocationPool(settings: ReadonlyMap<string, string>): IpPool | undefined {
  const start = ipv4ToNumber(settings.get('ip_addr_start'));
  const end = ipv4ToNumber(settings.get('ip_addr_end'));
  if (start === null || end === null || start === 0 || end < start) return undefined;
  return { start, end };
}

/** Group formation in progress (GO negotiation done, WPS provisioning not yet). */
export interface Formation {
  readonly peer: MacAddress;
  /** The kiosk's side of WPS: what its P2P_CONNECT said. */
  readonly method: WpsMethod;
  readonly pin: string | undefined;
  /** P2P_CONNECT … persistent: the network is stored once provisioning succeeds. */
  readonly persistent: boolean;
}

/** What the GO's registrar accepts right now (WPS_PBC / WPS_PIN on the group interface). */
export type RegistrarState =
  | { readonly mode: 'none' }
  /**
   * `WPS_PBC [p2p_dev_addr=<addr>]`: with an address only that P2P device may use the button
   * (hostapd wps_registrar_button_pushed() → wps_registrar_p2p_dev_addr_match()).
   */
  | { readonly mode: 'pbc'; readonly timer: TimerHandle; readonly enrollee: MacAddress | 'any' }
  | { readonly mode: 'pin'; readonly pin: string; readonly enrollee: MacAddress | 'any' };

export class P2pGroup {
  phase: 'forming' | 'active' = 'forming';
  formation: Formation | undefined;
  registrar: RegistrarState = { mode: 'none' };
  readonly stations = new Map<MacAddress, Station>();
  /** Clients removed with P2P_REMOVE_CLIENT while per_sta_psk was on: their PSK no longer works. */
  readonly revokedClients = new Set<MacAddress>();
  idleTimer: TimerHandle | undefined;
  /** EAPOL-Key IP address allocation of a GO, from the settings when it started. */
  ipPool: IpPool | undefined;

  constructor(
    readonly ifname: string,
    readonly role: GroupRole,
    readonly ssid: string,
    readonly passphrase: string,
    readonly frequency: number,
    readonly goDeviceAddress: MacAddress,
    /** BSSID: the GO's group interface address. */
    readonly bssid: MacAddress,
    /** Network id in LIST_NETWORKS once the group is (or becomes) persistent. */
    public persistentId: number | undefined,
  ) {}

  /** The lowest pool address no station holds (hostap bitfield_get_first_zero), or undefined. */
  allocateIpAddress(): string | undefined {
    if (!this.ipPool) return undefined;
    const taken = new Set([...this.stations.values()].map((station) => station.ipAddress));
    for (let value = this.ipPool.start; value <= this.ipPool.end; value++) {
      const address = numberToIpv4(value);
      if (!taken.has(address)) return address;
    }
    return undefined;
  }

  /** The WPA2 PSK a client reports in P2P-GROUP-STARTED: PBKDF2-SHA1(passphrase, ssid, 4096, 32). */
  get psk(): string {
    return pbkdf2Sync(this.passphrase, this.ssid, 4096, 32, 'sha1').toString('hex');
  }

  snapshot(): GroupSnapshot {
    return {
      ifname: this.ifname,
      role: this.role,
      phase: this.phase,
      ssid: this.ssid,
      passphrase: this.passphrase,
      frequency: this.frequency,
      goDeviceAddress: this.goDeviceAddress,
      ...(this.persistentId !== undefined ? { persistentId: this.persistentId } : {}),
      stations: [...this.stations.values()].map(({ deviceAddress, interfaceAddress, name }) => ({
        deviceAddress,
        interfaceAddress,
        name,
      })),
      wpsArmed: this.registrar.mode,
    };
  }
}
