/**
 * Properties of the protocol layer, shared by the unit tests (a few thousand runs) and scripts/fuzz.ts
 * (millions): the event parser never throws and keeps `raw`; no command builder ever returns text that could
 * end the command early or smuggle a second one.
 */
import fc from 'fast-check';
import * as commands from '../src/protocol/commands.js';
import { parseEventLine } from '../src/protocol/event-parser.js';
import { CommandValidationError } from '../src/protocol/validation.js';

// --- Inputs ---------------------------------------------------------------------------------------------

const hexByte = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
export const macAddress = fc.array(hexByte, { minLength: 6, maxLength: 6 }).map((bytes) => bytes.join(':'));

/** Strings that look almost right, with the separators that could split a command. */
const injection = fc.constantFrom(
  '\n',
  '\r',
  '\0',
  '\t',
  ' ',
  '\u2028',
  '\x1b',
  '\x7f',
  '\u0085',
  ' TERMINATE',
  '\nTERMINATE',
  '"',
  "'",
  '=',
);
const nearMiss = fc
  .tuple(
    fc.oneof(
      macAddress,
      fc.constantFrom('12345670', 'pbc', 'any', '*', 'all', 'wlan0', 'device_name', 'FIRST'),
    ),
    injection,
  )
  .chain(([base, bad]) =>
    fc.integer({ min: 0, max: base.length }).map((at) => base.slice(0, at) + bad + base.slice(at)),
  );

/** Anything a caller might pass, typed or not. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\0', '-', '1', ':', '=') }),
  macAddress,
  macAddress.map((mac) => mac.toUpperCase()),
  nearMiss,
  fc.constantFrom(
    'pbc',
    'pin',
    'any',
    '*',
    'all',
    '12345670',
    '1234',
    'social',
    'display',
    'keypad',
    'p2p-wlan0-0',
  ),
  fc.integer(),
  fc.integer({ min: -2, max: 70_300 }),
  fc.double(),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
  fc.constant(Object.create(null) as unknown),
  fc.array(fc.string(), { maxLength: 2 }),
);

const hostileOptions = fc.dictionary(
  fc.constantFrom(
    'timeout',
    'type',
    'devId',
    'devType',
    'delay',
    'freq',
    'pinMode',
    'persistent',
    'join',
    'auth',
    'goIntent',
    'provdisc',
    'ht40',
    'vht',
    'he',
    'auto',
    'ssid',
    'group',
    'peer',
    'goDevAddr',
    'pref',
    'discovered',
  ),
  hostileValue,
);

// --- Builders under test ----------------------------------------------------------------------------------

type Builder = (args: readonly unknown[]) => unknown;
/* eslint-disable @typescript-eslint/no-explicit-any -- the point is to call builders with anything at all */
const call =
  (build: (...args: any[]) => unknown): Builder =>
  (args) =>
    build(...args);
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Every builder with the shape of its arguments. */
export const BUILDERS: readonly { name: string; build: Builder; args: fc.Arbitrary<unknown[]> }[] = [
  { name: 'level', build: call(commands.level), args: fc.tuple(hostileValue) },
  {
    name: 'set',
    build: call(commands.set),
    args: fc.tuple(
      fc.oneof(
        hostileValue,
        fc.constantFrom('device_name', 'config_methods', 'device_type', 'country', 'p2p_ssid_postfix'),
      ),
      hostileValue,
    ),
  },
  { name: 'get', build: call(commands.get), args: fc.tuple(hostileValue) },
  { name: 'raw', build: call(commands.raw), args: fc.tuple(hostileValue) },
  { name: 'withIfname', build: call(commands.withIfname), args: fc.tuple(hostileValue, hostileValue) },
  { name: 'p2pFind', build: call(commands.p2pFind), args: fc.tuple(hostileOptions) },
  { name: 'p2pListen', build: call(commands.p2pListen), args: fc.tuple(hostileValue) },
  { name: 'p2pPeers', build: call(commands.p2pPeers), args: fc.tuple(hostileOptions) },
  { name: 'p2pPeer', build: call(commands.p2pPeer), args: fc.tuple(hostileValue) },
  { name: 'p2pPeerNext', build: call(commands.p2pPeerNext), args: fc.tuple(hostileValue) },
  {
    name: 'p2pConnect',
    build: call(commands.p2pConnect),
    args: fc.tuple(hostileValue, hostileValue, hostileOptions),
  },
  { name: 'p2pGroupAdd', build: call(commands.p2pGroupAdd), args: fc.tuple(hostileOptions) },
  { name: 'p2pGroupRemove', build: call(commands.p2pGroupRemove), args: fc.tuple(hostileValue) },
  { name: 'p2pReject', build: call(commands.p2pReject), args: fc.tuple(hostileValue) },
  { name: 'p2pRemoveClient', build: call(commands.p2pRemoveClient), args: fc.tuple(hostileValue) },
  {
    name: 'p2pProvDisc',
    build: call(commands.p2pProvDisc),
    args: fc.tuple(hostileValue, hostileValue, hostileOptions),
  },
  { name: 'p2pInvite', build: call(commands.p2pInvite), args: fc.tuple(hostileOptions) },
  {
    name: 'p2pSet',
    build: call(commands.p2pSet),
    args: fc.tuple(fc.oneof(hostileValue, fc.constantFrom('listen_channel', 'ssid_postfix')), hostileValue),
  },
  { name: 'wpsPbc', build: call(commands.wpsPbc), args: fc.tuple(hostileValue) },
  { name: 'wpsPin', build: call(commands.wpsPin), args: fc.tuple(hostileValue, hostileValue, hostileValue) },
  { name: 'removeNetwork', build: call(commands.removeNetwork), args: fc.tuple(hostileValue) },
  { name: 'staNext', build: call(commands.staNext), args: fc.tuple(hostileValue) },
  { name: 'sta', build: call(commands.sta), args: fc.tuple(hostileValue) },
];

/** Control characters (C0, DEL, C1) and Unicode line breaks: none may reach the socket. */
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

export interface BuilderOutcome {
  built: number;
  rejected: number;
}

/** Either a clean single-line command or CommandValidationError; any other outcome fails the property. */
export function builderProperty(outcome: BuilderOutcome): fc.IPropertyWithHooks<[[number, unknown[]]]> {
  const pick = fc.integer({ min: 0, max: BUILDERS.length - 1 });
  return fc.property(
    pick.chain((index) => fc.tuple(fc.constant(index), BUILDERS[index]?.args ?? fc.constant([]))),
    ([index, args]) => {
      const builder = BUILDERS[index];
      if (builder === undefined) return;
      let command: unknown;
      try {
        command = builder.build(args);
      } catch (error) {
        if (error instanceof CommandValidationError) {
          outcome.rejected++;
          return;
        }
        throw new Error(`${builder.name} threw ${String(error)}`, { cause: error });
      }
      if (
        typeof command !== 'string' ||
        command.length === 0 ||
        UNSAFE.test(command) ||
        command !== command.trim()
      ) {
        throw new Error(`${builder.name} built an unsafe command ${JSON.stringify(command)}`);
      }
      outcome.built++;
    },
  );
}

// --- Event lines --------------------------------------------------------------------------------------

/** Real lines from hwsim/captures and reference/wpa_supplicant-ctrl-iface.txt, to mutate. */
export const SEED_LINES: readonly string[] = [
  "<3>P2P-DEVICE-FOUND 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1",
  'IFNAME=p2p-dev-wlan0 <3>P2P-GO-NEG-REQUEST 42:00:00:00:01:00 dev_passwd_id=4 go_intent=7',
  '<3>P2P-GO-NEG-SUCCESS role=GO freq=2437 ht40=0 peer_dev=42:00:00:00:01:00 peer_iface=46:00:00:00:01:00 wps_method=PBC',
  '<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-Ee" freq=2437 passphrase="pmuLqL46" go_dev_addr=42:00:00:00:00:00 [PERSISTENT]',
  '<3>P2P-GROUP-REMOVED p2p-wlan0-1 GO reason=FORMATION_FAILED',
  "<3>P2P-PROV-DISC-SHOW-PIN 42:00:00:00:01:00 82433994 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='phone' config_methods=0x188 dev_capab=0x25 group_capab=0x0",
  '<3>AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00',
  '<3>WPS-FAIL msg=8 config_error=18',
  '<3>CTRL-EVENT-CONNECTED - Connection to 46:00:00:00:00:00 completed [id=0 id_str=]',
  "<3>CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'",
  '<3>WPS-ENROLLEE-SEEN 02:00:00:00:01:00 572cf82f-c957-5653-9b16-b5cfb298abf1 1-0050F204-1 0x80 4 1 [Wireless Client]',
  '<3>P2P-INVITATION-RECEIVED sa=02:40:61:c2:f3:b7 go_dev_addr=02:40:61:c2:f3:b7 bssid=02:40:61:c2:f3:b8 unknown-network',
  '<3>CTRL-REQ-PASSWORD-1-Password needed for SSID test-network',
  "<3>P2PS-PROV-START 00:55:44:33:22:11 adv_id=111 info='it\\'s'",
];

const mutationPiece = fc.oneof(
  fc.constantFrom(
    "'",
    '"',
    '\\',
    ' ',
    '=',
    '[',
    ']',
    '(',
    ')',
    '<',
    '>',
    '\n',
    '\0',
    'IFNAME=',
    '<3>',
    "name='",
    'ssid="',
    '\\x',
    ' config_methods=',
  ),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

const mutation = fc.record({ at: fc.nat(), deleteCount: fc.nat({ max: 6 }), insert: mutationPiece });

/** A real line with a few random splices: close enough to the format to reach the parser's deep paths. */
export const mutatedLine: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...SEED_LINES), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([line, mutations]) =>
    mutations.reduce((text, { at, deleteCount, insert }) => {
      const index = at % (text.length + 1);
      return text.slice(0, index) + insert + text.slice(index + deleteCount);
    }, line),
  );

export const anyLine: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom("'", '"', ' ', '=', 'a', '\\', '[', ']', '<', '3', '>', '-', 'A') }),
  mutatedLine,
);

/** parseEventLine returns a well-formed event for any string and never throws. */
export const parserProperty = fc.property(anyLine, (line) => {
  const event = parseEventLine(line);
  if (event.raw !== line) throw new Error('raw not preserved');
  if (typeof event.type !== 'string') throw new Error('no type');
  for (const [key, value] of Object.entries(event.fields)) {
    if (typeof key !== 'string' || typeof value !== 'string') throw new Error('field is not a string');
  }
  if (!event.flags.every((flag) => typeof flag === 'string')) throw new Error('flag is not a string');
  if (event.address !== null && event.address !== event.address.toLowerCase())
    throw new Error('address not lower-case');
});

// --- Round trips ---------------------------------------------------------------------------------------

/** hostap's printf_encode() (src/utils/common.c), to check that the parser reverses it. */
export function printfEncode(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x1b) out += '\\e';
    else if (byte >= 32 && byte <= 126) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Any SSID printed by wpa_supplicant parses back to itself. */
export const ssidRoundTripProperty = fc.property(fc.string({ unit: 'grapheme', maxLength: 32 }), (ssid) => {
  const event = parseEventLine(
    `<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="${printfEncode(ssid)}" freq=2437 passphrase="x" go_dev_addr=42:00:00:00:00:00`,
  );
  if (event.type !== 'P2P-GROUP-STARTED' || event.ssid !== ssid)
    throw new Error(`ssid ${JSON.stringify(ssid)} came back as ${JSON.stringify(event)}`);
});

/**
 * Any device name parses back to itself, quotes included, as long as it does not itself contain a quote
 * followed by ` <known key>=` (hostap gives no way to tell that apart). hostap replaces control characters.
 */
export const nameRoundTripProperty = fc.property(
  fc.string({
    unit: fc.oneof(
      fc.constantFrom("'", ' ', '=', 'x'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 32,
  }),
  (raw) => {
    const name = raw.replace(/\p{Cc}/gu, '_');
    if (
      /' +(config_methods|dev_capab|group_capab|p2p_dev_addr|pri_dev_type|name|new)=/.test(name) ||
      /' *$/.test(name)
    )
      return;
    const event = parseEventLine(
      `<3>P2P-DEVICE-FOUND 42:00:00:00:01:00 p2p_dev_addr=42:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='${name}' config_methods=0x188 dev_capab=0x25 group_capab=0x0`,
    );
    if (event.type !== 'P2P-DEVICE-FOUND' || event.peer.name !== name) {
      throw new Error(
        `name ${JSON.stringify(name)} came back as ${JSON.stringify(event.type === 'P2P-DEVICE-FOUND' ? event.peer.name : event)}`,
      );
    }
  },
);
