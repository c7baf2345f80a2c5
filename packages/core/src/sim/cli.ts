/**
 * `wdk sim`: run the simulated wpa_supplicant in the foreground until SIGINT/SIGTERM (or `signal`).
 * The agent's CLI calls runSimCli(argv) with the arguments after `sim`.
 */
import { parseArgs } from 'node:util';
import { startSimHttp } from './http-control.js';
import { loadScenario, type Scenario } from './scenario.js';
import { Simulator } from './simulator.js';

export const SIM_USAGE = `usage: wdk sim --ctrl-dir DIR [--iface NAME] [--time-scale N] [--seed N] [--scenario FILE] [--http-port N] [--events]

  --ctrl-dir DIR     directory for the control sockets (like ctrl_interface=DIR=…)
  --iface NAME       P2P device interface (default p2p-dev-wlan0)
  --time-scale N     1 = real radio timings (default), 0.1 = ten times faster
  --seed N           PRNG seed: same seed, same SSIDs, PINs and delays (default 1)
  --scenario FILE    JSON scenario: phones and faults at given times
  --http-port N      control API on 127.0.0.1:N (0 = any free port)
  --events           print every event sent, as "T IFACE <3>EVENT"`;

export interface SimCliIo {
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
  /** Stops the simulator when aborted (besides SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** Called once everything is up (tests use it to find the HTTP port). */
  readonly onReady?: (ready: { simulator: Simulator; httpUrl: string | undefined }) => void;
}

export async function runSimCli(argv: readonly string[], io: SimCliIo = {}): Promise<number> {
  const out = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'ctrl-dir': { type: 'string' },
        iface: { type: 'string' },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
        scenario: { type: 'string' },
        'http-port': { type: 'string' },
        events: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n${SIM_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(SIM_USAGE);
    return 0;
  }
  const ctrlDir = values['ctrl-dir'];
  const number = (text: string | undefined): number | undefined =>
    text === undefined ? undefined : Number(text);
  const timeScaleArg = number(values['time-scale']);
  const seedArg = number(values.seed);
  const httpPort = number(values['http-port']);
  const invalid =
    !ctrlDir ||
    (timeScaleArg !== undefined && !(timeScaleArg > 0)) ||
    (seedArg !== undefined && !Number.isInteger(seedArg)) ||
    (httpPort !== undefined && !(Number.isInteger(httpPort) && httpPort >= 0 && httpPort < 65536));
  if (invalid) {
    err(`${ctrlDir ? 'invalid number' : '--ctrl-dir is required'}\n${SIM_USAGE}`);
    return 2;
  }

  let scenario: Scenario | undefined;
  if (values.scenario) {
    try {
      scenario = await loadScenario(values.scenario);
    } catch (error) {
      err(
        `cannot load scenario ${values.scenario}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 2;
    }
  }

  const timeScale = timeScaleArg ?? scenario?.timeScale ?? 1;
  const sim = new Simulator({
    ctrlDir,
    iface: values.iface ?? scenario?.kiosk.iface,
    timeScale,
    seed: seedArg ?? scenario?.seed ?? 1,
    ...(scenario?.kiosk.deviceName ? { deviceName: scenario.kiosk.deviceName } : {}),
    ...(scenario?.kiosk.deviceAddress ? { deviceAddress: scenario.kiosk.deviceAddress } : {}),
    ...(scenario?.kiosk.scanEvents !== undefined ? { scanEvents: scenario.kiosk.scanEvents } : {}),
    ...(scenario?.kiosk.settings ? { settings: scenario.kiosk.settings } : {}),
    onLog: (line) => err(`wpa_supplicant: ${line}`),
  });
  await sim.start();
  if (values.events) {
    sim.onEvent((record) => out(`${(record.at / 1000).toFixed(3)} ${record.ifname} <3>${record.text}`));
  }
  let http: Awaited<ReturnType<typeof startSimHttp>> | undefined;
  try {
    http = httpPort === undefined ? undefined : await startSimHttp(sim, { port: httpPort });
  } catch (error) {
    err(`cannot listen on 127.0.0.1:${httpPort}: ${error instanceof Error ? error.message : String(error)}`);
    await sim.stop();
    return 1;
  }
  out(`simulated wpa_supplicant: ${ctrlDir}/${sim.p2pDeviceIfname} (time scale ${timeScale})`);
  if (http) out(`control API: ${http.url}`);
  if (scenario) sim.runScenario(scenario);
  io.onReady?.({ simulator: sim, httpUrl: http?.url });

  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      io.signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (io.signal?.aborted) done();
    else io.signal?.addEventListener('abort', done);
  });
  // Like the daemon on SIGTERM: monitors get CTRL-EVENT-TERMINATING and the sockets disappear.
  sim.terminate();
  await http?.close();
  await sim.stop();
  return 0;
}
