import { PEER_PIN_TIMER, approvalTimerId } from './approvals.js';
import { DISCOVERY_TIMER } from './discovery.js';
import { FAILURES } from './failure.js';
import { IDLE_GRACE_TIMER } from './group-life.js';
import { GROUP_ADD_RETRY_TIMER } from './standing-group.js';
import { setupTimerId, teardownTimerId } from './session.js';
import { beginSync } from './startup.js';
import type { DisconnectReason } from './domain-events.js';
import type { Transition } from './transition.js';

/**
 * Ends everything that lived in wpa_supplicant: sessions, clients, the group, pending decisions and timers.
 * Used when the daemon went away and when the kiosk stops.
 */
export function endEverything(
  t: Transition,
  reason: Extract<DisconnectReason, 'daemon-restart' | 'stopped'>,
): void {
  const s = t.state;
  if (s.session) {
    const { request, id } = s.session;
    const failure = FAILURES.daemonRestart;
    if (reason === 'daemon-restart') {
      t.notify({
        type: 'failed',
        address: request.address,
        name: request.name,
        sessionId: id,
        reason: failure.code,
        message: failure.message,
      });
    }
    t.cancelTimer(setupTimerId(id));
    if (s.session.failure) t.cancelTimer(teardownTimerId(id));
  }
  for (const client of s.clients)
    t.notify({ type: 'disconnected', address: client.address, name: client.name, reason });
  if (s.group)
    t.notify({
      type: 'group-removed',
      ifname: s.group.ifname,
      reason: reason === 'stopped' ? 'STOPPED' : 'DAEMON_RESTART',
    });
  for (const approval of s.approvals) {
    t.cancelTimer(approvalTimerId(approval.id));
    t.notify({
      type: 'approval-expired',
      id: approval.id,
      address: approval.request.address,
      name: approval.request.name,
    });
  }
  if (s.peerPin) t.cancelTimer(PEER_PIN_TIMER);
  if (s.idleTimerArmed) t.cancelTimer(IDLE_GRACE_TIMER);
  if (s.standing.retrying) t.cancelTimer(GROUP_ADD_RETRY_TIMER);
  t.cancelTimer(DISCOVERY_TIMER);
  t.update({
    session: null,
    clients: [],
    group: null,
    approvals: [],
    peerPin: null,
    queue: [],
    held: [],
    sync: null,
    pending: {},
    findDue: false,
    idleTimerArmed: false,
    standing: { failures: 0, retrying: false, awaiting: false },
  });
}

export function onDaemonLost(t: Transition): void {
  if (!t.state.started || t.state.daemon === 'disconnected') return;
  endEverything(t, 'daemon-restart');
  const failure = FAILURES.daemonRestart;
  t.update({
    daemon: 'disconnected',
    lastError: { code: failure.code, message: failure.message, at: t.now },
  });
  t.notify({ type: 'daemon-lost' });
}

/** The daemon is back (or may have restarted unseen): forget what it had, read its state again. */
export function onDaemonBack(t: Transition): void {
  if (!t.state.started) return;
  if (t.state.daemon === 'connected') endEverything(t, 'daemon-restart');
  t.update({ daemon: 'connected', busy: false });
  t.notify({ type: 'daemon-back' });
  beginSync(t);
}
