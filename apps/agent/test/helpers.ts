import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAgent, type RunningAgent } from '../src/agent.js';
import { commands } from '../src/api/commands.js';
import { extraRoutes } from '../src/http/server.js';
import { resolveAgentConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

/** 127.0.0.2 is not the kiosk's own loopback address (127.0.0.1): requests from it count as a LAN browser. */
export const LAN_ADDRESS = '127.0.0.2';

export interface TestAgent {
  agent: RunningAgent;
  dir: string;
  dbUrl: string;
  passcode: string | null;
  stop(): Promise<void>;
}

export async function startTestAgent(options: { dir?: string } = {}): Promise<TestAgent> {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'wdk-agent-test-'));
  const dbUrl = `file:${path.join(dir, 'kiosk.db')}`;
  const config = resolveAgentConfig(
    { simulate: true, simTimeScale: 0.02, db: dbUrl, host: '127.0.0.1', port: 0 },
    {},
  );
  let passcode: string | null = null;
  const agent = await startAgent(
    { ...config, host: '0.0.0.0' },
    {
      logger: createLogger('silent'),
      onFirstRunPasscode: (p) => (passcode = p),
    },
  );
  return {
    agent,
    dir,
    dbUrl,
    passcode,
    async stop() {
      await agent.close();
    },
  };
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body:
    | { status: 'ok'; data: unknown }
    | { status: 'error'; error: { code: string; message: string; field?: string } };
}

/** An HTTP request from a chosen source address (the kiosk's 127.0.0.1 or the "LAN" 127.0.0.2). */
export function request(
  port: number,
  method: string,
  route: string,
  options: { body?: unknown; rawBody?: string; from?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: route,
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: JSON.parse(text) as Reply['body'],
            });
          } catch {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: { status: 'error', error: { code: 'not-json', message: text } },
            });
          }
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** Every route, from the command table and the extra routes, with `:params` filled in. */
export function everyRoute() {
  return [
    ...Object.entries(commands).map(([name, c]) => ({
      name,
      method: c.http.method,
      path: c.http.path,
      access: c.access,
    })),
    ...extraRoutes.map((r) => ({ name: r.path, method: r.method, path: r.path, access: r.access })),
  ].map((r) => ({ ...r, url: r.path.replace(':id', '1').replace(':address', '42:00:00:00:01:00') }));
}
