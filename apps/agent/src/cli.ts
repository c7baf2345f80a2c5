// First: V8 settings that must apply before the other modules load.
import './v8-footprint.js';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, resolveAgentConfig } from './config.js';

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^[a-z]+:/.test(value) ? value : `file:${value}`;
}

const agentUrlOption = [
  '--agent <url>',
  'URL of the running agent',
  process.env.WDK_AGENT_URL ?? 'http://127.0.0.1:8080',
] as const;

/** Calls the running agent over loopback (trusted, no login), printing its error envelope on failure. */
async function callAgent(agentUrl: string, method: string, route: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL(route, agentUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new CliError(`the agent is not reachable at ${agentUrl} (is 'wdk agent' running?)`);
  }
  const payload = (await response.json()) as { status: string; data?: unknown; error?: { message: string } };
  if (payload.status !== 'ok') throw new CliError(payload.error?.message ?? `HTTP ${response.status}`);
  return payload.data;
}

class CliError extends Error {}

const program = new Command('wdk').description('Wi-Fi Direct Kiosk').showHelpAfterError();

program
  .command('agent')
  .description('run the kiosk agent (drives wpa_supplicant, serves the kiosk API)')
  .option('--ctrl-dir <dir>', 'wpa_supplicant control directory (default /var/run/wpa_supplicant)')
  .option('--iface <name>', 'P2P device interface (default p2p-dev-wlan0)')
  .option('--simulate', 'run on the built-in simulator instead of wpa_supplicant')
  .option('--sim-http-port <port>', 'with --simulate: port of the simulator control API', integer)
  .option('--db <file|url>', 'database file or URL (default data/wdk.db)')
  .option('--host <host>', 'address to listen on (default 0.0.0.0)')
  .option('--port <port>', 'port to listen on (default 8080)', integer)
  .option('--web-origin <url...>', 'origin(s) of the kiosk web app allowed to call the API')
  .option('--trust-proxy', 'take the client address from X-Forwarded-For (only behind your own proxy)')
  .option(
    '--no-dhcp',
    'do not address the group interface or serve DHCP (phones then need EAPOL IP allocation)',
  )
  .option(
    '--welcome-page',
    'serve a one-page welcome to connected phones on http://192.168.49.1/ (port 80) while a group lives',
  )
  .option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
  .action(async (opts: Record<string, string | number | boolean | string[] | undefined>) => {
    const config = resolveAgentConfig({
      ctrlDir: opts.ctrlDir,
      iface: opts.iface,
      simulate: opts.simulate,
      simHttpPort: opts.simHttpPort,
      db: databaseUrl(opts.db as string | undefined),
      host: opts.host,
      port: opts.port,
      webOrigins: opts.webOrigin,
      trustProxy: opts.trustProxy,
      dhcp: opts.dhcp === false ? false : undefined,
      welcomePage: opts.welcomePage,
      logLevel: opts.logLevel,
    });
    const { startAgent } = await import('./agent.js');
    const agent = await startAgent(config, {
      onFirstRunPasscode: (passcode) =>
        console.log(
          `\n  Admin passcode for LAN browsers (shown once; change it with 'wdk passcode set'): ${passcode}\n`,
        ),
    });
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void agent.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('sim')
  .description('run the wpa_supplicant P2P simulator on its own (see wdk sim --help)')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[args...]')
  .action(async (args: string[]) => {
    const { runSimCli } = await import('@wdk/core');
    await runSimCli(args);
  });

program
  .command('events')
  .description('parse wpa_supplicant event lines from stdin, print one JSON object per line')
  .action(async () => {
    const { runEventsCli } = await import('@wdk/core');
    await runEventsCli(process.stdin, process.stdout);
  });

program
  .command('status')
  .description('show the state of a running agent')
  .option('--json', 'print JSON')
  .option(...agentUrlOption)
  .action(async (opts: { json?: boolean; agent: string }) => {
    const state = (await callAgent(opts.agent, 'GET', '/api/state')) as {
      mode: string;
      discoverable: boolean;
      deviceName: string;
      daemon: string;
      group: { ifname: string; ssid: string } | null;
      clients: { address: string; name: string | null }[];
      pendingApprovals: unknown[];
      lastError: { message: string } | null;
    };
    if (opts.json) {
      console.log(JSON.stringify(state, null, 2));
      return;
    }
    console.log(
      `device      ${state.deviceName} (${state.mode}, ${state.discoverable ? 'discoverable' : 'not discoverable'})`,
    );
    console.log(`daemon      ${state.daemon}`);
    console.log(`group       ${state.group ? `${state.group.ifname} ${state.group.ssid}` : 'none'}`);
    console.log(
      `clients     ${state.clients.map((c) => `${c.name ?? '?'} ${c.address}`).join(', ') || 'none'}`,
    );
    console.log(`approvals   ${state.pendingApprovals.length} pending`);
    if (state.lastError) console.log(`last error  ${state.lastError.message}`);
  });

const whitelist = program
  .command('whitelist')
  .description('list, add or remove whitelisted devices (on a running agent)');
whitelist
  .command('list')
  .option(...agentUrlOption)
  .action(async (opts: { agent: string }) => {
    const entries = (await callAgent(opts.agent, 'GET', '/api/whitelist')) as {
      id: number;
      address: string | null;
      name: string | null;
      label: string;
      strength: string;
    }[];
    for (const e of entries)
      console.log(`${e.id}\t${e.address ?? '-'}\t${e.name ?? '-'}\t${e.label}\t${e.strength}`);
  });
whitelist
  .command('add')
  .option('--address <mac>', 'P2P device address')
  .option('--name <name>', 'device name')
  .option('--label <label>', 'label shown on the kiosk')
  .option(...agentUrlOption)
  .action(async (opts: { address?: string; name?: string; label?: string; agent: string }) => {
    const { agent, ...input } = opts;
    const entry = (await callAgent(agent, 'POST', '/api/whitelist', input)) as { id: number };
    console.log(`added ${entry.id}`);
  });
whitelist
  .command('remove')
  .argument('<id>', 'entry id (see wdk whitelist list)')
  .option(...agentUrlOption)
  .action(async (id: string, opts: { agent: string }) => {
    await callAgent(opts.agent, 'DELETE', `/api/whitelist/${encodeURIComponent(id)}`);
    console.log(`removed ${id}`);
  });

program
  .command('passcode')
  .description('manage the admin passcode LAN browsers log in with')
  .command('set')
  .option('--db <file|url>', 'database file or URL (default data/wdk.db)')
  .action(async (opts: { db?: string }) => {
    const { setPasscodeInteractively } = await import('./auth/passcode-cli.js');
    await setPasscodeInteractively(resolveAgentConfig({ db: databaseUrl(opts.db) }).db);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CliError) {
    console.error(`wdk: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
