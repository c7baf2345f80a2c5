import { isFail } from '../protocol/replies.js';
import type { DisconnectReason } from './domain-events.js';
import { requestFind } from './discovery.js';
import type { EventOf } from '../protocol/events.js';
import { FAILURES, busyFailure, mentionsBusy } from './failure.js';
import { sendOrHold } from './held-commands.js';
import { kioskCommands } from './kiosk-commands.js';
import { failSession, succeedSession } from './session.js';
import { onStandingGroupLost } from './standing-group.js';
import type { GroupClient } from './state.js';
import type { Transition } from './transition.js';

export const IDLE_GRACE_TIMER = 'idle-grace';

/** `P2P-GROUP-STARTED <if> GO ssid="…" freq=… passphrase="…" go_dev_addr=…`. */
export function onGroupStarted(t: Transition, event: EventOf<'P2P-GROUP-STARTED'>): void {
  const ifname = event.groupIfname;
  if (event.role !== 'GO') {
    // The kiosk only ever runs as Group Owner; a client role would leave it joined to a phone's group.
    t.command(kioskCommands.groupRemove(ifname), 'remove-group', { ifname });
    return;
  }
  const ssid = event.ssid ?? '';
  const freq = event.freq;
  t.update({
    group: { ifname, ssid, freq, removing: false },
    formationLeftover: false,
    busy: false,
    standing: { ...t.state.standing, awaiting: false },
  });
  t.notify({ type: 'group-started', ifname, ssid, freq });
}

function nameOf(t: Transition, address: string): string {
  const { session, peers } = t.state;
  if (session?.request.address === address) return session.request.name;
  return peers.find((peer) => peer.address === address)?.name ?? '';
}

/** `AP-STA-CONNECTED <iface addr> p2p_dev_addr=<device addr>`: a client is in (hwsim README). */
export function onStationConnected(t: Transition, event: EventOf<'AP-STA-CONNECTED'>): void {
  const address = event.p2pDevAddr ?? event.address;
  if (t.state.clients.some((client) => client.address === address)) return;
  const session = t.state.session;
  const client: GroupClient = {
    address,
    interfaceAddress: event.address,
    name: nameOf(t, address),
    since: t.now,
    kicked: false,
  };
  t.update({
    clients: [...t.state.clients, client],
    standing: { ...t.state.standing, failures: 0 },
    // In through a window armed for another phone (a PIN for `any`): its own turn is no longer needed.
    queue: t.state.queue.filter((request) => request.address !== address),
  });
  const sessionId = session?.request.address === address ? session.id : null;
  t.notify({ type: 'connected', address, name: client.name, sessionId });
  if (sessionId !== null) succeedSession(t);
}

function dropClient(t: Transition, client: GroupClient, reason: DisconnectReason): void {
  t.update({ clients: t.state.clients.filter((other) => other.address !== client.address) });
  t.notify({ type: 'disconnected', address: client.address, name: client.name, reason });
}

export function onStationDisconnected(t: Transition, event: EventOf<'AP-STA-DISCONNECTED'>): void {
  const address = event.p2pDevAddr ?? event.address;
  const client = t.state.clients.find(
    (candidate) => candidate.address === address || candidate.interfaceAddress === event.address,
  );
  if (!client) return;
  dropClient(t, client, client.kicked ? 'kicked' : 'left');
  // Seed: AP-STA-DISCONNECTED → P2P_FIND (room for the next phone); a find sent moments ago is still running.
  requestFind(t, { soft: true });
}

/** `P2P-GROUP-REMOVED <if> GO reason=…`: requested, formation failure, idle, PSK failure, … */
export function onGroupRemoved(t: Transition, event: EventOf<'P2P-GROUP-REMOVED'>): void {
  const ifname = event.groupIfname;
  const reason = event.reason ?? 'UNKNOWN';
  const session = t.state.session;
  // The removal of a formation that already ended (see formationLeftover), not of the group the engine runs:
  // the current session, if any, is for another attempt and goes on.
  const leftover = t.state.formationLeftover === true && t.state.group?.ifname !== ifname;
  if (t.state.formationLeftover) t.update({ formationLeftover: false });
  if (session && session.stage !== 'cleaning' && !leftover) {
    const joining = t.state.group?.ifname === ifname && session.answerPurpose !== 'connect';
    const formed = session.answerPurpose === 'connect' || session.answerPurpose === 'reinvoke';
    if (formed || joining) {
      if (mentionsBusy(event.raw)) failSession(t, busyFailure());
      else if (session.failure) failSession(t, session.failure);
      else if (reason === 'FORMATION_FAILED') failSession(t, FAILURES.formation);
      else failSession(t, FAILURES.groupRemoved(reason));
    }
  }
  const group = t.state.group;
  if (!group || group.ifname !== ifname) {
    // The standing group failed to come up (e.g. the AP could not start: EBUSY, stage start-ap).
    if (t.state.standing.awaiting) onStandingGroupLost(t, `the group was removed (${reason})`);
    return;
  }
  for (const client of t.state.clients) dropClient(t, client, 'group-removed');
  t.update({ group: null });
  t.notify({ type: 'group-removed', ifname: group.ifname, reason });
  if (group.removing) return; // the reply to our P2P_GROUP_REMOVE re-arms discovery
  requestFind(t);
  if (t.state.settings.groupMode === 'autonomous')
    onStandingGroupLost(t, `the group was removed (${reason})`);
}

/**
 * A negotiated group with no client and nothing in progress is removed after `idleGraceMs` (the GO never removes
 * its group by itself when the last station leaves — hwsim README). The standing autonomous group stays.
 */
export function manageIdleTimer(t: Transition): void {
  const s = t.state;
  const idle =
    s.settings.groupMode === 'negotiated' &&
    s.group !== null &&
    !s.group.removing &&
    s.clients.length === 0 &&
    s.session === null &&
    s.queue.length === 0;
  if (idle && !s.idleTimerArmed) {
    t.update({ idleTimerArmed: true });
    t.setTimer(IDLE_GRACE_TIMER, t.now + s.settings.idleGraceMs);
  } else if (!idle && s.idleTimerArmed) {
    t.update({ idleTimerArmed: false });
    t.cancelTimer(IDLE_GRACE_TIMER);
  }
}

export function onIdleGraceTimer(t: Transition): void {
  t.update({ idleTimerArmed: false });
  const { group, clients, session, settings } = t.state;
  if (!group || group.removing || clients.length > 0 || session || settings.groupMode !== 'negotiated')
    return;
  removeGroup(t);
}

export function removeGroup(t: Transition): void {
  const group = t.state.group;
  if (!group || group.removing) return;
  t.update({ group: { ...group, removing: true } });
  sendOrHold(t, kioskCommands.groupRemove(group.ifname), 'remove-group', { ifname: group.ifname });
}

/** The reply to our P2P_GROUP_REMOVE: discover again (seed: p2p_group_remove, then p2p_find). */
export function onGroupRemoveReply(t: Transition, ifname: string | null, reply: string): void {
  const group = t.state.group;
  if (group && group.ifname === ifname && isFail(reply)) {
    // wpa_supplicant no longer knows the group: forget it.
    t.update({ group: null });
    t.notify({ type: 'group-removed', ifname: group.ifname, reason: 'UNKNOWN' });
  }
  requestFind(t);
}

/** Kick: `P2P_REMOVE_CLIENT` (with per_sta_psk the client cannot rejoin with the group passphrase). */
export function kickClient(t: Transition, address: string): void {
  const client = t.state.clients.find((candidate) => candidate.address === address.toLowerCase());
  if (!client) return;
  t.update({
    clients: t.state.clients.map((other) => (other === client ? { ...other, kicked: true } : other)),
  });
  sendOrHold(t, kioskCommands.removeClient(client.address), 'remove-client', { address: client.address });
}
