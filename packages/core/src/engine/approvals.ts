import type { DomainEvent, RefusalReason } from './domain-events.js';
import { requestFind } from './discovery.js';
import { sendOrHold } from './held-commands.js';
import { kioskCommands } from './kiosk-commands.js';
import { REQUEST_MAX_AGE_MS } from './peer-requests.js';
import type { PbcApproval, PeerRequest } from './state.js';
import type { Transition } from './transition.js';

export const approvalTimerId = (id: string): string => `approval:${id}`;
export const PEER_PIN_TIMER = 'peer-pin';

/** Admitted: answered as soon as no other connection is being set up (see `settle`). */
export function admit(t: Transition, request: PeerRequest): void {
  t.update({ queue: [...t.state.queue, request] });
}

/**
 * Turns a request down with `P2P_REJECT` (DESIGN.md: Deny → P2P_REJECT) and discovers again (a find sent moments
 * ago is still running).
 */
export function refuse(t: Transition, request: PeerRequest, reason: RefusalReason, id?: string): void {
  t.notify(denied(request, id, reason));
  if (request.via !== 'invitation' && request.via !== 'discovery')
    sendOrHold(t, kioskCommands.reject(request.address), 'reject', { address: request.address });
  requestFind(t, { soft: true });
}

function denied(request: PeerRequest, id: string | undefined, reason: RefusalReason): DomainEvent {
  return {
    type: 'denied',
    address: request.address,
    name: request.name,
    reason,
    ...(id === undefined ? {} : { id }),
  };
}

export function askOperator(t: Transition, request: PeerRequest): void {
  const id = `approval-${t.state.nextApprovalId}`;
  const approval: PbcApproval = { id, request, expiresAt: t.now + t.state.settings.approvalTimeoutMs };
  t.update({ nextApprovalId: t.state.nextApprovalId + 1, approvals: [...t.state.approvals, approval] });
  t.setTimer(approvalTimerId(id), approval.expiresAt);
  t.notify({
    type: 'approval-pending',
    id,
    address: request.address,
    name: request.name,
    expiresAt: approval.expiresAt,
  });
}

function takeApproval(t: Transition, id: string): PbcApproval | null {
  const approval = t.state.approvals.find((candidate) => candidate.id === id);
  if (!approval) return null;
  t.update({ approvals: t.state.approvals.filter((other) => other !== approval) });
  return approval;
}

export function approve(t: Transition, id: string, remember: boolean): void {
  const approval = takeApproval(t, id);
  if (!approval) return;
  const { request } = approval;
  t.cancelTimer(approvalTimerId(id));
  t.notify({ type: 'approved', id, address: request.address, name: request.name, remember });
  if (remember) t.rememberPeer(request.address, request.name);
  admit(t, request);
}

export function deny(t: Transition, id: string): void {
  const approval = takeApproval(t, id);
  if (!approval) return;
  t.cancelTimer(approvalTimerId(id));
  holdDenied(t, approval.request.address);
  refuse(t, approval.request, 'operator', id);
}

/** The denied phone's further requests of this attempt are not put to the operator again (`deniedUntil`). */
function holdDenied(t: Transition, address: string): void {
  const current = Object.entries(t.state.deniedUntil).filter(([, until]) => until > t.now);
  t.update({ deniedUntil: { ...Object.fromEntries(current), [address]: t.now + REQUEST_MAX_AGE_MS } });
}

export function onApprovalTimer(t: Transition, id: string): void {
  const approval = takeApproval(t, id);
  if (!approval) return;
  const { request } = approval;
  t.notify({ type: 'approval-expired', id, address: request.address, name: request.name });
  sendOrHold(t, kioskCommands.reject(request.address), 'reject', { address: request.address });
  requestFind(t, { soft: true });
}

/** A peer displays its PIN (P2P-PROV-DISC-ENTER-PIN, dev_passwd_id=5): the operator must type it. */
export function askPeerPin(t: Transition, request: PeerRequest): void {
  const expiresAt = t.now + t.state.settings.approvalTimeoutMs;
  t.update({ peerPin: { request, expiresAt } });
  t.setTimer(PEER_PIN_TIMER, expiresAt);
  t.notify({ type: 'peer-pin-requested', address: request.address, name: request.name });
}

export function enterPeerPin(t: Transition, address: string, pin: string): void {
  const pending = t.state.peerPin;
  if (!pending || pending.request.address !== address.toLowerCase()) return;
  t.update({ peerPin: null });
  t.cancelTimer(PEER_PIN_TIMER);
  admit(t, { ...pending.request, pin });
}

export function dismissPeerPin(t: Transition, address: string | null): void {
  const pending = t.state.peerPin;
  if (!pending || (address !== null && pending.request.address !== address.toLowerCase())) return;
  t.update({ peerPin: null });
  t.cancelTimer(PEER_PIN_TIMER);
  refuse(t, pending.request, 'operator');
}

export function onPeerPinTimer(t: Transition): void {
  const pending = t.state.peerPin;
  if (!pending) return;
  t.update({ peerPin: null });
  refuse(t, pending.request, 'operator');
}
