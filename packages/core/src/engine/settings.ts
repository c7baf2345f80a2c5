import { z } from 'zod';
import { isValidKeypadPin } from '../protocol/wps-pin.js';

/**
 * How the kiosk answers a phone.
 * - `static-pbc`: everyone by push button, no PIN, no whitelist check: an open kiosk (the seed's default static
 *   configuration).
 * - `static-pin`: everyone types the kiosk's 8-digit PIN (or the operator types the PIN a peer displays).
 * - `dynamic`: whitelisted peers by push button at once; others type the PIN, and their push-button requests
 *   either wait for the operator (`unknownPbc: 'approve'`) or are refused so the user switches to PIN.
 */
export const connectionModeSchema = z.enum(['static-pbc', 'static-pin', 'dynamic']);
export type ConnectionMode = z.infer<typeof connectionModeSchema>;

/**
 * - `negotiated`: the kiosk wins GO negotiation (intent 15); a group lives while it has clients.
 * - `autonomous`: one standing group (`P2P_GROUP_ADD`) that phones join; never removed when clients leave.
 */
export const groupModeSchema = z.enum(['negotiated', 'autonomous']);
export type GroupMode = z.infer<typeof groupModeSchema>;

/** WPS device names are at most 32 bytes (WSC spec, Device Name attribute); a newline would end the command. */
const deviceNameSchema = z
  .string()
  .min(1)
  .refine((name) => new TextEncoder().encode(name).length <= 32, 'at most 32 bytes')
  .refine((name) => !/[\r\n\0]/.test(name), 'no control characters');

export const engineSettingsSchema = z.object({
  mode: connectionModeSchema.default('dynamic'),
  /** What a push-button request from a non-whitelisted peer gets in `dynamic` mode. */
  unknownPbc: z.enum(['approve', 'pin']).default('approve'),
  /** A fixed PIN (valid WPS checksum); null: a fresh PIN per session. */
  fixedPin: z
    .string()
    .refine(isValidKeypadPin, '8 digits with a valid WPS checksum')
    .nullable()
    .default(null),
  approvalTimeoutMs: z.number().int().positive().default(60_000),
  maxClients: z.number().int().min(1).max(32).default(4),
  discoveryIntervalMs: z.number().int().positive().default(20_000),
  /** How long an empty negotiated group is kept for a returning phone before `P2P_GROUP_REMOVE`. */
  idleGraceMs: z.number().int().nonnegative().default(10_000),
  /** A connection that has not ended after this long is abandoned (hostap's p2p_go_neg_wait_timeout is 120 s). */
  setupTimeoutMs: z.number().int().positive().default(120_000),
  deviceName: deviceNameSchema.default('DIRECT-kiosk'),
  groupMode: groupModeSchema.default('negotiated'),
  persistent: z.boolean().default(false),
  goIntent: z.number().int().min(0).max(15).default(15),
  freq: z.number().int().min(2400).max(7200).optional(),
  /**
   * `P2P_SET per_sta_psk 1` at start-up: each client gets its own PSK, so a kicked client cannot rejoin with the
   * group passphrase (DESIGN.md, Protocol facts).
   */
  perStaPsk: z.boolean().default(true),
  /**
   * Start a connection to a whitelisted peer as soon as `P2P-DEVICE-FOUND` reports it (the seed does). Off by
   * default: a phone that is merely nearby has not asked to connect, and if its user taps the kiosk at the same
   * time both sides initiate, which fails (hwsim README, "Never fire P2P_CONNECT on both sides at once").
   */
  connectOnDiscovery: z.boolean().default(false),
});

export type EngineSettings = z.infer<typeof engineSettingsSchema>;
export type EngineSettingsInput = z.input<typeof engineSettingsSchema>;

/** Settings with every default applied. */
export function defaultEngineSettings(overrides: EngineSettingsInput = {}): EngineSettings {
  return engineSettingsSchema.parse(overrides);
}
