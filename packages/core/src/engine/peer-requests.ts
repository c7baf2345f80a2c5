import { admit, askOperator, askPeerPin, refuse } from './approvals.js';
import { decide } from './connection-policy.js';
import { onNegotiationWaiting } from './session.js';
import { capacityLeft } from './discovery.js';
import type { ConnectMethod, EventOf, WpaEvent } from '../protocol/events.js';
import type { EngineState, PeerRequest } from './state.js';
import type { Transition } from './transition.js';
import { matchWhitelist } from './whitelist.js';

function knownName(state: EngineState, address: string, fromEvent: string | null): string {
  return fromEvent || state.peers.find((peer) => peer.address === address)?.name || '';
}

/**
 * Normalises the events by which a phone asks to connect:
 * - `P2P-GO-NEG-REQUEST <addr> dev_passwd_id=N`: the phone called P2P_CONNECT and waits (up to 120 s) for us;
 * - `P2P-PROV-DISC-PBC-REQ` / `-SHOW-PIN` / `-ENTER-PIN`: provision discovery (the Android way), with
 *   `group=<our group>` when the phone wants to join the running group (hostap wpas_prov_disc_req);
 * - `P2P-INVITATION-RECEIVED sa=… persistent=N`: a phone reinvokes a persistent group;
 * - `P2P-DEVICE-FOUND`: only when `connectOnDiscovery` is on.
 * The PIN in P2P-PROV-DISC-SHOW-PIN is wpa_supplicant's random one; the kiosk shows and uses its own instead
 * (hwsim README, PIN scenario).
 */
export function requestFromEvent(state: EngineState, event: WpaEvent): PeerRequest | null {
  const make = (
    address: string,
    name: string | null,
    method: ConnectMethod,
    via: PeerRequest['via'],
    extra: Partial<Pick<PeerRequest, 'group' | 'persistentId'>> = {},
  ): PeerRequest => ({
    address,
    name: knownName(state, address, name),
    method,
    via,
    group: extra.group ?? null,
    persistentId: extra.persistentId ?? null,
    pin: null,
  });
  switch (event.type) {
    case 'P2P-GO-NEG-REQUEST':
      return event.connectMethod === null ? null : make(event.address, null, event.connectMethod, 'go-neg');
    case 'P2P-PROV-DISC-PBC-REQ':
    case 'P2P-PROV-DISC-SHOW-PIN':
    case 'P2P-PROV-DISC-ENTER-PIN': {
      const group = event.fields['group'] ?? null;
      const method = PROV_DISC_METHOD[event.type];
      return make(event.peer.p2pDevAddr, event.peer.name, method, group === null ? 'prov-disc' : 'join', {
        group,
      });
    }
    case 'P2P-INVITATION-RECEIVED':
      if (event.sa === null || event.persistentId === null) return null;
      return make(event.sa, null, 'pbc', 'invitation', { persistentId: event.persistentId });
    case 'P2P-DEVICE-FOUND':
      return make(event.peer.p2pDevAddr, event.peer.name, 'pbc', 'discovery');
    default:
      return null;
  }
}

/** What the kiosk answers to each provision discovery: the method the peer asked for. */
const PROV_DISC_METHOD = {
  'P2P-PROV-DISC-PBC-REQ': 'pbc',
  'P2P-PROV-DISC-SHOW-PIN': 'display',
  'P2P-PROV-DISC-ENTER-PIN': 'keypad',
} as const satisfies Record<string, ConnectMethod>;

/** Already being handled: phones retransmit, and answering twice resets the negotiation (hwsim README). */
function alreadyHandled(state: EngineState, address: string): boolean {
  return (
    state.session?.request.address === address ||
    state.queue.some((request) => request.address === address) ||
    state.approvals.some((approval) => approval.request.address === address) ||
    state.peerPin?.request.address === address ||
    state.clients.some((client) => client.address === address)
  );
}

export function whitelisted(state: EngineState, request: PeerRequest): boolean {
  return matchWhitelist(state.whitelist, request) !== null;
}

/**
 * A phone whose provision discovery still waits for the operator (approval, or its displayed PIN) may go on
 * with a plain P2P_CONNECT: the kiosk then sees P2P-GO-NEG-REQUEST and the phone waits for the kiosk to start
 * the negotiation. The eventual answer must then initiate (no `auth`), or both sides wait (hwsim README, PBC
 * sequence 1). Nothing is sent now: the request is still unanswered.
 */
function noteNegotiationWaiting(t: Transition, address: string): void {
  const s = t.state;
  const toGoNeg = (request: PeerRequest): PeerRequest =>
    request.address === address && request.via === 'prov-disc' ? { ...request, via: 'go-neg' } : request;
  t.update({
    queue: s.queue.map(toGoNeg),
    approvals: s.approvals.map((approval) => ({ ...approval, request: toGoNeg(approval.request) })),
    peerPin: s.peerPin ? { ...s.peerPin, request: toGoNeg(s.peerPin.request) } : null,
  });
}

/** Answer each peer once, then apply the admission policy. */
export function intake(t: Transition, heard: PeerRequest): void {
  const s = t.state;
  const request: PeerRequest = { ...heard, receivedAt: heard.receivedAt ?? t.now };
  if (!s.started || s.daemon === 'disconnected') return;
  if (alreadyHandled(s, request.address)) {
    if (request.via === 'go-neg') {
      noteNegotiationWaiting(t, request.address);
      onNegotiationWaiting(t, request.address);
    }
    return;
  }
  const backoff = s.failures[request.address];
  if (backoff && t.now < backoff.until) return;
  if (request.via === 'discovery' && !(s.settings.connectOnDiscovery && whitelisted(s, request))) return;
  if (!s.discoverable && request.via !== 'invitation') return;
  const decision = decide(request, s.settings, whitelisted(s, request));
  // A phone the operator just denied is not put to them again (a PIN typed or a whitelisting still lets it in).
  if (decision.kind === 'ask-operator' && (s.deniedUntil[request.address] ?? 0) > t.now) return;
  t.notify({
    type: 'request',
    address: request.address,
    name: request.name,
    method: request.method,
    via: request.via,
  });
  if (capacityLeft(t) <= 0) {
    refuse(t, request, 'group-full');
    return;
  }
  switch (decision.kind) {
    case 'accept':
      if (request.method === 'display') {
        if (s.pin === null) {
          t.error('no-pin', 'No PIN is available to show; the request was ignored.');
          return;
        }
        admit(t, { ...request, pin: s.pin });
      } else {
        admit(t, request);
      }
      return;
    case 'ask-operator':
      askOperator(t, request);
      return;
    case 'ask-peer-pin':
      // One at a time on the screen; a second phone showing its PIN retries later.
      if (s.peerPin === null) askPeerPin(t, request);
      return;
    case 'refuse':
      refuse(t, request, decision.reason);
      return;
  }
}

/** `P2P-DEVICE-FOUND`: remember the peer for the one-tap whitelist list. */
export function onDeviceFound(t: Transition, event: EventOf<'P2P-DEVICE-FOUND'>): void {
  const address = event.peer.p2pDevAddr;
  const name = event.peer.name ?? '';
  const known = t.state.peers.find((peer) => peer.address === address);
  const others = t.state.peers.filter((peer) => peer.address !== address);
  const peers = [...others, { address, name: name || known?.name || '', lastSeen: t.now }].slice(-MAX_PEERS);
  t.update({ peers });
  if (!known) t.notify({ type: 'peer-seen', address, name });
}

/** `P2P-DEVICE-LOST p2p_dev_addr=…`. */
export function onDeviceLost(t: Transition, event: EventOf<'P2P-DEVICE-LOST'>): void {
  const address = event.peer.p2pDevAddr;
  t.update({ peers: t.state.peers.filter((peer) => peer.address !== address) });
  // A request still waiting for its turn from a phone that is gone would only hold the setup slot until the
  // setup timeout: drop it (a phone that comes back asks again).
  if (t.state.queue.some((request) => request.address === address))
    t.update({ queue: t.state.queue.filter((request) => request.address !== address) });
}

/**
 * How long a phone waits for the kiosk to answer: a P2P_CONNECT waits up to 120 s for the GO negotiation, a
 * join's WPS enrollee for the 120 s walk time (README-P2P). A request that waited longer in the queue is stale:
 * answering it would hold the setup slot for the setup timeout with nobody on the other side.
 */
export const REQUEST_MAX_AGE_MS = 120_000;

export function isStale(request: PeerRequest, now: number): boolean {
  return request.receivedAt !== undefined && now - request.receivedAt > REQUEST_MAX_AGE_MS;
}

const MAX_PEERS = 64;
