/**
 * The simulated phones as the radio sees them (RadioPeer: in range or not, what request is on the air,
 * which group it is in, which credentials it kept) and the kiosk's peer table entries (KnownPeer).
 */
import type { TimerHandle } from './clock.js';
import type { PeerAdvertisement } from './event-text.js';
import { groupInterfaceAddress, type MacAddress } from './mac-address.js';
import type { InvitePolicy, PhoneProfile, PinChoice } from './model-types.js';
import type { WpsMethod } from './wps-method.js';

/** A phone's P2P_CONNECT: method from the phone's own point of view. */
export interface PhoneConnectRequest {
  readonly method: WpsMethod;
  readonly pin: PinChoice | undefined;
  readonly join: boolean;
}

export interface PhoneRequest extends PhoneConnectRequest {
  phase: 'sent' | 'waiting-for-kiosk' | 'negotiating';
  /** The phone is answering the kiosk's own GO Negotiation Request (so no collision). */
  readonly answeringKiosk: boolean;
  timer: TimerHandle | undefined;
}

export type PhoneFrame =
  | { readonly kind: 'provision-discovery'; readonly method: WpsMethod; readonly join: boolean }
  | { readonly kind: 'go-neg-request' };

/** A phone on the air and what it currently does, from the radio's point of view. */
export interface RadioPeer {
  readonly profile: PhoneProfile;
  readonly interfaceAddress: MacAddress;
  inRange: boolean;
  seesKiosk: boolean;
  invitePolicy: InvitePolicy;
  request: PhoneRequest | undefined;
  lastFrame: PhoneFrame | undefined;
  pendingFrame: { frame: PhoneFrame; timer: TimerHandle } | undefined;
  /** Joining a running group: waiting for the GO's registrar to accept its WPS. */
  joining: { group: string; method: WpsMethod; pin: PinChoice | undefined; timer: TimerHandle } | undefined;
  formingGroup: string | undefined;
  connectedTo: string | undefined;
  credentials: { ssid: string; passphrase: string; persistentId: number | undefined } | undefined;
  displayedPin: string | undefined;
  /** The PIN the kiosk last set up for this phone (P2P_CONNECT or WPS_PIN): what a user reads off the screen. */
  kioskPin: string | undefined;
  /** The kiosk's own GO Negotiation Request reached the phone (so its P2P_CONNECT answers it). */
  kioskRequestSeen: boolean;
  inactivityTimer: TimerHandle | undefined;
  discoveryTimers: TimerHandle[];
}

/** The kiosk's peer table entry (what P2P_PEER shows). */
export interface KnownPeer {
  readonly address: MacAddress;
  reported: boolean;
  lastSeen: number;
  lastProvisionDiscovery: WpsMethod | undefined;
}

/** A phone that just came on the air: nothing sent, nothing known. */
export function newRadioPeer(profile: PhoneProfile, invitePolicy: InvitePolicy): RadioPeer {
  return {
    profile,
    interfaceAddress: groupInterfaceAddress(profile.deviceAddress),
    inRange: false,
    seesKiosk: false,
    invitePolicy,
    request: undefined,
    lastFrame: undefined,
    pendingFrame: undefined,
    joining: undefined,
    formingGroup: undefined,
    connectedTo: undefined,
    credentials: undefined,
    displayedPin: undefined,
    kioskPin: undefined,
    kioskRequestSeen: false,
    inactivityTimer: undefined,
    discoveryTimers: [],
  };
}

export function advertisement(profile: PhoneProfile): PeerAdvertisement {
  return {
    deviceAddress: profile.deviceAddress,
    primaryDeviceType: profile.primaryDeviceType,
    name: profile.name,
    configMethods: profile.configMethods,
    deviceCapability: profile.deviceCapability,
    groupCapability: profile.groupCapability,
    vendorElements: profile.vendorElements,
  };
}
