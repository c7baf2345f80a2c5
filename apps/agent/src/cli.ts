import { Command, InvalidArgumentError } from 'commander';
import { startAgent } from './agent.js';
import { ConfigError, resolveAgentConfig } from './config.js';

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

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
  .action(async (opts: Record<string, unknown>) => {
    const db = typeof opts.db === 'string' && !opts.db.includes(':') ? `file:${opts.db}` : opts.db;
    const config = resolveAgentConfig({
      ctrlDir: opts.ctrlDir,
      iface: opts.iface,
      simulate: opts.simulate,
      simHttpPort: opts.simHttpPort,
      db,
      host: opts.host,
      port: opts.port,
      webOrigins: opts.webOrigin,
    });
    const agent = await startAgent(config);
    const stop = () => void agent.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
