import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import http from 'node:http';
import { commands } from '../src/api/commands.js';
import { everyRoute, LAN_ADDRESS, removeDir, request, startTestAgent, type TestAgent } from './helpers.js';

let t: TestAgent;
let port: number;

beforeAll(async () => {
  t = await startTestAgent();
  port = t.agent.port;
});
afterAll(async () => {
  await t.stop();
  removeDir(t.dir);
});

const routes = everyRoute();

describe('access control', () => {
  it('classifies every route the server registered', () => {
    const registered = t.agent
      .routes()
      .filter((r) => r.url.startsWith('/api') || r.url === '/healthz' || r.url === '/metrics');
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const unclassified = registered.filter((r) => !known.has(`${r.method} ${r.url}`));
    expect(unclassified).toEqual([]);
  });

  it.each(routes.filter((r) => r.access === 'operator'))(
    '$method $path refuses a LAN browser without a session',
    async (route) => {
      const reply = await request(port, route.method, route.url, {
        from: LAN_ADDRESS,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      expect(reply.status).toBe(401);
      expect(reply.body.status).toBe('error');
    },
  );

  it.each(routes.filter((r) => r.access === 'operator' && r.method === 'GET'))(
    '$method $path answers the kiosk itself',
    async (route) => {
      const reply = await request(port, route.method, route.url);
      expect(reply.status).toBe(200);
    },
  );

  it('lets a LAN browser in after login, with an HttpOnly SameSite cookie', async () => {
    expect(t.passcode).toMatch(/^[a-z0-9]{10}$/);
    const login = await request(port, 'POST', '/api/auth/login', {
      from: LAN_ADDRESS,
      body: { passcode: t.passcode },
    });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    const state = await request(port, 'GET', '/api/state', {
      from: LAN_ADDRESS,
      headers: { cookie: session },
    });
    expect(state.status).toBe(200);
    const logout = await request(port, 'POST', '/api/auth/logout', {
      from: LAN_ADDRESS,
      headers: { cookie: session },
    });
    expect(logout.status).toBe(200);
    const after = await request(port, 'GET', '/api/state', {
      from: LAN_ADDRESS,
      headers: { cookie: session },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a cross-site request even from the kiosk', async () => {
    const reply = await request(port, 'POST', '/api/discovery', {
      body: { on: true },
      headers: { origin: 'http://evil.example' },
    });
    expect(reply.status).toBe(403);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    const reply = await request(port, 'GET', '/api/state', {
      from: LAN_ADDRESS,
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(reply.status).toBe(401);
  });

  it('refuses socket.io commands from a LAN browser without a session and sends it no state', async () => {
    const socket = connectSocket(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      agent: new http.Agent({ localAddress: LAN_ADDRESS }) as never,
      forceNew: true,
    });
    let gotState = false;
    socket.on('state', () => (gotState = true));
    const hello = await new Promise<{ authenticated: boolean }>((resolve) => socket.once('hello', resolve));
    expect(hello.authenticated).toBe(false);
    for (const name of Object.keys(commands)) {
      const result = await socket.timeout(5000).emitWithAck('command', { name, input: {} });
      expect(result).toMatchObject({ status: 'error', error: { code: 'unauthorized' } });
    }
    expect(gotState).toBe(false);
    socket.close();
  });

  it('rate-limits wrong passcodes', async () => {
    const from = '127.0.0.3';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await request(port, 'POST', '/api/auth/login', { from, body: { passcode: 'wrong-passcode' } }))
          .status,
      );
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses).toContain(429);
    // Even the right passcode waits while the client is blocked.
    const blocked = await request(port, 'POST', '/api/auth/login', { from, body: { passcode: t.passcode } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('never shows the PIN or the passcode hash to an unauthenticated client', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const reply = await request(port, 'GET', route.url, { from: LAN_ADDRESS });
      const text = JSON.stringify(reply.body);
      const pin = t.agent.kiosk.state().pin;
      if (pin) expect(text).not.toContain(pin);
      expect(text).not.toMatch(/scrypt\$/);
    }
  });
});

describe('bad input', () => {
  const cases: { method: string; url: string; body?: unknown; rawBody?: string; field?: string }[] = [
    { method: 'POST', url: '/api/whitelist', body: {}, field: 'address' },
    { method: 'POST', url: '/api/whitelist', body: { address: 'not-a-mac' }, field: 'address' },
    { method: 'POST', url: '/api/whitelist', body: { address: '42:00:00:00:01' }, field: 'address' },
    { method: 'POST', url: '/api/whitelist', body: { address: 42 }, field: 'address' },
    { method: 'POST', url: '/api/whitelist', body: { name: 'a\nP2P_FLUSH' }, field: 'name' },
    { method: 'POST', url: '/api/whitelist', body: { name: 'x'.repeat(33) }, field: 'name' },
    { method: 'POST', url: '/api/whitelist', body: { name: 'ok', label: 'x'.repeat(65) }, field: 'label' },
    { method: 'POST', url: '/api/whitelist', body: { name: 'ok', extra: 1 }, field: 'extra' },
    { method: 'POST', url: '/api/whitelist', rawBody: '{"name":', field: undefined },
    {
      method: 'POST',
      url: '/api/whitelist',
      rawBody: JSON.stringify({ name: 'x'.repeat(100_000) }),
      field: undefined,
    },
    { method: 'PATCH', url: '/api/whitelist/abc', body: { label: 'x' }, field: 'id' },
    { method: 'PATCH', url: '/api/whitelist/-1', body: { label: 'x' }, field: 'id' },
    { method: 'DELETE', url: '/api/whitelist/0', field: 'id' },
    { method: 'POST', url: '/api/approvals/a%20b/approve', body: {}, field: 'id' },
    { method: 'POST', url: '/api/approvals/x/approve', body: { remember: 'yes' }, field: 'remember' },
    { method: 'POST', url: '/api/clients/zz:00:00:00:00:00/kick', body: {}, field: 'address' },
    {
      method: 'POST',
      url: '/api/peer-pin',
      body: { address: '42:00:00:00:01:00', pin: '1234567' },
      field: 'pin',
    },
    {
      method: 'POST',
      url: '/api/peer-pin',
      body: { address: '42:00:00:00:01:00', pin: '123456789' },
      field: 'pin',
    },
    {
      method: 'POST',
      url: '/api/peer-pin',
      body: { address: '42:00:00:00:01:00', pin: '12345678' },
      field: 'pin',
    },
    { method: 'POST', url: '/api/peer-pin', body: { address: '42:00:00:00:01:00' }, field: 'pin' },
    { method: 'POST', url: '/api/discovery', body: { on: 'true' }, field: 'on' },
    { method: 'PUT', url: '/api/settings', body: { mode: 'open-to-all' }, field: 'mode' },
    { method: 'PUT', url: '/api/settings', body: { fixedPin: '12345678' }, field: 'fixedPin' },
    { method: 'PUT', url: '/api/settings', body: { fixedPin: '1234567' }, field: 'fixedPin' },
    { method: 'PUT', url: '/api/settings', body: { maxClients: 0 }, field: 'maxClients' },
    { method: 'PUT', url: '/api/settings', body: { deviceName: 'DIRECT-a\nP2P_FLUSH' }, field: 'deviceName' },
    { method: 'PUT', url: '/api/settings', body: { noSuchSetting: 1 }, field: 'noSuchSetting' },
    { method: 'GET', url: '/api/sessions?page=0', field: 'page' },
    { method: 'GET', url: '/api/sessions?pageSize=100000', field: 'pageSize' },
    { method: 'GET', url: '/api/events?type=DROP%20TABLE', field: 'type' },
  ];

  it.each(cases)('$method $url $body → 4xx naming the field, nothing stored', async (c) => {
    const whitelistBefore = await request(port, 'GET', '/api/whitelist');
    const settingsBefore = await request(port, 'GET', '/api/settings');
    const reply = await request(port, c.method, c.url, {
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.rawBody ? { rawBody: c.rawBody } : {}),
    });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.body.status).toBe('error');
    if (reply.body.status === 'error') {
      expect(reply.body.error.message.length).toBeGreaterThan(0);
      if (c.field) expect(reply.body.error.field).toBe(c.field);
    }
    expect((await request(port, 'GET', '/api/whitelist')).body).toEqual(whitelistBefore.body);
    expect((await request(port, 'GET', '/api/settings')).body).toEqual(settingsBefore.body);
  });

  it('returns 404 for unknown approval ids and unknown clients', async () => {
    expect((await request(port, 'POST', '/api/approvals/nope/approve', { body: {} })).status).toBe(404);
    expect((await request(port, 'POST', '/api/approvals/nope/deny', { body: {} })).status).toBe(404);
    expect((await request(port, 'POST', '/api/clients/42:00:00:00:09:00/kick', { body: {} })).status).toBe(
      404,
    );
  });
});
