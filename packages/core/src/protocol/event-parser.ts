import { parseEventArguments } from './event-arguments.js';
import { splitEventPrefix } from './event-prefix.js';
import type {
  ConnectMethod,
  EventBase,
  EventOf,
  GroupRole,
  PeerInfo,
  PlainEventName,
  TypedEventName,
  WpaEvent,
} from './events.js';
import { PLAIN_EVENT_NAMES } from './events.js';
import { isMacAddress } from './mac-address.js';

type Extras<T extends TypedEventName> = Omit<EventOf<T>, keyof EventBase | 'type'> & { address?: string };
/** Returns the typed extras, or null when the line is too malformed to be that event. */
type ExtrasReader<T extends TypedEventName> = (event: EventBase) => Extras<T> | null;

function integer(text: string | undefined): number | null {
  if (text === undefined || text.length === 0 || text.length > 15) return null;
  const value = Number(text); // Accepts decimal and the 0x… hex that hostap prints for bit fields.
  return Number.isSafeInteger(value) && /^-?(\d+|0x[0-9a-f]+)$/i.test(text) ? value : null;
}

function mac(text: string | undefined): string | null {
  return text !== undefined && isMacAddress(text) ? text.toLowerCase() : null;
}

function role(text: string | undefined): GroupRole | null {
  return text === 'GO' || text === 'client' ? text : null;
}

function peerInfo(event: EventBase): PeerInfo | null {
  const p2pDevAddr = mac(event.fields.p2p_dev_addr) ?? event.address;
  if (p2pDevAddr === null) return null;
  return {
    p2pDevAddr,
    name: event.fields.name ?? null,
    priDevType: event.fields.pri_dev_type ?? null,
    configMethods: integer(event.fields.config_methods),
    devCapab: integer(event.fields.dev_capab),
    groupCapab: integer(event.fields.group_capab),
  };
}

/** WPS Device Password ID → the answer: 1 user-specified (the peer types our PIN), 4 push button, 5 registrar-specified (we type the peer's PIN). */
function connectMethodFor(devPasswdId: number | null): ConnectMethod | null {
  if (devPasswdId === 1) return 'display';
  if (devPasswdId === 4) return 'pbc';
  if (devPasswdId === 5) return 'keypad';
  return null;
}

/** Peer events need the peer's address, from the leading MAC or from p2p_dev_addr. */
function withPeer(event: EventBase): { address: string; peer: PeerInfo } | null {
  const peer = peerInfo(event);
  if (peer === null) return null;
  return { address: event.address ?? peer.p2pDevAddr, peer };
}

function withAddress(event: EventBase): { address: string } | null {
  return event.address === null ? null : { address: event.address };
}

/** AP-STA-* carry the station's interface address, then `p2p_dev_addr=` on a P2P GO (ap/sta_info.c). */
function withStation(event: EventBase): { address: string; p2pDevAddr: string | null } | null {
  return event.address === null
    ? null
    : { address: event.address, p2pDevAddr: mac(event.fields.p2p_dev_addr) };
}

/** The group interface and role that open P2P-GROUP-STARTED and P2P-GROUP-REMOVED. */
function groupHead(event: EventBase): { groupIfname: string; role: GroupRole } | null {
  const [groupIfname, roleText] = event.flags;
  const groupRole = role(roleText);
  if (groupIfname === undefined || groupRole === null) return null;
  return { groupIfname, role: groupRole };
}

function stripBrackets(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

const EXTRAS_READERS: { [T in TypedEventName]: ExtrasReader<T> } = {
  'P2P-DEVICE-FOUND': withPeer,
  'P2P-DEVICE-LOST': (e) => {
    const peer = peerInfo(e);
    return peer && { peer };
  },
  'P2P-PROV-DISC-PBC-REQ': withPeer,
  'P2P-PROV-DISC-ENTER-PIN': withPeer,
  'P2P-PROV-DISC-SHOW-PIN': (e) => {
    const head = withPeer(e);
    const pin = e.flags[0];
    if (head === null || pin === undefined || !/^\d{4,8}$/.test(pin)) return null;
    return { ...head, pin };
  },
  'P2P-PROV-DISC-PBC-RESP': withAddress,
  'P2P-PROV-DISC-FAILURE': (e) => {
    const p2pDevAddr = mac(e.fields.p2p_dev_addr) ?? e.address;
    return p2pDevAddr === null ? null : { p2pDevAddr, status: integer(e.fields.status) };
  },
  'P2P-GO-NEG-REQUEST': (e) => {
    if (e.address === null) return null;
    const devPasswdId = integer(e.fields.dev_passwd_id);
    return {
      address: e.address,
      devPasswdId,
      goIntent: integer(e.fields.go_intent),
      connectMethod: connectMethodFor(devPasswdId),
    };
  },
  'P2P-GO-NEG-SUCCESS': (e) => ({
    role: role(e.fields.role),
    freq: integer(e.fields.freq),
    peerDev: mac(e.fields.peer_dev),
    peerIface: mac(e.fields.peer_iface),
    wpsMethod: e.fields.wps_method ?? null,
  }),
  'P2P-GO-NEG-FAILURE': (e) => ({ status: integer(e.fields.status) }),
  'P2P-GROUP-FORMATION-FAILURE': (e) => ({ reason: e.fields.reason ?? null }),
  'P2P-GROUP-STARTED': (e) => {
    const head = groupHead(e);
    if (head === null) return null;
    return {
      ...head,
      ssid: e.fields.ssid ?? null,
      freq: integer(e.fields.freq),
      passphrase: e.fields.passphrase ?? null,
      psk: e.fields.psk ?? null,
      goDevAddr: mac(e.fields.go_dev_addr),
      persistent: e.flags.includes('[PERSISTENT]'),
    };
  },
  'P2P-GROUP-REMOVED': (e) => {
    const head = groupHead(e);
    return head && { ...head, reason: e.fields.reason ?? null };
  },
  'P2P-INVITATION-RECEIVED': (e) => ({
    sa: mac(e.fields.sa),
    goDevAddr: mac(e.fields.go_dev_addr),
    bssid: mac(e.fields.bssid),
    persistentId: integer(e.fields.persistent),
    freq: integer(e.fields.freq),
    unknownNetwork: e.flags.includes('unknown-network'),
  }),
  'P2P-INVITATION-RESULT': (e) => ({ status: integer(e.fields.status) }),
  'P2P-INVITATION-ACCEPTED': (e) => ({
    sa: mac(e.fields.sa),
    persistentId: integer(e.fields.persistent),
    freq: integer(e.fields.freq),
  }),
  // `<freq> <addr> <dialog token> <update indicator> <TLVs>` (wpa_ctrl.h)
  'P2P-SERV-DISC-REQ': (e) => ({
    freq: integer(e.flags[0]),
    dialogToken: integer(e.flags[1]),
    updateIndicator: integer(e.flags[2]),
    tlvs: e.flags[3] ?? null,
  }),
  // `<addr> <update indicator> <TLVs>`
  'P2P-SERV-DISC-RESP': (e) => ({ updateIndicator: integer(e.flags[0]), tlvs: e.flags[1] ?? null }),
  'AP-STA-CONNECTED': (e) => withStation(e),
  'AP-STA-DISCONNECTED': (e) => withStation(e),
  'WPS-FAIL': (e) => ({
    msg: integer(e.fields.msg),
    configError: integer(e.fields.config_error),
    reason: integer(e.fields.reason),
  }),
  // `<addr> <uuid> <pri dev type> <config methods> <dev passwd id> <request type> [<dev name>]` (wps_hostapd.c)
  'WPS-ENROLLEE-SEEN': (e) =>
    e.address === null
      ? null
      : {
          address: e.address,
          uuid: e.flags[0] ?? null,
          priDevType: e.flags[1] ?? null,
          configMethods: integer(e.flags[2]),
          devPasswdId: integer(e.flags[3]),
          requestType: integer(e.flags[4]),
          deviceName: stripBrackets(e.flags[5]),
        },
  'WPS-REG-SUCCESS': (e) => (e.address === null ? null : { address: e.address, uuid: e.flags[0] ?? null }),
  'CTRL-EVENT-CONNECTED': (e) => ({ networkId: integer(e.fields.id), idStr: e.fields.id_str ?? null }),
  'CTRL-EVENT-DISCONNECTED': (e) => ({
    bssid: mac(e.fields.bssid),
    reason: integer(e.fields.reason),
    locallyGenerated: e.fields.locally_generated === '1',
  }),
  // `<entry id> <bssid>`
  'CTRL-EVENT-BSS-ADDED': (e) => ({ bssId: integer(e.flags[0]) }),
  'CTRL-EVENT-BSS-REMOVED': (e) => ({ bssId: integer(e.flags[0]) }),
  'CTRL-REQ': () => null, // Parsed before the generic path, see readCredentialRequest.
};

const PLAIN_NAMES: ReadonlySet<string> = new Set<string>(PLAIN_EVENT_NAMES);

function isTypedName(name: string): name is TypedEventName {
  return Object.hasOwn(EXTRAS_READERS, name);
}

function isPlainName(name: string): name is PlainEventName {
  return PLAIN_NAMES.has(name);
}

/** True for every event name that parseEventLine types (anything else parses as `unknown`). */
export function isKnownEventName(name: string): name is Exclude<WpaEvent['type'], 'unknown'> {
  return isPlainName(name) || isTypedName(name);
}

/** `A-Z`, digits, `_` and at least one `-`: the shape of every wpa_ctrl.h prefix. */
function looksLikeEventName(word: string): boolean {
  let hyphen = false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code === 45) hyphen = i > 0;
    else if (!((code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95)) return false;
  }
  return hyphen;
}

const CTRL_REQ = 'CTRL-REQ-';

/** `CTRL-REQ-<field>-<network id>-<text>` (wpa_supplicant.c, wpa_supplicant_ctrl_req_from_string users). */
function readCredentialRequest(base: EventBase, body: string): WpaEvent | null {
  const fieldEnd = body.indexOf('-', CTRL_REQ.length);
  if (fieldEnd <= CTRL_REQ.length) return null;
  const idEnd = body.indexOf('-', fieldEnd + 1);
  if (idEnd === -1) return null;
  const networkId = integer(body.slice(fieldEnd + 1, idEnd));
  if (networkId === null) return null;
  return {
    ...base,
    type: 'CTRL-REQ',
    field: body.slice(CTRL_REQ.length, fieldEnd),
    networkId,
    text: body.slice(idEnd + 1),
  };
}

function unknown(base: EventBase, name: string | null): WpaEvent {
  return { type: 'unknown', ...base, name };
}

/**
 * Parses one event line from an ATTACHed control socket into a typed event. Never throws: anything it cannot
 * type becomes `{ type: 'unknown' }` with `raw` intact, so that a newer wpa_supplicant cannot crash the engine.
 */
export function parseEventLine(raw: string): WpaEvent {
  try {
    return parse(raw);
  } catch {
    // Defensive only: the parser has no throwing paths, and fuzzing keeps it that way.
    return {
      level: null,
      ifname: null,
      address: null,
      fields: {},
      flags: [],
      raw,
      type: 'unknown',
      name: null,
    };
  }
}

function parse(raw: string): WpaEvent {
  const { level, ifname, body } = splitEventPrefix(typeof raw === 'string' ? raw : String(raw));
  const space = body.indexOf(' ');
  const name = space === -1 ? body : body.slice(0, space);

  if (name.startsWith(CTRL_REQ)) {
    const base: EventBase = { level, ifname, address: null, fields: {}, flags: [], raw };
    return readCredentialRequest(base, body) ?? unknown(base, 'CTRL-REQ');
  }
  if (!looksLikeEventName(name)) {
    return unknown({ level, ifname, address: null, fields: {}, flags: [], raw }, null);
  }

  const args = parseEventArguments(body, name.length);
  const base: EventBase = {
    level,
    ifname,
    address: args.address,
    fields: args.fields,
    flags: args.flags,
    raw,
  };
  if (isPlainName(name)) return { type: name, ...base };
  if (isTypedName(name)) {
    const reader = EXTRAS_READERS[name] as ExtrasReader<TypedEventName>;
    const extras = reader(base);
    if (extras === null) return unknown(base, name);
    return { type: name, ...base, ...extras } as WpaEvent;
  }
  return unknown(base, name);
}
