import type { RequestVia } from './domain-events.js';
import type { CommandPurpose } from './effects.js';
import type { Failure } from './failure.js';
import type { EngineSettings } from './settings.js';
import type { WhitelistEntry } from './whitelist.js';
import type { ConnectMethod } from '../protocol/events.js';

/** A phone asking to connect, normalised from GO-NEG-REQUEST, PROV-DISC-*, INVITATION-RECEIVED… */
export interface PeerRequest {
  readonly address: string;
  readonly name: string;
  readonly method: ConnectMethod;
  readonly via: RequestVia;
  /** The kiosk's group the peer wants to join (`group=` in a provision discovery), if any. */
  readonly group: string | null;
  /** The persistent group the peer asks to reinvoke (`P2P-INVITATION-RECEIVED persistent=N`). */
  readonly persistentId: number | null;
  /** The PIN for this request: the kiosk's PIN when it was shown, or the one the operator typed. */
  readonly pin: string | null;
  /** When the engine first heard the request (engine clock); stamped by intake. */
  readonly receivedAt?: number;
}

/** The kiosk as Group Owner of a P2P group. */
export interface GroupOwner {
  readonly ifname: string;
  readonly ssid: string;
  readonly freq: number | null;
  /** A `P2P_GROUP_REMOVE` is on its way. */
  readonly removing: boolean;
}

export interface GroupClient {
  /** P2P device address (`p2p_dev_addr=`). */
  readonly address: string;
  /** Interface address in the group (leading address of AP-STA-CONNECTED). */
  readonly interfaceAddress: string;
  readonly name: string;
  readonly since: number;
  readonly kicked: boolean;
}

/**
 * Stages of the one connection being set up:
 * - `answering`: the answer (P2P_CONNECT, WPS_PBC, P2P_INVITE…) was sent, its reply awaited;
 * - `negotiating`: accepted by wpa_supplicant; waiting for the peer (GO negotiation, WPS, association);
 * - `cleaning`: P2P_CONNECT got FAIL; stale groups are being removed before the one retry.
 * Nothing at all is sent in the first two stages: any command right after P2P_CONNECT can break the group
 * formation (seed README, DESIGN.md).
 */
export type SessionStage = 'answering' | 'negotiating' | 'cleaning';

export interface ConnectionSession {
  readonly id: number;
  readonly request: PeerRequest;
  readonly stage: SessionStage;
  readonly attempt: number;
  /** The command that answers the peer, kept for the retry after stale groups were removed. */
  readonly answer: string;
  readonly answerPurpose: CommandPurpose;
  /** A WPS authorisation to send once `P2P_INVITE` was accepted. */
  readonly followUp: string | null;
  /** A WPS failure seen during group formation; reported when the group is torn down. */
  readonly failure: Failure | null;
  /**
   * The group interface whose registrar accepted this session's WPS authorisation (its WPS_PBC / WPS_PIN was
   * answered OK), or null. Only then do that interface's own WPS-FAIL / WPS-TIMEOUT belong to this session:
   * one that comes before the reply is left over from an earlier window (the socket keeps the order).
   */
  readonly wpsArmedOn?: string | null;
  readonly startedAt: number;
}

/** A push-button request from a peer who is not whitelisted, waiting for Approve / Deny. */
export interface PbcApproval {
  readonly id: string;
  readonly request: PeerRequest;
  readonly expiresAt: number;
}

/** A peer displays its PIN; the operator must type it. */
export interface PeerPinRequest {
  readonly request: PeerRequest;
  readonly expiresAt: number;
}

export interface NearbyPeer {
  readonly address: string;
  readonly name: string;
  readonly lastSeen: number;
}

export interface HeldCommand {
  readonly command: string;
  readonly purpose: CommandPurpose;
}

/** One step of a command sequence run one reply at a time (start-up, reconfiguration, stale-group clean-up). */
export type SyncStep =
  | { readonly purpose: 'status' | 'interfaces' | 'device-name' | 'config-methods' | 'per-sta-psk' }
  | { readonly purpose: 'list-networks' | 'group-add' }
  | { readonly purpose: 'remove-stale-group'; readonly ifname: string };

export interface SyncPlan {
  readonly steps: readonly SyncStep[];
  readonly awaiting: number | null;
  /** What happens when the last step is answered. */
  readonly then: 'ready' | 'retry-connect';
}

export interface PendingCommand {
  readonly purpose: CommandPurpose;
  readonly command: string;
  readonly sessionId: number | null;
  readonly address: string | null;
  readonly ifname: string | null;
  readonly sync: boolean;
}

export interface PeerFailures {
  readonly count: number;
  /** Requests from the peer are ignored until then (backoff against phones that retry in a loop). */
  readonly until: number;
}

export interface EngineError {
  readonly code: string;
  readonly message: string;
  readonly at: number;
}

/** The autonomous GO's standing group, while it is being (re)started. */
export interface StandingGroup {
  /** Failed `P2P_GROUP_ADD` attempts in a row. */
  readonly failures: number;
  /** A retry timer is armed. */
  readonly retrying: boolean;
  /** `P2P_GROUP_ADD` was accepted; P2P-GROUP-STARTED is awaited. */
  readonly awaiting: boolean;
}

export interface EngineState {
  readonly settings: EngineSettings;
  readonly whitelist: readonly WhitelistEntry[];
  readonly started: boolean;
  readonly daemon: 'connected' | 'disconnected';
  readonly discoverable: boolean;
  readonly sync: SyncPlan | null;
  readonly pending: Readonly<Record<number, PendingCommand>>;
  readonly nextRequestId: number;
  readonly nextApprovalId: number;
  readonly nextSessionId: number;
  readonly group: GroupOwner | null;
  readonly clients: readonly GroupClient[];
  readonly session: ConnectionSession | null;
  /** Requests accepted while another connection was being set up, answered in order afterwards. */
  readonly queue: readonly PeerRequest[];
  /** Commands held back while a connection is being set up. */
  readonly held: readonly HeldCommand[];
  readonly approvals: readonly PbcApproval[];
  readonly peerPin: PeerPinRequest | null;
  readonly peers: readonly NearbyPeer[];
  /** The PIN the next phone must type (null when no PIN method is offered). */
  readonly pin: string | null;
  /** A `P2P_FIND` should be sent as soon as nothing forbids it. */
  readonly findDue: boolean;
  readonly lastFindAt: number | null;
  readonly idleTimerArmed: boolean;
  readonly failures: Readonly<Record<string, PeerFailures>>;
  /**
   * Phones the operator denied, until when their requests are not put to the operator again: the phone's own
   * attempt goes on for up to 120 s (it asks again by GO negotiation after provision discovery), and the real
   * daemon keeps a P2P_REJECTed peer rejected anyway. A request the policy admits without the operator (the
   * kiosk's PIN typed, the phone whitelisted meanwhile) is still answered.
   */
  readonly deniedUntil: Readonly<Record<string, number>>;
  readonly standing: StandingGroup;
  /** The id of the persistent group to reinvoke (from LIST_NETWORKS), if any. */
  readonly persistentId: number | null;
  /** Stale p2p-* groups found by the last INTERFACES (null before any): FAIL with none to blame means EBUSY. */
  readonly lastStaleCount: number | null;
  /** Group creation failed with EBUSY: no automatic retries until the operator acts. */
  readonly busy: boolean;
  /**
   * A formation ended (P2P-GROUP-FORMATION-FAILURE, or the engine gave up on it) before wpa_supplicant reported
   * its group interface removed: the P2P-GROUP-REMOVED that follows (wpas_group_formation_completed → …
   * reason=FORMATION_FAILED) belongs to it, not to the next session, which may already be answering another
   * phone. Cleared by that removal, or by the next P2P-GO-NEG-SUCCESS / P2P-GROUP-STARTED (newer on the socket).
   */
  readonly formationLeftover?: boolean;
  readonly lastError: EngineError | null;
}

export function initialEngineState(
  settings: EngineSettings,
  whitelist: readonly WhitelistEntry[] = [],
): EngineState {
  return {
    settings,
    whitelist,
    started: false,
    daemon: 'connected',
    discoverable: true,
    sync: null,
    pending: {},
    nextRequestId: 1,
    nextApprovalId: 1,
    nextSessionId: 1,
    group: null,
    clients: [],
    session: null,
    queue: [],
    held: [],
    approvals: [],
    peerPin: null,
    peers: [],
    pin: null,
    findDue: false,
    lastFindAt: null,
    idleTimerArmed: false,
    failures: {},
    deniedUntil: {},
    standing: { failures: 0, retrying: false, awaiting: false },
    persistentId: null,
    lastStaleCount: null,
    busy: false,
    lastError: null,
  };
}
