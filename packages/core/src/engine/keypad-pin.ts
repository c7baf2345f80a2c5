import { isValidKeypadPin } from '../protocol/wps-pin.js';
import type { EngineSettings } from './settings.js';
import type { Transition } from './transition.js';

/** Whether a phone may connect by typing the kiosk's PIN in this mode. */
export function keypadPinOffered(settings: EngineSettings): boolean {
  return settings.mode !== 'static-pbc';
}

function freshOrNull(freshPin: string | null): string | null {
  return freshPin !== null && isValidKeypadPin(freshPin) ? freshPin : null;
}

/** The PIN to show: the fixed one, or the one already shown, or a fresh one. */
export function ensureKeypadPin(t: Transition): void {
  const { settings, pin } = t.state;
  if (!keypadPinOffered(settings)) {
    if (pin !== null) t.update({ pin: null });
    return;
  }
  if (settings.fixedPin !== null) {
    if (pin !== settings.fixedPin) t.update({ pin: settings.fixedPin });
    return;
  }
  if (pin === null) t.update({ pin: freshOrNull(t.freshPin) });
}

/**
 * A PIN that was used (success) or burnt (failure) is replaced, so it cannot be replayed by someone who watched
 * it being typed; a fixed PIN stays. The value never goes into the event, only the fact.
 */
export function rotateKeypadPin(t: Transition): void {
  const { settings } = t.state;
  if (!keypadPinOffered(settings) || settings.fixedPin !== null) return;
  const next = freshOrNull(t.freshPin);
  if (next === null || next === t.state.pin) return;
  t.update({ pin: next });
  t.notify({ type: 'pin-rotated' });
}
