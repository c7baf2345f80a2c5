import { isValidKeypadPin } from '../protocol/wps-pin.js';
import { approve, deny, dismissPeerPin, enterPeerPin } from './approvals.js';
import { requestFind } from './discovery.js';
import { endEverything } from './daemon.js';
import { kickClient } from './group-life.js';
import { sendOrHold } from './held-commands.js';
import type { OperatorAction } from './inputs.js';
import { kioskCommands } from './kiosk-commands.js';
import { beginSync } from './startup.js';
import type { EngineState } from './state.js';
import type { Transition } from './transition.js';

export type OperatorErrorCode = 'not-found' | 'invalid-pin' | 'unavailable';
export type OperatorResult =
  { readonly ok: true } | { readonly ok: false; readonly code: OperatorErrorCode; readonly message: string };

const OK: OperatorResult = { ok: true };

/** Whether an operator action applies to the current state (the API answers 404 / 400 / 503 from it). */
export function checkOperatorAction(state: EngineState, action: OperatorAction): OperatorResult {
  if (!state.started)
    return { ok: false, code: 'unavailable', message: 'The connection engine is not running.' };
  switch (action.type) {
    case 'approve':
    case 'deny':
      return state.approvals.some((approval) => approval.id === action.id)
        ? OK
        : { ok: false, code: 'not-found', message: `No pending approval ${action.id}.` };
    case 'kick':
      return state.clients.some((client) => client.address === action.address.toLowerCase())
        ? OK
        : { ok: false, code: 'not-found', message: `No client ${action.address}.` };
    case 'enter-peer-pin':
      if (state.peerPin?.request.address !== action.address.toLowerCase())
        return { ok: false, code: 'not-found', message: `No PIN is expected from ${action.address}.` };
      return isValidKeypadPin(action.pin)
        ? OK
        : { ok: false, code: 'invalid-pin', message: 'A PIN is 8 digits with a valid checksum digit.' };
    case 'dismiss-peer-pin':
      return state.peerPin?.request.address === action.address.toLowerCase()
        ? OK
        : { ok: false, code: 'not-found', message: `No PIN is expected from ${action.address}.` };
    case 'set-discoverable':
    case 'resync':
      return state.daemon === 'connected'
        ? OK
        : { ok: false, code: 'unavailable', message: 'wpa_supplicant is not connected.' };
  }
}

export function onOperator(t: Transition, action: OperatorAction): void {
  const check = checkOperatorAction(t.state, action);
  if (!check.ok) {
    t.notify({ type: 'error', code: check.code, message: check.message });
    return;
  }
  switch (action.type) {
    case 'approve':
      approve(t, action.id, action.remember);
      return;
    case 'deny':
      deny(t, action.id);
      return;
    case 'kick':
      kickClient(t, action.address);
      return;
    case 'enter-peer-pin':
      enterPeerPin(t, action.address, action.pin);
      return;
    case 'dismiss-peer-pin':
      dismissPeerPin(t, action.address);
      return;
    case 'set-discoverable':
      setDiscoverable(t, action.on);
      return;
    case 'resync':
      endEverything(t, 'daemon-restart');
      t.update({ busy: false, lastError: null });
      beginSync(t);
      return;
  }
}

function setDiscoverable(t: Transition, on: boolean): void {
  if (t.state.discoverable === on) return;
  t.update({ discoverable: on });
  t.notify({ type: 'discoverable-changed', discoverable: on });
  if (on) requestFind(t);
  else {
    t.update({ findDue: false });
    sendOrHold(t, kioskCommands.stopFind(), 'stop-find');
  }
}
