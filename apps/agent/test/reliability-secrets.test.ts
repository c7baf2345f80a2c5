/**
 * PINs and group passphrases never leave the kiosk's own screen: the agent's pino output (captured at trace
 * level, the most talkative), the event log (/api/events), the audit log, /metrics, every response to an
 * unauthenticated LAN client and every socket.io message to an unauthenticated socket are searched for each
 * PIN the kiosk showed, the PIN a laptop displayed and the operator typed, and each group passphrase the
 * simulator's P2P-GROUP-STARTED carried.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.js';
import { commands } from '../src/api/commands.js';
import { resolveAgentConfig } from '../src/config.js';
import { extraRoutes } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { LAN_ADDRESS, eventually, removeDir, request } from './helpers.js';
import { reportFigures } from '@wdk/testing/reliability';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-secrets-'));
const logLines: string[] = [];
let agent: RunningAgent;
const pins = new Set<string>();

beforeAll(async () => {
  const config = resolveAgentConfig(
    {
      simulate: true,
      simTimeScale: 0.02,
      db: `file:${path.join(dir, 'kiosk.db')}`,
      host: '0.0.0.0',
      port: 0,
    },
    {},
  );
  agent = await startAgent(config, {
    logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
  });
  agent.kiosk.on('state', (state) => {
    if (state.pin) pins.add(state.pin);
  });
});
afterAll(async () => {
  await agent.close();
  removeDir(dir);
});

interface State {
  pin: string | null;
  clients: { address: string }[];
  peerPinRequest: { address: string } | null;
}

async function state(): Promise<State> {
  const reply = await request(agent.port, 'GET', '/api/state');
  return (reply.body as { data: State }).data;
}

describe('secrets stay out of logs, history, metrics and unauthenticated answers', () => {
  it('after a kiosk-PIN connection, an operator-typed PIN and group starts', async () => {
    const sim = agent.simulator!;
    // An unauthenticated LAN socket listens to everything the server sends it for the whole run.
    const lanSocket = connectSocket(`http://127.0.0.1:${agent.port}`, {
      transports: ['websocket'],
      agent: new http.Agent({ localAddress: LAN_ADDRESS }) as never,
      forceNew: true,
    });
    const lanMessages: string[] = [];
    lanSocket.onAny((event: string, ...args: unknown[]) =>
      lanMessages.push(`${event} ${JSON.stringify(args)}`),
    );
    await new Promise((resolve) => lanSocket.once('hello', resolve));

    expect((await request(agent.port, 'PUT', '/api/settings', { body: { mode: 'static-pin' } })).status).toBe(
      200,
    );
    const kioskPin = await eventually(async () => (await state()).pin);
    pins.add(kioskPin);

    // 1. A phone types the kiosk's PIN.
    sim.addPhone({ preset: 'android-pin', name: 'PIN phone', address: '42:00:00:00:21:00' });
    await eventually(
      async () => (await state()).clients.some((c) => c.address === '42:00:00:00:21:00'),
      15_000,
    );
    const passphrases = new Set(sim.snapshot().kiosk.groups.map((group) => group.passphrase));

    // 2. A laptop displays its PIN; the operator types it.
    const laptop = sim.addPhone({
      preset: 'windows-display-pin',
      name: 'Laptop',
      address: '42:00:00:00:22:00',
    });
    await eventually(async () => (await state()).peerPinRequest?.address === '42:00:00:00:22:00', 15_000);
    const laptopPin = laptop.snapshot().displayPin!;
    expect(laptopPin).toMatch(/^\d{8}$/);
    const typed = await request(agent.port, 'POST', '/api/peer-pin', {
      body: { address: '42:00:00:00:22:00', pin: laptopPin },
    });
    expect(typed.status).toBe(200);
    await eventually(
      async () => (await state()).clients.some((c) => c.address === '42:00:00:00:22:00'),
      15_000,
    );
    for (const group of sim.snapshot().kiosk.groups) passphrases.add(group.passphrase);
    // The simulator's group start carried the passphrase, so the agent had it in hand.
    expect(
      sim.events(0).some((e) => e.text.startsWith('P2P-GROUP-STARTED') && e.text.includes('passphrase="')),
    ).toBe(true);
    await agent.kiosk.flush();

    const secrets = [...pins, laptopPin, ...passphrases].filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(3);

    // Everything an outsider or the records could show.
    const places: Record<string, string> = { logs: logLines.join('') };
    for (let page = 1; page <= 5; page++) {
      places[`/api/events page ${page}`] = JSON.stringify(
        (await request(agent.port, 'GET', `/api/events?pageSize=200&page=${page}`)).body,
      );
    }
    places['/api/audit'] = JSON.stringify((await request(agent.port, 'GET', '/api/audit?pageSize=200')).body);
    places['/api/sessions'] = JSON.stringify(
      (await request(agent.port, 'GET', '/api/sessions?pageSize=200')).body,
    );
    places['/metrics'] = await fetch(`http://127.0.0.1:${agent.port}/metrics`).then((r) => r.text());
    const getRoutes = [
      ...Object.values(commands).map((c) => c.http),
      ...extraRoutes.map((r) => ({ method: r.method, path: r.path })),
    ].filter((r) => r.method === 'GET');
    for (const route of getRoutes) {
      places[`LAN ${route.path}`] = JSON.stringify(
        (await request(agent.port, 'GET', route.path, { from: LAN_ADDRESS })).body,
      );
    }
    places['LAN socket.io'] = lanMessages.join('\n');
    lanSocket.close();

    const leaks: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) {
        // PINs are digits: do not count a run of digits that merely contains one (timestamps).
        const pattern = /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`) : null;
        if (pattern ? pattern.test(text) : text.includes(secret)) leaks.push(`${place} contains ${secret}`);
      }
    }
    expect(logLines.length).toBeGreaterThan(50);
    if (leaks.length > 0)
      for (const secret of secrets)
        for (const line of logLines) if (line.includes(secret)) console.log('LEAK', line.slice(0, 600));
    expect(leaks).toEqual([]);
    reportFigures('secrets', {
      secretsChecked: secrets.length,
      kioskPins: pins.size,
      passphrases: passphrases.size,
      logLines: logLines.length,
      logLevel: 'trace',
      placesSearched: Object.keys(places).length,
      leaks: leaks.length,
    });
  }, 90_000);
});
