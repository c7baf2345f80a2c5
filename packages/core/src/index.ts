export { generateKeypadPin, isValidKeypadPin, wpsPinChecksum } from './protocol/wps-pin.js';

// Protocol: pure parsing and command building (no I/O).
export { splitEventPrefix } from './protocol/event-prefix.js';
export type { EventPrefix } from './protocol/event-prefix.js';
export { isKnownEventName, parseEventLine } from './protocol/event-parser.js';
export { parseEventArguments } from './protocol/event-arguments.js';
export type { EventArguments } from './protocol/event-arguments.js';
export { PLAIN_EVENT_NAMES } from './protocol/events.js';
export type * from './protocol/events.js';
export { eventToJson } from './protocol/event-json.js';
export type { EventJson } from './protocol/event-json.js';
export { isMacAddress } from './protocol/mac-address.js';
export type { MacAddress } from './protocol/mac-address.js';
export { printfDecode } from './protocol/printf-encoding.js';
export * as commands from './protocol/commands.js';
export type {
  Command,
  P2pConnectOptions,
  P2pFindOptions,
  P2pGroupAddOptions,
  P2pInviteOptions,
  WpsProvisioning,
} from './protocol/commands.js';
export { CommandValidationError } from './protocol/validation.js';
export type { ValidationRule } from './protocol/validation.js';
export {
  ReplyParseError,
  isFail,
  isOk,
  isUnknownCommand,
  parseAddressList,
  parseAllSta,
  parseInterfaces,
  parseKeyValueBlock,
  parseListNetworks,
  parsePeerAddress,
  parseStation,
} from './protocol/replies.js';
export type { KeyValueBlock, NetworkEntry, StationBlock } from './protocol/replies.js';
export { runEventsCli } from './cli/events-cli.js';
