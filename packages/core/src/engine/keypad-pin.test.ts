import { describe, expect, it } from 'vitest';
import { EngineDriver, commandsOf, notificationsOf, type DriverStep } from './engine-driver.js';
import { PHONE, PHONE_2, lines } from './fixtures/hwsim-lines.js';
import { maskPins } from './kiosk-commands.js';
import { snapshot } from './snapshot.js';

const typedOurPin: DriverStep[] = [
  { event: lines.goNegRequest(1) },
  { reply: 'P2P_CONNECT' },
  { event: lines.groupStarted() },
  { event: lines.staConnected() },
];
const wrongPin: DriverStep[] = [
  { event: lines.goNegRequest(1) },
  { reply: 'P2P_CONNECT' },
  { event: lines.wpsFail(18) },
  { event: lines.formationFailure() },
];

describe('the keypad PIN', () => {
  it.each([
    { mode: 'dynamic', pin: '12345670' },
    { mode: 'static-pin', pin: '12345670' },
    { mode: 'static-pbc', pin: null },
  ] as const)('shown in the snapshot when PIN is possible: $mode → $pin', ({ mode, pin }) => {
    expect(snapshot(EngineDriver.started({ settings: { mode } }).state).pin).toBe(pin);
  });

  it.each([
    { name: 'after it was used', steps: typedOurPin },
    { name: 'after a failure (burnt)', steps: wrongPin },
  ])('rotates $name, and the event carries no PIN', ({ steps }) => {
    const kiosk = EngineDriver.started();
    const before = snapshot(kiosk.state).pin;
    const effects = kiosk.run(steps);
    const after = snapshot(kiosk.state).pin;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\d{8}$/);
    expect(notificationsOf(effects)).toContainEqual({ type: 'pin-rotated' });
  });

  it('is shown until the phone that typed it is in (the PIN stays while it is being typed)', () => {
    const kiosk = EngineDriver.started();
    const pin = snapshot(kiosk.state).pin;
    kiosk.run([{ event: lines.goNegRequest(1) }, { reply: 'P2P_CONNECT' }, { event: lines.groupStarted() }]);
    expect(snapshot(kiosk.state).pin).toBe(pin);
  });

  it('does not rotate after a push-button connection', () => {
    const kiosk = EngineDriver.started({ whitelist: [{ id: 'w', address: PHONE.address, name: null }] });
    const pin = snapshot(kiosk.state).pin;
    kiosk.run([
      { event: lines.goNegRequest(4) },
      { reply: 'P2P_CONNECT' },
      { event: lines.groupStarted() },
      { event: lines.staConnected() },
    ]);
    expect(snapshot(kiosk.state).pin).toBe(pin);
  });

  it('a fixed PIN never rotates', () => {
    const kiosk = EngineDriver.started({ settings: { fixedPin: '87654325' } });
    kiosk.run(wrongPin);
    expect(snapshot(kiosk.state).pin).toBe('87654325');
  });

  it('a queued phone is answered with the PIN that was on screen when it asked', () => {
    const kiosk = EngineDriver.started();
    const shown = snapshot(kiosk.state).pin ?? '';
    kiosk.run([
      { event: lines.goNegRequest(1) },
      { reply: 'P2P_CONNECT' },
      { event: lines.goNegRequest(1, PHONE_2) },
    ]);
    const next = commandsOf(kiosk.run([{ event: lines.goNegFailure(1) }]));
    expect(next).toEqual([`P2P_CONNECT ${PHONE_2.address} ${shown} display go_intent=15`]);
  });

  it('never appears in a notification, whatever happens', () => {
    const kiosk = EngineDriver.started({ settings: { fixedPin: '12345670' } });
    const effects = kiosk.run([
      ...typedOurPin,
      { event: lines.provDiscShowPin('82433994', PHONE_2, 'p2p-wlan0-0') },
      { event: lines.wpsFail(18) },
      { event: lines.provDiscEnterPin(PHONE_2) },
      { operator: { type: 'enter-peer-pin', address: PHONE_2.address, pin: '87654325' } },
    ]);
    const notified = JSON.stringify(notificationsOf(effects));
    expect(notified).not.toContain('12345670');
    expect(notified).not.toContain('87654325');
  });

  it('a new fixed PIN is shown at once', () => {
    const kiosk = EngineDriver.started();
    kiosk.send({ kind: 'settings', settings: { ...kiosk.state.settings, fixedPin: '87654325' } });
    expect(snapshot(kiosk.state).pin).toBe('87654325');
  });

  it('maskPins hides group passphrases and PSKs too', () => {
    expect(
      maskPins(
        '<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-Ee" freq=2437 passphrase="pmuLqL46" go_dev_addr=42:00:00:00:00:00',
      ),
    ).toBe(
      '<3>P2P-GROUP-STARTED p2p-wlan0-0 GO ssid="DIRECT-Ee" freq=2437 passphrase=[redacted] go_dev_addr=42:00:00:00:00:00',
    );
    expect(
      maskPins(
        'P2P-GROUP-STARTED p2p-wlan0-0 client ssid="x" freq=2437 psk=0123abcd go_dev_addr=42:00:00:00:00:00',
      ),
    ).toBe(
      'P2P-GROUP-STARTED p2p-wlan0-0 client ssid="x" freq=2437 psk=[redacted] go_dev_addr=42:00:00:00:00:00',
    );
  });

  it('maskPins hides 8-digit PINs in command text, not MAC addresses', () => {
    expect(maskPins(`P2P_CONNECT ${PHONE.address} 12345670 display go_intent=15`)).toBe(
      `P2P_CONNECT ${PHONE.address} ******** display go_intent=15`,
    );
    expect(maskPins('IFNAME=p2p-wlan0-0 WPS_PIN any 12345670')).toBe(
      'IFNAME=p2p-wlan0-0 WPS_PIN any ********',
    );
  });
});
