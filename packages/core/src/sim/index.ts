/** The simulated wpa_supplicant 2.10 (P2P device + group interfaces) and its scripted phones. */
export { Simulator, type SimulatorOptions, type SimSnapshot, type SimEventRecord } from './simulator.js';
export { ManualClock, ScaledRealClock, type SimClock, type TimerHandle } from './clock.js';
export { P2pModel, type P2pModelConfig, type P2pModelListener } from './p2p-model.js';
export { ControlCommands } from './control-commands.js';
export { SimServer } from './sim-server.js';
export { faultSchema, type Fault, type FaultInput, type FaultKind } from './faults.js';
export {
  PHONE_PRESETS,
  PHONE_PRESET_NAMES,
  phoneScriptSchema,
  phoneStepSchema,
  resolvePhoneScript,
  type PhonePresetName,
  type PhoneRequest,
  type PhoneScript,
  type PhoneScriptInput,
  type PhoneStep,
  type PhoneStepInput,
} from './phone-script.js';
export { SimulatedPhone, type PhoneSnapshot, type PhoneStatus } from './phones.js';
export {
  scenarioSchema,
  parseScenario,
  loadScenario,
  type Scenario,
  type ScenarioInput,
} from './scenario.js';
export type { ModelSnapshot, PeerNotice, GroupSnapshot, PeerSnapshot } from './model-types.js';
export { startSimHttp, type SimHttpServer } from './http-control.js';
export { runSimCli, SIM_USAGE, type SimCliIo } from './cli.js';
