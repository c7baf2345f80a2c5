/**
 * Faults the simulator can inject, as validated data (they arrive over HTTP and in scenario files).
 * Each one reproduces a failure seen on real kiosks or documented in hostap; the comments say what a
 * control-interface client observes.
 */
import { z } from 'zod';

const macAddress = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'a MAC address like 42:00:00:00:01:00');

/** How many future occurrences a fault affects; omitted = the next one only. */
const count = z.number().int().positive().optional();

export const faultSchema = z.discriminatedUnion('kind', [
  /** The next GO negotiation fails: `P2P-GO-NEG-FAILURE status=<status>` (default -1: no response). */
  z.object({
    kind: z.literal('go-neg-failure'),
    status: z.number().int().default(-1),
    peer: macAddress.optional(),
    count,
  }),
  /**
   * Group formation fails after the GO started (the client never completes provisioning):
   * `P2P-GROUP-FORMATION-FAILURE`, `P2P-GROUP-REMOVED … reason=FORMATION_FAILED`, no WPS-FAIL.
   */
  z.object({ kind: z.literal('formation-failure'), peer: macAddress.optional(), count }),
  /**
   * The enrollee never runs WPS. During formation the GO's 15 s formation timeout fires (FORMATION-FAILURE,
   * GROUP-REMOVED reason=FORMATION_FAILED); during a join the registrar's 120 s walk time ends with
   * `WPS-TIMEOUT` on the group interface (hostapd wps_hostapd.c, WPS_EV_PBC_TIMEOUT).
   */
  z.object({ kind: z.literal('wps-timeout'), peer: macAddress.optional(), count }),
  /** WPS fails whatever the PIN: `WPS-FAIL msg=<msg> config_error=<configError>` (default: wrong PIN, 8/18). */
  z.object({
    kind: z.literal('wps-fail'),
    msg: z.number().int().default(8),
    configError: z.number().int().default(18),
    peer: macAddress.optional(),
    count,
  }),
  /**
   * A group interface left over from an earlier run (the agent crashed): INTERFACES lists it, its socket
   * exists, and P2P_CONNECT / P2P_GROUP_ADD answer FAIL until it is removed (seed README: "FAIL means a
   * stale group").
   */
  z.object({ kind: z.literal('stale-group') }),
  /**
   * A concurrent AP on the same radio (Raspberry Pi + uap0): the driver refuses a new interface with
   * -16 EBUSY. `create-iface` (what the seed project saw): P2P_CONNECT / P2P_GROUP_ADD answer FAIL, nothing
   * reaches the monitors, the daemon log has the nl80211 error. `start-ap`: the interface is created but
   * starting the GO fails after GO negotiation: P2P-GO-NEG-SUCCESS, then P2P-GROUP-FORMATION-FAILURE and
   * P2P-GROUP-REMOVED … reason=FORMATION_FAILED. Sticky until cleared unless `count` is given.
   */
  z.object({
    kind: z.literal('ebusy'),
    stage: z.enum(['create-iface', 'start-ap']).default('create-iface'),
    count,
  }),
  /** The radio goes away under a running group: `P2P-GROUP-REMOVED … reason=UNAVAILABLE`. Immediate. */
  z.object({ kind: z.literal('group-unavailable') }),
  /** Replies are delayed by `delayMs` real milliseconds (not scaled), e.g. to test request timeouts. */
  z.object({ kind: z.literal('slow-replies'), delayMs: z.number().int().nonnegative(), count }),
  /** The daemon exits: CTRL-EVENT-TERMINATING, sockets removed; back after `restartAfterMs` (radio ms) if given. */
  z.object({ kind: z.literal('terminate'), restartAfterMs: z.number().int().nonnegative().optional() }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;
export type FaultKind = Fault['kind'];

/** Faults that wait in the model until the situation they break comes up. */
export type ArmedFault = Extract<
  Fault,
  { kind: 'go-neg-failure' | 'formation-failure' | 'wps-timeout' | 'wps-fail' | 'ebusy' }
>;

export function isArmedFault(fault: Fault): fault is ArmedFault {
  return ['go-neg-failure', 'formation-failure', 'wps-timeout', 'wps-fail', 'ebusy'].includes(fault.kind);
}

/** Armed faults with their remaining uses; `remaining` undefined = sticky. */
export class FaultBook {
  #armed: { fault: ArmedFault; remaining: number | undefined }[] = [];

  arm(fault: ArmedFault): void {
    const sticky = fault.kind === 'ebusy' && fault.count === undefined;
    this.#armed.push({ fault, remaining: sticky ? undefined : (fault.count ?? 1) });
  }

  /** The first armed fault of `kind` that applies to `peer`, consuming one use. */
  take<K extends ArmedFault['kind']>(kind: K, peer?: string): Extract<ArmedFault, { kind: K }> | undefined {
    const entry = this.#armed.find(
      (candidate) =>
        candidate.fault.kind === kind &&
        (!('peer' in candidate.fault) ||
          candidate.fault.peer === undefined ||
          candidate.fault.peer.toLowerCase() === peer),
    );
    if (!entry) return undefined;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.#armed = this.#armed.filter((candidate) => candidate !== entry);
    }
    return entry.fault as Extract<ArmedFault, { kind: K }>;
  }

  /** Like take() but without consuming (for checks that happen twice, e.g. at P2P_CONNECT and later). */
  peek<K extends ArmedFault['kind']>(kind: K): Extract<ArmedFault, { kind: K }> | undefined {
    return this.#armed.find((candidate) => candidate.fault.kind === kind)?.fault as
      Extract<ArmedFault, { kind: K }> | undefined;
  }

  /** Disarms everything, or with `peer` only the faults aimed at that peer. */
  clear(peer?: string): void {
    if (peer === undefined) {
      this.#armed = [];
      return;
    }
    const target = peer.toLowerCase();
    this.#armed = this.#armed.filter(
      (entry) => !('peer' in entry.fault) || entry.fault.peer?.toLowerCase() !== target,
    );
  }

  list(): readonly ArmedFault[] {
    return this.#armed.map((entry) => entry.fault);
  }
}
