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

// Simulator: a wpa_supplicant 2.10 look-alike with scripted phones and faults (tests, demo, --simulate).
export {
  Simulator,
  ManualClock,
  ScaledRealClock,
  PHONE_PRESETS,
  PHONE_PRESET_NAMES,
  faultSchema,
  phoneScriptSchema,
  phoneStepSchema,
  scenarioSchema,
  parseScenario,
  loadScenario,
  startSimHttp,
  runSimCli,
  SIM_USAGE,
} from './sim/index.js';
export type {
  SimulatorOptions,
  SimSnapshot,
  SimEventRecord,
  SimClock,
  Fault,
  FaultInput,
  FaultKind,
  PhonePresetName,
  PhoneRequest,
  PhoneScript,
  PhoneScriptInput,
  PhoneStep,
  PhoneStepInput,
  PhoneSnapshot,
  Scenario,
  ScenarioInput,
  SimHttpServer,
  SimCliIo,
} from './sim/index.js';

// Engine: the pure connection reducer (no I/O) and the runner that executes its plans.
export { reduce } from './engine/reduce.js';
export { snapshot } from './engine/snapshot.js';
export type { KioskSnapshot } from './engine/snapshot.js';
export { initialEngineState } from './engine/state.js';
export type {
  ConnectionSession,
  EngineError,
  EngineState,
  GroupClient,
  GroupOwner,
  NearbyPeer,
  PbcApproval,
  PeerPinRequest,
  PeerRequest,
} from './engine/state.js';
export {
  connectionModeSchema,
  defaultEngineSettings,
  engineSettingsSchema,
  groupModeSchema,
} from './engine/settings.js';
export type { ConnectionMode, EngineSettings, EngineSettingsInput, GroupMode } from './engine/settings.js';
export { matchWhitelist } from './engine/whitelist.js';
export type { PeerIdentity, WhitelistEntry } from './engine/whitelist.js';
export type { EngineInput, EngineInputBody, OperatorAction } from './engine/inputs.js';
export type { CommandEffect, CommandPurpose, Effect } from './engine/effects.js';
export type {
  DisconnectReason,
  DomainEvent,
  DomainEventType,
  RefusalReason,
  RequestVia,
} from './engine/domain-events.js';
export type { Failure, FailureCode } from './engine/failure.js';
export { checkOperatorAction } from './engine/operator.js';
export type { OperatorErrorCode, OperatorResult } from './engine/operator.js';
export { decide } from './engine/connection-policy.js';
export type { PolicyDecision } from './engine/connection-policy.js';
export { configMethodsFor, maskPins } from './engine/kiosk-commands.js';
export { EngineDriver, commandsOf, notificationsOf } from './engine/engine-driver.js';
export type { DriverStep } from './engine/engine-driver.js';
export { ConnectionRunner } from './runner/connection-runner.js';
export type { ConnectionRunnerOptions, RunnerEvents, SettingsResult } from './runner/connection-runner.js';
export { silentLogger, systemClock } from './runner/ports.js';
export type {
  ClockPort,
  CtrlPort,
  InterfaceOpener,
  InterfaceRequester,
  LoggerPort,
  PinPort,
} from './runner/ports.js';
export { groupSocketOpener } from './runner/group-sockets.js';
export { VirtualClock } from './runner/virtual-clock.js';

// Control transports: the only code that touches sockets and child processes.
export { WpaCtrlClient, DEFAULT_CTRL_DIR } from './ctrl/wpa-ctrl-client.js';
export type { ConnectOptions, WpaCtrlClientOptions, WpaCtrlClientState } from './ctrl/wpa-ctrl-client.js';
export { WpaCtrlConnection } from './ctrl/wpa-ctrl-connection.js';
export { WpaCliTransport } from './ctrl/wpa-cli-transport.js';
export type { WpaCliTransportOptions } from './ctrl/wpa-cli-transport.js';
export type { RecvOptions, WpaCtrlConnectionOptions } from './ctrl/wpa-ctrl-connection.js';
export type {
  CtrlDisconnect,
  CtrlDisconnectReason,
  CtrlRequestOptions,
  EventsOptions,
  WpaCtrlTransport,
  WpaCtrlTransportEvents,
} from './ctrl/wpa-ctrl-transport.js';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './ctrl/request-queue.js';
export type { RequestOptions } from './ctrl/request-queue.js';
export type { ReconnectBackoffOptions } from './ctrl/reconnect-backoff.js';
export { EventBufferOverflowError } from './ctrl/event-stream.js';
export { UnixDgramSocket } from './ctrl/unix-dgram-socket.js';
export type { UnixDgramSocketEvents, UnixDgramSocketOptions } from './ctrl/unix-dgram-socket.js';
export { defaultDgramBackend, loadDgramAddon } from './ctrl/dgram-addon.js';
export type { DgramBackend } from './ctrl/dgram-addon.js';
export { releaseFreedMemory } from './ctrl/release-freed-memory.js';
export { DEFAULT_REPLY_WAIT } from './ctrl/wpa-ctrl-connection.js';
export type { ReplyWait } from './ctrl/wpa-ctrl-connection.js';
export type { SocketError } from './ctrl/socket-errors.js';
export {
  CtrlClosedError,
  CtrlCommandFailedError,
  CtrlDisconnectedError,
  CtrlError,
  CtrlPermissionError,
  CtrlSocketMissingError,
  CtrlTimeoutError,
} from './ctrl/ctrl-errors.js';
