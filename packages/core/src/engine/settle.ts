import { maybeFind } from './discovery.js';
import { manageIdleTimer } from './group-life.js';
import { flushHeld, isSettingUp } from './held-commands.js';
import { ensureKeypadPin } from './keypad-pin.js';
import { isStale } from './peer-requests.js';
import { startSession } from './session.js';
import { advanceSync } from './startup.js';
import type { Transition } from './transition.js';

/**
 * Runs after every input: sends what became possible, in order — held commands, the next step of a command
 * sequence, the next admitted request, the idle-group timer, the due P2P_FIND. Nothing while a connection is
 * being set up.
 */
export function settle(t: Transition): void {
  ensureKeypadPin(t);
  if (!t.state.started || t.state.daemon === 'disconnected') return;
  if (isSettingUp(t.state)) return;
  flushHeld(t);
  if (t.state.sync) {
    advanceSync(t);
    if (t.state.sync || isSettingUp(t.state)) return;
  }
  manageIdleTimer(t);
  if (!t.state.session) {
    // Requests whose phone gave up meanwhile (see isStale), or that joined already under another
    // authorisation (a PIN armed for `any`), are not answered.
    const clients = new Set(t.state.clients.map((client) => client.address));
    const waiting = t.state.queue.filter(
      (request) => !isStale(request, t.now) && !clients.has(request.address),
    );
    const [next, ...rest] = waiting;
    if (waiting.length !== t.state.queue.length) t.update({ queue: waiting });
    if (next) {
      t.update({ queue: rest });
      startSession(t, next);
      return;
    }
  }
  maybeFind(t);
}
