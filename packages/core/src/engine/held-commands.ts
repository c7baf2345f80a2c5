import type { CommandPurpose } from './effects.js';
import type { EngineState } from './state.js';
import type { CommandContext, Transition } from './transition.js';

/**
 * True while a connection is being set up: from the answer (P2P_CONNECT, WPS_PBC…) until success, failure or
 * timeout. Any command right after P2P_CONNECT can break the group formation on some drivers (seed README:
 * "any command just after a p2p_connect disables the connection setup"), so nothing is sent then.
 */
export function isSettingUp(state: EngineState): boolean {
  return state.session !== null && state.session.stage !== 'cleaning';
}

/** Sends a command now, or holds it back until the connection being set up has ended. */
export function sendOrHold(
  t: Transition,
  command: string,
  purpose: CommandPurpose,
  context: CommandContext = {},
): void {
  if (t.state.daemon === 'disconnected') return;
  if (isSettingUp(t.state)) {
    t.update({ held: [...t.state.held, { command, purpose }] });
    return;
  }
  t.command(command, purpose, context);
}

export function flushHeld(t: Transition): void {
  const held = t.state.held;
  if (held.length === 0) return;
  t.update({ held: [] });
  for (const { command, purpose } of held) t.command(command, purpose);
}
