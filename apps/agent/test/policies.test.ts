import { afterEach, describe, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { eventually, removeDir, request, startTestAgent, type TestAgent } from './helpers.js';

interface State {
  mode: string;
  deviceName: string;
  discoverable: boolean;
  group: { ifname: string } | null;
  clients: { address: string; name: string }[];
  pendingApprovals: { id: string; address: string }[];
  pin: string | null;
  lastError: { code: string } | null;
}
interface SessionPage {
  items: {
    peerAddress: string;
    method: string;
    connectedAt: string | null;
    endedAt: string | null;
    endReason: string | null;
  }[];
}

let running: TestAgent[] = [];
afterEach(async () => {
  for (const t of running) {
    await t.stop().catch(() => undefined);
    removeDir(t.dir);
  }
  running = [];
});

async function agent(dir?: string) {
  const t = await startTestAgent(dir ? { dir } : {});
  running.push(t);
  return t;
}

async function get<T>(t: TestAgent, route: string): Promise<T> {
  const reply = await request(t.agent.port, 'GET', route);
  if (reply.body.status !== 'ok') throw new Error(reply.body.error.message);
  return reply.body.data as T;
}

async function send<T>(t: TestAgent, method: string, route: string, body: unknown = {}): Promise<T> {
  const reply = await request(t.agent.port, method, route, { body });
  if (reply.body.status !== 'ok') throw new Error(`${method} ${route}: ${reply.body.error.message}`);
  return reply.body.data as T;
}

const state = (t: TestAgent) => get<State>(t, '/api/state');
const connected = (t: TestAgent, address: string) =>
  eventually(async () => (await state(t)).clients.some((c) => c.address === address));

describe('policies end to end (agent on the simulator, over HTTP)', () => {
  it('static-pbc: anyone connects by push button, no approval', async () => {
    const t = await agent();
    await send(t, 'PUT', '/api/settings', { mode: 'static-pbc' });
    t.agent.simulator!.addPhone({ preset: 'android-pbc', name: 'Anyone', address: '42:00:00:00:11:00' });
    await connected(t, '42:00:00:00:11:00');
    expect((await state(t)).pendingApprovals).toEqual([]);
  });

  it('dynamic: a whitelisted phone connects by push button with no operator action', async () => {
    const t = await agent();
    await send(t, 'POST', '/api/whitelist', { address: '42:00:00:00:12:00', label: 'Owner' });
    t.agent.simulator!.addPhone({
      preset: 'android-pbc-go-neg',
      name: 'Owner phone',
      address: '42:00:00:00:12:00',
    });
    await connected(t, '42:00:00:00:12:00');
    const sessions = await eventually(async () => {
      const page = await get<SessionPage>(t, '/api/sessions');
      return page.items[0]?.connectedAt ? page : null;
    });
    expect(sessions.items[0]).toMatchObject({
      peerAddress: '42:00:00:00:12:00',
      method: 'pbc',
      endedAt: null,
    });
  });

  it('dynamic: an unknown push-button phone waits for approval; approve and remember whitelists it', async () => {
    const t = await agent();
    t.agent.simulator!.addPhone({ preset: 'android-pbc', name: 'Visitor', address: '42:00:00:00:13:00' });
    const pending = await eventually(async () => (await state(t)).pendingApprovals[0]);
    expect(pending.address).toBe('42:00:00:00:13:00');
    await send(t, 'POST', `/api/approvals/${pending.id}/approve`, { remember: true });
    await connected(t, '42:00:00:00:13:00');
    const whitelist = await eventually(async () => {
      const entries = await get<{ address: string; addedBy: string }[]>(t, '/api/whitelist');
      return entries.length > 0 ? entries : null;
    });
    expect(whitelist).toEqual([
      expect.objectContaining({ address: '42:00:00:00:13:00', addedBy: 'approval' }),
    ]);
    const audit = await get<{ items: { actor: string; action: string }[] }>(t, '/api/audit');
    expect(audit.items).toContainEqual(
      expect.objectContaining({ actor: 'kiosk', action: 'approval.approve' }),
    );
  });

  it('dynamic: deny over socket.io refuses the phone; the kiosk stays discoverable', async () => {
    const t = await agent();
    const socket = connectSocket(`http://127.0.0.1:${t.agent.port}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    const states: State[] = [];
    const events: { type: string }[] = [];
    socket.on('state', (s: State) => states.push(s));
    socket.on('domain-event', (e: { type: string }) => events.push(e));
    await eventually(() => states.length > 0);
    t.agent.simulator!.addPhone({ preset: 'android-pbc', name: 'Stranger', address: '42:00:00:00:14:00' });
    const pending = await eventually(() => states.at(-1)?.pendingApprovals[0]);
    const ack = await socket
      .timeout(5000)
      .emitWithAck('command', { name: 'approvals.deny', input: { id: pending.id } });
    expect(ack).toEqual({ status: 'ok', data: { denied: pending.id } });
    await eventually(() => events.some((e) => e.type === 'denied'));
    await eventually(() => states.at(-1)?.pendingApprovals.length === 0 && states.at(-1)?.discoverable);
    expect(states.at(-1)?.clients).toEqual([]);
    const bad = await socket
      .timeout(5000)
      .emitWithAck('command', { name: 'approvals.deny', input: { id: 'no such id!' } });
    expect(bad).toMatchObject({ status: 'error', error: { code: 'bad-request', field: 'id' } });
    socket.close();
  });

  it('static-pin: the phone that types the PIN shown connects; a push-button request is refused', async () => {
    const t = await agent();
    await send(t, 'PUT', '/api/settings', { mode: 'static-pin' });
    const pin = (await eventually(async () => (await state(t)).pin)) as string;
    expect(pin).toMatch(/^\d{8}$/);
    t.agent.simulator!.addPhone({
      preset: 'android-pbc-go-neg',
      name: 'Button pusher',
      address: '42:00:00:00:16:00',
    });
    await eventually(async () => {
      const events = await get<{ items: { type: string; peerAddress: string }[] }>(t, '/api/events');
      return events.items.some((e) => e.type === 'denied' && e.peerAddress === '42:00:00:00:16:00');
    });
    t.agent.simulator!.addPhone({ preset: 'android-pin', name: 'PIN typer', address: '42:00:00:00:15:00' });
    await connected(t, '42:00:00:00:15:00');
    await eventually(async () => (await state(t)).pin !== pin);
  });

  it('the group is removed when the last client leaves, and discovery resumes', async () => {
    const t = await agent();
    await send(t, 'PUT', '/api/settings', { mode: 'static-pbc', idleGraceMs: 200 });
    t.agent.simulator!.addPhone({ preset: 'short-visit', name: 'Visitor', address: '42:00:00:00:17:00' });
    await connected(t, '42:00:00:00:17:00');
    await eventually(async () => {
      const s = await state(t);
      return s.group === null && s.clients.length === 0 && s.discoverable;
    }, 20_000);
    expect(t.agent.simulator!.snapshot().interfaces.filter((i) => i.startsWith('p2p-wlan0-'))).toEqual([]);
    const sessions = await get<SessionPage>(t, '/api/sessions');
    expect(sessions.items[0]).toMatchObject({ peerAddress: '42:00:00:00:17:00', endReason: 'left' });
  });
});

describe('persistence', () => {
  it('whitelist, settings and history survive an agent restart; open sessions are closed with a reason', async () => {
    const first = await agent();
    await send(first, 'POST', '/api/whitelist', {
      address: '42:00:00:00:21:00',
      name: 'Till',
      label: 'Till',
    });
    await send(first, 'PUT', '/api/settings', {
      mode: 'static-pbc',
      maxClients: 2,
      deviceName: 'DIRECT-shop',
    });
    first.agent.simulator!.addPhone({ preset: 'android-pbc', name: 'Till', address: '42:00:00:00:21:00' });
    await connected(first, '42:00:00:00:21:00');
    await first.agent.kiosk.flush();
    // A crash: the database is closed without the agent's own clean-up.
    await first.stop();
    running = running.filter((r) => r !== first);

    const second = await agent(first.dir);
    expect(await get<{ address: string }[]>(second, '/api/whitelist')).toEqual([
      expect.objectContaining({ address: '42:00:00:00:21:00', name: 'Till' }),
    ]);
    expect(
      await get<{ mode: string; maxClients: number; deviceName: string }>(second, '/api/settings'),
    ).toMatchObject({
      mode: 'static-pbc',
      maxClients: 2,
      deviceName: 'DIRECT-shop',
    });
    const sessions = await get<SessionPage>(second, '/api/sessions');
    expect(sessions.items[0]).toMatchObject({ peerAddress: '42:00:00:00:21:00' });
    expect(sessions.items[0]?.endedAt).not.toBeNull();
    expect((await state(second)).deviceName).toBe('DIRECT-shop');
  });
});
