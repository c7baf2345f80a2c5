/**
 * Phone scripts as data: who the phone is and the steps its user and OS take. Validated with zod because
 * they arrive over HTTP and in scenario files. Presets cover what real phones do (sources in each).
 */
import { z } from 'zod';

const macAddress = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'a MAC address like 42:00:00:00:01:00');
/** 'kiosk-pin' = the PIN the kiosk set up (read off its screen), 'wrong' = a valid but different one. */
const pinChoice = z.union([
  z.literal('kiosk-pin'),
  z.literal('wrong'),
  z.string().regex(/^\d{8}$/, '8 digits'),
]);
const timeoutMs = z.number().int().positive().optional();

export const phoneStepSchema = z.discriminatedUnion('do', [
  /** Come (back) into range with the Wi-Fi Direct screen open. Phones start in range. */
  z.object({ do: z.literal('appear') }),
  /** P2P_PROV_DISC <kiosk> <method>: pbc; display = "kiosk, show a PIN"; keypad = "kiosk, type mine". */
  z.object({ do: z.literal('provDisc'), method: z.enum(['pbc', 'display', 'keypad']), timeoutMs }),
  /**
   * P2P_CONNECT <kiosk> …: pbc; pin = the user types `pin` (keypad); display = the phone shows its own
   * PIN (the script's `displayPin`).
   */
  z.object({
    do: z.literal('connect'),
    method: z.enum(['pbc', 'pin', 'display']),
    pin: pinChoice.default('kiosk-pin'),
  }),
  /** P2P_CONNECT <kiosk> … join: join the kiosk's running group (PD, then WPS with the GO). */
  z.object({
    do: z.literal('join'),
    method: z.enum(['pbc', 'pin', 'display']).default('pbc'),
    pin: pinChoice.default('kiosk-pin'),
  }),
  /** Wait until the phone experiences something (or fail the script after timeoutMs radio ms). */
  z.object({
    do: z.literal('waitFor'),
    what: z.enum(['found-kiosk', 'go-neg-success', 'connected', 'disconnected', 'failure', 'invitation']),
    timeoutMs,
  }),
  z.object({ do: z.literal('wait'), ms: z.number().int().nonnegative() }),
  /** Send the last request again `times` times, `intervalMs` apart (impatient users, slow answers). */
  z.object({
    do: z.literal('retransmit'),
    times: z.number().int().positive().default(1),
    intervalMs: z.number().int().nonnegative().default(500),
  }),
  /** P2P_GROUP_REMOVE on the phone: leave the group cleanly. */
  z.object({ do: z.literal('leave') }),
  /** Walk out of radio range without saying goodbye. */
  z.object({ do: z.literal('walkOut') }),
  /** Reconnect with the credentials the phone kept (after a kick, or a persistent group). */
  z.object({ do: z.literal('rejoin') }),
]);

export type PhoneStep = z.infer<typeof phoneStepSchema>;
export type PhoneStepInput = z.input<typeof phoneStepSchema>;

export const phoneScriptSchema = z.object({
  // What a radio can carry: the P2P Device Info attribute holds at most 32 bytes (p2p_parse.c drops longer).
  name: z
    .string()
    .min(1)
    .refine((name) => Buffer.byteLength(name, 'utf8') <= 32, 'at most 32 bytes')
    .default('Android phone'),
  /** P2P device address; default: the next hwsim-style 42:00:00:00:0N:00. */
  address: macAddress.optional(),
  /** WPS primary device type: 10-0050F204-5 = smartphone, 1-0050F204-1 = computer. */
  deviceType: z
    .string()
    .regex(/^\d+-[0-9A-Fa-f]{8}-\d+$/)
    .default('10-0050F204-5'),
  configMethods: z.number().int().nonnegative().default(0x188),
  goIntent: z.number().int().min(0).max(15).default(7),
  /** Android adds vendor elements to its P2P frames: DEVICE-FOUND shows vendor_elems=1. */
  vendorElements: z.boolean().default(true),
  manufacturer: z.string().default(''),
  modelName: z.string().default(''),
  /** The PIN on the phone's screen for `display` flows; generated (valid checksum) when omitted. */
  displayPin: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  invitePolicy: z.enum(['accept', 'decline', 'ignore']).default('accept'),
  /** Android joins instead of negotiating when the peer is already a GO (WifiP2pServiceImpl). */
  autoJoin: z.boolean().default(true),
  /** When a step fails, the user starts over this many times (Android then joins if the kiosk is GO). */
  retries: z.number().int().nonnegative().default(0),
  /** Give up when the kiosk is not found within this many radio ms. */
  findTimeoutMs: z.number().int().positive().default(30_000),
  steps: z.array(phoneStepSchema).default([]),
});

export type PhoneScript = z.infer<typeof phoneScriptSchema>;
export type PhoneScriptInput = z.input<typeof phoneScriptSchema>;

interface Preset {
  readonly description: string;
  readonly script: PhoneScriptInput;
}

const ANDROID: PhoneScriptInput = {
  deviceType: '10-0050F204-5',
  configMethods: 0x188,
  vendorElements: true,
  manufacturer: 'Google',
};

export const PHONE_PRESETS = {
  'android-pbc': {
    description: 'Android push button, the framework way: PBC provision discovery, then P2P_CONNECT pbc',
    script: {
      ...ANDROID,
      name: 'Pixel 7',
      modelName: 'Pixel 7',
      steps: [
        { do: 'provDisc', method: 'pbc' },
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-pbc-go-neg': {
    description: 'Push button by a plain P2P_CONNECT pbc: the kiosk sees P2P-GO-NEG-REQUEST dev_passwd_id=4',
    script: {
      ...ANDROID,
      name: 'Galaxy S23',
      steps: [
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-pin': {
    description:
      "Types the kiosk's PIN: display provision discovery (kiosk shows), then P2P_CONNECT <pin> keypad",
    script: {
      ...ANDROID,
      name: 'Pixel 6a',
      steps: [
        { do: 'provDisc', method: 'display' },
        { do: 'connect', method: 'pin', pin: 'kiosk-pin' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-pin-wrong': {
    description: 'Types a wrong PIN: WPS-FAIL msg=8 config_error=18, formation failure',
    script: {
      ...ANDROID,
      name: 'Pixel 6a',
      steps: [
        { do: 'provDisc', method: 'display' },
        { do: 'connect', method: 'pin', pin: 'wrong' },
        { do: 'waitFor', what: 'failure' },
      ],
    },
  },
  'pin-go-neg': {
    description: "Types the kiosk's PIN with a plain P2P_CONNECT: P2P-GO-NEG-REQUEST dev_passwd_id=1",
    script: {
      ...ANDROID,
      name: 'Moto g',
      steps: [
        { do: 'connect', method: 'pin', pin: 'kiosk-pin' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'windows-display-pin': {
    description:
      'A Windows laptop shows its own PIN: P2P-PROV-DISC-ENTER-PIN, kiosk answers P2P_CONNECT <addr> <pin> keypad',
    script: {
      name: 'LAPTOP-7Q2',
      deviceType: '1-0050F204-1',
      configMethods: 0x108,
      vendorElements: false,
      manufacturer: 'Microsoft',
      steps: [
        { do: 'provDisc', method: 'keypad' },
        { do: 'connect', method: 'display' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-repeat': {
    description: 'Repeats its provision discovery (slow answer): the kiosk sees the request several times',
    script: {
      ...ANDROID,
      name: 'Pixel 5',
      steps: [
        { do: 'provDisc', method: 'pbc' },
        { do: 'retransmit', times: 2, intervalMs: 500 },
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-join': {
    description: "Joins the kiosk's running group with push button (kiosk: WPS_PBC on the group interface)",
    script: {
      ...ANDROID,
      name: 'Pixel 8',
      steps: [
        { do: 'join', method: 'pbc' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'android-join-pin': {
    description: "Joins the running group typing the kiosk's PIN (kiosk: WPS_PIN any <pin>)",
    script: {
      ...ANDROID,
      name: 'Pixel 8',
      steps: [
        { do: 'join', method: 'pin', pin: 'kiosk-pin' },
        { do: 'waitFor', what: 'connected' },
      ],
    },
  },
  'walk-out-mid-formation': {
    description: 'Walks out of range right after GO negotiation: formation times out (FORMATION_FAILED)',
    script: {
      ...ANDROID,
      name: 'Pixel 4',
      steps: [
        { do: 'provDisc', method: 'pbc' },
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'go-neg-success' },
        { do: 'walkOut' },
      ],
    },
  },
  'short-visit': {
    description: 'Connects by push button, stays 5 s, leaves (AP-STA-DISCONNECTED; the group stays)',
    script: {
      ...ANDROID,
      name: 'Pixel 7a',
      steps: [
        { do: 'provDisc', method: 'pbc' },
        { do: 'connect', method: 'pbc' },
        { do: 'waitFor', what: 'connected' },
        { do: 'wait', ms: 5000 },
        { do: 'leave' },
      ],
    },
  },
  'passer-by': {
    description: 'Shows up, never connects, walks away (P2P-DEVICE-FOUND, later P2P-DEVICE-LOST)',
    script: { ...ANDROID, name: 'Nokia G42', steps: [{ do: 'wait', ms: 5000 }, { do: 'walkOut' }] },
  },
  idle: {
    description: 'Stays in range doing nothing until told (HTTP POST /phones/:id/steps); accepts invitations',
    script: { ...ANDROID, name: 'Pixel 7', steps: [] },
  },
} as const satisfies Record<string, Preset>;

export type PhonePresetName = keyof typeof PHONE_PRESETS;
export const PHONE_PRESET_NAMES = Object.keys(PHONE_PRESETS) as PhonePresetName[];

export function isPhonePresetName(name: string): name is PhonePresetName {
  return Object.hasOwn(PHONE_PRESETS, name);
}

/** How phones are added from HTTP and scenarios: a preset plus script fields that override it. */
export const phoneRequestSchema = z.looseObject({
  preset: z
    .string()
    .refine(isPhonePresetName, { message: `one of ${PHONE_PRESET_NAMES.join(', ')}` })
    .optional(),
});
export type PhoneRequest = PhoneScriptInput & { preset?: string };

/** Resolves a preset + overrides (or a bare script) into a validated script; throws a ZodError. */
export function resolvePhoneScript(request: PhoneRequest): PhoneScript {
  const { preset, ...overrides } = phoneRequestSchema.parse(request);
  const base: PhoneScriptInput = preset ? PHONE_PRESETS[preset as PhonePresetName].script : {};
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return phoneScriptSchema.parse({ ...base, ...defined });
}
