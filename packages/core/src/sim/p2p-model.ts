/**
 * The simulated kiosk radio: wpa_supplicant 2.10's P2P behaviour as a state model driven by an injected
 * clock and a seeded PRNG. It knows nothing about sockets: it emits event texts per interface, tells
 * its listener when group interfaces come and go, and tells simulated phones what they experience.
 *
 * Behaviour follows hostap (wpa_supplicant/p2p_supplicant.c, src/p2p/*) and what shared/hwsim/README.md
 * measured with two real daemons; where the simulator simplifies, the comment says so.
 */
import type { SimClock, TimerHandle } from './clock.js';
import { eventText, type GroupRemovalReason } from './event-text.js';
import { FaultBook, type ArmedFault } from './faults.js';
import { ipAllocationPool, P2pGroup, type Station } from './group.js';
import { PersistentNetworks } from './persistent-networks.js';
import {
  advertisement,
  newRadioPeer,
  type KnownPeer,
  type PhoneConnectRequest,
  type PhoneFrame,
  type PhoneRequest,
  type RadioPeer,
} from './radio-peer.js';
import { groupInterfaceAddress, type MacAddress } from './mac-address.js';
import type {
  InvitePolicy,
  ModelSnapshot,
  PeerNotice,
  PersistentNetwork,
  PhoneProfile,
  PinChoice,
} from './model-types.js';
import type { Prng } from './prng.js';
import { PROTOCOL_TIMEOUTS, RADIO_TIMINGS } from './radio-timings.js';
import { complementaryMethod, devicePasswordId, wpsMethodText, type WpsMethod } from './wps-method.js';

export const REPLY_OK = 'OK\n';
export const REPLY_FAIL = 'FAIL\n';

export interface P2pModelConfig {
  /** The station interface the P2P device belongs to (wlan0); group interfaces are p2p-<main>-N. */
  readonly mainIfname: string;
  /** The P2P device interface whose socket carries P2P events (p2p-dev-wlan0). */
  readonly p2pDeviceIfname: string;
  readonly deviceAddress: MacAddress;
  readonly mainAddress: MacAddress;
  /** Operating frequency of the groups the kiosk starts (hwsim config: channel 6 = 2437 MHz). */
  readonly operatingFrequency: number;
  readonly uuid: string;
  /** Emit CTRL-EVENT-SCAN-STARTED while a find runs, as real daemons do every ~0.5 s. */
  readonly scanEvents: boolean;
  /** Initial global settings (SET/GET), e.g. device_name, p2p_go_intent. */
  readonly settings: Readonly<Record<string, string>>;
}

export interface P2pModelListener {
  event(ifname: string, text: string): void;
  interfaceAdded(ifname: string): void;
  interfaceRemoved(ifname: string): void;
  peerNotice(address: MacAddress, notice: PeerNotice): void;
  /** A line of the daemon's own log (wpa_printf), which never reaches control-interface monitors. */
  log(line: string): void;
}

/** What the kiosk's P2P_CONNECT asked for, after parsing. */
export interface KioskConnectRequest {
  readonly peer: MacAddress;
  readonly method: WpsMethod;
  /** Undefined with `pbc`; with `display` and no PIN the daemon generates one and returns it. */
  readonly pin: string | undefined;
  readonly auth: boolean;
  readonly goIntent: number | undefined;
  readonly persistent: boolean;
  readonly persistentId: number | undefined;
}

/** The kiosk's answer-in-advance for one peer (P2P_CONNECT … auth) or its own initiation. */
interface ConnectIntent {
  readonly peer: MacAddress;
  readonly method: WpsMethod;
  readonly pin: string | undefined;
  readonly goIntent: number;
  readonly persistent: boolean;
  readonly persistentId: number | undefined;
  readonly mode: 'auth' | 'initiate';
  readonly startedAt: number;
  timer: TimerHandle | undefined;
}

interface FindState {
  readonly mode: 'find' | 'listen';
  timeout: TimerHandle | undefined;
  scan: TimerHandle | undefined;
}

/** "Both sides initiating at once fails" (hwsim README): a phone request within this window of our own. */
const COLLISION_WINDOW_MS = 1500;
/** After a reset negotiation the phone reports P2P-GROUP-FORMATION-FAILURE ~17 s later (hwsim README). */
const PHONE_FAILURE_AFTER_RESET_MS = 17_000;

export class P2pModel {
  readonly #clock: SimClock;
  readonly #prng: Prng;
  readonly #config: P2pModelConfig;
  readonly #listener: P2pModelListener;
  readonly faults = new FaultBook();

  readonly #timers = new Set<TimerHandle>();
  readonly #settings = new Map<string, string>();
  readonly #world = new Map<MacAddress, RadioPeer>();
  readonly #known = new Map<MacAddress, KnownPeer>();
  readonly #intents = new Map<MacAddress, ConnectIntent>();
  readonly #groups = new Map<string, P2pGroup>();
  readonly #networks: PersistentNetworks;
  readonly #p2pSet = new Map<string, string>([['per_sta_psk', '0']]);
  #negotiation: { peer: MacAddress; timers: TimerHandle[] } | undefined;
  #find: FindState | undefined;
  #nextGroupIndex = 0;
  #running = false;
  /** Groups a SIGKILL left behind (kill({ leaveGroups: true })): they come back as stale groups at boot. */
  #leftoverGroups = 0;

  constructor(options: { clock: SimClock; prng: Prng; config: P2pModelConfig; listener: P2pModelListener }) {
    this.#clock = options.clock;
    this.#prng = options.prng;
    this.#config = options.config;
    this.#listener = options.listener;
    for (const [key, value] of Object.entries(options.config.settings)) this.#settings.set(key, value);
    this.#networks = new PersistentNetworks(options.config.deviceAddress);
  }

  get config(): P2pModelConfig {
    return this.#config;
  }

  get running(): boolean {
    return this.#running;
  }

  // ---------------------------------------------------------------- life cycle

  /** The daemon starts: sockets come up, peer table empty, no groups (persistent networks survive). */
  boot(): void {
    if (this.#running) return;
    this.#running = true;
    this.#nextGroupIndex = 0;
    this.#every(PROTOCOL_TIMEOUTS.peerExpirationCheck, () => this.#expirePeers());
    const leftovers = this.#leftoverGroups;
    this.#leftoverGroups = 0;
    for (let i = 0; i < leftovers; i++) this.injectStaleGroup();
  }

  /**
   * The daemon is killed (SIGKILL, OOM killer, a crash): it says nothing. No CTRL-EVENT-TERMINATING, no
   * P2P-GROUP-REMOVED; phones simply lose their link. hostap creates group interfaces with
   * NL80211_ATTR_IFACE_SOCKET_OWNER, so the kernel deletes them with the process (the default here); with
   * `leaveGroups` (kernels or builds without that) they survive and the next boot finds them as stale groups.
   */
  kill(options: { leaveGroups?: boolean } = {}): void {
    if (!this.#running) return;
    // Not running first: #emit drops everything from here on, so the teardown below is silent.
    this.#running = false;
    const groups = [...this.#groups.values()];
    for (const group of groups) this.#removeGroup(group, 'REQUESTED');
    if (options.leaveGroups) this.#leftoverGroups = groups.length;
    this.#clearFind();
    for (const timer of this.#timers) this.#clock.clearTimer(timer);
    this.#timers.clear();
    this.#known.clear();
    this.#intents.clear();
    this.#negotiation = undefined;
    for (const peer of this.#world.values()) this.#resetPeerRadioState(peer);
  }

  /** The daemon exits the way wpa_supplicant does on TERMINATE or SIGTERM (captures: end of each run). */
  terminate(): void {
    if (!this.#running) return;
    for (const group of [...this.#groups.values()]) this.#removeGroup(group, 'REQUESTED');
    if (this.#find?.mode === 'find') this.#emitDevice(eventText.findStopped());
    this.#clearFind();
    for (const known of this.#known.values()) this.#emitDevice(eventText.deviceLost(known.address));
    this.#emitDevice(eventText.terminating());
    if (this.#config.mainIfname !== this.#config.p2pDeviceIfname) {
      this.#listener.event(this.#config.mainIfname, eventText.terminating());
    }
    this.#running = false;
    for (const timer of this.#timers) this.#clock.clearTimer(timer);
    this.#timers.clear();
    this.#known.clear();
    this.#intents.clear();
    this.#negotiation = undefined;
    for (const peer of this.#world.values()) this.#resetPeerRadioState(peer);
  }

  /** Stops every timer without emitting anything (simulator shutdown). */
  dispose(): void {
    for (const timer of this.#timers) this.#clock.clearTimer(timer);
    this.#timers.clear();
    this.#running = false;
  }

  // ---------------------------------------------------------------- settings

  setSetting(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  getSetting(key: string): string | undefined {
    return this.#settings.get(key);
  }

  p2pSet(key: string, value: string): void {
    this.#p2pSet.set(key, value);
  }

  get perStationPsk(): boolean {
    return this.#p2pSet.get('per_sta_psk') === '1';
  }

  get deviceName(): string {
    return this.#settings.get('device_name') ?? '';
  }

  #defaultGoIntent(): number {
    const configured = Number(this.#settings.get('p2p_go_intent') ?? '7');
    return Number.isInteger(configured) ? configured : 7;
  }

  // ---------------------------------------------------------------- queries (replies, snapshots)

  groups(): readonly P2pGroup[] {
    return [...this.#groups.values()];
  }

  group(ifname: string): P2pGroup | undefined {
    return this.#groups.get(ifname);
  }

  networks(): readonly PersistentNetwork[] {
    return this.#networks.list();
  }

  /** Peers in the kiosk's table, in insertion order (P2P_PEER FIRST / NEXT-). */
  knownPeers(): readonly {
    address: MacAddress;
    profile: PhoneProfile | undefined;
    reported: boolean;
    lastSeen: number;
    intent: WpsMethod | undefined;
    lastProvisionDiscovery: WpsMethod | undefined;
  }[] {
    return [...this.#known.values()].map((known) => ({
      address: known.address,
      profile: this.#world.get(known.address)?.profile,
      reported: known.reported,
      lastSeen: known.lastSeen,
      intent: this.#intents.get(known.address)?.method,
      lastProvisionDiscovery: known.lastProvisionDiscovery,
    }));
  }

  peerProfile(address: MacAddress): PhoneProfile | undefined {
    return this.#world.get(address)?.profile;
  }

  get findMode(): 'idle' | 'find' | 'listen' {
    return this.#find?.mode ?? 'idle';
  }

  now(): number {
    return this.#clock.now();
  }

  snapshot(): ModelSnapshot {
    return {
      running: this.#running,
      find: this.findMode,
      groups: this.groups().map((group) => group.snapshot()),
      peers: [...this.#world.values()].map((peer) => {
        const known = this.#known.get(peer.profile.deviceAddress);
        return {
          deviceAddress: peer.profile.deviceAddress,
          name: peer.profile.name,
          inRange: peer.inRange,
          knownToKiosk: known !== undefined,
          reported: known?.reported ?? false,
          seesKiosk: peer.seesKiosk,
          ...(peer.request
            ? { request: { method: peer.request.method, phase: peer.request.phase, join: peer.request.join } }
            : {}),
          ...(peer.connectedTo ? { connectedTo: peer.connectedTo } : {}),
          ...(peer.displayedPin ? { displayedPin: peer.displayedPin } : {}),
        };
      }),
      persistentNetworks: this.#networks.snapshot(),
      authorizations: [...this.#intents.values()].map((intent) => ({
        peer: intent.peer,
        method: intent.method,
        mode: intent.mode,
      })),
      settings: Object.fromEntries([
        ...this.#settings,
        ...[...this.#p2pSet].map(([key, value]) => [`p2p_${key}`, value]),
      ]),
    };
  }

  // ---------------------------------------------------------------- faults

  arm(fault: ArmedFault): void {
    this.faults.arm(fault);
  }

  /** A group left over from an earlier run: exists, no events (nobody was attached when it started). */
  injectStaleGroup(): string {
    const group = this.#createGroup('GO', this.#newGroupCredentials(), undefined);
    group.phase = 'active';
    return group.ifname;
  }

  /** The interface disappears under the group (rfkill, driver reset): reason=UNAVAILABLE. */
  makeGroupsUnavailable(): void {
    for (const group of [...this.#groups.values()]) this.#removeGroup(group, 'UNAVAILABLE');
  }

  // ================================================================ kiosk commands

  /** P2P_FIND [timeout]: every peer is reported again (p2p_find → p2p_device_clear_reported()). */
  find(timeoutSeconds: number | undefined): string {
    this.#clearFind();
    const state: FindState = { mode: 'find', timeout: undefined, scan: undefined };
    this.#find = state;
    for (const known of this.#known.values()) known.reported = false;
    if (timeoutSeconds !== undefined && timeoutSeconds > 0) {
      state.timeout = this.#after(timeoutSeconds * 1000, () => this.#endFind());
    }
    if (this.#config.scanEvents) this.#scheduleScanEvent(state, 30);
    this.#kioskStartedListening();
    return REPLY_OK;
  }

  /** P2P_LISTEN [timeout]: discoverable without searching. */
  listen(timeoutSeconds: number | undefined): string {
    if (this.#find?.mode === 'find') this.#emitDevice(eventText.findStopped());
    this.#clearFind();
    const state: FindState = { mode: 'listen', timeout: undefined, scan: undefined };
    this.#find = state;
    if (timeoutSeconds !== undefined && timeoutSeconds > 0) {
      state.timeout = this.#after(timeoutSeconds * 1000, () => this.#clearFind());
    }
    this.#kioskStartedListening();
    return REPLY_OK;
  }

  /** P2P_STOP_FIND: also stops a connection attempt we initiated (README-P2P: "connect, listen mode"). */
  stopFind(): string {
    this.#endFind();
    this.#clearFind();
    for (const intent of [...this.#intents.values()]) {
      if (intent.mode === 'initiate' && this.#negotiation?.peer !== intent.peer)
        this.#dropIntent(intent.peer);
    }
    return REPLY_OK;
  }

  /** P2P_FLUSH: forget every peer (each reported P2P-DEVICE-LOST, as in the captures after p2p_flush). */
  flush(): string {
    this.#endFind();
    this.#clearFind();
    for (const peer of [...this.#intents.keys()]) this.#dropIntent(peer);
    this.#abortNegotiation();
    for (const known of this.#known.values()) this.#emitDevice(eventText.deviceLost(known.address));
    this.#known.clear();
    return REPLY_OK;
  }

  /**
   * P2P_CONNECT. FAIL for an unknown peer, while any group exists (one group at a time, as on a Pi:
   * "a FAIL reply to P2P_CONNECT often means a stale group"), or when the driver refuses the group
   * interface (EBUSY fault). A second P2P_CONNECT for a peer whose GO negotiation is running resets it:
   * P2P-GO-NEG-FAILURE status=-1 (hwsim README, "Answer a request once").
   */
  connect(request: KioskConnectRequest): string {
    const peer = this.#world.get(request.peer);
    if (!this.#known.has(request.peer) || !peer) {
      this.#listener.log(`P2P: Cannot connect to unknown P2P Device ${request.peer}`);
      return REPLY_FAIL;
    }
    if (this.#groups.size > 0) {
      this.#listener.log('P2P: Failed to allocate interface for group (a group interface already exists)');
      return REPLY_FAIL;
    }
    if (this.#ebusyOnCreate()) return REPLY_FAIL;
    if (request.persistentId !== undefined && !this.#networks.find(request.persistentId)) {
      return REPLY_FAIL;
    }

    if (!request.auth && this.#negotiation !== undefined && this.#negotiation.peer !== request.peer) {
      // One GO negotiation (and one pending group interface) at a time.
      this.#listener.log(
        `P2P: GO Negotiation with ${this.#negotiation.peer} in progress; cannot start one with ${request.peer}`,
      );
      return REPLY_FAIL;
    }
    if (this.#negotiation?.peer === request.peer) {
      this.#abortNegotiation();
      this.#emitDevice(eventText.goNegFailure(-1));
      peer.request = undefined;
      this.#after(PHONE_FAILURE_AFTER_RESET_MS, () => this.#notify(peer, { kind: 'formation-failure' }));
    }
    this.#dropIntent(request.peer);

    const generatedPin =
      request.method === 'display' && request.pin === undefined ? this.#prng.keypadPin() : undefined;
    const pin = request.pin ?? generatedPin;
    const intent: ConnectIntent = {
      peer: request.peer,
      method: request.method,
      pin,
      goIntent: request.goIntent ?? this.#defaultGoIntent(),
      persistent: request.persistent || request.persistentId !== undefined,
      persistentId: request.persistentId,
      mode: request.auth ? 'auth' : 'initiate',
      startedAt: this.#clock.now(),
      timer: undefined,
    };
    this.#intents.set(request.peer, intent);
    if (pin !== undefined) peer.kioskPin = pin;

    if (!request.auth) {
      if (peer.request?.phase === 'waiting-for-kiosk') {
        // The phone got "info currently unavailable" and listens for us (p2p_go_neg_wait): start now.
        this.#startNegotiation(peer, intent);
      } else {
        this.#initiateTowards(peer, intent);
      }
    }
    // With `auth` nothing is sent: a phone already waiting for us stays waiting (hwsim README flow 1
    // needs a plain P2P_CONNECT, flow 2 needs auth).
    return generatedPin ?? REPLY_OK;
  }

  /** P2P_PROV_DISC <addr> <method>: we ask the phone; its answer comes back as a *-RESP/-PIN event. */
  provisionDiscovery(address: MacAddress, method: WpsMethod): string {
    const peer = this.#world.get(address);
    if (!this.#known.has(address) || !peer) return REPLY_FAIL;
    if (peer.inRange) {
      this.#after(this.#prng.delay(RADIO_TIMINGS.provisionDiscovery), () => {
        if (!peer.inRange) return this.#emitDevice(eventText.provDiscFailure(address, 1));
        this.#touch(address);
        if (method === 'pbc') this.#emitDevice(eventText.provDiscPbcResponse(address));
        // We asked the phone to display (we will type): wpas_prov_disc_resp → local keypad event.
        else if (method === 'display') this.#emitDevice(eventText.provDiscEnterPinResponse(address));
        else this.#emitDevice(eventText.provDiscShowPinResponse(address, this.#prng.keypadPin()));
      });
    } else {
      this.#after(PROTOCOL_TIMEOUTS.provisionDiscoveryNoResponse, () =>
        this.#emitDevice(eventText.provDiscFailure(address, 1)),
      );
    }
    return REPLY_OK;
  }

  /** P2P_REJECT <addr>: the peer's pending request is refused (status 11, rejected by user). */
  reject(address: MacAddress): string {
    const peer = this.#world.get(address);
    if (!this.#known.has(address)) return REPLY_FAIL;
    this.#dropIntent(address);
    if (peer?.request) {
      if (peer.request.timer) this.#cancel(peer.request.timer);
      peer.request = undefined;
      this.#notify(peer, { kind: 'go-neg-failure', status: 11 });
    }
    return REPLY_OK;
  }

  /** P2P_CANCEL (wpas_p2p_cancel): stop a formation in progress or unauthorize a pending peer; else FAIL. */
  cancel(): string {
    let found = false;
    for (const group of [...this.#groups.values()]) {
      if (group.phase === 'forming') {
        this.#emitDevice(eventText.groupFormationFailure());
        this.#removeGroup(group, 'FORMATION_FAILED');
        found = true;
      }
    }
    if (this.#negotiation) {
      this.#abortNegotiation();
      found = true;
    }
    if (this.#intents.size > 0) {
      for (const peer of [...this.#intents.keys()]) this.#dropIntent(peer);
      found = true;
    }
    this.#endFind();
    this.#clearFind();
    return found ? REPLY_OK : REPLY_FAIL;
  }

  /** P2P_GROUP_ADD [persistent|persistent=<id>] [freq=<MHz>]: autonomous GO, no formation events. */
  groupAdd(options: {
    persistent: boolean;
    persistentId: number | undefined;
    frequency: number | undefined;
  }): string {
    if (this.#groups.size > 0) return REPLY_FAIL;
    if (this.#ebusyOnCreate()) return REPLY_FAIL;
    let credentials = this.#newGroupCredentials();
    let persistentId: number | undefined;
    if (options.persistentId !== undefined) {
      const network = this.#networks.find(options.persistentId);
      if (!network) return REPLY_FAIL;
      credentials = { ssid: network.ssid, passphrase: network.passphrase };
      persistentId = network.id;
    } else if (options.persistent) {
      persistentId = this.#networks.store(credentials).id;
    }
    const group = this.#createGroup('GO', credentials, persistentId, options.frequency);
    this.#after(this.#prng.delay({ min: 200, max: 600 }), () => {
      if (!this.#groups.has(group.ifname)) return;
      if (this.faults.take('ebusy', undefined)?.stage === 'start-ap') {
        this.#logBeaconEbusy(group.ifname);
        this.#removeGroup(group, 'FORMATION_FAILED');
        return;
      }
      group.phase = 'active';
      this.#emitGroupStarted(group);
      this.#phonesNoticeGroup();
    });
    return REPLY_OK;
  }

  /** P2P_GROUP_REMOVE <ifname>|*: events are emitted before the reply, as wpas_p2p_group_delete() does. */
  groupRemove(ifname: string): string {
    const targets =
      ifname === '*' ? [...this.#groups.values()] : [this.#groups.get(ifname)].filter((g) => g !== undefined);
    if (targets.length === 0) return REPLY_FAIL;
    for (const group of targets) {
      if (group.phase === 'forming') this.#emitDevice(eventText.groupFormationFailure());
      this.#removeGroup(group, group.phase === 'forming' ? 'FORMATION_FAILED' : 'REQUESTED');
    }
    return REPLY_OK;
  }

  /** P2P_REMOVE_CLIENT <addr>|iface=<addr>: disconnect it everywhere; with per_sta_psk its key dies too. */
  removeClient(address: MacAddress): string {
    for (const group of this.#groups.values()) {
      for (const station of [...group.stations.values()]) {
        if (station.deviceAddress !== address && station.interfaceAddress !== address) continue;
        if (this.perStationPsk) group.revokedClients.add(station.deviceAddress);
        const peer = this.#world.get(station.deviceAddress);
        this.#stationDisconnected(group, station, peer, 'kicked');
      }
    }
    this.#networks.removeClient(address);
    return REPLY_OK;
  }

  /**
   * P2P_INVITE group=<ifname> peer=<addr> | persistent=<id> peer=<addr>. An invitation to an active group
   * is answered status=1 (info currently unavailable: the user must accept first, wpas_invitation_process);
   * an accepting phone then joins. Reinvoking a persistent group the phone knows gives status=0 and
   * restarts the group.
   */
  invite(options: { group: string | undefined; persistentId: number | undefined; peer: MacAddress }): string {
    const peer = this.#world.get(options.peer);
    if (!this.#known.has(options.peer) || !peer) return REPLY_FAIL;
    if (options.group !== undefined) {
      const group = this.#groups.get(options.group);
      if (!group || group.role !== 'GO') return REPLY_FAIL;
      this.#sendInvitation(peer, () => {
        this.#emitDevice(eventText.invitationResult(1));
        this.#notify(peer, { kind: 'invitation', groupIfname: group.ifname });
      });
      return REPLY_OK;
    }
    const network = this.#networks.find(options.persistentId);
    if (!network || this.#groups.size > 0) return REPLY_FAIL;
    this.#sendInvitation(peer, () => {
      const knows = peer.credentials?.persistentId === network.id && network.clients.includes(options.peer);
      if (!knows) return this.#emitDevice(eventText.invitationResult(8));
      if (peer.invitePolicy !== 'accept') return this.#emitDevice(eventText.invitationResult(1));
      this.#emitDevice(eventText.invitationResult(0));
      const group = this.#createGroup(
        'GO',
        { ssid: network.ssid, passphrase: network.passphrase },
        network.id,
      );
      this.#after(this.#prng.delay({ min: 200, max: 600 }), () => {
        if (!this.#groups.has(group.ifname)) return;
        group.phase = 'active';
        this.#emitGroupStarted(group);
        this.#notify(peer, { kind: 'invitation', groupIfname: group.ifname, persistentId: network.id });
        this.#after(this.#prng.delay(RADIO_TIMINGS.stationAssociation), () =>
          this.#stationConnected(group, peer),
        );
      });
    });
    return REPLY_OK;
  }

  /** REMOVE_NETWORK <id>|all on the P2P device: forget persistent groups. */
  removeNetwork(id: number | 'all'): string {
    return this.#networks.remove(id) ? REPLY_OK : REPLY_FAIL;
  }

  /**
   * WPS_PBC on a GO group interface: WPS-PBC-ACTIVE, then WPS-TIMEOUT after the 120 s walk time. With
   * `p2p_dev_addr=<addr>` (`enrollee`) only that P2P device's push button is accepted: hostapd's registrar
   * matches the enrollee's P2P Device Address (wps_registrar_p2p_dev_addr_match()) and answers any other one
   * with M2D, so another phone waiting to join with push button stays outside.
   */
  wpsPbc(ifname: string, enrollee: MacAddress | 'any' = 'any'): string {
    const group = this.#groups.get(ifname);
    if (!group || group.role !== 'GO' || group.phase !== 'active') return REPLY_FAIL;
    this.#disarmRegistrar(group);
    const timer = this.#after(PROTOCOL_TIMEOUTS.wpsWalkTime, () => {
      group.registrar = { mode: 'none' };
      this.#emit(group.ifname, eventText.wpsTimeout());
    });
    group.registrar = { mode: 'pbc', timer, enrollee };
    this.#emit(group.ifname, eventText.wpsPbcActive());
    this.#serveWaitingEnrollees(group);
    return REPLY_OK;
  }

  /** WPS_PIN any|<addr> [<pin>]: the reply is the PIN itself (generated when omitted). */
  wpsPin(ifname: string, enrollee: MacAddress | 'any', pin: string | undefined): string {
    const group = this.#groups.get(ifname);
    if (!group || group.role !== 'GO' || group.phase !== 'active') return REPLY_FAIL;
    this.#disarmRegistrar(group);
    const armed = pin ?? this.#prng.keypadPin();
    group.registrar = { mode: 'pin', pin: armed, enrollee };
    for (const peer of this.#world.values()) {
      if (
        enrollee === 'any' ||
        enrollee === peer.profile.deviceAddress ||
        enrollee === peer.interfaceAddress
      ) {
        peer.kioskPin = armed;
      }
    }
    this.#serveWaitingEnrollees(group);
    return armed;
  }

  wpsCancel(ifname: string): string {
    const group = this.#groups.get(ifname);
    if (!group || group.role !== 'GO') return REPLY_FAIL;
    this.#disarmRegistrar(group);
    return REPLY_OK;
  }

  // ================================================================ the phones' side of the air

  /** A phone comes into range and opens its Wi-Fi Direct screen (its own p2p_find runs). */
  addPeer(profile: PhoneProfile, invitePolicy: InvitePolicy): void {
    const address = profile.deviceAddress;
    if (this.#world.has(address)) throw new Error(`a phone with address ${address} already exists`);
    const peer = newRadioPeer(profile, invitePolicy);
    this.#world.set(address, peer);
    this.peerEntersRange(address);
  }

  peerEntersRange(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer || peer.inRange) return;
    peer.inRange = true;
    if (peer.inactivityTimer) this.#cancel(peer.inactivityTimer);
    peer.inactivityTimer = undefined;
    if (this.#running) this.#scheduleMutualDiscovery(peer);
  }

  /** The phone walks out of range: frames stop, a connected station is dropped after inactivity. */
  peerLeavesRange(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer || !peer.inRange) return;
    peer.inRange = false;
    peer.seesKiosk = false;
    for (const timer of peer.discoveryTimers) this.#cancel(timer);
    peer.discoveryTimers = [];
    if (peer.pendingFrame) this.#cancel(peer.pendingFrame.timer);
    peer.pendingFrame = undefined;
    if (peer.connectedTo) {
      const group = this.#groups.get(peer.connectedTo);
      const station = group?.stations.get(address);
      if (group && station) {
        peer.inactivityTimer = this.#after(PROTOCOL_TIMEOUTS.stationInactivity, () =>
          this.#stationDisconnected(group, station, peer, 'out-of-range'),
        );
      }
    }
  }

  /** The phone is gone for good (removed from the simulation). */
  removePeer(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer) return;
    this.peerLeavesRange(address);
    if (peer.connectedTo) {
      const group = this.#groups.get(peer.connectedTo);
      const station = group?.stations.get(address);
      if (group && station) this.#stationDisconnected(group, station, peer, 'left');
    }
    this.#world.delete(address);
  }

  setInvitePolicy(address: MacAddress, policy: InvitePolicy): void {
    const peer = this.#world.get(address);
    if (peer) peer.invitePolicy = policy;
  }

  /** The PIN a phone shows on its screen (Windows "display a PIN" flow). */
  setDisplayedPin(address: MacAddress, pin: string): void {
    const peer = this.#world.get(address);
    if (peer) peer.displayedPin = pin;
  }

  peerSeesKiosk(address: MacAddress): boolean {
    return this.#world.get(address)?.seesKiosk ?? false;
  }

  /** True while the kiosk runs an active GO group the phone could join (Android then uses `join`). */
  kioskIsGroupOwner(): boolean {
    return [...this.#groups.values()].some((group) => group.role === 'GO' && group.phase === 'active');
  }

  /** The phone's P2P_PROV_DISC <kiosk> <method> [join]; `method` in wpa_cli's words. */
  peerProvisionDiscovery(address: MacAddress, method: WpsMethod, join: boolean): void {
    const peer = this.#world.get(address);
    if (!peer) return;
    this.#sendToKiosk(peer, { kind: 'provision-discovery', method, join });
  }

  /** The phone's P2P_CONNECT <kiosk> …; with `join`, a Provision Discovery then WPS with the GO. */
  peerConnect(address: MacAddress, request: PhoneConnectRequest): void {
    const peer = this.#world.get(address);
    if (!peer) return;
    if (request.join) return this.#peerJoin(peer, request);
    if (peer.request?.timer) this.#cancel(peer.request.timer);
    const answeringKiosk = peer.kioskRequestSeen && this.#intents.get(address)?.mode === 'initiate';
    peer.request = { ...request, phase: 'sent', answeringKiosk, timer: undefined };
    this.#sendToKiosk(peer, { kind: 'go-neg-request' });
  }

  /** The phone sends its last request again (users tap twice, Android retransmits slow PDs). */
  peerRetransmit(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer?.lastFrame) return;
    if (peer.lastFrame.kind === 'go-neg-request' && peer.request?.phase !== 'waiting-for-kiosk') return;
    this.#sendToKiosk(peer, peer.lastFrame);
  }

  /** The phone's P2P_GROUP_REMOVE: it deauthenticates, the GO reports AP-STA-DISCONNECTED. */
  peerLeaveGroup(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer?.connectedTo) return;
    const group = this.#groups.get(peer.connectedTo);
    if (!group) return;
    if (group.role === 'client') {
      // The phone was the GO: it ends the session for us.
      this.#after(this.#prng.delay(RADIO_TIMINGS.stationLeave), () => {
        if (!this.#groups.has(group.ifname)) return;
        this.#emit(group.ifname, eventText.disconnected(peer.interfaceAddress));
        peer.connectedTo = undefined;
        this.#removeGroup(group, 'GO_ENDING_SESSION');
        this.#notify(peer, { kind: 'disconnected', reason: 'left' });
      });
      return;
    }
    const station = group.stations.get(address);
    if (!station) return;
    this.#after(this.#prng.delay(RADIO_TIMINGS.stationLeave), () => {
      if (group.stations.has(address)) this.#stationDisconnected(group, station, peer, 'left');
    });
  }

  /** The phone reconnects with the credentials it kept (same session or a persistent group). */
  peerRejoin(address: MacAddress): void {
    const peer = this.#world.get(address);
    if (!peer?.credentials || !peer.inRange) {
      if (peer) this.#notify(peer, { kind: 'join-failure', reason: 'no-group' });
      return;
    }
    const credentials = peer.credentials;
    const group = [...this.#groups.values()].find(
      (candidate) =>
        candidate.role === 'GO' && candidate.phase === 'active' && candidate.ssid === credentials.ssid,
    );
    this.#after(this.#prng.delay(RADIO_TIMINGS.joinScan), () => {
      if (!group || !this.#groups.has(group.ifname))
        return this.#notify(peer, { kind: 'join-failure', reason: 'no-group' });
      if (group.revokedClients.has(address) || group.passphrase !== credentials.passphrase) {
        // hostapd: 4-way handshake M2 MIC failure with the old PSK.
        this.#emit(group.ifname, `AP-STA-POSSIBLE-PSK-MISMATCH ${peer.interfaceAddress}`);
        return this.#notify(peer, { kind: 'join-failure', reason: 'psk-mismatch' });
      }
      this.#stationConnected(group, peer);
    });
  }

  // ================================================================ discovery internals

  #kioskListening(): boolean {
    return this.#running && this.#find !== undefined;
  }

  /** Phones see the kiosk while it is discoverable, or its group while it is a GO (beacons). */
  #kioskVisible(): boolean {
    return this.#kioskListening() || this.kioskIsGroupOwner();
  }

  #kioskStartedListening(): void {
    for (const peer of this.#world.values()) {
      if (!peer.inRange) continue;
      this.#scheduleMutualDiscovery(peer);
      if (peer.pendingFrame) {
        const { frame, timer } = peer.pendingFrame;
        this.#cancel(timer);
        peer.pendingFrame = undefined;
        this.#deliver(peer, frame);
      }
    }
  }

  #phonesNoticeGroup(): void {
    for (const peer of this.#world.values()) if (peer.inRange) this.#scheduleMutualDiscovery(peer);
  }

  #scheduleMutualDiscovery(peer: RadioPeer): void {
    const address = peer.profile.deviceAddress;
    if (!peer.seesKiosk && this.#kioskVisible()) {
      peer.discoveryTimers.push(
        this.#after(this.#prng.delay(RADIO_TIMINGS.discovery), () => {
          if (peer.seesKiosk || !peer.inRange || !this.#kioskVisible()) return;
          peer.seesKiosk = true;
          this.#notify(peer, { kind: 'found-kiosk' });
        }),
      );
    }
    if (this.#find?.mode === 'find' && !this.#known.get(address)?.reported) {
      peer.discoveryTimers.push(
        this.#after(this.#prng.delay(RADIO_TIMINGS.discovery), () => {
          if (!peer.inRange || this.#find?.mode !== 'find') return;
          this.#reportPeer(peer);
        }),
      );
    }
  }

  /** P2P-DEVICE-FOUND once per peer per find; new=1 only for a peer not yet in the table. */
  #reportPeer(peer: RadioPeer): void {
    const address = peer.profile.deviceAddress;
    let known = this.#known.get(address);
    const isNew = known === undefined;
    if (!known) {
      known = { address, reported: false, lastSeen: this.#clock.now(), lastProvisionDiscovery: undefined };
      this.#known.set(address, known);
    }
    known.lastSeen = this.#clock.now();
    if (known.reported) return;
    known.reported = true;
    this.#emitDevice(eventText.deviceFound(advertisement(peer.profile), isNew));
  }

  #touch(address: MacAddress): void {
    const known = this.#known.get(address);
    if (known) known.lastSeen = this.#clock.now();
  }

  /** p2p_expire_peers(): a peer not heard from for 60 s is dropped with P2P-DEVICE-LOST. */
  #expirePeers(): void {
    const now = this.#clock.now();
    for (const known of [...this.#known.values()]) {
      const peer = this.#world.get(known.address);
      const busy =
        peer !== undefined &&
        (peer.connectedTo !== undefined ||
          peer.formingGroup !== undefined ||
          this.#negotiation?.peer === known.address);
      if (peer?.inRange && (this.#kioskListening() || busy)) known.lastSeen = now;
      if (busy || now - known.lastSeen < PROTOCOL_TIMEOUTS.peerExpiration) continue;
      this.#known.delete(known.address);
      this.#dropIntent(known.address);
      this.#emitDevice(eventText.deviceLost(known.address));
    }
  }

  #scheduleScanEvent(state: FindState, delay: number): void {
    state.scan = this.#after(delay, () => {
      if (this.#find !== state) return;
      this.#emitDevice(eventText.scanStarted());
      this.#scheduleScanEvent(state, this.#prng.delay(RADIO_TIMINGS.scanPeriod));
    });
  }

  /** Ends a running find with P2P-FIND-STOPPED (find timeout, P2P_STOP_FIND, GO negotiation start). */
  #endFind(): void {
    if (this.#find?.mode !== 'find') return;
    this.#clearFind();
    this.#emitDevice(eventText.findStopped());
  }

  #clearFind(): void {
    if (!this.#find) return;
    if (this.#find.timeout) this.#cancel(this.#find.timeout);
    if (this.#find.scan) this.#cancel(this.#find.scan);
    this.#find = undefined;
  }

  // ================================================================ frames from phones

  /**
   * A phone's frame reaches the kiosk only while the kiosk listens (P2P_FIND / P2P_LISTEN), or, for a
   * join, while it runs a GO group. Otherwise the phone keeps retrying until it gives up.
   */
  #sendToKiosk(peer: RadioPeer, frame: PhoneFrame): void {
    peer.lastFrame = frame;
    if (!peer.inRange) return;
    const reachable =
      this.#kioskListening() ||
      (frame.kind === 'provision-discovery' && frame.join && this.kioskIsGroupOwner());
    if (reachable) return this.#deliver(peer, frame);
    if (peer.pendingFrame) this.#cancel(peer.pendingFrame.timer);
    const giveUpAfter =
      frame.kind === 'go-neg-request'
        ? PROTOCOL_TIMEOUTS.goNegNoResponse
        : PROTOCOL_TIMEOUTS.provisionDiscoveryNoResponse;
    peer.pendingFrame = {
      frame,
      timer: this.#after(giveUpAfter, () => {
        peer.pendingFrame = undefined;
        if (frame.kind === 'go-neg-request') {
          peer.request = undefined;
          this.#notify(peer, { kind: 'go-neg-failure', status: -1 });
        } else {
          this.#notify(peer, { kind: 'pd-failure' });
        }
      }),
    };
  }

  #deliver(peer: RadioPeer, frame: PhoneFrame): void {
    const delay = this.#prng.delay(
      frame.kind === 'go-neg-request' ? { min: 30, max: 150 } : RADIO_TIMINGS.provisionDiscovery,
    );
    this.#after(delay, () => {
      if (!peer.inRange || !this.#running) return;
      if (frame.kind === 'provision-discovery')
        this.#receiveProvisionDiscovery(peer, frame.method, frame.join);
      else this.#receiveGoNegRequest(peer);
    });
  }

  /** wpas_prov_disc_req(): the event depends on what the phone asked us to do. */
  #receiveProvisionDiscovery(peer: RadioPeer, method: WpsMethod, join: boolean): void {
    this.#reportPeer(peer);
    const address = peer.profile.deviceAddress;
    const known = this.#known.get(address);
    if (known) known.lastProvisionDiscovery = method;
    const group = join
      ? [...this.#groups.values()].find((candidate) => candidate.role === 'GO')?.ifname
      : undefined;
    const ad = advertisement(peer.profile);
    if (method === 'pbc') {
      this.#emitDevice(eventText.provDiscPbcRequest(ad, group));
      this.#notify(peer, { kind: 'pd-response' });
    } else if (method === 'display') {
      // The phone asks us to display: the daemon makes up a PIN (a new one per request; the kiosk may
      // use its own instead, hwsim README "pd-right" round).
      const pin = this.#prng.keypadPin();
      this.#emitDevice(eventText.provDiscShowPin(ad, pin, group));
      this.#notify(peer, { kind: 'pd-response' });
    } else {
      this.#emitDevice(eventText.provDiscEnterPin(ad, group));
      this.#notify(peer, { kind: 'pd-response', ...(peer.displayedPin ? { pin: peer.displayedPin } : {}) });
    }
  }

  #receiveGoNegRequest(peer: RadioPeer): void {
    const request = peer.request;
    if (!request || request.phase === 'negotiating') return;
    this.#reportPeer(peer);
    const address = peer.profile.deviceAddress;
    const intent = this.#intents.get(address);
    const busyWithOther = this.#negotiation !== undefined && this.#negotiation.peer !== address;
    if (!intent || busyWithOther || this.#groups.size > 0) {
      // Not authorized: answer status 1 and tell the user (wpas_go_neg_req_rx). The phone keeps
      // listening for our GO Negotiation Request for up to 120 s (p2p_go_neg_wait_timeout).
      this.#emitDevice(
        eventText.goNegRequest(address, devicePasswordId(request.method), peer.profile.goIntent),
      );
      if (request.phase !== 'waiting-for-kiosk') {
        request.phase = 'waiting-for-kiosk';
        request.timer = this.#after(PROTOCOL_TIMEOUTS.goNegWait, () => {
          if (peer.request !== request) return;
          peer.request = undefined;
          this.#notify(peer, { kind: 'go-neg-failure', status: -1 });
        });
        this.#notify(peer, { kind: 'go-neg-waiting' });
      }
      return;
    }
    if (
      intent.mode === 'initiate' &&
      !request.answeringKiosk &&
      this.#clock.now() - intent.startedAt < COLLISION_WINDOW_MS
    ) {
      this.#collide(peer, intent);
      return;
    }
    this.#startNegotiation(peer, intent);
  }

  /**
   * Both sides sent GO Negotiation Requests at once (the kiosk answered a provision discovery without
   * `auth`). hwsim README: "both sides initiating at once fails". Simplified to a failure on both sides.
   */
  #collide(peer: RadioPeer, intent: ConnectIntent): void {
    if (intent.timer) this.#cancel(intent.timer);
    const request = peer.request;
    if (request) request.phase = 'negotiating';
    this.#after(this.#prng.delay({ min: 2000, max: 4000 }), () => {
      if (this.#intents.get(peer.profile.deviceAddress) === intent) this.#intents.delete(intent.peer);
      this.#emitDevice(eventText.goNegFailure(-1));
      if (peer.request === request) peer.request = undefined;
      this.#notify(peer, { kind: 'go-neg-failure', status: -1 });
    });
  }

  /** Our GO Negotiation Request to a phone that has not asked: it answers status 1 and may accept later. */
  #initiateTowards(peer: RadioPeer, intent: ConnectIntent): void {
    this.#after(this.#prng.delay(RADIO_TIMINGS.findStoppedLead), () => this.#endFind());
    intent.timer = this.#after(
      peer.inRange ? PROTOCOL_TIMEOUTS.goNegWait : PROTOCOL_TIMEOUTS.goNegNoResponse,
      () => {
        if (this.#intents.get(intent.peer) !== intent || this.#negotiation?.peer === intent.peer) return;
        this.#intents.delete(intent.peer);
        this.#emitDevice(eventText.goNegFailure(-1));
      },
    );
    if (!peer.inRange) return;
    this.#after(this.#prng.delay({ min: 30, max: 150 }), () => {
      if (!peer.inRange || this.#intents.get(intent.peer) !== intent) return;
      peer.kioskRequestSeen = true;
      this.#notify(peer, { kind: 'go-neg-request', devicePasswordId: devicePasswordId(intent.method) });
    });
  }

  // ================================================================ GO negotiation

  #startNegotiation(peer: RadioPeer, intent: ConnectIntent): void {
    const request = peer.request;
    if (!request) return;
    if (request.timer) this.#cancel(request.timer);
    request.timer = undefined;
    request.phase = 'negotiating';
    if (intent.timer) this.#cancel(intent.timer);
    const duration = this.#prng.delay(RADIO_TIMINGS.goNegotiation);
    const lead = this.#prng.delay(RADIO_TIMINGS.findStoppedLead);
    const timers = [
      this.#after(Math.max(0, duration - lead), () => this.#endFind()),
      this.#after(duration, () => this.#completeNegotiation(peer, intent, request)),
    ];
    this.#negotiation = { peer: peer.profile.deviceAddress, timers };
  }

  #abortNegotiation(): void {
    if (!this.#negotiation) return;
    for (const timer of this.#negotiation.timers) this.#cancel(timer);
    this.#negotiation = undefined;
  }

  #completeNegotiation(peer: RadioPeer, intent: ConnectIntent, request: PhoneRequest): void {
    this.#negotiation = undefined;
    this.#intents.delete(intent.peer);
    peer.request = undefined;
    peer.kioskRequestSeen = false;
    const address = peer.profile.deviceAddress;
    const status = this.#negotiationStatus(peer, intent, request);
    if (status !== 0) {
      this.#emitDevice(eventText.goNegFailure(status));
      this.#notify(peer, { kind: 'go-neg-failure', status });
      return;
    }
    const kioskIntent = intent.goIntent;
    const phoneIntent = peer.profile.goIntent;
    const kioskIsGo = kioskIntent > phoneIntent || (kioskIntent === phoneIntent && this.#prng.next() < 0.5);
    this.#touch(address);

    // persistent=<id> reuses a stored network; plain `persistent` stores a new one once WPS succeeded.
    const network = this.#networks.find(intent.persistentId);
    const credentials = network
      ? { ssid: network.ssid, passphrase: network.passphrase }
      : this.#newGroupCredentials();
    const group = kioskIsGo
      ? this.#createGroup('GO', credentials, network?.id)
      : this.#createGroup('client', this.#newGroupCredentials(), undefined, undefined, address);
    group.formation = {
      peer: address,
      method: intent.method,
      pin: intent.pin,
      persistent: intent.persistent,
    };
    peer.formingGroup = group.ifname;
    this.#emitDevice(
      eventText.goNegSuccess({
        role: group.role,
        freq: group.frequency,
        peerDevice: address,
        peerInterface: peer.interfaceAddress,
        wpsMethod: wpsMethodText(intent.method),
        ht40: this.#settings.get('p2p_go_ht40') === '1',
      }),
    );
    this.#notify(peer, { kind: 'go-neg-success', role: kioskIsGo ? 'client' : 'GO' });
    this.#runFormation(group, peer, request);
  }

  /** 0 or a P2P status code: 10 incompatible provisioning method, 9 both GO intent 15, or a fault's. */
  #negotiationStatus(peer: RadioPeer, intent: ConnectIntent, request: PhoneRequest): number {
    if (!peer.inRange) return -1;
    const fault = this.faults.take('go-neg-failure', peer.profile.deviceAddress);
    if (fault) return fault.status;
    if (intent.method !== complementaryMethod(request.method)) return 10;
    if (intent.goIntent === 15 && peer.profile.goIntent === 15) return 9;
    return 0;
  }

  // ================================================================ group formation (WPS provisioning)

  #runFormation(group: P2pGroup, peer: RadioPeer, request: PhoneRequest): void {
    const address = peer.profile.deviceAddress;
    const formation = group.formation;
    if (!formation) return;
    const formationTimeout = this.#after(PROTOCOL_TIMEOUTS.groupFormation, () => {
      if (group.phase === 'forming' && this.#groups.has(group.ifname)) this.#formationFailed(group, peer);
    });

    if (this.faults.peek('ebusy')?.stage === 'start-ap' && group.role === 'GO') {
      this.faults.take('ebusy', address);
      this.#after(this.#prng.delay({ min: 30, max: 80 }), () => {
        this.#cancel(formationTimeout);
        this.#logBeaconEbusy(group.ifname);
        this.#formationFailed(group, peer);
      });
      return;
    }
    if (group.role === 'GO' && formation.method === 'pbc') this.#emit(group.ifname, eventText.wpsPbcActive());
    if (this.faults.take('formation-failure', address)) {
      this.#after(this.#prng.delay(RADIO_TIMINGS.groupFormation), () => {
        this.#cancel(formationTimeout);
        if (this.#groups.has(group.ifname)) this.#formationFailed(group, peer);
      });
      return;
    }
    // The enrollee never starts WPS: only the 15 s formation timeout ends it.
    if (this.faults.take('wps-timeout', address)) return;

    if (group.role === 'GO') {
      this.#after(this.#prng.delay({ min: 80, max: 200 }), () => {
        if (!peer.inRange || !this.#groups.has(group.ifname)) return;
        this.#emit(group.ifname, this.#enrolleeSeen(peer, request.method));
      });
    }
    const phonePin = this.#phonePin(peer, request.method, request.pin, formation.pin);
    const wpsFault = this.faults.take('wps-fail', address);
    const pinsMatch = formation.method === 'pbc' || phonePin === formation.pin;
    if (wpsFault || !pinsMatch) {
      this.#after(this.#prng.delay(RADIO_TIMINGS.wpsFailure), () => {
        if (!this.#groups.has(group.ifname) || !peer.inRange) return;
        const text = eventText.wpsFail(wpsFault?.msg ?? 8, wpsFault?.configError ?? 18);
        if (group.role === 'GO') this.#emit(group.ifname, text);
        // ap_wps_event_cb() repeats WPS-FAIL on the P2P device while the group is being formed.
        this.#emitDevice(text);
        this.#after(this.#prng.delay(RADIO_TIMINGS.wpsFailureToRemoval), () => {
          this.#cancel(formationTimeout);
          if (this.#groups.has(group.ifname)) this.#formationFailed(group, peer);
        });
      });
      return;
    }
    this.#after(this.#prng.delay(RADIO_TIMINGS.groupFormation), () => {
      if (!peer.inRange || !this.#groups.has(group.ifname)) return; // the formation timeout will fire
      this.#cancel(formationTimeout);
      if (group.role === 'GO') this.#goProvisioned(group, peer);
      else this.#clientProvisioned(group, peer);
    });
  }

  /** Which PIN the phone actually uses in WPS. */
  #phonePin(
    peer: RadioPeer,
    phoneMethod: WpsMethod,
    choice: PinChoice | undefined,
    kioskPin: string | undefined,
  ): string | undefined {
    if (phoneMethod === 'pbc') return undefined;
    if (phoneMethod === 'display') return peer.displayedPin;
    if (!choice || choice.kind === 'kiosk') return kioskPin ?? peer.kioskPin;
    if (choice.kind === 'literal') return choice.pin;
    let wrong = this.#prng.keypadPin();
    while (wrong === kioskPin) wrong = this.#prng.keypadPin();
    return wrong;
  }

  /**
   * Registrar side of a successful formation, in hostap's order: hostapd reports WPS-REG-SUCCESS on the
   * group, its callback completes the formation (P2P-GROUP-FORMATION-SUCCESS, P2P-GROUP-STARTED on the
   * P2P device), WPS finishes (WPS-PBC-DISABLE, WPS-SUCCESS, EAP-Failure), the client re-associates and
   * the 4-way handshake authorizes it (AP-STA-CONNECTED).
   */
  #goProvisioned(group: P2pGroup, peer: RadioPeer): void {
    const formation = group.formation;
    this.#emit(group.ifname, eventText.wpsRegSuccess(peer.interfaceAddress, peer.profile.uuid));
    this.#emitDevice(eventText.groupFormationSuccess());
    group.phase = 'active';
    group.formation = undefined;
    if (formation?.persistent && group.persistentId === undefined) {
      group.persistentId = this.#networks.store({ ssid: group.ssid, passphrase: group.passphrase }).id;
    }
    this.#emitGroupStarted(group);
    if (formation?.method === 'pbc') this.#emit(group.ifname, eventText.wpsPbcDisable());
    this.#emit(group.ifname, eventText.wpsSuccess());
    this.#emit(group.ifname, eventText.eapFailure(peer.interfaceAddress));
    this.#after(this.#prng.delay(RADIO_TIMINGS.stationAssociation), () => {
      peer.formingGroup = undefined;
      if (this.#groups.has(group.ifname)) this.#stationConnected(group, peer);
    });
    this.#phonesNoticeGroup();
  }

  /** The phone became GO: we enrol, then report the group once the 4-way handshake is done. */
  #clientProvisioned(group: P2pGroup, peer: RadioPeer): void {
    this.#emitDevice(eventText.groupFormationSuccess());
    group.formation = undefined;
    this.#after(this.#prng.delay(RADIO_TIMINGS.stationAssociation), () => {
      if (!this.#groups.has(group.ifname)) return;
      group.phase = 'active';
      peer.formingGroup = undefined;
      peer.connectedTo = group.ifname;
      this.#emitDevice(
        eventText.groupStartedClient({
          ifname: group.ifname,
          ssid: group.ssid,
          freq: group.frequency,
          psk: group.psk,
          goDeviceAddress: group.goDeviceAddress,
          persistent: group.persistentId !== undefined,
        }),
      );
      this.#emit(
        group.ifname,
        `CTRL-EVENT-CONNECTED - Connection to ${peer.interfaceAddress} completed [id=0 id_str=]`,
      );
      this.#notify(peer, { kind: 'connected', groupIfname: group.ifname });
    });
  }

  /** wpas_group_formation_completed(success=0): FORMATION-FAILURE then GROUP-REMOVED reason=FORMATION_FAILED. */
  #formationFailed(group: P2pGroup, peer: RadioPeer | undefined): void {
    this.#emitDevice(eventText.groupFormationFailure());
    this.#removeGroup(group, 'FORMATION_FAILED');
    if (peer) {
      peer.formingGroup = undefined;
      this.#notify(peer, { kind: 'formation-failure' });
    }
  }

  /**
   * The WPS IE of the probe requests a P2P client sends from its group interface carries no device data of its
   * own: a zero primary device type, config methods 0x3148 and an empty name (hwsim captures: the same for
   * every phone, whatever its P2P config methods and name).
   */
  #enrolleeSeen(peer: RadioPeer, method: WpsMethod): string {
    return eventText.wpsEnrolleeSeen({
      address: peer.interfaceAddress,
      uuid: peer.profile.uuid,
      primaryDeviceType: '0-00000000-0',
      configMethods: 0x3148,
      devicePasswordId: method === 'pbc' ? 4 : 0,
      name: '',
    });
  }

  // ================================================================ joining a running group

  #peerJoin(peer: RadioPeer, request: PhoneConnectRequest): void {
    // A join replaces whatever GO negotiation the phone was waiting for.
    if (peer.request?.timer) this.#cancel(peer.request.timer);
    peer.request = undefined;
    const group = [...this.#groups.values()].find(
      (candidate) => candidate.role === 'GO' && candidate.phase === 'active',
    );
    if (!group || !peer.inRange) {
      // P2P_MAX_JOIN_SCAN_ATTEMPTS scans without finding the GO.
      this.#after(10 * 1000, () => this.#notify(peer, { kind: 'join-failure', reason: 'no-group' }));
      return;
    }
    // `P2P_CONNECT … join` sends a Provision Discovery to the GO first (README-P2P). A phone that types
    // asks us to display, one that shows a PIN asks us to type.
    const pdMethod: WpsMethod =
      request.method === 'keypad' ? 'display' : request.method === 'display' ? 'keypad' : 'pbc';
    this.#sendToKiosk(peer, { kind: 'provision-discovery', method: pdMethod, join: true });
    this.#after(this.#prng.delay(RADIO_TIMINGS.joinScan), () => {
      if (!peer.inRange || !this.#groups.has(group.ifname)) return;
      if (this.faults.take('wps-timeout', peer.profile.deviceAddress)) return;
      this.#emit(group.ifname, this.#enrolleeSeen(peer, request.method));
      const timer = this.#after(PROTOCOL_TIMEOUTS.wpsWalkTime, () => {
        peer.joining = undefined;
        this.#notify(peer, { kind: 'join-failure', reason: 'wps-timeout' });
      });
      peer.joining = { group: group.ifname, method: request.method, pin: request.pin, timer };
      this.#serveWaitingEnrollees(group);
    });
  }

  /** A registrar armed (or an enrollee arrived): run WPS for every enrollee it accepts. */
  #serveWaitingEnrollees(group: P2pGroup): void {
    for (const peer of this.#world.values()) {
      const joining = peer.joining;
      if (!joining || joining.group !== group.ifname || !peer.inRange) continue;
      const registrar = group.registrar;
      if (registrar.mode === 'none') continue;
      if (registrar.mode === 'pbc' && joining.method !== 'pbc') continue;
      if (registrar.mode === 'pin' && joining.method === 'pbc') continue;
      // WPS_PBC p2p_dev_addr= names a P2P device; WPS_PIN <addr> an enrollee (device or interface address).
      const accepts =
        registrar.enrollee === 'any' ||
        registrar.enrollee === peer.profile.deviceAddress ||
        (registrar.mode === 'pin' && registrar.enrollee === peer.interfaceAddress);
      if (!accepts) continue;
      this.#cancel(joining.timer);
      peer.joining = undefined;
      this.#joinWps(group, peer, joining.method, joining.pin);
    }
  }

  #joinWps(group: P2pGroup, peer: RadioPeer, method: WpsMethod, choice: PinChoice | undefined): void {
    const registrar = group.registrar;
    const fault = this.faults.take('wps-fail', peer.profile.deviceAddress);
    const armedPin = registrar.mode === 'pin' ? registrar.pin : undefined;
    const pinOk = method === 'pbc' || this.#phonePin(peer, method, choice, armedPin) === armedPin;
    this.#after(
      this.#prng.delay(fault || !pinOk ? RADIO_TIMINGS.wpsFailure : RADIO_TIMINGS.groupFormation),
      () => {
        if (!this.#groups.has(group.ifname)) return;
        if (fault || !pinOk) {
          // Outside group formation the failure stays on the group interface.
          this.#emit(group.ifname, eventText.wpsFail(fault?.msg ?? 8, fault?.configError ?? 18));
          this.#notify(peer, { kind: 'join-failure', reason: 'wps-fail' });
          return;
        }
        this.#emit(group.ifname, eventText.wpsRegSuccess(peer.interfaceAddress, peer.profile.uuid));
        if (registrar.mode === 'pbc') {
          this.#cancel(registrar.timer);
          this.#emit(group.ifname, eventText.wpsPbcDisable());
        }
        // A PIN for "any" is one-time use (hostapd wps_registrar_add_pin(… WPS_PIN_ANY…)).
        group.registrar = { mode: 'none' };
        this.#emit(group.ifname, eventText.wpsSuccess());
        this.#emit(group.ifname, eventText.eapFailure(peer.interfaceAddress));
        this.#after(this.#prng.delay(RADIO_TIMINGS.stationAssociation), () => {
          if (this.#groups.has(group.ifname)) this.#stationConnected(group, peer);
        });
      },
    );
  }

  #disarmRegistrar(group: P2pGroup): void {
    if (group.registrar.mode === 'pbc') this.#cancel(group.registrar.timer);
    group.registrar = { mode: 'none' };
  }

  // ================================================================ stations

  /** hostapd ap_sta_set_authorized(): AP-STA-CONNECTED on the group, then the copy on the P2P device. */
  #stationConnected(group: P2pGroup, peer: RadioPeer): void {
    if (!peer.inRange) return;
    const address = peer.profile.deviceAddress;
    const station: Station = {
      deviceAddress: address,
      interfaceAddress: peer.interfaceAddress,
      name: peer.profile.name,
      connectedAt: this.#clock.now(),
      ipAddress: group.allocateIpAddress(),
    };
    group.stations.set(address, station);
    if (group.idleTimer) this.#cancel(group.idleTimer);
    group.idleTimer = undefined;
    peer.connectedTo = group.ifname;
    peer.credentials = { ssid: group.ssid, passphrase: group.passphrase, persistentId: group.persistentId };
    this.#networks.addClient(group.persistentId, address);
    this.#touch(address);
    this.#emit(group.ifname, eventText.apStaConnected(station.interfaceAddress, address, station.ipAddress));
    this.#emitDevice(eventText.apStaConnected(station.interfaceAddress, address, station.ipAddress));
    this.#notify(peer, { kind: 'connected', groupIfname: group.ifname });
  }

  #stationDisconnected(
    group: P2pGroup,
    station: Station,
    peer: RadioPeer | undefined,
    reason: 'left' | 'kicked' | 'group-removed' | 'out-of-range',
  ): void {
    if (!group.stations.delete(station.deviceAddress)) return;
    this.#emit(group.ifname, eventText.apStaDisconnected(station.interfaceAddress, station.deviceAddress));
    this.#emitDevice(eventText.apStaDisconnected(station.interfaceAddress, station.deviceAddress));
    if (peer) {
      peer.connectedTo = undefined;
      if (peer.inactivityTimer) this.#cancel(peer.inactivityTimer);
      peer.inactivityTimer = undefined;
      this.#notify(peer, { kind: 'disconnected', reason });
    }
    // The GO never removes its group when the last client leaves (hwsim README) unless p2p_group_idle is set.
    const idle = Number(this.#settings.get('p2p_group_idle') ?? '0');
    if (group.stations.size === 0 && idle > 0 && reason !== 'group-removed') {
      group.idleTimer = this.#after(idle * 1000, () => {
        if (this.#groups.has(group.ifname) && group.stations.size === 0) this.#removeGroup(group, 'IDLE');
      });
    }
  }

  // ================================================================ groups

  #newGroupCredentials(): { ssid: string; passphrase: string } {
    const postfix = this.#settings.get('p2p_ssid_postfix') ?? '';
    const length = Number(this.#settings.get('p2p_passphrase_len') ?? '8');
    return {
      ssid: `DIRECT-${this.#prng.chars(2)}${postfix}`,
      passphrase: this.#prng.chars(Number.isInteger(length) && length >= 8 ? length : 8),
    };
  }

  /** The group interface (and its control socket) exists from GO-NEG-SUCCESS / P2P_GROUP_ADD on. */
  #createGroup(
    role: 'GO' | 'client',
    credentials: { ssid: string; passphrase: string },
    persistentId: number | undefined,
    frequency?: number,
    goDeviceAddress?: MacAddress,
  ): P2pGroup {
    const ifname = `p2p-${this.#config.mainIfname}-${this.#nextGroupIndex++}`;
    const goAddress = goDeviceAddress ?? this.#config.deviceAddress;
    const group = new P2pGroup(
      ifname,
      role,
      credentials.ssid,
      credentials.passphrase,
      frequency ?? this.#config.operatingFrequency,
      goAddress,
      groupInterfaceAddress(goAddress),
      persistentId,
    );
    // wpa_supplicant/ap.c copies the P2P device's ip_addr_* into the GO's BSS when the group starts.
    if (role === 'GO') group.ipPool = ipAllocationPool(this.#settings);
    this.#groups.set(ifname, group);
    this.#listener.interfaceAdded(ifname);
    return group;
  }

  #emitGroupStarted(group: P2pGroup): void {
    this.#emitDevice(
      eventText.groupStartedGo({
        ifname: group.ifname,
        ssid: group.ssid,
        freq: group.frequency,
        passphrase: group.passphrase,
        goDeviceAddress: group.goDeviceAddress,
        persistent: group.persistentId !== undefined,
      }),
    );
  }

  /**
   * wpas_p2p_group_delete(): GROUP-REMOVED on the P2P device first, then the AP tears down (stations
   * deauthenticated, AP-DISABLED, CTRL-EVENT-DISCONNECTED, DSCP clear) and the interface goes away.
   */
  #removeGroup(group: P2pGroup, reason: GroupRemovalReason): void {
    if (!this.#groups.has(group.ifname)) return;
    if (group.idleTimer) this.#cancel(group.idleTimer);
    this.#disarmRegistrar(group);
    this.#emitDevice(eventText.groupRemoved(group.ifname, group.role, reason));
    for (const station of [...group.stations.values()]) {
      this.#stationDisconnected(group, station, this.#world.get(station.deviceAddress), 'group-removed');
    }
    for (const peer of this.#world.values()) {
      if (peer.joining?.group === group.ifname) {
        this.#cancel(peer.joining.timer);
        peer.joining = undefined;
        this.#notify(peer, { kind: 'join-failure', reason: 'no-group' });
      }
      if (peer.formingGroup === group.ifname && reason !== 'FORMATION_FAILED') {
        peer.formingGroup = undefined;
        this.#notify(peer, { kind: 'formation-failure' });
      }
      if (group.role === 'client' && peer.connectedTo === group.ifname) {
        peer.connectedTo = undefined;
        this.#notify(peer, { kind: 'disconnected', reason: 'group-removed' });
      }
    }
    if (group.role === 'GO') this.#emit(group.ifname, eventText.apDisabled());
    this.#emit(group.ifname, eventText.disconnected(group.bssid));
    this.#emit(group.ifname, eventText.dscpPolicyClear());
    this.#emit(group.ifname, eventText.dscpPolicyClear());
    this.#groups.delete(group.ifname);
    this.#listener.interfaceRemoved(group.ifname);
    // Removing the interface re-applies the regulatory domain on the station interface (captures).
    this.#after(this.#prng.delay({ min: 200, max: 400 }), () =>
      this.#listener.event(this.#config.mainIfname, eventText.regdomChange()),
    );
  }

  #ebusyOnCreate(): boolean {
    if (this.faults.peek('ebusy')?.stage !== 'create-iface') return false;
    this.faults.take('ebusy', undefined);
    const ifname = `p2p-${this.#config.mainIfname}-${this.#nextGroupIndex}`;
    // Driver refusal while another interface (uap0) holds the radio: seed project README, -16 EBUSY.
    this.#listener.log(`nl80211: Failed to create interface ${ifname}: -16 (Device or resource busy)`);
    this.#listener.log('P2P: Failed to create new group interface');
    this.#listener.log('P2P: Failed to allocate interface for group');
    return true;
  }

  #logBeaconEbusy(ifname: string): void {
    this.#listener.log(`nl80211: Beacon set failed: -16 (Device or resource busy)`);
    this.#listener.log(`Failed to start AP on ${ifname}`);
  }

  // ================================================================ invitations

  #sendInvitation(peer: RadioPeer, onResponse: () => void): void {
    this.#after(this.#prng.delay(RADIO_TIMINGS.invitation), () => {
      if (!peer.inRange || peer.invitePolicy === 'ignore') {
        this.#after(PROTOCOL_TIMEOUTS.provisionDiscoveryNoResponse, () =>
          this.#emitDevice(eventText.invitationResult(-1)),
        );
        return;
      }
      this.#touch(peer.profile.deviceAddress);
      onResponse();
    });
  }

  // ================================================================ helpers

  #dropIntent(address: MacAddress): void {
    const intent = this.#intents.get(address);
    const peer = this.#world.get(address);
    if (peer) peer.kioskRequestSeen = false;
    if (!intent) return;
    if (intent.timer) this.#cancel(intent.timer);
    this.#intents.delete(address);
  }

  #resetPeerRadioState(peer: RadioPeer): void {
    peer.seesKiosk = false;
    peer.request = undefined;
    peer.kioskRequestSeen = false;
    peer.pendingFrame = undefined;
    peer.joining = undefined;
    peer.formingGroup = undefined;
    peer.connectedTo = undefined;
    peer.inactivityTimer = undefined;
    peer.discoveryTimers = [];
  }

  #notify(peer: RadioPeer, notice: PeerNotice): void {
    this.#listener.peerNotice(peer.profile.deviceAddress, notice);
  }

  #emitDevice(text: string): void {
    this.#emit(this.#config.p2pDeviceIfname, text);
  }

  #emit(ifname: string, text: string): void {
    if (this.#running) this.#listener.event(ifname, text);
  }

  #after(delayMs: number, fire: () => void): TimerHandle {
    const handle = this.#clock.setTimer(delayMs, () => {
      this.#timers.delete(handle);
      fire();
    });
    this.#timers.add(handle);
    return handle;
  }

  #every(periodMs: number, fire: () => void): void {
    this.#after(periodMs, () => {
      fire();
      if (this.#running) this.#every(periodMs, fire);
    });
  }

  #cancel(handle: TimerHandle): void {
    this.#clock.clearTimer(handle);
    this.#timers.delete(handle);
  }
}
