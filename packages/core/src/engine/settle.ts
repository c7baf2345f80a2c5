import { maybeFind } from './discovery.js';
import { manageIdleTimer } from './group-life.js';
import { flushHeld, isSettingUp } from './held-commands.js';
import { ensureKeypadPin } from './keypad-pin.js';
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
  const [next, ...rest] = t.state.queue;
  if (!t.state.session && next) {
    t.update({ queue: rest });
    startSession(t, next);
    return;
  }
  maybeFind(t);
}
