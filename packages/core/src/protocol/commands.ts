/**
 * Control-interface command builders. Each returns the exact text to send and validates every argument first,
 * throwing CommandValidationError, so that nothing from a peer or the API reaches wpa_supplicant unchecked.
 * Syntax: hostap's wpa_supplicant/ctrl_iface.c and README-P2P.
 */
import {
  rejectArgument,
  validCommandText,
  validDeviceType,
  validIfname,
  validInteger,
  validKey,
  validMacAddress,
  validOneOf,
  validPin,
  validText,
  validWord,
} from './validation.js';

declare const commandBrand: unique symbol;
/** A validated, single-line command. Only the builders here make one. */
export type Command = string & { readonly [commandBrand]: true };

function command(...parts: (string | number | null | false | undefined)[]): Command {
  return parts.filter((part) => part !== null && part !== false && part !== undefined).join(' ') as Command;
}

/** Channel centre frequencies from 2.4 GHz channel 1 to the top of the 60 GHz band. */
const MIN_FREQ = 2412;
const MAX_FREQ = 70200;
const U16 = 65535;
/** wpa_supplicant parses network ids with atoi() into an int. */
const MAX_NETWORK_ID = 2 ** 31 - 1;

function validFreq(field: string, value: unknown): number {
  return validInteger(field, value, MIN_FREQ, MAX_FREQ);
}

// --- Daemon ---------------------------------------------------------------------------------------------

export const ping = (): Command => command('PING');
export const status = (): Command => command('STATUS');
export const interfaces = (): Command => command('INTERFACES');
export const attach = (): Command => command('ATTACH');
export const detach = (): Command => command('DETACH');
export const terminate = (): Command => command('TERMINATE');

/** LEVEL <n>: the lowest event priority delivered to this monitor (wpa_debug.h: 0 excessive … 5 error). */
export function level(value: number): Command {
  return command('LEVEL', validInteger('level', value, 0, 5));
}

/**
 * Keys whose value is free text up to the end of the line, with their maximum length in UTF-8 bytes
 * (WSC spec attribute limits; a P2P SSID is `DIRECT-xy` plus the postfix within 32 bytes).
 */
const FREE_TEXT_KEYS: ReadonlyMap<string, number> = new Map([
  ['device_name', 32],
  ['manufacturer', 64],
  ['model_name', 32],
  ['model_number', 32],
  ['serial_number', 32],
  ['p2p_ssid_postfix', 23],
]);

/** config_methods is a space-separated list of method names (wps_config_methods_str2bin). */
const CONFIG_METHOD = /^[a-z_]+$/;

function validSettingValue(key: string, value: unknown, field: string): string {
  const maxBytes = FREE_TEXT_KEYS.get(key);
  if (maxBytes !== undefined) return validText(field, value, maxBytes);
  if (key === 'config_methods') {
    if (typeof value !== 'string' || value.split(' ').some((method) => !CONFIG_METHOD.test(method))) {
      rejectArgument(
        field,
        'value',
        'expected space-separated method names, e.g. "virtual_push_button keypad"',
      );
    }
    return value;
  }
  if (key === 'device_type' || key === 'sec_device_type') return validDeviceType(field, value);
  return validWord(field, value);
}

/** SET <key> <value>: a global setting (the same names as in wpa_supplicant.conf). */
export function set(key: string, value: string | number): Command {
  const name = validKey('key', key);
  const text =
    typeof value === 'number' ? String(validInteger('value', value, -(2 ** 31), 2 ** 31 - 1)) : value;
  return command('SET', name, validSettingValue(name, text, 'value'));
}

/** GET <key> */
export function get(key: string): Command {
  return command('GET', validKey('key', key));
}

/** A command line typed by a person. Still one line: newlines, NUL and other control characters are refused. */
export function raw(text: string): Command {
  return validCommandText('text', text) as Command;
}

/**
 * Routes a command through a global control interface to one interface (ctrl_iface.c,
 * wpa_supplicant_global_ctrl_iface_process: `IFNAME=<if> <command>`).
 */
export function withIfname(ifname: string, cmd: Command): Command {
  return command(`IFNAME=${validIfname('ifname', ifname)}`, validCommandText('command', cmd));
}

// --- P2P discovery ---------------------------------------------------------------------------------------

export interface P2pFindOptions {
  /** Seconds, 1..65535; without it discovery runs until P2P_STOP_FIND or P2P_CONNECT. */
  timeout?: number;
  /** social: only channels 1, 6, 11; progressive: also every other channel, one per round. */
  type?: 'social' | 'progressive';
  /** Look for this one peer only. */
  devId?: string;
  /** Look for this primary or secondary device type only, e.g. `10-0050F204-5`. */
  devType?: string;
  /** Extra delay between search rounds, in milliseconds, to leave the radio to concurrent operations. */
  delay?: number;
  /** The first scan only on this channel (without `type`). */
  freq?: number;
}

/** P2P_FIND [timeout] [type=social|progressive] [dev_id=] [dev_type=] [delay=] [freq=] */
export function p2pFind(options: P2pFindOptions = {}): Command {
  if (options.freq !== undefined && options.type !== undefined) {
    rejectArgument('freq', 'conflict', 'freq= applies only to the default search type (README-P2P)');
  }
  return command(
    'P2P_FIND',
    options.timeout !== undefined && validInteger('timeout', options.timeout, 1, U16),
    options.type !== undefined && `type=${validOneOf('type', options.type, ['social', 'progressive'])}`,
    options.devId !== undefined && `dev_id=${validMacAddress('devId', options.devId)}`,
    options.devType !== undefined && `dev_type=${validDeviceType('devType', options.devType)}`,
    options.delay !== undefined && `delay=${validInteger('delay', options.delay, 0, U16)}`,
    options.freq !== undefined && `freq=${validFreq('freq', options.freq)}`,
  );
}

export const p2pStopFind = (): Command => command('P2P_STOP_FIND');
export const p2pFlush = (): Command => command('P2P_FLUSH');
export const p2pCancel = (): Command => command('P2P_CANCEL');
export const p2pGetPassphrase = (): Command => command('P2P_GET_PASSPHRASE');

/** P2P_LISTEN [timeout]: discoverable without searching. */
export function p2pListen(timeout?: number): Command {
  return command('P2P_LISTEN', timeout !== undefined && validInteger('timeout', timeout, 1, U16));
}

/** P2P_PEERS [discovered]: the addresses of known peers, one per line. */
export function p2pPeers(options: { discovered?: boolean } = {}): Command {
  return command('P2P_PEERS', options.discovered === true && 'discovered');
}

/** P2P_PEER <addr>: what wpa_supplicant knows about one peer. */
export function p2pPeer(address: string): Command {
  return command('P2P_PEER', validMacAddress('address', address));
}

/** P2P_PEER FIRST: the first peer, to iterate with p2pPeerNext. */
export const p2pPeerFirst = (): Command => command('P2P_PEER', 'FIRST');

/** P2P_PEER NEXT-<addr>: the peer after `address`. */
export function p2pPeerNext(address: string): Command {
  return command('P2P_PEER', `NEXT-${validMacAddress('address', address)}`);
}

// --- Group formation -------------------------------------------------------------------------------------

/** `pbc`, `pin` (wpa_supplicant generates one and replies with it) or a PIN of our own. */
export type WpsProvisioning = 'pbc' | 'pin' | (string & {});

export interface P2pConnectOptions {
  /** Whose PIN it is: display = ours, shown to the user; keypad = the peer's, typed in; p2ps = P2PS default. */
  pinMode?: 'display' | 'keypad' | 'label' | 'p2ps';
  /** Form a persistent group, or re-use persistent network block `<id>` if we become GO. */
  persistent?: boolean | number;
  /** Join the peer's running group as a client (skips GO negotiation). */
  join?: boolean;
  /** Authorise the peer to initiate; do not start negotiation ourselves. */
  auth?: boolean;
  /** Our GO intent, 0..15; 15 forces us to be GO. */
  goIntent?: number;
  /** Forced operating channel in MHz. */
  freq?: number;
  /** Provision discovery before GO negotiation, for peers that need it to prompt their user. */
  provdisc?: boolean;
  ht40?: boolean;
  vht?: boolean;
  he?: boolean;
  /** Let wpa_supplicant choose between joining and negotiating. */
  auto?: boolean;
  /** SSID of the group to join (sent in hex, so any bytes are safe). */
  ssid?: string;
}

function validProvisioning(value: unknown): string {
  if (value === 'pbc' || value === 'pin') return value;
  return validPin('method', value);
}

/** The SSID as wpa_config_parse_string() accepts it unquoted: hex, 1..32 bytes. */
function ssidHex(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    rejectArgument(field, 'text', 'expected a non-empty SSID');
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > 32) rejectArgument(field, 'length', `${bytes.length} bytes, an SSID has at most 32`);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function persistentOption(value: boolean | number | undefined): string | false {
  if (value === undefined || value === false) return false;
  if (value === true) return 'persistent';
  return `persistent=${validInteger('persistent', value, 0, MAX_NETWORK_ID)}`;
}

/**
 * P2P_CONNECT <addr> <pbc|pin|PIN> [display|keypad|label|p2ps] [persistent|persistent=<id>] [join|auth]
 * [go_intent=<0..15>] [freq=<MHz>] [provdisc] [ht40] [vht] [he] [auto] [ssid=<hex>]
 */
export function p2pConnect(
  address: string,
  method: WpsProvisioning,
  options: P2pConnectOptions = {},
): Command {
  const peer = validMacAddress('address', address);
  const provisioning = validProvisioning(method);
  if (options.pinMode !== undefined && provisioning === 'pbc')
    rejectArgument('pinMode', 'conflict', 'pbc takes no PIN mode');
  if (options.join === true && options.auth === true)
    rejectArgument('join', 'conflict', 'join and auth exclude each other');
  if (options.join === true && options.auto === true)
    rejectArgument('auto', 'conflict', 'auto and join exclude each other');
  return command(
    'P2P_CONNECT',
    peer,
    provisioning,
    options.pinMode !== undefined &&
      validOneOf('pinMode', options.pinMode, ['display', 'keypad', 'label', 'p2ps']),
    persistentOption(options.persistent),
    options.join === true && 'join',
    options.auth === true && 'auth',
    options.goIntent !== undefined && `go_intent=${validInteger('goIntent', options.goIntent, 0, 15)}`,
    options.freq !== undefined && `freq=${validFreq('freq', options.freq)}`,
    options.provdisc === true && 'provdisc',
    options.ht40 === true && 'ht40',
    options.vht === true && 'vht',
    options.he === true && 'he',
    options.auto === true && 'auto',
    options.ssid !== undefined && `ssid=${ssidHex('ssid', options.ssid)}`,
  );
}

export interface P2pGroupAddOptions {
  persistent?: boolean | number;
  /** MHz, or 2 / 5 for the best channel in that band. */
  freq?: number;
  ht40?: boolean;
  vht?: boolean;
}

/** P2P_GROUP_ADD [persistent|persistent=<id>] [freq=<MHz>|2|5] [ht40] [vht]: become an autonomous GO. */
export function p2pGroupAdd(options: P2pGroupAddOptions = {}): Command {
  const { freq } = options;
  return command(
    'P2P_GROUP_ADD',
    persistentOption(options.persistent),
    freq !== undefined && `freq=${freq === 2 || freq === 5 ? freq : validFreq('freq', freq)}`,
    options.ht40 === true && 'ht40',
    options.vht === true && 'vht',
  );
}

/** P2P_GROUP_REMOVE <ifname|*>: `*` removes every group. */
export function p2pGroupRemove(ifname: string): Command {
  return command('P2P_GROUP_REMOVE', ifname === '*' ? '*' : validIfname('ifname', ifname));
}

/** P2P_REJECT <addr>: refuse a pending GO negotiation and ignore the peer from now on. */
export function p2pReject(address: string): Command {
  return command('P2P_REJECT', validMacAddress('address', address));
}

/** P2P_REMOVE_CLIENT <addr>: needs `P2P_SET per_sta_psk 1` to keep the client from rejoining (README-P2P). */
export function p2pRemoveClient(address: string): Command {
  return command('P2P_REMOVE_CLIENT', validMacAddress('address', address));
}

/** P2P_PROV_DISC <addr> <display|keypad|pbc> [join|auto] */
export function p2pProvDisc(
  address: string,
  method: 'display' | 'keypad' | 'pbc',
  options: { join?: boolean; auto?: boolean } = {},
): Command {
  if (options.join === true && options.auto === true)
    rejectArgument('join', 'conflict', 'join and auto exclude each other');
  return command(
    'P2P_PROV_DISC',
    validMacAddress('address', address),
    validOneOf('method', method, ['display', 'keypad', 'pbc']),
    options.join === true && 'join',
    options.auto === true && 'auto',
  );
}

export type P2pInviteOptions = (
  | { persistent: number; group?: undefined; peer?: string }
  | { group: string; persistent?: undefined; peer: string }
) & {
  goDevAddr?: string;
  freq?: number;
  /** Preferred channel in MHz (persistent re-invocation as a client). */
  pref?: number;
  ht40?: boolean;
  vht?: boolean;
};

/**
 * P2P_INVITE persistent=<id>|group=<ifname> [peer=<addr>] [go_dev_addr=<addr>] [freq=] [pref=] [ht40] [vht].
 * `peer` may be left out only to re-invoke a persistent group whose GO is the peer.
 */
export function p2pInvite(options: P2pInviteOptions): Command {
  const hasPersistent = options.persistent !== undefined;
  const hasGroup = options.group !== undefined;
  if (hasPersistent === hasGroup)
    rejectArgument('persistent', 'conflict', 'give exactly one of persistent and group');
  if (hasGroup && options.peer === undefined)
    rejectArgument('peer', 'mac-address', 'group= needs the peer to invite');
  return command(
    'P2P_INVITE',
    hasPersistent
      ? `persistent=${validInteger('persistent', options.persistent, 0, MAX_NETWORK_ID)}`
      : `group=${validIfname('group', options.group)}`,
    options.peer !== undefined && `peer=${validMacAddress('peer', options.peer)}`,
    options.goDevAddr !== undefined && `go_dev_addr=${validMacAddress('goDevAddr', options.goDevAddr)}`,
    options.freq !== undefined && `freq=${validFreq('freq', options.freq)}`,
    options.pref !== undefined && `pref=${validFreq('pref', options.pref)}`,
    options.ht40 === true && 'ht40',
    options.vht === true && 'vht',
  );
}

/** P2P_SET <field> <value>: run-time P2P parameters (README-P2P), e.g. `per_sta_psk 1`, `ssid_postfix -kiosk`. */
export function p2pSet(field: string, value: string | number): Command {
  const name = validKey('field', field);
  if (typeof value === 'number')
    return command('P2P_SET', name, validInteger('value', value, -(2 ** 31), 2 ** 31 - 1));
  if (typeof value !== 'string') return command('P2P_SET', name, validWord('value', value));
  // listen_channel takes "<channel> [<op class>]"; ssid_postfix is part of an SSID.
  if (name === 'listen_channel') {
    const parts = value.split(' ');
    if (parts.length > 2 || parts.some((part) => !/^\d{1,3}$/.test(part))) {
      rejectArgument('value', 'value', 'expected "<channel> [<operating class>]"');
    }
    return command('P2P_SET', name, value);
  }
  if (name === 'ssid_postfix') return command('P2P_SET', name, validText('value', value, 23));
  return command('P2P_SET', name, validWord('value', value));
}

// --- WPS on the group interface ---------------------------------------------------------------------------

/** WPS_PBC [<addr>|any]: push the button on the GO for one enrollee. */
/**
 * WPS_PBC p2p_dev_addr=<addr>: on a P2P GO, open push button for that one peer. A bare address would be read
 * as a BSSID and ignored in GO mode, opening the button to anyone for the walk time (hostap ctrl_iface.c,
 * wpa_supplicant_ctrl_iface_wps_pbc → wpa_supplicant_ap_wps_pbc; seen on real daemons in tools/hwsim).
 */
export function wpsPbcForPeer(p2pDeviceAddress: string): Command {
  return command('WPS_PBC', `p2p_dev_addr=${validMacAddress('p2pDeviceAddress', p2pDeviceAddress)}`);
}

export function wpsPbc(target?: string): Command {
  return command(
    'WPS_PBC',
    target !== undefined && (target === 'any' ? 'any' : validMacAddress('target', target)),
  );
}

/** WPS_PIN <any|addr> <pin> [timeout]: accept the enrollee's PIN on the GO; `any` makes it one-time-use. */
export function wpsPin(target: string, pin: string, timeout?: number): Command {
  return command(
    'WPS_PIN',
    target === 'any' ? 'any' : validMacAddress('target', target),
    validPin('pin', pin),
    timeout !== undefined && validInteger('timeout', timeout, 1, U16),
  );
}

// --- Networks and stations ---------------------------------------------------------------------------------

export const listNetworks = (): Command => command('LIST_NETWORKS');

/** REMOVE_NETWORK <id|all>: also how a stored persistent group is forgotten. */
export function removeNetwork(id: number | 'all'): Command {
  return command('REMOVE_NETWORK', id === 'all' ? 'all' : validInteger('id', id, 0, MAX_NETWORK_ID));
}

export const allSta = (): Command => command('ALL_STA');
export const staFirst = (): Command => command('STA-FIRST');

/** STA-NEXT <addr>: the station after `address` on the GO. */
export function staNext(address: string): Command {
  return command('STA-NEXT', validMacAddress('address', address));
}

/** STA <addr>: one station on the GO. */
export function sta(address: string): Command {
  return command('STA', validMacAddress('address', address));
}
