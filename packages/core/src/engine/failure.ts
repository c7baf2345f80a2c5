/** Why a connection, a group or a command failed: `lastError.code` and the `failed` event's reason. */
export type FailureCode =
  | 'go-neg-failed'
  | 'wrong-pin'
  | 'pbc-overlap'
  | 'wps-failed'
  | 'wps-timeout'
  | 'formation-failed'
  | 'group-removed'
  | 'setup-timeout'
  | 'connect-failed'
  | 'invite-failed'
  | 'busy'
  | 'group-add-failed'
  | 'daemon-restart';

export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
}

const BUSY_MESSAGE =
  'The Wi-Fi chip refused to create the P2P group (EBUSY, -16): another access point is probably running on ' +
  'the same radio (e.g. uap0 for hostapd). Stop the concurrent AP (iw dev uap0 del) and retry.';

/** `-16` (EBUSY) in a reply or event: a concurrent AP interface on a Pi (seed README). */
export function mentionsBusy(text: string): boolean {
  return /(^|[^0-9])-16([^0-9]|$)|\bE?BUSY\b/i.test(text);
}

export function busyFailure(): Failure {
  return { code: 'busy', message: BUSY_MESSAGE };
}

/**
 * WPS-FAIL config_error values (WSC spec, Configuration Error attribute; hostap wps_defs.h): 18 device password
 * authentication failure (a wrong PIN, fails fast at M4 — hwsim README), 12 multiple PBC sessions detected.
 */
export function wpsFailure(configError: number | null): Failure {
  if (configError === 18) return { code: 'wrong-pin', message: 'The PIN typed on the phone was wrong.' };
  if (configError === 12)
    return {
      code: 'pbc-overlap',
      message: 'Two phones pressed the push button at once; try again one by one.',
    };
  return {
    code: 'wps-failed',
    message: `WPS provisioning failed (config_error=${configError ?? 'unknown'}).`,
  };
}

export const FAILURES = {
  goNeg: (status: number | null): Failure => ({
    code: 'go-neg-failed',
    message: `Group owner negotiation failed (status=${status ?? 'unknown'}).`,
  }),
  wpsTimeout: { code: 'wps-timeout', message: 'The phone did not complete WPS provisioning in time.' },
  formation: { code: 'formation-failed', message: 'The P2P group could not be formed.' },
  groupRemoved: (reason: string | null): Failure => ({
    code: 'group-removed',
    message: `The group was removed while connecting (reason=${reason ?? 'unknown'}).`,
  }),
  setupTimeout: { code: 'setup-timeout', message: 'The connection was not completed in time.' },
  connect: (reply: string): Failure => ({
    code: 'connect-failed',
    message: `wpa_supplicant refused the connection (${reply.trim() || 'no reply'}).`,
  }),
  invite: (status: number | string | null): Failure => ({
    code: 'invite-failed',
    message: `The peer did not accept the invitation (status=${status ?? 'unknown'}).`,
  }),
  groupAdd: (reply: string): Failure => ({
    code: 'group-add-failed',
    message: `The standing group could not be started (${reply.trim() || 'no reply'}).`,
  }),
  daemonRestart: { code: 'daemon-restart', message: 'wpa_supplicant went away.' },
} as const;
