import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { agentPort, restartableWebPort } from './ports';

const repo = path.resolve(import.meta.dirname, '..');
const webDir = path.join(repo, 'apps/web');
const nextBin = createRequire(path.join(webDir, 'package.json')).resolve('next/dist/bin/next');

/**
 * A second kiosk web server (the built Next.js app, `next start`) of a test's own, on a port of its own, so
 * that test can kill and restart it while a page is open. The suite's shared web server (Playwright's
 * `webServer`) is left alone, so no other test notices.
 */
export class WebProcess {
  readonly port = restartableWebPort;
  readonly url = `http://127.0.0.1:${restartableWebPort}/`;
  private child: ChildProcess | null = null;
  output = '';

  async start(): Promise<void> {
    // Its own process group, so a kill reaches whatever next starts under it.
    const child = spawn(process.execPath, [nextBin, 'start', '--port', String(this.port)], {
      cwd: webDir,
      detached: true,
      env: { ...process.env, WDK_AGENT_PORT: String(agentPort), NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`web server exited with ${child.exitCode ?? child.signalCode}:\n${this.output}`);
      try {
        const response = await fetch(this.url);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`web server did not become ready:\n${this.output}`);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private async signal(signal: NodeJS.Signals, waitMs: number): Promise<boolean> {
    const child = this.child;
    if (!child?.pid || !this.running) return true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, waitMs))]);
    return !this.running;
  }

  /** SIGKILL: no clean-up, like a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  /** SIGTERM, as systemd stops the service; SIGKILL if it does not end in 5 s. */
  async stop(): Promise<void> {
    if (!(await this.signal('SIGTERM', 5_000))) await this.kill();
  }
}
