#!/usr/bin/env node
// The kiosk agent's HTTP API for the hwsim scenario scripts, as a small helper server inside the VM.
// Starting node costs 1-3 s under TCG, so one helper process serves every call of a suite; bash talks to it
// with curl (kiosk.sh `api`), and waiting for a predicate happens here, not in bash loops.
//
//   node kiosk-api.mjs AGENT_URL HELPER_PORT
//
// Endpoints (GET unless noted; 200 with the JSON value, or 4xx/5xx with a one-line reason):
//   /get?path=P[&expr=E]                 GET P on the agent; print data, or E of it (`d` = data)
//   /call?method=M&path=P  (POST body)   send a command with the body as JSON; print its data
//   /wait?path=P&expr=E[&timeout=S]      poll GET P until E is truthy (default 30 s); print E's value
//   /healthz?timeout=S                   wait until the agent's /healthz answers 2xx
//   /scenario?state_log=F                from now on: /api/sessions items older than now are hidden (each
//                                        scenario sees its own), and /api/state changes go to F, timestamped
//                                        with seconds since $HWSIM_T0 given as &t0=
// E is a JavaScript expression over `d`, e.g. `d.clients.length === 2`.
import { appendFileSync } from 'node:fs';
import http from 'node:http';

const [agentUrl = 'http://127.0.0.1:8080', helperPort = '8099'] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Failure extends Error {
  constructor(message, status = 500) {
    super(message);
    this.status = status;
  }
}

/** Per scenario: the newest session id before it started, and where /api/state changes are logged. */
const scenario = { sessionsAfter: 0, stateLog: null, t0: Date.now() / 1000 };

async function request(method, path, body) {
  let response;
  try {
    response = await fetch(new URL(path, agentUrl), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Failure(`${method} ${path}: agent not reachable (${error.cause?.code ?? error.message})`, 503);
  }
  const text = await response.text();
  let payload;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new Failure(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`, 502);
  }
  if (payload?.status !== 'ok') {
    throw new Failure(
      `${method} ${path}: HTTP ${response.status} ${JSON.stringify(payload?.error ?? payload)}`,
      422,
    );
  }
  const data = payload.data;
  // Sessions of earlier scenarios (same phones, same database) are hidden from this one's checks.
  if (path.startsWith('/api/sessions') && Array.isArray(data?.items)) {
    return { ...data, items: data.items.filter((s) => s.id > scenario.sessionsAfter) };
  }
  return data;
}

function compile(expr) {
  try {
    return new Function('d', `return (${expr});`);
  } catch (error) {
    throw new Failure(`bad expression ${expr}: ${error.message}`, 400);
  }
}

async function waitFor(path, expr, timeoutS) {
  const test = compile(expr);
  const deadline = Date.now() + timeoutS * 1000;
  let last;
  for (;;) {
    try {
      last = await request('GET', path);
      let value;
      try {
        value = test(last);
      } catch {
        value = undefined;
      }
      if (value) return value;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) {
      throw new Failure(
        `timeout after ${timeoutS} s waiting for ${expr} on ${path}; last: ${JSON.stringify(last)}`,
        408,
      );
    }
    await sleep(300);
  }
}

async function healthz(timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    try {
      const response = await fetch(new URL('/healthz', agentUrl), { signal: AbortSignal.timeout(5000) });
      if (response.ok) return await response.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Failure(`the agent did not answer /healthz within ${timeoutS} s`, 408);
    await sleep(300);
  }
}

async function startScenario(stateLog, t0) {
  const sessions = await request('GET', '/api/sessions?pageSize=1').catch(() => ({ items: [] }));
  scenario.sessionsAfter = Math.max(scenario.sessionsAfter, sessions.items[0]?.id ?? 0);
  scenario.stateLog = stateLog || null;
  scenario.t0 = Number(t0) || Date.now() / 1000;
  return { sessionsAfter: scenario.sessionsAfter };
}

/** Every change of /api/state, for the scenario's state.log. */
async function watchState() {
  let previous = '';
  for (;;) {
    if (scenario.stateLog) {
      let line;
      try {
        line = JSON.stringify(await request('GET', '/api/state'));
      } catch (error) {
        line = JSON.stringify({ unreachable: error.message });
      }
      if (line !== previous) {
        appendFileSync(scenario.stateLog, `${(Date.now() / 1000 - scenario.t0).toFixed(3)} ${line}\n`);
        previous = line;
      }
    }
    await sleep(500);
  }
}

const routes = {
  get: (q) => request('GET', q.get('path')).then((d) => (q.get('expr') ? compile(q.get('expr'))(d) : d)),
  call: (q, body) => request(q.get('method').toUpperCase(), q.get('path'), body || undefined),
  wait: (q) => waitFor(q.get('path'), q.get('expr'), Number(q.get('timeout') ?? 30)),
  healthz: (q) => healthz(Number(q.get('timeout') ?? 90)),
  scenario: (q) => startScenario(q.get('state_log'), q.get('t0')),
};

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://helper');
    const route = routes[url.pathname.slice(1)];
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      if (!route) throw new Failure(`no route ${url.pathname}`, 404);
      const value = await route(url.searchParams, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    } catch (error) {
      res.writeHead(error instanceof Failure ? error.status : 500, { 'content-type': 'text/plain' });
      res.end(`${error instanceof Failure ? error.message : error.stack}\n`);
    }
  })
  .listen(Number(helperPort), '127.0.0.1', () => console.log(`kiosk-api helper on 127.0.0.1:${helperPort}`));

void watchState();
