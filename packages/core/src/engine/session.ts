import { isFail, isUnknownCommand } from '../protocol/replies.js';
import type { CommandPurpose } from './effects.js';
import { FAILURES, busyFailure, mentionsBusy, type Failure } from './failure.js';
import { requestFind } from './discovery.js';
import { kioskCommands } from './kiosk-commands.js';
import { rotateKeypadPin } from './keypad-pin.js';
import type { ConnectionSession, EngineState, PeerRequest } from './state.js';
import { REQUEST_MAX_AGE_MS } from './peer-requests.js';
import type { Transition } from './transition.js';

export const setupTimerId = (sessionId: number): string => `setup:${sessionId}`;
export const teardownTimerId = (sessionId: number): string => `teardown:${sessionId}`;

/** After a WPS failure during group formation, how long to wait for wpa_supplicant to tear the group down
 * (it reports GROUP-FORMATION-FAILURE ~0.1 s later on hwsim) before reporting anyway. */
export const TEARDOWN_WAIT_MS = 5_000;

/** Peers that keep failing are ignored for a while: 5 s after the 2nd failure, doubling up to 60 s. */
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 60_000;

interface Answer {
  readonly command: string;
  readonly purpose: CommandPurpose;
  readonly followUp: string | null;
}

function wpsAuthorisation(group: string, request: PeerRequest): string {
  return request.method === 'pbc'
    ? kioskCommands.wpsPbc(group, request.address)
    : kioskCommands.wpsPin(group, request.pin ?? '');
}

/**
 * How to answer an admitted request:
 * - a persistent group reinvocation: `P2P_GROUP_ADD persistent=N`;
 * - a peer joining the running group (`group=` in its provision discovery, autonomous GO or a second phone):
 *   authorise WPS on the group interface (Digi's how-to: `wps_pbc` / `wps_pin any <pin>` on the GO);
 * - a peer asking for GO negotiation while a group runs: invite it into that group, then authorise WPS;
 * - otherwise GO negotiation with intent 15, `auth` after a provision discovery: the phone initiates and both
 *   sides initiating at once fails (hwsim README).
 */
function answerFor(state: EngineState, request: PeerRequest): Answer {
  const { settings, group } = state;
  if (request.via === 'invitation' && request.persistentId !== null)
    return { command: kioskCommands.reinvoke(request.persistentId), purpose: 'reinvoke', followUp: null };
  const runningGroup = group && !group.removing ? group.ifname : null;
  if (runningGroup !== null && (request.via === 'join' || request.group === runningGroup))
    return { command: wpsAuthorisation(runningGroup, request), purpose: 'wps-authorise', followUp: null };
  if (runningGroup !== null)
    return {
      command: kioskCommands.invite(runningGroup, request.address),
      purpose: 'invite',
      followUp: wpsAuthorisation(runningGroup, request),
    };
  return {
    command: kioskCommands.connect(request.address, {
      method: request.method,
      pin: request.pin,
      goIntent: settings.goIntent,
      auth: request.via === 'prov-disc',
      persistent: settings.persistent,
      freq: settings.freq,
    }),
    purpose: 'connect',
    followUp: null,
  };
}

/**
 * A phone asks to join a GO group the engine does not know (left over from before a restart, or created behind
 * its back): wpa_supplicant runs it and advertises it, so the kiosk adopts it rather than leave the phone
 * stranded. Its SSID and frequency are unknown until the next P2P-GROUP-STARTED.
 */
function adoptGroup(t: Transition, ifname: string): void {
  t.update({ group: { ifname, ssid: '', freq: null, removing: false } });
  t.notify({ type: 'group-started', ifname, ssid: '', freq: null });
}

export function startSession(t: Transition, request: PeerRequest): void {
  if (request.via === 'join' && request.group !== null && t.state.group === null)
    adoptGroup(t, request.group);
  const id = t.state.nextSessionId;
  const answer = answerFor(t.state, request);
  const session: ConnectionSession = {
    id,
    request,
    stage: 'answering',
    attempt: 1,
    answer: answer.command,
    answerPurpose: answer.purpose,
    followUp: answer.followUp,
    failure: null,
    startedAt: t.now,
  };
  t.update({ nextSessionId: id + 1, session });
  t.notify({
    type: 'connecting',
    sessionId: id,
    address: request.address,
    name: request.name,
    method: request.method,
    via: request.via,
  });
  t.command(answer.command, answer.purpose, { sessionId: id, address: request.address });
  t.setTimer(setupTimerId(id), setupDeadline(t, request, answer.purpose));
}

/**
 * When the setup gives up: after the setup timeout, but a phone joining the running group gives up sooner when
 * its request waited in the queue — its WPS enrollee started with its provision discovery and stops at the
 * end of its 120 s walk time (README-P2P), so an authorisation armed later than that waits for nobody.
 */
function setupDeadline(t: Transition, request: PeerRequest, purpose: CommandPurpose): number {
  const deadline = t.now + t.state.settings.setupTimeoutMs;
  if (purpose !== 'wps-authorise' || request.via !== 'join' || request.receivedAt === undefined)
    return deadline;
  // At least a few seconds for the WPS exchange itself.
  return Math.min(deadline, Math.max(request.receivedAt + REQUEST_MAX_AGE_MS, t.now + JOIN_MIN_MS));
}

const JOIN_MIN_MS = 5_000;

/**
 * The session's phone sent P2P-GO-NEG-REQUEST after the kiosk answered its provision discovery with
 * `P2P_CONNECT … auth` (the phone's P2P_CONNECT crossed the answer, e.g. right after a quick approval):
 * wpa_supplicant reports the request because nothing was authorised yet when it came, and the phone now waits
 * for the kiosk to start the negotiation — `auth` does not wake it (hwsim README, PBC sequence 1). Initiate.
 */
export function onNegotiationWaiting(t: Transition, address: string): void {
  const session = t.state.session;
  if (!session || session.request.address !== address || session.answerPurpose !== 'connect') return;
  if (session.request.via !== 'prov-disc') return;
  const request: PeerRequest = { ...session.request, via: 'go-neg' };
  const answer = answerFor(t.state, request);
  if (answer.purpose !== 'connect') return;
  patchSession(t, { request, answer: answer.command });
  // Removing stale groups after a FAIL: the retry sends the new answer.
  if (session.stage === 'cleaning') return;
  patchSession(t, { stage: 'answering' });
  t.command(answer.command, answer.purpose, { sessionId: session.id, address });
}

function patchSession(t: Transition, patch: Partial<ConnectionSession>): void {
  const session = t.state.session;
  if (session) t.update({ session: { ...session, ...patch } });
}

/** Re-sends the answer after stale groups were removed (the one retry). */
export function retryAnswer(t: Transition): void {
  const session = t.state.session;
  if (!session) return;
  patchSession(t, { stage: 'answering', attempt: session.attempt + 1 });
  t.command(session.answer, session.answerPurpose, {
    sessionId: session.id,
    address: session.request.address,
  });
}

function endSession(t: Transition, session: ConnectionSession): void {
  t.cancelTimer(setupTimerId(session.id));
  if (session.failure) t.cancelTimer(teardownTimerId(session.id));
  t.update({ session: null });
  // The kiosk's PIN was shown to this phone: used or burnt, it is replaced.
  if (session.request.method === 'display') rotateKeypadPin(t);
  requestFind(t);
}

export function succeedSession(t: Transition): void {
  const session = t.state.session;
  if (!session) return;
  const failures = { ...t.state.failures };
  delete failures[session.request.address];
  t.update({ failures });
  endSession(t, session);
}

export function failSession(t: Transition, failure: Failure): void {
  const session = t.state.session;
  if (!session) return;
  const { address, name } = session.request;
  const count = (t.state.failures[address]?.count ?? 0) + 1;
  const backoff = count < 2 ? 0 : Math.min(BACKOFF_BASE_MS * 2 ** (count - 2), BACKOFF_MAX_MS);
  t.update({ failures: { ...t.state.failures, [address]: { count, until: t.now + backoff } } });
  if (failure.code === 'busy') t.update({ busy: true });
  t.update({ lastError: { code: failure.code, message: failure.message, at: t.now } });
  t.notify({
    type: 'failed',
    address,
    name,
    sessionId: session.id,
    reason: failure.code,
    message: failure.message,
  });
  endSession(t, session);
}

/** Whether the current session forms a new group (as opposed to admitting a peer into a running one). */
export function formsGroup(session: ConnectionSession): boolean {
  return session.answerPurpose === 'connect' || session.answerPurpose === 'reinvoke';
}

/**
 * A WPS failure. During group formation wpa_supplicant tears the group down by itself right after
 * (WPS-FAIL, P2P-GROUP-FORMATION-FAILURE, P2P-GROUP-REMOVED … reason=FORMATION_FAILED — hwsim README), so the
 * specific reason is kept and reported then; a peer joining a running group fails at once.
 */
export function onWpsFailure(t: Transition, failure: Failure): void {
  const session = t.state.session;
  if (!session || session.stage === 'cleaning') return;
  if (!formsGroup(session)) {
    failSession(t, failure);
    return;
  }
  if (session.failure) return;
  patchSession(t, { failure });
  t.setTimer(teardownTimerId(session.id), t.now + TEARDOWN_WAIT_MS);
}

/** The reply to the answer. */
/** FAIL, FAIL-<reason>, or UNKNOWN COMMAND (e.g. IFNAME= on a per-interface socket). */
export function isRefusal(reply: string): boolean {
  return isFail(reply) || isUnknownCommand(reply) || reply.trimStart().startsWith('FAIL');
}

/** The group interface a `IFNAME=<group> WPS_…` authorisation went to. */
function authorisedGroup(command: string): string | null {
  return /^IFNAME=(\S+) WPS_/.exec(command)?.[1] ?? null;
}

export function onAnswerReply(t: Transition, sessionId: number, reply: string): void {
  const session = t.state.session;
  if (!session || session.id !== sessionId) return;
  if (!isRefusal(reply)) {
    patchSession(t, {
      stage: 'negotiating',
      ...(session.answerPurpose === 'wps-authorise' ? { wpsArmedOn: authorisedGroup(session.answer) } : {}),
    });
    // The invitation is on its way; the GO must also expect the peer's WPS exchange (Digi's how-to).
    if (session.followUp)
      t.command(session.followUp, 'wps-authorise', { sessionId, address: session.request.address });
    return;
  }
  if (mentionsBusy(reply)) {
    failSession(t, busyFailure());
    return;
  }
  if (session.answerPurpose === 'connect' && session.attempt > 1 && t.state.lastStaleCount === 0) {
    // FAIL again with no stale group to blame: the driver refuses a new interface, the -16 EBUSY of a
    // concurrent AP on a Pi (seed README; wpa_supplicant only logs the errno).
    failSession(t, busyFailure());
    return;
  }
  if (session.answerPurpose === 'connect' && session.attempt === 1) {
    // A FAIL to P2P_CONNECT often means a stale group: list the interfaces, remove p2p-* groups, retry once
    // (seed README).
    patchSession(t, { stage: 'cleaning' });
    t.update({ sync: { steps: [{ purpose: 'interfaces' }], awaiting: null, then: 'retry-connect' } });
    return;
  }
  if (session.answerPurpose === 'invite') failSession(t, FAILURES.invite(reply.trim()));
  else failSession(t, FAILURES.connect(reply));
}

/** The follow-up WPS authorisation after an invitation was refused. */
export function onFollowUpReply(t: Transition, sessionId: number, reply: string): void {
  const session = t.state.session;
  if (!session || session.id !== sessionId) return;
  if (!isRefusal(reply)) {
    if (session.followUp !== null) patchSession(t, { wpsArmedOn: authorisedGroup(session.followUp) });
    return;
  }
  failSession(t, FAILURES.connect(reply));
}

/**
 * WPS-FAIL / WPS-TIMEOUT on a group interface's own socket (or `IFNAME=<group>` on a global one): a joining
 * peer's WPS failed or the registrar's walk time ended. wpa_supplicant does not copy these to the P2P device
 * outside group formation, so this is the only news of a failed join; it ends the session at once instead of
 * holding the setup slot for the setup timeout. Ignored unless the session's own authorisation is armed there.
 */
export function onGroupWpsFailure(t: Transition, ifname: string, failure: Failure): void {
  const session = t.state.session;
  if (!session || session.stage === 'cleaning' || session.wpsArmedOn !== ifname) return;
  failSession(t, failure);
}

export function onSetupTimeout(t: Transition, sessionId: number): void {
  const session = t.state.session;
  if (!session || session.id !== sessionId) return;
  const wasForming = formsGroup(session);
  // A joiner that never ran WPS: the registrar's 120 s walk time ended. Its WPS-TIMEOUT is reported on the
  // group interface only, not on the P2P device socket we listen to (hwsim README, "Protocol quirks").
  const walkTimeOver = session.answerPurpose === 'wps-authorise' || session.followUp !== null;
  failSession(t, session.failure ?? (walkTimeOver ? FAILURES.wpsTimeout : FAILURES.setupTimeout));
  // Stop whatever wpa_supplicant is still trying for that peer (GO negotiation or formation); the removal of a
  // group interface it created then is this formation's, not the next session's.
  if (wasForming) {
    t.command(kioskCommands.cancel(), 'cancel');
    t.update({ formationLeftover: true });
  }
}

export function onTeardownTimeout(t: Transition, sessionId: number): void {
  const session = t.state.session;
  if (!session || session.id !== sessionId || !session.failure) return;
  failSession(t, session.failure);
  // wpa_supplicant may still tear the failed formation's group down (P2P-GROUP-REMOVED), late.
  t.update({ formationLeftover: true });
}
