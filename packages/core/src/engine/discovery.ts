import { kioskCommands } from './kiosk-commands.js';
import type { Transition } from './transition.js';

export const DISCOVERY_TIMER = 'discovery';

/**
 * Re-arming after P2P-FIND-STOPPED / P2P-DEVICE-LOST is skipped when the last P2P_FIND is this recent: a find
 * that stops at once (e.g. the radio is busy) must not turn into a command loop.
 */
export const FIND_MIN_GAP_MS = 3_000;

/** Asks for a P2P_FIND as soon as nothing forbids it (see `maybeFind`). */
export function requestFind(t: Transition, options: { soft?: boolean } = {}): void {
  const { lastFindAt } = t.state;
  if (options.soft && lastFindAt !== null && t.now - lastFindAt < FIND_MIN_GAP_MS) return;
  t.update({ findDue: true });
}

export function armDiscoveryTimer(t: Transition): void {
  t.setTimer(DISCOVERY_TIMER, t.now + t.state.settings.discoveryIntervalMs);
}

/** The periodic re-arm (seed: P2P_FIND every 20 s), held back while connecting. */
export function onDiscoveryTimer(t: Transition): void {
  if (!t.state.started || t.state.daemon === 'disconnected') return;
  requestFind(t, { soft: true });
  armDiscoveryTimer(t);
}

export function capacityLeft(t: Transition): number {
  const { clients, session, queue, settings } = t.state;
  return settings.maxClients - clients.length - (session ? 1 : 0) - queue.length;
}

/** Sends the due P2P_FIND when discoverable, idle (no setup, no sequence, no group removal) and not full. */
export function maybeFind(t: Transition): void {
  const s = t.state;
  if (!s.findDue || !s.discoverable || s.session !== null || s.sync !== null) return;
  // Seed order: P2P_GROUP_REMOVE, its reply, then P2P_FIND.
  if (s.group?.removing || Object.values(s.pending).some((pending) => pending.purpose === 'remove-group'))
    return;
  if (capacityLeft(t) <= 0) return;
  t.command(kioskCommands.find(), 'find');
  t.update({ findDue: false, lastFindAt: t.now });
}
