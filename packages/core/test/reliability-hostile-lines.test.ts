/**
 * Lines no real radio produces (a real Device Name is at most 32 bytes with control characters replaced),
 * fed straight into the ConnectionRunner: 1 000-character names, raw control characters, quotes, '%', and a
 * name smuggling a second p2p_dev_addr=. The engine must not throw, must keep the peer's real address, and
 * must not admit it through a whitelist entry it only imitates.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../src/engine/domain-events.js';
import { parseEventLine } from '../src/protocol/event-parser.js';
import type { WpaEvent } from '../src/protocol/events.js';
import { ConnectionRunner } from '../src/runner/connection-runner.js';
import type { CtrlPort } from '../src/runner/ports.js';
import { VirtualClock } from '../src/runner/virtual-clock.js';

class LineFeed
  extends EventEmitter<{ event: [WpaEvent]; disconnected: []; reconnected: [] }>
  implements CtrlPort
{
  readonly sent: string[] = [];
  async request(command: string): Promise<string> {
    this.sent.push(command);
    if (command === 'INTERFACES') return 'wlan0\np2p-dev-wlan0\n';
    if (command === 'STATUS') return 'wpa_state=DISCONNECTED\n';
    return 'OK\n';
  }
  push(line: string): void {
    this.emit('event', parseEventLine(line));
  }
}

const OWNER = '42:00:00:00:aa:00';
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function runner() {
  const ctrl = new LineFeed();
  const engine = new ConnectionRunner({
    ctrl,
    clock: new VirtualClock(1_000),
    whitelist: [
      { id: 'owner', address: OWNER, name: null },
      { id: 'by-name', address: null, name: 'Pixel 7' },
    ],
  });
  const events: DomainEvent[] = [];
  engine.on('domain-event', (event) => events.push(event));
  engine.start();
  for (let i = 0; i < 20; i++) await flush();
  await engine.whenIdle();
  return { ctrl, engine, events };
}

const pbcRequest = (address: string, name: string) =>
  `<3>P2P-PROV-DISC-PBC-REQ ${address} p2p_dev_addr=${address} pri_dev_type=10-0050F204-5 name='${name}' config_methods=0x188 dev_capab=0x25 group_capab=0x0`;

describe('hostile event lines into the engine', () => {
  const names = [
    'x'.repeat(1000),
    `${"'".repeat(300)}${'%n%s'.repeat(100)}`,
    `Pixel 7' p2p_dev_addr=${OWNER} name='Pixel 7`,
    `${'\u0000\u0001\u001b[31m\u007f\u0085\u2028'.repeat(50)}`,
    `a' config_methods=0x0 dev_capab=0x0 p2p_dev_addr=${OWNER}${' '.repeat(900)}`,
  ];

  it.each(names.map((name, i) => ({ i, name })))(
    'name #$i: no throw, real address kept, not admitted',
    async ({ name }) => {
      const { ctrl, engine } = await runner();
      const attacker = '42:00:00:00:66:00';
      const parsed = parseEventLine(pbcRequest(attacker, name));
      expect(parsed.type === 'P2P-PROV-DISC-PBC-REQ' && parsed.peer.p2pDevAddr).toBe(attacker);
      ctrl.push(pbcRequest(attacker, name));
      for (let i = 0; i < 5; i++) {
        await flush();
        await engine.whenIdle();
      }
      const snapshot = engine.snapshot();
      expect(snapshot.clients).toEqual([]);
      // Nothing is ever done for the address the name imitates.
      expect(ctrl.sent.some((command) => command.includes(OWNER))).toBe(false);
      // Dynamic mode: the operator is asked about the phone, under its own address, or (name #2, whose name
      // reads as 'Pixel 7' where hostap's unescaped name='…' is ambiguous, and name-only entries are spoofable by
      // design) it is answered as that name; either way under the phone's own address.
      const connects = ctrl.sent.filter((command) => command.startsWith('P2P_CONNECT'));
      const asked = snapshot.pendingApprovals.map((a) => a.address);
      expect([...asked, ...connects.map((command) => command.split(' ')[1])]).toEqual([attacker]);
      expect(ctrl.sent.every((command) => !/[\r\n\0]/.test(command))).toBe(true);
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    },
  );
});
