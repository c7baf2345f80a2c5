/**
 * A small local HTTP interface to a running simulator, for the demo, the agent's --simulate mode and the
 * browser e2e suite ("a Pixel 7 now asks to connect by push button"). JSON in, JSON out, errors as
 * { error } with 400 (invalid input) or 404. Bound to 127.0.0.1 only.
 *
 *   GET    /state                 snapshot (kiosk, phones, faults, interfaces)
 *   GET    /presets               phone presets with descriptions
 *   GET    /events?since=<seq>    events sent to monitors, numbered
 *   GET    /log                   the daemon's own log lines (e.g. the nl80211 EBUSY error)
 *   POST   /phones                { preset?, name?, address?, steps?, … } → 201 { id, address, name, displayPin }
 *   POST   /phones/:id/steps      { steps: [...] } → 202
 *   DELETE /phones/:id            → 204
 *   POST   /faults                { kind, … } → 201
 *   DELETE /faults                → 204
 *   POST   /terminate, /restart   → 204
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZodError, z } from 'zod';
import { PHONE_PRESETS } from './phone-script.js';
import type { Simulator } from './simulator.js';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const stepsBodySchema = z.object({ steps: z.array(z.unknown()).min(1) });

export interface SimHttpServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startSimHttp(
  sim: Simulator,
  options: { port?: number; host?: string } = {},
): Promise<SimHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((request, response) => {
    void handle(sim, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(sim: Simulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    const phoneRoute = /^\/phones\/([\w-]+)(\/steps)?$/.exec(url.pathname);

    if (route === 'GET /state') return send(response, 200, sim.snapshot());
    if (route === 'GET /presets') {
      return send(
        response,
        200,
        Object.entries(PHONE_PRESETS).map(([name, preset]) => ({ name, description: preset.description })),
      );
    }
    if (route === 'GET /events')
      return send(response, 200, sim.events(Number(url.searchParams.get('since') ?? '0') || 0));
    if (route === 'GET /log') return send(response, 200, sim.snapshot().daemonLog);
    if (route === 'POST /phones') {
      const phone = sim.addPhone((await readJson(request)) as Parameters<Simulator['addPhone']>[0]);
      return send(response, 201, {
        id: phone.id,
        address: phone.address,
        name: phone.profile.name,
        displayPin: phone.displayPin ?? null,
      });
    }
    if (phoneRoute && request.method === 'POST' && phoneRoute[2]) {
      const body = stepsBodySchema.parse(await readJson(request));
      if (!sim.instructPhone(phoneRoute[1] ?? '', body.steps as Parameters<Simulator['instructPhone']>[1])) {
        throw new HttpError(404, `no phone ${phoneRoute[1]}`);
      }
      return send(response, 202, { ok: true });
    }
    if (phoneRoute && request.method === 'DELETE' && !phoneRoute[2]) {
      if (!sim.removePhone(phoneRoute[1] ?? '')) throw new HttpError(404, `no phone ${phoneRoute[1]}`);
      return send(response, 204);
    }
    if (route === 'POST /faults') {
      sim.inject((await readJson(request)) as Parameters<Simulator['inject']>[0]);
      return send(response, 201, { ok: true });
    }
    if (route === 'DELETE /faults') {
      sim.clearFaults();
      return send(response, 204);
    }
    if (route === 'POST /terminate') {
      sim.terminate();
      return send(response, 204);
    }
    if (route === 'POST /restart') {
      sim.restart();
      return send(response, 204);
    }
    throw new HttpError(404, `no route ${route}`);
  } catch (error) {
    if (error instanceof ZodError)
      return send(response, 400, { error: 'invalid request', issues: error.issues });
    if (error instanceof HttpError) return send(response, error.status, { error: error.message });
    if (error instanceof SyntaxError) return send(response, 400, { error: `invalid JSON: ${error.message}` });
    return send(response, 500, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 64 * 1024) throw new HttpError(413, 'body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
