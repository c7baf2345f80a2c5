import { isFail } from '../protocol/replies.js';
import { PEER_PIN_TIMER, onApprovalTimer, onPeerPinTimer } from './approvals.js';
import { onDaemonBack, onDaemonLost, endEverything } from './daemon.js';
import { DISCOVERY_TIMER, onDiscoveryTimer, requestFind } from './discovery.js';
import type { Effect } from './effects.js';
import type { WpaEvent } from '../protocol/events.js';
import { FAILURES, busyFailure, mentionsBusy, wpsFailure } from './failure.js';
import {
  IDLE_GRACE_TIMER,
  onGroupRemoveReply,
  onGroupRemoved,
  onGroupStarted,
  onIdleGraceTimer,
  onStationConnected,
  onStationDisconnected,
} from './group-life.js';
import type { EngineInput } from './inputs.js';
import { kioskCommands } from './kiosk-commands.js';
import { onOperator } from './operator.js';
import { intake, onDeviceFound, onDeviceLost, requestFromEvent } from './peer-requests.js';
import {
  failSession,
  formsGroup,
  onAnswerReply,
  onFollowUpReply,
  onGroupWpsFailure,
  onSetupTimeout,
  onTeardownTimeout,
  onWpsFailure,
} from './session.js';
import { settle } from './settle.js';
import { GROUP_ADD_RETRY_TIMER, onGroupAddRetryTimer } from './standing-group.js';
import type { EngineSettings } from './settings.js';
import { beginSync, onSyncReply, reconfigure } from './startup.js';
import type { EngineState } from './state.js';
import { Transition } from './transition.js';

/**
 * The connection engine: `(state, input, now) → [state, effects]`. Pure: no clock, no timers, no I/O, no
 * randomness (a fresh PIN comes in with the input); the runner executes the effects and feeds back replies,
 * timer firings and events.
 */
export function reduce(state: EngineState, input: EngineInput, now: number): [EngineState, Effect[]] {
  const t = new Transition(state, now, input.freshPin ?? null);
  switch (input.kind) {
    case 'start':
      onStart(t);
      break;
    case 'stop':
      onStop(t);
      break;
    case 'event':
      if (t.state.started && t.state.daemon === 'connected') onEvent(t, input.event);
      break;
    case 'reply':
      onReply(t, input.requestId, input.reply);
      break;
    case 'request-failed':
      onRequestFailed(t, input.requestId);
      break;
    case 'timer':
      onTimer(t, input.timerId);
      break;
    case 'operator':
      onOperator(t, input.action);
      break;
    case 'settings':
      onSettings(t, input.settings);
      break;
    case 'whitelist':
      t.update({ whitelist: input.entries });
      break;
    case 'daemon-lost':
      onDaemonLost(t);
      break;
    case 'daemon-back':
      onDaemonBack(t);
      break;
  }
  settle(t);
  return [t.state, t.effects];
}

function onStart(t: Transition): void {
  if (t.state.started) return;
  t.update({ started: true, daemon: 'connected' });
  beginSync(t);
}

/** Leaves nothing behind: stop discovery, cancel a formation, remove the group. */
function onStop(t: Transition): void {
  const s = t.state;
  if (!s.started) return;
  const forming =
    s.session !== null && (s.session.answerPurpose === 'connect' || s.session.answerPurpose === 'reinvoke');
  const group = s.group;
  endEverything(t, 'stopped');
  t.update({ started: false });
  if (s.daemon === 'disconnected') return;
  t.command(kioskCommands.stopFind(), 'stop-find');
  if (forming) t.command(kioskCommands.cancel(), 'cancel');
  if (group) t.command(kioskCommands.groupRemove(group.ifname), 'remove-group', { ifname: group.ifname });
}

function onEvent(t: Transition, event: WpaEvent): void {
  const session = t.state.session;
  const inSetup = session !== null && session.stage !== 'cleaning';
  switch (event.type) {
    case 'P2P-DEVICE-FOUND': {
      onDeviceFound(t, event);
      const request = requestFromEvent(t.state, event);
      if (request && t.state.settings.connectOnDiscovery) intake(t, request);
      return;
    }
    case 'P2P-DEVICE-LOST':
      onDeviceLost(t, event);
      requestFind(t, { soft: true });
      return;
    case 'P2P-FIND-STOPPED':
      requestFind(t, { soft: true });
      return;
    case 'P2P-GO-NEG-REQUEST':
    case 'P2P-PROV-DISC-PBC-REQ':
    case 'P2P-PROV-DISC-SHOW-PIN':
    case 'P2P-PROV-DISC-ENTER-PIN':
    case 'P2P-INVITATION-RECEIVED': {
      const request = requestFromEvent(t.state, event);
      if (request) intake(t, request);
      return;
    }
    case 'P2P-GO-NEG-FAILURE':
      if (inSetup) failSession(t, mentionsBusy(event.raw) ? busyFailure() : FAILURES.goNeg(event.status));
      return;
    case 'P2P-GROUP-FORMATION-FAILURE':
      if (inSetup) {
        const forming = formsGroup(session);
        failSession(t, mentionsBusy(event.raw) ? busyFailure() : (session.failure ?? FAILURES.formation));
        // Its P2P-GROUP-REMOVED … reason=FORMATION_FAILED comes next, after the next session may have started.
        if (forming) t.update({ formationLeftover: true });
      }
      return;
    case 'P2P-GO-NEG-SUCCESS':
      if (t.state.formationLeftover) t.update({ formationLeftover: false });
      return;
    case 'WPS-FAIL':
    case 'WPS-TIMEOUT': {
      const failure = event.type === 'WPS-FAIL' ? wpsFailure(event.configError) : FAILURES.wpsTimeout;
      // From a group interface (its own socket, see ConnectionRunner, or IFNAME= on a global socket).
      if (event.ifname !== null && event.ifname === t.state.group?.ifname)
        onGroupWpsFailure(t, event.ifname, failure);
      else onWpsFailure(t, failure);
      return;
    }
    case 'P2P-INVITATION-RESULT': {
      const { status } = event;
      // status=1 (info currently unavailable) is the phone asking its user first (wpas_invitation_process):
      // an accepting phone then joins, so the session waits for it (the setup timeout ends it otherwise).
      if (inSetup && session.answerPurpose === 'invite' && status !== null && status !== 0 && status !== 1)
        failSession(t, FAILURES.invite(status));
      return;
    }
    case 'P2P-GROUP-STARTED':
      onGroupStarted(t, event);
      return;
    case 'P2P-GROUP-REMOVED':
      onGroupRemoved(t, event);
      return;
    case 'AP-STA-CONNECTED':
      onStationConnected(t, event);
      return;
    case 'AP-STA-DISCONNECTED':
      onStationDisconnected(t, event);
      return;
    case 'CTRL-EVENT-TERMINATING':
      onDaemonLost(t);
      return;
    default:
      return;
  }
}

function onReply(t: Transition, requestId: number, reply: string): void {
  const pending = t.settleRequest(requestId);
  if (!pending) return;
  if (pending.sync) {
    onSyncReply(t, requestId, pending, reply);
    return;
  }
  const session = t.state.session;
  switch (pending.purpose) {
    case 'connect':
    case 'invite':
    case 'reinvoke':
      if (pending.sessionId !== null) onAnswerReply(t, pending.sessionId, reply);
      return;
    case 'wps-authorise':
      if (pending.sessionId === null || !session) return;
      if (session.answerPurpose === 'wps-authorise') onAnswerReply(t, pending.sessionId, reply);
      else onFollowUpReply(t, pending.sessionId, reply);
      return;
    case 'remove-group':
      onGroupRemoveReply(t, pending.ifname, reply);
      return;
    case 'remove-client':
      if (isFail(reply)) t.error('kick-failed', `Could not remove client ${pending.address ?? ''}.`);
      return;
    default:
      return;
  }
}

/** No reply (timeout, socket error). */
function onRequestFailed(t: Transition, requestId: number): void {
  const pending = t.settleRequest(requestId);
  if (!pending) return;
  if (pending.sync) {
    onSyncReply(t, requestId, pending, null);
    return;
  }
  const session = t.state.session;
  switch (pending.purpose) {
    case 'connect':
    case 'invite':
    case 'reinvoke':
    case 'wps-authorise':
      // wpa_supplicant may be negotiating already: stay quiet; the setup timeout ends it otherwise.
      if (session && session.id === pending.sessionId && session.stage === 'answering')
        t.update({ session: { ...session, stage: 'negotiating' } });
      return;
    case 'remove-group':
      onGroupRemoveReply(t, pending.ifname, 'FAIL');
      return;
    default:
      return;
  }
}

function onTimer(t: Transition, timerId: string): void {
  if (!t.state.started) return;
  if (timerId === DISCOVERY_TIMER) return onDiscoveryTimer(t);
  if (timerId === IDLE_GRACE_TIMER) return onIdleGraceTimer(t);
  if (timerId === GROUP_ADD_RETRY_TIMER) return onGroupAddRetryTimer(t);
  if (timerId === PEER_PIN_TIMER) return onPeerPinTimer(t);
  const [kind, id] = timerId.split(':');
  if (id === undefined) return;
  if (kind === 'setup') return onSetupTimeout(t, Number(id));
  if (kind === 'teardown') return onTeardownTimeout(t, Number(id));
  if (kind === 'approval') return onApprovalTimer(t, id);
}

function onSettings(t: Transition, settings: EngineSettings): void {
  const before = t.state.settings;
  t.update({ settings });
  if (before.fixedPin !== settings.fixedPin || before.mode !== settings.mode) {
    // A new fixed PIN, or back to rotating PINs: show the new one at once.
    const previous = t.state.pin;
    t.update({ pin: settings.fixedPin ?? (previous === before.fixedPin ? null : previous) });
  }
  if (!t.state.started || t.state.daemon === 'disconnected') return;
  const daemonConfigChanged =
    before.deviceName !== settings.deviceName ||
    before.mode !== settings.mode ||
    before.perStaPsk !== settings.perStaPsk ||
    before.groupMode !== settings.groupMode ||
    before.persistent !== settings.persistent ||
    before.freq !== settings.freq;
  if (daemonConfigChanged) reconfigure(t);
}

export type { EngineState };
