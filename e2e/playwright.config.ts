import { defineConfig, devices } from '@playwright/test';
import { agentPort, simHttpPort, webPort, e2eDatabase } from './ports';

const repo = new URL('..', import.meta.url).pathname;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium; never `playwright install` (no download host is reachable).
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'kiosk-800x480', use: { ...devices['Desktop Chrome'], viewport: { width: 800, height: 480 } } }],
  webServer: [
    {
      command: `node apps/agent/bin/wdk.js agent --simulate --port ${agentPort} --sim-http-port ${simHttpPort} --db file:${e2eDatabase} --host 0.0.0.0 --web-origin http://127.0.0.1:${webPort} http://localhost:${webPort}`,
      cwd: repo,
      url: `http://127.0.0.1:${agentPort}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: { WDK_SIM_TIME_SCALE: '0.05', WDK_LOG_LEVEL: 'warn' },
    },
    {
      command: `pnpm --filter @wdk/web exec next start --port ${webPort}`,
      cwd: repo,
      url: `http://127.0.0.1:${webPort}`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { WDK_AGENT_PORT: String(agentPort), NEXT_TELEMETRY_DISABLED: '1' },
    },
  ],
});
