/** Data shapes shared by the P2P model, its command layer, the phones and snapshots. */
import type { GroupRole } from './event-text.js';
import type { MacAddress } from './mac-address.js';
import type { WpsMethod } from './wps-method.js';

/** What a simulated phone advertises over the air and uses in WPS. */
export interface PhoneProfile {
  readonly deviceAddress: MacAddress;
  readonly name: string;
  /** WPS primary device type, e.g. 10-0050F204-5 (smartphone) or 1-0050F204-1 (computer). */
  readonly primaryDeviceType: string;
  readonly configMethods: number;
  readonly deviceCapability: number;
  readonly groupCapability: number;
  readonly vendorElements: boolean;
  readonly manufacturer: string;
  readonly modelName: string;
  readonly uuid: string;
  /** GO intent the phone puts in its GO Negotiation Request (Android and wpa_supplicant: 7). */
  readonly goIntent: number;
}

/**
 * Which PIN a phone types: the one the kiosk set up for it (learnt from the kiosk's P2P_CONNECT or
 * WPS_PIN, as a user reading the screen would), a wrong one, or a fixed one from the test.
 */
export type PinChoice =
  | { readonly kind: 'kiosk' }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'literal'; readonly pin: string };

/** What the phone experiences; phone scripts wait on these. */
export type PeerNotice =
  | { readonly kind: 'found-kiosk' }
  | { readonly kind: 'pd-response'; readonly pin?: string }
  | { readonly kind: 'pd-failure' }
  | { readonly kind: 'go-neg-waiting' }
  | { readonly kind: 'go-neg-request'; readonly devicePasswordId: number }
  | { readonly kind: 'go-neg-success'; readonly role: GroupRole }
  | { readonly kind: 'go-neg-failure'; readonly status: number }
  | { readonly kind: 'formation-failure' }
  | { readonly kind: 'connected'; readonly groupIfname: string }
  | {
      readonly kind: 'join-failure';
      readonly reason: 'wps-timeout' | 'wps-fail' | 'psk-mismatch' | 'no-group';
    }
  | { readonly kind: 'disconnected'; readonly reason: 'left' | 'kicked' | 'group-removed' | 'out-of-range' }
  | { readonly kind: 'invitation'; readonly groupIfname?: string; readonly persistentId?: number };

export type PeerNoticeKind = PeerNotice['kind'];

/** How a phone answers an invitation or an unsolicited GO Negotiation Request from the kiosk. */
export type InvitePolicy = 'accept' | 'decline' | 'ignore';

export interface StationSnapshot {
  readonly deviceAddress: MacAddress;
  readonly interfaceAddress: MacAddress;
  readonly name: string;
}

export interface GroupSnapshot {
  readonly ifname: string;
  readonly role: GroupRole;
  readonly phase: 'forming' | 'active';
  readonly ssid: string;
  readonly passphrase: string;
  readonly frequency: number;
  readonly goDeviceAddress: MacAddress;
  readonly persistentId?: number;
  readonly stations: readonly StationSnapshot[];
  readonly wpsArmed: 'none' | 'pbc' | 'pin';
}

export interface PeerSnapshot {
  readonly deviceAddress: MacAddress;
  readonly name: string;
  readonly inRange: boolean;
  readonly knownToKiosk: boolean;
  readonly reported: boolean;
  readonly seesKiosk: boolean;
  readonly request?: { readonly method: WpsMethod; readonly phase: string; readonly join: boolean };
  readonly connectedTo?: string;
  readonly displayedPin?: string;
}

export interface PersistentNetwork {
  readonly id: number;
  readonly ssid: string;
  readonly passphrase: string;
  readonly goDeviceAddress: MacAddress;
  /** P2P device addresses of clients that may reinvoke the group (p2p_client_list). */
  readonly clients: MacAddress[];
}

export interface ModelSnapshot {
  readonly running: boolean;
  readonly find: 'idle' | 'find' | 'listen';
  readonly groups: readonly GroupSnapshot[];
  readonly peers: readonly PeerSnapshot[];
  readonly persistentNetworks: readonly PersistentNetwork[];
  readonly authorizations: readonly {
    readonly peer: MacAddress;
    readonly method: WpsMethod;
    readonly mode: 'auth' | 'initiate';
  }[];
  readonly settings: Readonly<Record<string, string>>;
}
