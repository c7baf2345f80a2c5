import { describe, expect, it } from 'vitest';
import type { ConnectMethod } from '../protocol/events.js';
import { decide, type PolicyDecision } from './connection-policy.js';
import type { RequestVia } from './domain-events.js';
import { EngineDriver, commandsOf, notificationsOf } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';
import { defaultEngineSettings, type EngineSettingsInput } from './settings.js';
import { snapshot } from './snapshot.js';
import { matchWhitelist, type WhitelistEntry } from './whitelist.js';

const request = (method: ConnectMethod, via: RequestVia = 'go-neg') => ({
  address: PHONE.address,
  name: PHONE.name,
  method,
  via,
  group: null,
  persistentId: null,
  pin: null,
});

describe('admission policy', () => {
  const accept: PolicyDecision = { kind: 'accept' };
  it.each<[EngineSettingsInput, ConnectMethod, boolean, PolicyDecision]>([
    [{ mode: 'static-pbc' }, 'pbc', false, accept],
    [{ mode: 'static-pbc' }, 'display', true, { kind: 'refuse', reason: 'pbc-only' }],
    [{ mode: 'static-pbc' }, 'keypad', true, { kind: 'refuse', reason: 'pbc-only' }],
    [{ mode: 'static-pin' }, 'pbc', true, { kind: 'refuse', reason: 'pin-required' }],
    [{ mode: 'static-pin' }, 'display', false, accept],
    [{ mode: 'static-pin' }, 'keypad', false, { kind: 'ask-peer-pin' }],
    [{ mode: 'dynamic' }, 'pbc', true, accept],
    [{ mode: 'dynamic', unknownPbc: 'approve' }, 'pbc', false, { kind: 'ask-operator' }],
    [{ mode: 'dynamic', unknownPbc: 'pin' }, 'pbc', false, { kind: 'refuse', reason: 'pin-required' }],
    [{ mode: 'dynamic' }, 'display', false, accept],
    [{ mode: 'dynamic' }, 'keypad', true, { kind: 'ask-peer-pin' }],
  ])('%j: %s from a peer whitelisted=%s → %j', (settings, method, whitelisted, expected) => {
    expect(decide(request(method), defaultEngineSettings(settings), whitelisted)).toEqual(expected);
  });

  it.each<[EngineSettingsInput, boolean, PolicyDecision]>([
    [{ persistent: true }, true, { kind: 'accept' }],
    [{ persistent: true }, false, { kind: 'refuse', reason: 'unknown-peer' }],
    [{ persistent: false }, true, { kind: 'refuse', reason: 'unknown-peer' }],
  ])('persistent group invitation %j whitelisted=%s → %j', (settings, whitelisted, expected) => {
    expect(decide(request('pbc', 'invitation'), defaultEngineSettings(settings), whitelisted)).toEqual(
      expected,
    );
  });

  it('dynamic mode end to end: whitelisted pbc connects, unknown pbc waits for the operator, unknown PIN connects', () => {
    const kiosk = EngineDriver.started({ whitelist: [{ id: 'w', address: PHONE.address, name: null }] });
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE_2)))).toEqual([]);
    expect(snapshot(kiosk.state).pendingApprovals).toHaveLength(1);
    expect(commandsOf(kiosk.event(lines.goNegRequest(4, PHONE)))).toEqual([
      `P2P_CONNECT ${PHONE.address} pbc go_intent=15`,
    ]);
  });

  it.each([
    { settings: { mode: 'static-pin' } as const, line: lines.goNegRequest(4), reason: 'pin-required' },
    { settings: { unknownPbc: 'pin' } as const, line: lines.provDiscPbc(PHONE_2), reason: 'pin-required' },
    {
      settings: { mode: 'static-pbc' } as const,
      line: lines.provDiscShowPin('82433994', PHONE_2),
      reason: 'pbc-only',
    },
  ])(
    'a method the mode does not offer is refused with P2P_REJECT ($reason)',
    ({ settings, line, reason }) => {
      const kiosk = EngineDriver.started({ settings });
      const effects = kiosk.event(line);
      expect(commandsOf(effects)[0]).toMatch(/^P2P_REJECT /);
      expect(notificationsOf(effects)).toContainEqual(expect.objectContaining({ type: 'denied', reason }));
    },
  );
});

describe('matchWhitelist', () => {
  const byAddress: WhitelistEntry = { id: 'a', address: '42:00:00:00:01:00', name: null };
  const byName: WhitelistEntry = { id: 'n', address: null, name: 'Pixel 8' };
  const byBoth: WhitelistEntry = { id: 'b', address: '42:00:00:00:02:00', name: 'Pixel 8' };
  const empty: WhitelistEntry = { id: 'e', address: null, name: null };
  it.each([
    { entries: [byAddress], peer: { address: '42:00:00:00:01:00', name: 'x' }, match: 'a' },
    { entries: [byAddress], peer: { address: '42:00:00:00:01:00'.toUpperCase(), name: 'x' }, match: 'a' },
    { entries: [byAddress], peer: { address: '42:00:00:00:09:00', name: 'x' }, match: null },
    { entries: [byName], peer: { address: '42:00:00:00:09:00', name: 'Pixel 8' }, match: 'n' },
    { entries: [byName], peer: { address: '42:00:00:00:09:00', name: 'pixel 8' }, match: null },
    { entries: [byBoth], peer: { address: '42:00:00:00:02:00', name: 'Pixel 8' }, match: 'b' },
    { entries: [byBoth], peer: { address: '42:00:00:00:02:00', name: 'Pixel 7' }, match: null },
    { entries: [byBoth], peer: { address: '42:00:00:00:03:00', name: 'Pixel 8' }, match: null },
    { entries: [empty], peer: { address: '42:00:00:00:03:00', name: '' }, match: null },
  ])('$peer against $entries.0.id → $match', ({ entries, peer, match }) => {
    expect(matchWhitelist(entries, peer)?.id ?? null).toBe(match);
  });

  it('a whitelist update applies to the next request', () => {
    const kiosk = EngineDriver.started();
    kiosk.send({ kind: 'whitelist', entries: [{ id: 'n', address: null, name: 'Pixel 8' }] });
    expect(commandsOf(kiosk.event(lines.provDiscPbc(PHONE_2)))).toEqual([
      `P2P_CONNECT ${PHONE_2.address} pbc auth go_intent=15`,
    ]);
  });
});
