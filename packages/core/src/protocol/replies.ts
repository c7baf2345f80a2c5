/**
 * Parsers for command replies (formats: reference/wpa_supplicant-ctrl-iface.txt and hostap's ctrl_iface.c).
 * They return typed values or throw ReplyParseError carrying the raw reply; a FAIL reply is never mistaken for
 * data.
 */
import { isMacAddress } from './mac-address.js';
import { printfDecode } from './printf-encoding.js';

export class ReplyParseError extends Error {
  override readonly name = 'ReplyParseError';
  constructor(
    message: string,
    readonly reply: string,
  ) {
    super(message);
  }
}

function lines(reply: string): string[] {
  const result = reply.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  while (result.length > 0 && result[result.length - 1] === '') result.pop();
  return result;
}

function firstLine(reply: string): string {
  const end = reply.indexOf('\n');
  return (end === -1 ? reply : reply.slice(0, end)).trim();
}

/** `OK`, with or without the trailing newline some commands add. */
export function isOk(reply: string): boolean {
  return reply.trim() === 'OK';
}

/** `FAIL` and its variants (`FAIL-BUSY`, `FAIL-CHECKSUM`, `FAIL-Channel-not-available`, …). */
export function isFail(reply: string): boolean {
  const head = firstLine(reply);
  return head === 'FAIL' || head.startsWith('FAIL-');
}

/** `UNKNOWN COMMAND`: the daemon was built without the feature (e.g. CONFIG_P2P). */
export function isUnknownCommand(reply: string): boolean {
  return firstLine(reply) === 'UNKNOWN COMMAND';
}

function rejectFailure(reply: string, what: string): void {
  if (isFail(reply) || isUnknownCommand(reply))
    throw new ReplyParseError(`${what}: ${firstLine(reply)}`, reply);
}

/** A `key=value` block; `address` is set when the first line is a bare MAC (P2P_PEER <addr>, STA <addr>). */
export interface KeyValueBlock {
  address: string | null;
  /** Keys as spelled (STATUS has some with spaces, e.g. `Supplicant PAE state`), values verbatim. */
  values: Record<string, string>;
}

function readBlock(blockLines: readonly string[], reply: string): KeyValueBlock {
  const values = Object.create(null) as Record<string, string>;
  let address: string | null = null;
  blockLines.forEach((line, index) => {
    if (index === 0 && isMacAddress(line)) {
      address = line.toLowerCase();
      return;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new ReplyParseError(`expected key=value, got ${JSON.stringify(line)}`, reply);
    values[line.slice(0, equals)] = line.slice(equals + 1);
  });
  return { address, values };
}

/** STATUS, STATUS-VERBOSE, P2P_PEER <addr>, STA <addr>, BSS, GET_NETWORK-style blocks. */
export function parseKeyValueBlock(reply: string): KeyValueBlock {
  rejectFailure(reply, 'key=value block');
  return readBlock(lines(reply), reply);
}

/** INTERFACES: one interface name per line. */
export function parseInterfaces(reply: string): string[] {
  rejectFailure(reply, 'INTERFACES');
  return lines(reply).map((line) => {
    const name = line.trim();
    if (name.length === 0 || name.length > 15 || /[\s/:]/.test(name)) {
      throw new ReplyParseError(`not an interface name: ${JSON.stringify(line)}`, reply);
    }
    return name;
  });
}

/** P2P_PEERS, and any other list of one MAC per line. */
export function parseAddressList(reply: string): string[] {
  rejectFailure(reply, 'address list');
  return lines(reply).map((line) => {
    if (!isMacAddress(line)) throw new ReplyParseError(`not a MAC address: ${JSON.stringify(line)}`, reply);
    return line.toLowerCase();
  });
}

/** P2P_PEER FIRST / NEXT-<addr>: the peer's address from the first line, or null at the end of the list (FAIL). */
export function parsePeerAddress(reply: string): string | null {
  if (isFail(reply)) return null;
  const head = firstLine(reply);
  if (!isMacAddress(head))
    throw new ReplyParseError(`expected a peer address, got ${JSON.stringify(head)}`, reply);
  return head.toLowerCase();
}

export interface NetworkEntry {
  id: number;
  /** printf-decoded, as for events. */
  ssid: string;
  /** `any` unless the network is locked to one BSSID. */
  bssid: string;
  /** `[CURRENT]`, `[DISABLED]`, `[P2P-PERSISTENT]`, … without brackets. */
  flags: string[];
}

const LIST_NETWORKS_HEADER = 'network id / ssid / bssid / flags';

function bracketFlags(text: string): string[] {
  const flags: string[] = [];
  for (const match of text.matchAll(/\[([^\]]*)\]/g)) flags.push(match[1] ?? '');
  return flags;
}

/** LIST_NETWORKS: a header, then `id<TAB>ssid<TAB>bssid<TAB>flags` rows (persistent groups included). */
export function parseListNetworks(reply: string): NetworkEntry[] {
  rejectFailure(reply, 'LIST_NETWORKS');
  const [header, ...rows] = lines(reply);
  if (header?.trim() !== LIST_NETWORKS_HEADER) {
    throw new ReplyParseError(`expected the header "${LIST_NETWORKS_HEADER}"`, reply);
  }
  return rows.map((row) => {
    const columns = row.split('\t');
    const [id, ssid, bssid, flags = ''] = columns;
    if (columns.length < 3 || columns.length > 4 || id === undefined || !/^\d+$/.test(id)) {
      throw new ReplyParseError(`malformed network row ${JSON.stringify(row)}`, reply);
    }
    return { id: Number(id), ssid: printfDecode(ssid ?? ''), bssid: bssid ?? '', flags: bracketFlags(flags) };
  });
}

/** A station from ALL_STA / STA-FIRST / STA-NEXT: its address and its key=value lines. */
export interface StationBlock {
  address: string;
  values: Record<string, string>;
}

/** ALL_STA: station blocks one after another, each starting with the station's MAC on a line of its own. */
export function parseAllSta(reply: string): StationBlock[] {
  rejectFailure(reply, 'ALL_STA');
  const stations: StationBlock[] = [];
  let current: string[] | null = null;
  const flush = (): void => {
    if (current === null) return;
    const block = readBlock(current, reply);
    if (block.address !== null) stations.push({ address: block.address, values: block.values });
  };
  for (const line of lines(reply)) {
    if (isMacAddress(line)) {
      flush();
      current = [line];
    } else if (current === null) {
      throw new ReplyParseError(`expected a station address, got ${JSON.stringify(line)}`, reply);
    } else {
      current.push(line);
    }
  }
  flush();
  return stations;
}

/** STA <addr> / STA-FIRST / STA-NEXT: one station, or null when there is none (empty reply or FAIL). */
export function parseStation(reply: string): StationBlock | null {
  if (isFail(reply) || reply.trim() === '') return null;
  const block = parseKeyValueBlock(reply);
  if (block.address === null)
    throw new ReplyParseError('expected the station address on the first line', reply);
  return { address: block.address, values: block.values };
}
