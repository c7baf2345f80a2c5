import { isFail, isUnknownCommand, parseInterfaces, parseListNetworks } from '../protocol/replies.js';
import { armDiscoveryTimer, requestFind } from './discovery.js';
import { onGroupAddReply } from './standing-group.js';
import { kioskCommands } from './kiosk-commands.js';
import { retryAnswer } from './session.js';
import type { EngineState, PendingCommand, SyncStep } from './state.js';
import type { Transition } from './transition.js';

function groupSteps(state: EngineState): SyncStep[] {
  if (state.settings.groupMode !== 'autonomous' || state.busy) return [];
  return state.settings.persistent
    ? [{ purpose: 'list-networks' }, { purpose: 'group-add' }]
    : [{ purpose: 'group-add' }];
}

function configurationSteps(state: EngineState): SyncStep[] {
  const steps: SyncStep[] = [{ purpose: 'device-name' }, { purpose: 'config-methods' }];
  if (state.settings.perStaPsk) steps.push({ purpose: 'per-sta-psk' });
  return steps;
}

/**
 * The start-up sequence (also after the daemon came back): read STATUS and INTERFACES, remove stale p2p-*
 * groups, set device_name and config_methods, per_sta_psk, start the standing group in autonomous mode, then
 * P2P_FIND. One command at a time, each after the previous reply.
 */
export function beginSync(t: Transition): void {
  const s = t.state;
  t.update({
    sync: {
      steps: [{ purpose: 'status' }, { purpose: 'interfaces' }, ...configurationSteps(s), ...groupSteps(s)],
      awaiting: null,
      then: 'ready',
    },
  });
}

/** After a settings change: configure again, and start the standing group if one is now wanted. */
export function reconfigure(t: Transition): void {
  const s = t.state;
  const wanted = [...configurationSteps(s), ...(s.group ? [] : groupSteps(s))];
  const current = s.sync?.steps ?? [];
  const missing = wanted.filter((step) => !current.some((other) => other.purpose === step.purpose));
  t.update({
    sync: s.sync
      ? { ...s.sync, steps: [...current, ...missing] }
      : { steps: missing, awaiting: null, then: 'ready' },
  });
}

function stepCommand(state: EngineState, step: SyncStep): string {
  const { settings } = state;
  switch (step.purpose) {
    case 'status':
      return kioskCommands.status();
    case 'interfaces':
      return kioskCommands.interfaces();
    case 'device-name':
      return kioskCommands.setDeviceName(settings.deviceName);
    case 'config-methods':
      return kioskCommands.setConfigMethods(settings.mode);
    case 'per-sta-psk':
      return kioskCommands.perStaPsk();
    case 'list-networks':
      return kioskCommands.listNetworks();
    case 'group-add':
      return kioskCommands.groupAdd({
        persistent: settings.persistent,
        persistentId: state.persistentId,
        freq: settings.freq,
      });
    case 'remove-stale-group':
      return kioskCommands.groupRemove(step.ifname);
  }
}

/** Sends the next step, or finishes the sequence. */
export function advanceSync(t: Transition): void {
  const sync = t.state.sync;
  if (!sync || sync.awaiting !== null) return;
  const [step, ...rest] = sync.steps;
  if (!step) {
    t.update({ sync: null });
    if (sync.then === 'retry-connect') {
      retryAnswer(t);
      return;
    }
    requestFind(t);
    armDiscoveryTimer(t);
    return;
  }
  const ifname = step.purpose === 'remove-stale-group' ? step.ifname : null;
  const requestId = t.command(stepCommand(t.state, step), step.purpose, { sync: true, ifname });
  t.update({ sync: { ...sync, steps: rest, awaiting: requestId } });
}

/** Group interfaces in an INTERFACES reply (`p2p-wlan0-0`, not the `p2p-dev-wlan0` device). */
export function staleGroups(reply: string, keep: string | null): string[] {
  if (isFail(reply)) return [];
  return parseInterfaces(reply).filter(
    (name) => /^p2p-/.test(name) && !/^p2p-dev-/.test(name) && name !== keep,
  );
}

/**
 * The persistent GO group to reinvoke from a LIST_NETWORKS reply
 * (`network id / ssid / bssid / flags`, flags `[DISABLED][P2P-PERSISTENT]`; hostap ctrl_iface.c).
 */
export function persistentGroupId(reply: string): number | null {
  const group = parseListNetworks(reply).find(
    (network) => network.ssid.startsWith('DIRECT-') && network.flags.includes('P2P-PERSISTENT'),
  );
  return group?.id ?? null;
}

export function onSyncReply(
  t: Transition,
  requestId: number,
  pending: PendingCommand,
  reply: string | null,
): void {
  const sync = t.state.sync;
  if (!sync || sync.awaiting !== requestId) return;
  t.update({ sync: { ...sync, awaiting: null } });
  const failed = reply === null || isFail(reply) || isUnknownCommand(reply);
  switch (pending.purpose) {
    case 'interfaces': {
      if (reply === null || failed) return;
      const removals = safely(() => staleGroups(reply, t.state.group?.ifname ?? null), [] as string[]).map(
        (ifname): SyncStep => ({ purpose: 'remove-stale-group', ifname }),
      );
      t.update({ lastStaleCount: removals.length });
      const current = t.state.sync;
      if (current && removals.length > 0)
        t.update({ sync: { ...current, steps: [...removals, ...current.steps] } });
      return;
    }
    case 'list-networks':
      if (reply !== null && !failed) t.update({ persistentId: safely(() => persistentGroupId(reply), null) });
      return;
    case 'group-add':
      onGroupAddReply(t, reply, failed);
      return;
    case 'device-name':
    case 'config-methods':
    case 'per-sta-psk':
      // Not fatal (e.g. an old wpa_supplicant without per_sta_psk), but the operator should know.
      if (failed)
        t.error('config-failed', `${pending.command.split(' ').slice(0, 2).join(' ')} was refused.`);
      return;
    default:
      return;
  }
}

/** A reply that does not parse is treated like no information, not as a crash of the engine. */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
