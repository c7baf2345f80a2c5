#!/usr/bin/env node
// The kiosk agent's HTTP API from the hwsim scenario scripts (inside the VM, over loopback: trusted, no login).
// One process per call is slow under TCG (~0.6 s to start node), so waiting is done here, not in bash loops.
//
//   kiosk-api.mjs get PATH [EXPR]                 print data (or EXPR of it, `d` = data) as JSON
//   kiosk-api.mjs call METHOD PATH [JSON]         send a command, print its data; exit 1 on an error envelope
//   kiosk-api.mjs wait PATH EXPR [TIMEOUT_S]      poll GET PATH until EXPR is truthy; print EXPR's value
//   kiosk-api.mjs healthz [TIMEOUT_S]             wait until GET /healthz answers 2xx
//   kiosk-api.mjs watch OUT_FILE                  append "T <state JSON>" to OUT_FILE whenever /api/state changes
//
// EXPR is a JavaScript expression over `d`, e.g. `d.clients.length === 2`. Base URL: $WDK_HWSIM_API
// (default http://127.0.0.1:8080). Times in `watch` are seconds since $HWSIM_T0 (bash $EPOCHREALTIME).
import { appendFileSync } from 'node:fs';

const base = process.env.WDK_HWSIM_API ?? 'http://127.0.0.1:8080';
const t0 = Number(process.env.HWSIM_T0 ?? Date.now() / 1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ApiFailure extends Error {}

async function request(method, path, body) {
  let response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ApiFailure(`${method} ${path}: agent not reachable (${error.cause?.code ?? error.message})`);
  }
  const text = await response.text();
  let payload;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new ApiFailure(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (payload?.status !== 'ok') {
    throw new ApiFailure(
      `${method} ${path}: HTTP ${response.status} ${JSON.stringify(payload?.error ?? payload)}`,
    );
  }
  return payload.data;
}

function compile(expr) {
  try {
    return new Function('d', `return (${expr});`);
  } catch (error) {
    throw new ApiFailure(`bad expression ${expr}: ${error.message}`);
  }
}

const print = (value) => console.log(typeof value === 'string' ? value : JSON.stringify(value));

const commands = {
  async get(path, expr) {
    const data = await request('GET', path);
    print(expr ? compile(expr)(data) : data);
  },
  async call(method, path, json) {
    print(await request(method.toUpperCase(), path, json));
  },
  async wait(path, expr, timeout = '30') {
    const test = compile(expr);
    const deadline = Date.now() + Number(timeout) * 1000;
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
        if (value) return print(value);
      } catch (error) {
        last = error.message;
      }
      if (Date.now() > deadline) {
        throw new ApiFailure(
          `timeout after ${timeout} s waiting for ${expr} on ${path}; last: ${JSON.stringify(last)}`,
        );
      }
      await sleep(300);
    }
  },
  async healthz(timeout = '90') {
    const deadline = Date.now() + Number(timeout) * 1000;
    for (;;) {
      try {
        const response = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(5000) });
        if (response.ok) return print(await response.text());
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new ApiFailure(`the agent did not answer /healthz within ${timeout} s`);
      await sleep(300);
    }
  },
  async watch(out) {
    let previous = '';
    for (;;) {
      let line;
      try {
        line = JSON.stringify(await request('GET', '/api/state'));
      } catch (error) {
        line = JSON.stringify({ unreachable: error.message });
      }
      if (line !== previous) {
        appendFileSync(out, `${(Date.now() / 1000 - t0).toFixed(3)} ${line}\n`);
        previous = line;
      }
      await sleep(700);
    }
  },
};

const [name, ...args] = process.argv.slice(2);
const run = commands[name];
if (!run) {
  console.error(`usage: kiosk-api.mjs get|call|wait|healthz|watch ... (got ${name ?? 'nothing'})`);
  process.exit(2);
}
run(...args).catch((error) => {
  console.error(`kiosk-api: ${error instanceof ApiFailure ? error.message : error.stack}`);
  process.exit(1);
});
