/**
 * Typed wpa_supplicant control-interface events. Names are spelled exactly as in hostap's
 * src/common/wpa_ctrl.h; formats follow wpa_supplicant/p2p_supplicant.c, ctrl_iface.c and the captures in
 * hwsim/captures/.
 */

/** What every parsed line carries, whatever its type. */
export interface EventBase {
  /** Priority from the `<N>` prefix, or null. */
  level: number | null;
  /** Interface from a global control interface's `IFNAME=<if>` prefix, or null. */
  ifname: string | null;
  /** The first positional MAC address in the message, lower-case, or null. */
  address: string | null;
  /** Every `key=value`, keys as spelled, values unquoted and unescaped. Unknown keys are kept. */
  fields: Record<string, string>;
  /** Positional tokens other than `address`: `GO`, `client`, `[PERSISTENT]`, PINs, UUIDs, free text. */
  flags: string[];
  /** The line exactly as received. */
  raw: string;
}

export type GroupRole = 'GO' | 'client';

/** The peer description that p2p_supplicant.c appends to discovery and provision-discovery events. */
export interface PeerInfo {
  p2pDevAddr: string;
  /** WPS device name; control characters were replaced by '_' by hostap (p2p.c). */
  name: string | null;
  priDevType: string | null;
  configMethods: number | null;
  devCapab: number | null;
  groupCapab: number | null;
}

/** The P2P_CONNECT keyword that answers a peer's WPS Device Password ID (WSC spec, table 37). */
export type ConnectMethod = 'pbc' | 'display' | 'keypad';

interface Event<T extends string> extends EventBase {
  type: T;
}

export interface DeviceFoundEvent extends Event<'P2P-DEVICE-FOUND'> {
  address: string;
  peer: PeerInfo;
}
export interface DeviceLostEvent extends Event<'P2P-DEVICE-LOST'> {
  peer: PeerInfo;
}
export interface ProvDiscPbcReqEvent extends Event<'P2P-PROV-DISC-PBC-REQ'> {
  address: string;
  peer: PeerInfo;
}
export interface ProvDiscShowPinEvent extends Event<'P2P-PROV-DISC-SHOW-PIN'> {
  address: string;
  /** The PIN wpa_supplicant generated for us to display (`%08d`). */
  pin: string;
  peer: PeerInfo;
}
export interface ProvDiscEnterPinEvent extends Event<'P2P-PROV-DISC-ENTER-PIN'> {
  address: string;
  peer: PeerInfo;
}
export interface ProvDiscPbcRespEvent extends Event<'P2P-PROV-DISC-PBC-RESP'> {
  address: string;
}
export interface ProvDiscFailureEvent extends Event<'P2P-PROV-DISC-FAILURE'> {
  p2pDevAddr: string;
  /** enum p2p_prov_disc_status: 1 timeout, 2 rejected, 3 timeout (join), 4 info unavailable. */
  status: number | null;
}
export interface GoNegRequestEvent extends Event<'P2P-GO-NEG-REQUEST'> {
  address: string;
  devPasswdId: number | null;
  goIntent: number | null;
  /** How to answer with P2P_CONNECT, derived from devPasswdId; null when it is none of 1, 4, 5. */
  connectMethod: ConnectMethod | null;
}
export interface GoNegSuccessEvent extends Event<'P2P-GO-NEG-SUCCESS'> {
  role: GroupRole | null;
  freq: number | null;
  peerDev: string | null;
  peerIface: string | null;
  wpsMethod: string | null;
}
export interface GoNegFailureEvent extends Event<'P2P-GO-NEG-FAILURE'> {
  /** P2P status code (P2P spec table 8), e.g. 1 information unavailable, 7 incompatible provisioning. */
  status: number | null;
}
export interface GroupFormationFailureEvent extends Event<'P2P-GROUP-FORMATION-FAILURE'> {
  reason: string | null;
}
export interface GroupStartedEvent extends Event<'P2P-GROUP-STARTED'> {
  /** The group's network interface, e.g. `p2p-wlan0-0` (not the `IFNAME=` prefix, see `ifname`). */
  groupIfname: string;
  role: GroupRole;
  ssid: string | null;
  freq: number | null;
  /** Known on the GO. */
  passphrase: string | null;
  /** Known on a client: 64 hex digits. */
  psk: string | null;
  goDevAddr: string | null;
  persistent: boolean;
}
export interface GroupRemovedEvent extends Event<'P2P-GROUP-REMOVED'> {
  groupIfname: string;
  role: GroupRole;
  /** REQUESTED, FORMATION_FAILED, IDLE, UNAVAILABLE, GO_ENDING_SESSION, PSK_FAILURE, FREQ_CONFLICT, … */
  reason: string | null;
}
export interface InvitationReceivedEvent extends Event<'P2P-INVITATION-RECEIVED'> {
  sa: string | null;
  goDevAddr: string | null;
  bssid: string | null;
  persistentId: number | null;
  freq: number | null;
  /** The inviter's group is not among our persistent groups. */
  unknownNetwork: boolean;
}
export interface InvitationResultEvent extends Event<'P2P-INVITATION-RESULT'> {
  /** P2P status code from the peer, or -1 on local failure or timeout. */
  status: number | null;
}
export interface InvitationAcceptedEvent extends Event<'P2P-INVITATION-ACCEPTED'> {
  sa: string | null;
  persistentId: number | null;
  freq: number | null;
}
export interface ServDiscReqEvent extends Event<'P2P-SERV-DISC-REQ'> {
  freq: number | null;
  dialogToken: number | null;
  updateIndicator: number | null;
  tlvs: string | null;
}
export interface ServDiscRespEvent extends Event<'P2P-SERV-DISC-RESP'> {
  updateIndicator: number | null;
  tlvs: string | null;
}
export interface ApStaConnectedEvent extends Event<'AP-STA-CONNECTED'> {
  /** The station's interface address (what the GO sees), not its P2P device address. */
  address: string;
  p2pDevAddr: string | null;
}
export interface ApStaDisconnectedEvent extends Event<'AP-STA-DISCONNECTED'> {
  address: string;
  p2pDevAddr: string | null;
}
export interface WpsFailEvent extends Event<'WPS-FAIL'> {
  /** WPS message type where it failed, e.g. 8 = M7. */
  msg: number | null;
  /** WPS configuration error, e.g. 18 = device password authentication failure (wrong PIN). */
  configError: number | null;
  reason: number | null;
}
export interface WpsEnrolleeSeenEvent extends Event<'WPS-ENROLLEE-SEEN'> {
  address: string;
  uuid: string | null;
  priDevType: string | null;
  configMethods: number | null;
  devPasswdId: number | null;
  requestType: number | null;
  deviceName: string | null;
}
export interface WpsRegSuccessEvent extends Event<'WPS-REG-SUCCESS'> {
  address: string;
  uuid: string | null;
}
export interface ConnectedEvent extends Event<'CTRL-EVENT-CONNECTED'> {
  /** From `[id=N id_str=…]`. */
  networkId: number | null;
  idStr: string | null;
}
export interface DisconnectedEvent extends Event<'CTRL-EVENT-DISCONNECTED'> {
  bssid: string | null;
  /** IEEE 802.11 reason code. */
  reason: number | null;
  locallyGenerated: boolean;
}
export interface BssAddedEvent extends Event<'CTRL-EVENT-BSS-ADDED'> {
  bssId: number | null;
}
export interface BssRemovedEvent extends Event<'CTRL-EVENT-BSS-REMOVED'> {
  bssId: number | null;
}
/** `CTRL-REQ-<field>-<network id>-<text>`: wpa_supplicant asks for a credential (answer with CTRL-RSP-). */
export interface CredentialRequestEvent extends Event<'CTRL-REQ'> {
  field: string;
  networkId: number;
  text: string;
}

/** Events whose useful content is their name, `address`, `fields` and `flags`. */
export const PLAIN_EVENT_NAMES = [
  // P2P (wpa_ctrl.h)
  'P2P-GROUP-FORMATION-SUCCESS',
  'P2P-FIND-STOPPED',
  'P2P-CROSS-CONNECT-ENABLE',
  'P2P-CROSS-CONNECT-DISABLE',
  'P2P-SERV-ASP-RESP',
  'P2P-PERSISTENT-PSK-FAIL',
  'P2P-PRESENCE-RESPONSE',
  'P2P-NFC-BOTH-GO',
  'P2P-NFC-PEER-CLIENT',
  'P2P-NFC-WHILE-CLIENT',
  'P2P-FALLBACK-TO-GO-NEG',
  'P2P-FALLBACK-TO-GO-NEG-ENABLED',
  'P2P-REMOVE-AND-REFORM-GROUP',
  'P2P-LISTEN-OFFLOAD-STOPPED',
  'P2P-LISTEN-OFFLOAD-STOP-REASON',
  'P2P-BOOTSTRAP-REQUEST',
  'P2P-BOOTSTRAP-SUCCESS',
  'P2P-BOOTSTRAP-FAILURE',
  'P2PS-PROV-START',
  'P2PS-PROV-DONE',
  // WPS
  'WPS-OVERLAP-DETECTED',
  'WPS-AP-AVAILABLE-PBC',
  'WPS-AP-AVAILABLE-AUTH',
  'WPS-AP-AVAILABLE-PIN',
  'WPS-AP-AVAILABLE',
  'WPS-CRED-RECEIVED',
  'WPS-M2D',
  'WPS-SUCCESS',
  'WPS-TIMEOUT',
  'WPS-PBC-ACTIVE',
  'WPS-PBC-DISABLE',
  'WPS-OPEN-NETWORK',
  'WPS-ER-AP-ADD',
  'WPS-ER-AP-REMOVE',
  'WPS-ER-ENROLLEE-ADD',
  'WPS-ER-ENROLLEE-REMOVE',
  'WPS-ER-AP-SETTINGS',
  'WPS-ER-AP-SET-SEL-REG',
  'WPS-PIN-NEEDED',
  'WPS-NEW-AP-SETTINGS',
  'WPS-AP-SETUP-LOCKED',
  'WPS-AP-SETUP-UNLOCKED',
  'WPS-AP-PIN-ENABLED',
  'WPS-AP-PIN-DISABLED',
  'WPS-PIN-ACTIVE',
  'WPS-CANCEL',
  // AP mode (the P2P GO runs hostapd's AP code)
  'AP-STA-POSSIBLE-PSK-MISMATCH',
  'AP-STA-POLL-OK',
  'AP-REJECTED-MAX-STA',
  'AP-REJECTED-BLOCKED-STA',
  'AP-ENABLED',
  'AP-DISABLED',
  'AP-CSA-FINISHED',
  // Station and daemon
  'CTRL-EVENT-ASSOC-REJECT',
  'CTRL-EVENT-AUTH-REJECT',
  'CTRL-EVENT-TERMINATING',
  'CTRL-EVENT-PASSWORD-CHANGED',
  'CTRL-EVENT-EAP-NOTIFICATION',
  'CTRL-EVENT-EAP-STARTED',
  'CTRL-EVENT-EAP-PROPOSED-METHOD',
  'CTRL-EVENT-EAP-METHOD',
  'CTRL-EVENT-EAP-PEER-CERT',
  'CTRL-EVENT-EAP-PEER-ALT',
  'CTRL-EVENT-EAP-TLS-CERT-ERROR',
  'CTRL-EVENT-EAP-STATUS',
  'CTRL-EVENT-EAP-RETRANSMIT',
  'CTRL-EVENT-EAP-RETRANSMIT2',
  'CTRL-EVENT-EAP-SUCCESS',
  'CTRL-EVENT-EAP-SUCCESS2',
  'CTRL-EVENT-EAP-FAILURE',
  'CTRL-EVENT-EAP-FAILURE2',
  'CTRL-EVENT-EAP-TIMEOUT-FAILURE',
  'CTRL-EVENT-EAP-TIMEOUT-FAILURE2',
  'CTRL-EVENT-SSID-TEMP-DISABLED',
  'CTRL-EVENT-SSID-REENABLED',
  'CTRL-EVENT-SCAN-STARTED',
  'CTRL-EVENT-SCAN-RESULTS',
  'CTRL-EVENT-SCAN-FAILED',
  'CTRL-EVENT-STATE-CHANGE',
  'CTRL-EVENT-NETWORK-NOT-FOUND',
  'CTRL-EVENT-SIGNAL-CHANGE',
  'CTRL-EVENT-BEACON-LOSS',
  'CTRL-EVENT-REGDOM-CHANGE',
  'CTRL-EVENT-REGDOM-BEACON-HINT',
  'CTRL-EVENT-STARTED-CHANNEL-SWITCH',
  'CTRL-EVENT-CHANNEL-SWITCH',
  'CTRL-EVENT-SUBNET-STATUS-UPDATE',
  'CTRL-EVENT-FREQ-CONFLICT',
  'CTRL-EVENT-AVOID-FREQ',
  'CTRL-EVENT-NETWORK-ADDED',
  'CTRL-EVENT-NETWORK-REMOVED',
  'CTRL-EVENT-DSCP-POLICY',
  'CTRL-EVENT-UNPROT-BEACON',
  'CTRL-EVENT-DO-ROAM',
  'CTRL-EVENT-SKIP-ROAM',
  'CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER',
  'CTRL-EVENT-MSCS-RESULT',
  'CTRL-EVENT-SCS-RESULT',
] as const;

export type PlainEventName = (typeof PLAIN_EVENT_NAMES)[number];

export type PlainEvent = Event<PlainEventName>;

/** A line that is not a known event, or a known event too malformed to type; `raw` and the rest still apply. */
export interface UnknownEvent extends Event<'unknown'> {
  /** The leading event-like word (`DPP-RX`, …) if there is one. */
  name: string | null;
}

export type WpaEvent =
  | DeviceFoundEvent
  | DeviceLostEvent
  | ProvDiscPbcReqEvent
  | ProvDiscShowPinEvent
  | ProvDiscEnterPinEvent
  | ProvDiscPbcRespEvent
  | ProvDiscFailureEvent
  | GoNegRequestEvent
  | GoNegSuccessEvent
  | GoNegFailureEvent
  | GroupFormationFailureEvent
  | GroupStartedEvent
  | GroupRemovedEvent
  | InvitationReceivedEvent
  | InvitationResultEvent
  | InvitationAcceptedEvent
  | ServDiscReqEvent
  | ServDiscRespEvent
  | ApStaConnectedEvent
  | ApStaDisconnectedEvent
  | WpsFailEvent
  | WpsEnrolleeSeenEvent
  | WpsRegSuccessEvent
  | ConnectedEvent
  | DisconnectedEvent
  | BssAddedEvent
  | BssRemovedEvent
  | CredentialRequestEvent
  | PlainEvent
  | UnknownEvent;

export type WpaEventType = WpaEvent['type'];
/** The events with typed extras beyond EventBase. */
export type TypedEventName = Exclude<WpaEventType, PlainEventName | 'unknown'>;
/** The event of a given type, e.g. `EventOf<'P2P-GROUP-STARTED'>`. */
export type EventOf<T extends WpaEventType> = Extract<WpaEvent, { type: T }>;
