import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../protocol/event-parser.js';
import type { WpaEvent } from '../protocol/events.js';
import { EngineDriver } from './engine-driver.js';
import type { Effect } from './effects.js';
import { PHONE, PHONE_2, PHONE_3, lines, type PhoneFixture } from './fixtures/hwsim-lines.js';
import type { EngineInputBody } from './inputs.js';

const phones = [PHONE, PHONE_2, PHONE_3];
const phone = fc.constantFrom(...phones);

/** Anything wpa_supplicant, the operator or time may throw at the engine, in any order. */
type Step =
  | { kind: 'event'; line: string }
  | { kind: 'reply'; reply: string }
  | { kind: 'request-failed' }
  | { kind: 'advance'; ms: number }
  | {
      kind: 'operator';
      action: 'approve' | 'deny' | 'kick' | 'discoverable' | 'peer-pin';
      phone: PhoneFixture;
    }
  | { kind: 'daemon'; lost: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    line: fc.oneof(
      phone.map((p) => lines.goNegRequest(4, p)),
      phone.map((p) => lines.goNegRequest(1, p)),
      phone.map((p) => lines.goNegRequest(5, p)),
      phone.map((p) => lines.provDiscPbc(p)),
      phone.map((p) => lines.provDiscPbc(p, 'p2p-wlan0-0')),
      phone.map((p) => lines.provDiscShowPin('82433994', p)),
      phone.map((p) => lines.provDiscEnterPin(p)),
      phone.map((p) => lines.deviceFound(p)),
      phone.map((p) => lines.deviceLost(p)),
      phone.map((p) => lines.goNegSuccess(p)),
      phone.map((p) => lines.staConnected(p)),
      phone.map((p) => lines.staDisconnected(p)),
      fc.constant(lines.findStopped()),
      fc.constant(lines.groupStarted('p2p-wlan0-0')),
      fc.constant(lines.groupRemoved('p2p-wlan0-0', 'FORMATION_FAILED')),
      fc.constant(lines.groupRemoved('p2p-wlan0-0', 'IDLE')),
      fc.constant(lines.goNegFailure(1)),
      fc.constant(lines.formationFailure()),
      fc.constant(lines.wpsFail(18)),
      fc.constant(lines.wpsTimeout()),
      fc.constant(lines.invitationResult(1)),
    ),
  }),
  fc.record({
    kind: fc.constant('reply' as const),
    reply: fc.constantFrom('OK\n', 'OK\n', 'FAIL\n', 'FAIL -16 busy\n'),
  }),
  fc.record({ kind: fc.constant('request-failed' as const) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 130_000 }) }),
  fc.record({
    kind: fc.constant('operator' as const),
    action: fc.constantFrom('approve', 'deny', 'kick', 'discoverable', 'peer-pin'),
    phone,
  }),
  fc.record({ kind: fc.constant('daemon' as const), lost: fc.boolean() }),
);

function operatorInput(driver: EngineDriver, s: Extract<Step, { kind: 'operator' }>): EngineInputBody {
  const approval = driver.state.approvals[0];
  switch (s.action) {
    case 'approve':
      return {
        kind: 'operator',
        action: { type: 'approve', id: approval?.id ?? 'approval-0', remember: true },
      };
    case 'deny':
      return { kind: 'operator', action: { type: 'deny', id: approval?.id ?? 'approval-0' } };
    case 'kick':
      return { kind: 'operator', action: { type: 'kick', address: s.phone.address } };
    case 'discoverable':
      return { kind: 'operator', action: { type: 'set-discoverable', on: !driver.state.discoverable } };
    case 'peer-pin':
      return {
        kind: 'operator',
        action: { type: 'enter-peer-pin', address: s.phone.address, pin: '87654325' },
      };
  }
}

/** What ends a negotiation: its outcome, a failure, a timeout, the daemon going away. */
function endsNegotiation(input: EngineInputBody, connectId: number, peer: string): boolean {
  switch (input.kind) {
    case 'reply':
      return input.requestId === connectId && !/^OK/.test(input.reply);
    case 'timer':
      return input.timerId.startsWith('setup:') || input.timerId.startsWith('teardown:');
    case 'daemon-lost':
    case 'daemon-back':
    case 'stop':
      return true;
    case 'event': {
      const event: WpaEvent = input.event;
      if (event.type === 'AP-STA-CONNECTED') return event.p2pDevAddr === peer;
      return [
        'P2P-GO-NEG-FAILURE',
        'P2P-GROUP-FORMATION-FAILURE',
        'P2P-GROUP-REMOVED',
        'CTRL-EVENT-TERMINATING',
        'WPS-FAIL',
        'WPS-TIMEOUT',
      ].includes(event.type);
    }
    default:
      return false;
  }
}

describe('the quiet window after P2P_CONNECT (property)', () => {
  it('after a P2P_CONNECT no command at all, hence no P2P_FIND, until the negotiation ends', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.constantFrom('dynamic', 'static-pin', 'static-pbc'),
        (steps, mode) => {
          const kiosk = EngineDriver.started({
            settings: { mode, maxClients: 2 },
            whitelist: [{ id: 'w', address: PHONE.address, name: null }],
          });
          // The P2P_CONNECT in flight: its request id and peer, until the negotiation ends. One exception: after
          // an `auth` answer (the phone is to initiate), the same phone's GO-NEG-REQUEST means it waits for us,
          // and the kiosk initiates to it (hwsim README, PBC sequence 1): that P2P_CONNECT is the negotiation.
          let connecting: { id: number; peer: string; auth: boolean } | null = null;
          const apply = (input: EngineInputBody): Effect[] => {
            if (connecting && endsNegotiation(input, connecting.id, connecting.peer)) connecting = null;
            const effects = kiosk.send(input);
            for (const effect of effects) {
              if (effect.kind !== 'command') continue;
              const [verb, peer = ''] = effect.command.split(' ');
              const auth = / auth( |$)/.test(effect.command);
              const initiatesAfterAuth =
                input.kind === 'event' &&
                input.event.type === 'P2P-GO-NEG-REQUEST' &&
                connecting?.auth === true &&
                connecting.peer === peer &&
                verb === 'P2P_CONNECT' &&
                !auth;
              if (!initiatesAfterAuth)
                expect(connecting, `${effect.command} sent while connecting`).toBeNull();
              if (verb === 'P2P_CONNECT') connecting = { id: effect.requestId, peer, auth };
            }
            return effects;
          };
          for (const s of steps) {
            if (s.kind === 'event') apply({ kind: 'event', event: parseEventLine(s.line) });
            else if (s.kind === 'reply' || s.kind === 'request-failed') {
              const id = Object.keys(kiosk.state.pending)
                .map(Number)
                .sort((a, b) => a - b)[0];
              if (id === undefined) continue;
              apply(
                s.kind === 'reply'
                  ? { kind: 'reply', requestId: id, reply: s.reply }
                  : { kind: 'request-failed', requestId: id, error: 'timeout' },
              );
            } else if (s.kind === 'advance') {
              // Fire due timers one by one through `apply`, in time order.
              const until = kiosk.now + s.ms;
              for (;;) {
                const due = [...kiosk.armedTimers()]
                  .filter(([, at]) => at <= until)
                  .sort(([, a], [, b]) => a - b)[0];
                if (!due) break;
                kiosk.armedTimers().delete(due[0]);
                kiosk.now = Math.max(kiosk.now, due[1]);
                apply({ kind: 'timer', timerId: due[0] });
              }
              kiosk.now = until;
            } else if (s.kind === 'operator') apply(operatorInput(kiosk, s));
            else apply({ kind: s.lost ? 'daemon-lost' : 'daemon-back' });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
