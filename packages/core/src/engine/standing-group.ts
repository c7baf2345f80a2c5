import { FAILURES, busyFailure, mentionsBusy } from './failure.js';
import type { SyncStep } from './state.js';
import type { Transition } from './transition.js';

export const GROUP_ADD_RETRY_TIMER = 'group-add-retry';

/** Automatic `P2P_GROUP_ADD` attempts for the standing group before giving up, 5 s then 10 s apart. */
const GROUP_ADD_MAX_FAILURES = 3;
const GROUP_ADD_BACKOFF_MS = 5_000;

function appendSteps(t: Transition, steps: SyncStep[]): void {
  const sync = t.state.sync;
  const current = sync?.steps ?? [];
  const missing = steps.filter(
    (step) => step.purpose !== 'group-add' || !current.some((other) => other.purpose === 'group-add'),
  );
  t.update({
    sync: sync
      ? { ...sync, steps: [...current, ...missing] }
      : { steps: missing, awaiting: null, then: 'ready' },
  });
}

function reportBusy(t: Transition): void {
  const failure = busyFailure();
  t.update({
    busy: true,
    standing: { failures: t.state.standing.failures, retrying: false, awaiting: false },
  });
  t.error(failure.code, failure.message);
}

/**
 * The reply to `P2P_GROUP_ADD`. A FAIL often means a stale group (seed README): the first one removes stale
 * groups and retries at once. A FAIL with no stale group left to blame is the driver refusing a new interface,
 * -16 EBUSY next to a concurrent AP (seed README): reported, never retried in a loop.
 */
export function onGroupAddReply(t: Transition, reply: string | null, failed: boolean): void {
  if (!failed) {
    t.update({ standing: { ...t.state.standing, awaiting: true } });
    return;
  }
  const text = reply ?? 'no reply';
  const failures = t.state.standing.failures + 1;
  if (mentionsBusy(text) || (failures > 1 && t.state.lastStaleCount === 0)) {
    reportBusy(t);
    return;
  }
  if (failures === 1) {
    t.update({ standing: { failures, retrying: false, awaiting: false } });
    appendSteps(t, [{ purpose: 'interfaces' }, { purpose: 'group-add' }]);
    return;
  }
  scheduleRetry(t, failures, FAILURES.groupAdd(text).message);
}

/** The standing group vanished, or never came up: start it again after a backoff, a bounded number of times. */
export function onStandingGroupLost(t: Transition, why: string): void {
  scheduleRetry(t, t.state.standing.failures + 1, FAILURES.groupAdd(why).message);
}

function scheduleRetry(t: Transition, failures: number, message: string): void {
  if (failures >= GROUP_ADD_MAX_FAILURES) {
    t.update({ standing: { failures, retrying: false, awaiting: false } });
    t.error('group-add-failed', message);
    return;
  }
  t.update({ standing: { failures, retrying: true, awaiting: false } });
  t.setTimer(GROUP_ADD_RETRY_TIMER, t.now + GROUP_ADD_BACKOFF_MS * 2 ** (failures - 1));
}

export function onGroupAddRetryTimer(t: Transition): void {
  const s = t.state;
  t.update({ standing: { ...s.standing, retrying: false } });
  if (s.daemon === 'disconnected' || s.busy || s.group || s.settings.groupMode !== 'autonomous') return;
  appendSteps(t, [{ purpose: 'group-add' }]);
}
