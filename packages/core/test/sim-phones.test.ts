/**
 * Every phone preset against the simulator through real control sockets, with a stand-in kiosk agent
 * (KioskResponder) on the P2P device socket, at a hundredth of hwsim's timings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Simulator, type PhoneRequest, type SimulatedPhone } from '../src/sim/index.js';
import { KioskResponder } from '../src/sim/testing/kiosk-responder.js';

describe('sim scripted phones over the control socket', () => {
  let dir: string;
  let sim: Simulator;
  let kiosk: KioskResponder;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wdk-sim-phones-'));
    sim = new Simulator({ ctrlDir: join(dir, 'ctrl'), timeScale: 0.01, seed: 11 });
    await sim.start();
    kiosk = await KioskResponder.start({
      ctrlDir: join(dir, 'ctrl'),
      localDir: dir,
      // The operator types what the phone shows (the test reads it off the simulated screen).
      typedPin: (address) => sim.snapshot().phones.find((phone) => phone.address === address)?.displayPin,
    });
  });

  afterEach(async () => {
    await kiosk.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runPhone(request: PhoneRequest): Promise<SimulatedPhone> {
    const phone = sim.addPhone(request);
    await phone.idle();
    return phone;
  }

  function expectConnected(phone: SimulatedPhone): void {
    const snapshot = phone.snapshot();
    expect(snapshot.failure).toBeUndefined();
    expect(snapshot.status).toBe('idle');
    expect(snapshot.notices.map((notice) => notice.kind)).toContain('connected');
  }

  it('android-pbc: PBC provision discovery answered with auth, no GO-NEG-REQUEST', async () => {
    const phone = await runPhone({ preset: 'android-pbc' });
    expectConnected(phone);
    await kiosk.waitForEvent(`AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=${phone.address}`);
    expect(kiosk.events.some((event) => event.startsWith('P2P-GO-NEG-REQUEST'))).toBe(false);
    expect(kiosk.events).toContain(
      `P2P-PROV-DISC-PBC-REQ ${phone.address} p2p_dev_addr=${phone.address} pri_dev_type=10-0050F204-5 name='Pixel 7' config_methods=0x188 dev_capab=0x25 group_capab=0x0`,
    );
    expect(kiosk.commands).toContain(`P2P_CONNECT ${phone.address} pbc go_intent=15 auth`);
  });

  it('android-pbc-go-neg: plain P2P_CONNECT pbc, GO-NEG-REQUEST dev_passwd_id=4, kiosk initiates', async () => {
    const phone = await runPhone({ preset: 'android-pbc-go-neg' });
    expectConnected(phone);
    expect(kiosk.events).toContain(`P2P-GO-NEG-REQUEST ${phone.address} dev_passwd_id=4 go_intent=7`);
    expect(kiosk.commands).toContain(`P2P_CONNECT ${phone.address} pbc go_intent=15`);
  });

  it("android-pin: the phone types the kiosk's PIN after a display provision discovery", async () => {
    const phone = await runPhone({ preset: 'android-pin' });
    expectConnected(phone);
    expect(kiosk.events.some((event) => /^P2P-PROV-DISC-SHOW-PIN \S+ \d{8} p2p_dev_addr=/.test(event))).toBe(
      true,
    );
    expect(
      kiosk.events.some((event) => /^P2P-GO-NEG-SUCCESS role=GO .* wps_method=Display$/.test(event)),
    ).toBe(true);
  });

  it('android-pin-wrong: WPS-FAIL, formation failure, the kiosk finds again', async () => {
    const phone = await runPhone({ preset: 'android-pin-wrong' });
    expect(phone.snapshot().notices.map((notice) => notice.kind)).toContain('formation-failure');
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED');
    const failure = kiosk.events.slice(kiosk.events.findIndex((event) => event.startsWith('WPS-FAIL')));
    expect(failure.slice(0, 3)).toEqual([
      'WPS-FAIL msg=8 config_error=18',
      'P2P-GROUP-FORMATION-FAILURE ',
      'P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED',
    ]);
    await expect.poll(() => sim.snapshot().kiosk.find).toBe('find');
  });

  it('pin-go-neg: plain P2P_CONNECT <pin> keypad gives dev_passwd_id=1', async () => {
    const phone = await runPhone({ preset: 'pin-go-neg' });
    expectConnected(phone);
    expect(kiosk.events).toContain(`P2P-GO-NEG-REQUEST ${phone.address} dev_passwd_id=1 go_intent=7`);
    expect(kiosk.commands).toContain(`P2P_CONNECT ${phone.address} 12345670 display go_intent=15`);
  });

  it('windows-display-pin: ENTER-PIN, the kiosk types the PIN the laptop shows', async () => {
    const phone = await runPhone({ preset: 'windows-display-pin', displayPin: '24681353' });
    expectConnected(phone);
    expect(
      kiosk.events.some((event) =>
        event.startsWith(`P2P-PROV-DISC-ENTER-PIN ${phone.address} p2p_dev_addr=`),
      ),
    ).toBe(true);
    expect(kiosk.commands).toContain(`P2P_CONNECT ${phone.address} 24681353 keypad go_intent=15 auth`);
    expect(kiosk.events.some((event) => /wps_method=Keypad$/.test(event))).toBe(true);
  });

  it('android-repeat: the request arrives three times, answered once, still connects', async () => {
    const phone = await runPhone({ preset: 'android-repeat' });
    expectConnected(phone);
    expect(kiosk.events.filter((event) => event.startsWith('P2P-PROV-DISC-PBC-REQ'))).toHaveLength(3);
    expect(kiosk.commands.filter((command) => command.startsWith('P2P_CONNECT'))).toHaveLength(1);
  });

  it('android-join: a second phone joins the running group through WPS_PBC on the group interface', async () => {
    const first = await runPhone({ preset: 'android-pbc' });
    expectConnected(first);
    const second = await runPhone({ preset: 'android-join' });
    expectConnected(second);
    expect(
      kiosk.events.some(
        (event) =>
          event.startsWith(`P2P-PROV-DISC-PBC-REQ ${second.address}`) && event.endsWith(' group=p2p-wlan0-0'),
      ),
    ).toBe(true);
    expect(kiosk.commands).toContain('p2p-wlan0-0: WPS_PBC');
    expect(sim.snapshot().kiosk.groups[0]?.stations.map((station) => station.deviceAddress)).toEqual([
      first.address,
      second.address,
    ]);
  });

  it('android-join on an autonomous GO (P2P_GROUP_ADD): no negotiation at all', async () => {
    expect(await kiosk.send('P2P_GROUP_ADD persistent')).toBe('OK\n');
    await kiosk.waitForEvent(/^P2P-GROUP-STARTED p2p-wlan0-0 GO .* \[PERSISTENT\]$/);
    const phone = await runPhone({ preset: 'android-join' });
    expectConnected(phone);
    expect(kiosk.events.some((event) => event.startsWith('P2P-GO-NEG'))).toBe(false);
    await kiosk.waitForEvent(`AP-STA-CONNECTED 46:00:00:00:01:00 p2p_dev_addr=${phone.address}`);
  });

  it('android-join-pin: joins typing the PIN armed with WPS_PIN any', async () => {
    await runPhone({ preset: 'android-pbc' });
    const joiner = await runPhone({ preset: 'android-join-pin' });
    expectConnected(joiner);
    expect(kiosk.commands).toContain('p2p-wlan0-0: WPS_PIN any 12345670');
  });

  it('two phones at once: one negotiates the group, the other ends up in it (invited, or tapping again and joining)', async () => {
    // Whichever loses the race sees its provision discovery or negotiation fail while the kiosk is busy.
    const first = sim.addPhone({ preset: 'android-pbc', name: 'Pixel A', retries: 2 });
    const second = sim.addPhone({ preset: 'android-pbc', name: 'Pixel B', retries: 2 });
    await Promise.all([first.idle(), second.idle()]);
    expectConnected(first);
    expectConnected(second);
    expect(sim.snapshot().kiosk.groups).toHaveLength(1);
    expect(sim.snapshot().kiosk.groups[0]?.stations).toHaveLength(2);
  });

  it('a phone that negotiates while a group runs is invited into it (P2P_INVITE → status=1 → join)', async () => {
    const first = await runPhone({ preset: 'android-pbc' });
    expectConnected(first);
    await kiosk.send('P2P_FIND'); // the agent keeps the kiosk discoverable
    const laptop = await runPhone({ preset: 'android-pbc-go-neg', name: 'ubuntu-laptop', autoJoin: false });
    expectConnected(laptop);
    expect(kiosk.events).toContain(`P2P-GO-NEG-REQUEST ${laptop.address} dev_passwd_id=4 go_intent=7`);
    expect(kiosk.commands).toContain(`P2P_INVITE group=p2p-wlan0-0 peer=${laptop.address}`);
    expect(kiosk.events).toContain('P2P-INVITATION-RESULT status=1 ');
  });

  it('walk-out-mid-formation: FORMATION_FAILED after the formation timeout, then DEVICE-LOST', async () => {
    const phone = await runPhone({ preset: 'walk-out-mid-formation' });
    expect(phone.snapshot().failure).toBeUndefined();
    await kiosk.waitForEvent('P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=FORMATION_FAILED', 3000);
    await kiosk.waitForEvent(`P2P-DEVICE-LOST p2p_dev_addr=${phone.address}`, 3000);
  });

  it('short-visit: leaves after a while, AP-STA-DISCONNECTED, the GO keeps its group', async () => {
    const phone = await runPhone({ preset: 'short-visit' });
    await kiosk.waitForEvent(`AP-STA-DISCONNECTED 46:00:00:00:01:00 p2p_dev_addr=${phone.address}`);
    expect(sim.snapshot().kiosk.groups).toHaveLength(1);
    expect(kiosk.events.some((event) => event.startsWith('P2P-GROUP-REMOVED'))).toBe(false);
  });

  it('passer-by: found, never connects, lost after it walked away', async () => {
    const phone = await runPhone({ preset: 'passer-by' });
    await kiosk.waitForEvent(`P2P-DEVICE-FOUND ${phone.address}`);
    await kiosk.waitForEvent(`P2P-DEVICE-LOST p2p_dev_addr=${phone.address}`, 3000);
    expect(kiosk.commands.filter((command) => command.startsWith('P2P_CONNECT'))).toEqual([]);
  });

  it('idle phone told what to do later, then kicked: per_sta_psk keeps it out', async () => {
    const phone = sim.addPhone({ preset: 'idle', name: 'Pixel 7' });
    await kiosk.waitForEvent(`P2P-DEVICE-FOUND ${phone.address}`);
    sim.instructPhone(phone.id, [
      { do: 'provDisc', method: 'pbc' },
      { do: 'connect', method: 'pbc' },
      { do: 'waitFor', what: 'connected' },
    ]);
    await phone.idle();
    expectConnected(phone);
    expect(await kiosk.send('P2P_SET per_sta_psk 1')).toBe('OK\n');
    expect(await kiosk.send(`P2P_REMOVE_CLIENT ${phone.address}`)).toBe('OK\n');
    await kiosk.waitForEvent(`AP-STA-DISCONNECTED 46:00:00:00:01:00 p2p_dev_addr=${phone.address}`);
    sim.instructPhone(phone.id, [{ do: 'rejoin' }, { do: 'waitFor', what: 'failure' }]);
    await phone.idle();
    expect(phone.snapshot().notices.at(-1)).toEqual({ kind: 'join-failure', reason: 'psk-mismatch' });
  });
});
