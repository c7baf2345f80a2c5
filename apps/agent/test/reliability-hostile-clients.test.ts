/**
 * Hostile clients: every socket.io command with bad input, malformed messages, oversized payloads and bodies,
 * unknown ids, malformed cookies; every route and command refused without a session from the LAN and allowed
 * with one; a cross-site request with a valid session refused; the stored passcode hash and its cost.
 */
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/api/commands.js';
import { verifyPasscode } from '../src/auth/passcode.js';
import { SessionRegistry } from '../src/auth/sessions.js';
import { everyRoute, LAN_ADDRESS, removeDir, request, startTestAgent, type TestAgent } from './helpers.js';
import { reportFigures } from '@wdk/testing/reliability';

let t: TestAgent;
let port: number;
const figures: Record<string, unknown> = {};
beforeAll(async () => {
  t = await startTestAgent();
  port = t.agent.port;
});
afterAll(async () => {
  reportFigures('hostile-clients', figures);
  await t.stop();
  removeDir(t.dir);
});

function socket(options: { from?: string; cookie?: string } = {}): Promise<Socket> {
  const client = connectSocket(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.from ? { agent: new http.Agent({ localAddress: options.from }) as never } : {}),
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
  });
  return new Promise((resolve, reject) => {
    client.once('hello', () => resolve(client));
    client.once('connect_error', reject);
  });
}

async function stored() {
  return {
    whitelist: (await request(port, 'GET', '/api/whitelist')).body,
    settings: (await request(port, 'GET', '/api/settings')).body,
  };
}

/** Bad inputs per command, each naming the field the answer must name. */
const badInputs: { name: string; input: unknown; field?: string }[] = [
  { name: 'whitelist.add', input: {}, field: 'address' },
  { name: 'whitelist.add', input: { address: 'not-a-mac' }, field: 'address' },
  { name: 'whitelist.add', input: { address: ['42:00:00:00:01:00'] }, field: 'address' },
  { name: 'whitelist.add', input: { name: 'a\nP2P_FLUSH' }, field: 'name' },
  { name: 'whitelist.add', input: { name: 'x'.repeat(33) }, field: 'name' },
  { name: 'whitelist.add', input: { name: 'ok', label: 'x'.repeat(65) }, field: 'label' },
  { name: 'whitelist.add', input: { name: 'ok', __proto__: { admin: true }, extra: 1 }, field: 'extra' },
  { name: 'whitelist.add', input: 'a string', field: undefined },
  { name: 'whitelist.add', input: [1, 2], field: undefined },
  { name: 'whitelist.update', input: { id: 'abc', label: 'x' }, field: 'id' },
  { name: 'whitelist.update', input: { id: -1, label: 'x' }, field: 'id' },
  { name: 'whitelist.update', input: { id: 1e30, label: 'x' }, field: 'id' },
  { name: 'whitelist.remove', input: { id: 0 }, field: 'id' },
  { name: 'whitelist.remove', input: {}, field: 'id' },
  { name: 'approvals.approve', input: { id: 'a b' }, field: 'id' },
  { name: 'approvals.approve', input: { id: 'x', remember: 'yes' }, field: 'remember' },
  { name: 'approvals.deny', input: { id: 'x'.repeat(65) }, field: 'id' },
  { name: 'clients.kick', input: { address: 'zz:00:00:00:00:00' }, field: 'address' },
  { name: 'peer-pin.enter', input: { address: '42:00:00:00:01:00', pin: '12345678' }, field: 'pin' },
  { name: 'peer-pin.enter', input: { address: '42:00:00:00:01:00', pin: 12345670 }, field: 'pin' },
  { name: 'discovery.set', input: { on: 'true' }, field: 'on' },
  { name: 'discovery.set', input: { on: null }, field: 'on' },
  { name: 'settings.update', input: { mode: 'open-to-all' }, field: 'mode' },
  { name: 'settings.update', input: { fixedPin: '12345678' }, field: 'fixedPin' },
  { name: 'settings.update', input: { maxClients: 1000 }, field: 'maxClients' },
  { name: 'settings.update', input: { deviceName: 'x'.repeat(40) }, field: 'deviceName' },
  { name: 'settings.update', input: { approvalTimeoutMs: -5 }, field: 'approvalTimeoutMs' },
  { name: 'settings.update', input: { noSuchSetting: 1 }, field: 'noSuchSetting' },
  { name: 'sessions.list', input: { page: 0 }, field: 'page' },
  { name: 'sessions.list', input: { pageSize: 100_000 }, field: 'pageSize' },
  { name: 'events.list', input: { type: 'DROP TABLE' }, field: 'type' },
  { name: 'events.list', input: { peer: "' OR 1=1 --" }, field: 'peer' },
  { name: 'audit.list', input: { page: -1 }, field: 'page' },
  { name: 'state.get', input: { extra: true }, field: 'extra' },
];

describe('socket.io commands with bad input (from the kiosk itself, so only validation can refuse)', () => {
  it('every command in the table has bad-input cases', () => {
    const covered = new Set(badInputs.map((c) => c.name));
    const untested = Object.keys(commands).filter(
      (name) => !covered.has(name) && commands[name as keyof typeof commands].access !== 'public',
    );
    // Commands without inputs to get wrong are covered by the strict empty object (state.get above).
    expect(
      untested.filter((name) => !['peers.list', 'whitelist.list', 'settings.get'].includes(name)),
    ).toEqual([]);
  });

  it.each(badInputs)('$name $input → bad-request naming $field, nothing stored', async (c) => {
    const client = await socket();
    const before = await stored();
    const result = (await client.timeout(5000).emitWithAck('command', { name: c.name, input: c.input })) as {
      status: string;
      error?: { code: string; message: string; field?: string };
    };
    client.close();
    expect(result.status).toBe('error');
    expect(result.error?.code).toBe('bad-request');
    expect(result.error?.message.length).toBeGreaterThan(0);
    if (c.field) expect(result.error?.field).toBe(c.field);
    expect(await stored()).toEqual(before);
  });

  it('malformed messages, unknown commands and unknown ids', async () => {
    const client = await socket();
    const ack = (message: unknown) =>
      client.timeout(5000).emitWithAck('command', message) as Promise<{
        status: string;
        error?: { code: string };
      }>;
    for (const message of [
      null,
      42,
      'state.get',
      [],
      { input: {} },
      { name: 42 },
      { name: 'x'.repeat(65) },
    ]) {
      expect((await ack(message)).error?.code).toBe('bad-request');
    }
    expect((await ack({ name: 'no.such.command' })).error?.code).toBe('not-found');
    expect((await ack({ name: '__proto__' })).error?.code).toBe('not-found');
    expect((await ack({ name: 'constructor' })).error?.code).toBe('not-found');
    expect((await ack({ name: 'whitelist.update', input: { id: 999_999, label: 'x' } })).error?.code).toBe(
      'not-found',
    );
    expect((await ack({ name: 'whitelist.remove', input: { id: 999_999 } })).error?.code).toBe('not-found');
    expect((await ack({ name: 'approvals.approve', input: { id: 'nope' } })).error?.code).toBe('not-found');
    // A command without an ack callback is simply done or refused; the socket keeps working.
    client.emit('command', { name: 'whitelist.add', input: { name: 'x\n' } });
    expect((await ack({ name: 'state.get', input: {} })).status).toBe('ok');
    client.close();
  });

  it('an oversized socket.io message closes only that socket; the server goes on', async () => {
    const client = await socket();
    const closed = new Promise<string>((resolve) => client.once('disconnect', resolve));
    client.emit('command', { name: 'whitelist.add', input: { name: 'x'.repeat(200_000) } });
    expect(await closed).toMatch(/transport close|io server disconnect|transport error/);
    const fresh = await socket();
    expect((await fresh.timeout(5000).emitWithAck('command', { name: 'state.get', input: {} })).status).toBe(
      'ok',
    );
    fresh.close();
    const list = await request(port, 'GET', '/api/whitelist');
    expect(JSON.stringify(list.body)).not.toContain('xxxxxxxxxx');
  });
});

describe('HTTP: huge bodies, odd bodies, unknown ids, malformed cookies', () => {
  it.each([
    { what: '1 MiB JSON body', rawBody: JSON.stringify({ name: 'x'.repeat(1 << 20) }), status: 400 },
    { what: 'deeply nested JSON', rawBody: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, status: 400 },
    { what: 'JSON array body', rawBody: '[{"name":"ok"}]', status: 400 },
    { what: 'JSON null body', rawBody: 'null', status: 400 },
    { what: '__proto__ in the body', rawBody: '{"name":"ok","__proto__":{"admin":true}}', status: 400 },
    { what: 'not JSON', rawBody: 'name=ok', status: 400 },
  ])('$what → 4xx, nothing stored', async ({ rawBody, status }) => {
    const before = await stored();
    const reply = await request(port, 'POST', '/api/whitelist', { rawBody });
    expect(reply.status).toBe(status);
    expect(reply.body.status).toBe('error');
    expect(await stored()).toEqual(before);
  });

  it('unknown ids and routes → 404 naming the field', async () => {
    const update = await request(port, 'PATCH', '/api/whitelist/999999', { body: { label: 'x' } });
    expect(update.status).toBe(404);
    expect(update.body).toMatchObject({ error: { field: 'id' } });
    expect((await request(port, 'DELETE', '/api/whitelist/999999')).status).toBe(404);
    expect((await request(port, 'GET', '/api/no-such-route')).status).toBe(404);
    expect((await request(port, 'POST', '/api/state', { body: {} })).status).toBe(404);
  });

  it('a malformed session cookie is no session (401 from the LAN), and crashes nothing', async () => {
    for (const cookie of [
      'wdk_session=%E0%A4%A',
      'wdk_session=%',
      'wdk_session',
      '=;;=;wdk_session=;',
      `wdk_session=${'a'.repeat(8000)}`,
    ]) {
      const reply = await request(port, 'GET', '/api/state', { from: LAN_ADDRESS, headers: { cookie } });
      expect(reply.status, cookie).toBe(401);
    }
    const hostile = await socket({ from: LAN_ADDRESS, cookie: 'wdk_session=%E0%A4%A' });
    expect(
      (await hostile.timeout(5000).emitWithAck('command', { name: 'state.get', input: {} })).error.code,
    ).toBe('unauthorized');
    hostile.close();
    expect((await request(port, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('access with and without a session', () => {
  const routes = everyRoute();

  async function login(from = LAN_ADDRESS): Promise<string> {
    const reply = await request(port, 'POST', '/api/auth/login', { from, body: { passcode: t.passcode } });
    expect(reply.status).toBe(200);
    return String(reply.headers['set-cookie']).split(';')[0] ?? '';
  }

  it('every operator route and command is allowed with a session (never 401/403)', async () => {
    const cookie = await login();
    const statuses: Record<string, number> = {};
    for (const route of routes.filter((r) => r.access === 'operator')) {
      // Bodies that are valid where that is cheap; a 4xx for the input is fine, an auth refusal is not.
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const reply = await request(port, route.method, route.url, {
        from: LAN_ADDRESS,
        headers: { cookie },
        ...(body !== undefined ? { body } : {}),
      });
      statuses[`${route.method} ${route.path}`] = reply.status;
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(reply.status);
    }
    const client = await socket({ from: LAN_ADDRESS, cookie });
    for (const name of Object.keys(commands)) {
      const result = (await client.timeout(5000).emitWithAck('command', { name, input: {} })) as {
        error?: { code: string };
      };
      expect(['unauthorized', 'forbidden'], name).not.toContain(result.error?.code);
    }
    client.close();
    figures.routes = {
      operatorRoutes: routes.filter((r) => r.access === 'operator').length,
      publicRoutes: routes.filter((r) => r.access === 'public').length,
      socketCommands: Object.keys(commands).length,
      withSession: statuses,
    };
  });

  it('a cross-site POST carrying a valid session cookie is refused (Origin check), over HTTP and socket.io', async () => {
    const cookie = await login();
    const before = await stored();
    const reply = await request(port, 'POST', '/api/whitelist', {
      from: LAN_ADDRESS,
      body: { name: 'CSRF' },
      headers: { cookie, origin: 'http://evil.example' },
    });
    expect(reply.status).toBe(403);
    const sameSite = await request(port, 'PUT', '/api/settings', {
      from: LAN_ADDRESS,
      body: { maxClients: 3 },
      headers: { cookie, origin: 'http://attacker.127.0.0.1.nip.io' },
    });
    expect(sameSite.status).toBe(403);
    expect(await stored()).toEqual(before);
    await expect(
      new Promise((resolve, reject) => {
        const client = connectSocket(`http://127.0.0.1:${port}`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          extraHeaders: { cookie, origin: 'http://evil.example' },
        });
        client.once('connect', () => resolve(client.close()));
        client.once('connect_error', (error) => reject(error));
      }),
    ).rejects.toThrow();
  });

  it('ten and more wrong passcodes: back-off grows; even the right one waits', async () => {
    const from = '127.0.0.9';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await request(port, 'POST', '/api/auth/login', { from, body: { passcode: `wrong-${i}` } })).status,
      );
    }
    const blocked = await request(port, 'POST', '/api/auth/login', { from, body: { passcode: t.passcode } });
    // Five free attempts; the sixth wrong one is answered and starts the back-off; all later ones wait.
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(blocked.status).toBe(429);
    figures.loginThrottle = {
      wrongAttempts: 12,
      answeredWrongPasscode: 6,
      rateLimited: statuses.filter((s) => s === 429).length,
    };
  });

  it('the passcode is stored as a salted scrypt hash (N=2^15, r=8), and one check is slow', async () => {
    const db = new Database(path.join(t.dir, 'kiosk.db'), { readonly: true });
    const row = db.prepare("SELECT value FROM Setting WHERE key = 'auth.passcodeHash'").get() as {
      value: string;
    };
    db.close();
    const hash = JSON.parse(row.value) as string;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain(t.passcode!);
    const started = performance.now();
    expect(await verifyPasscode('not the passcode', hash)).toBe(false);
    const verifyMs = performance.now() - started;
    figures.passcodeHash = {
      format: 'scrypt$N$r$p$salt$hash',
      N: 32768,
      r: 8,
      p: 1,
      oneVerifyMs: Math.round(verifyMs),
    };
  });
});

describe('SessionRegistry', () => {
  it('expires sessions after the TTL of inactivity (sliding), on an injected clock', () => {
    let now = 1_000_000;
    const sessions = new SessionRegistry(60_000, () => now);
    const session = sessions.create('admin');
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    now += 59_000;
    expect(sessions.touch(session.token)).not.toBeNull(); // used: pushed to now + 60 s
    now += 59_000;
    expect(sessions.touch(session.token)).not.toBeNull();
    now += 60_000;
    expect(sessions.touch(session.token)).toBeNull();
    expect(sessions.touch(session.token)).toBeNull(); // gone for good
    const other = sessions.create('admin');
    sessions.revoke(other.token);
    expect(sessions.touch(other.token)).toBeNull();
    expect(sessions.touch(undefined)).toBeNull();
    expect(sessions.touch('forged-token')).toBeNull();
  });
});
