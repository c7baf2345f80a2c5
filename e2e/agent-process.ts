import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentPort, simHttpPort, webPort } from './ports';

const repo = path.resolve(import.meta.dirname, '..');

export interface ApiResponse<T = unknown> {
  status: number;
  body:
    { status: 'ok'; data: T } | { status: 'error'; error: { code: string; message: string; field?: string } };
}

/**
 * The real agent (`wdk agent --simulate`) as a child process with its own fresh database, so every test
 * starts clean and a test can kill and restart it like a power cut.
 */
export class AgentProcess {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'wdk-e2e-'));
  readonly baseUrl = `http://127.0.0.1:${agentPort}`;
  readonly simUrl = `http://127.0.0.1:${simHttpPort}`;
  private child: ChildProcess | null = null;
  output = '';

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        path.join(repo, 'apps/agent/bin/wdk.js'),
        'agent',
        '--simulate',
        '--port',
        String(agentPort),
        '--sim-http-port',
        String(simHttpPort),
        '--db',
        path.join(this.dir, 'kiosk.db'),
        '--web-origin',
        `http://127.0.0.1:${webPort}`,
        `http://localhost:${webPort}`,
      ],
      {
        env: {
          ...process.env,
          WDK_SIM_TIME_SCALE: '0.05',
          WDK_LOG_LEVEL: process.env.WDK_E2E_LOG_LEVEL ?? 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}:\n${this.output}`);
      try {
        const response = await fetch(`${this.baseUrl}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`agent did not become ready:\n${this.output}`);
  }

  /** SIGKILL: no clean-up, like a crash or a power cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) await this.kill();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async api<T = unknown>(method: string, route: string, body?: unknown): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as ApiResponse<T>['body'] };
  }

  async data<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const { body: payload } = await this.api<T>(method, route, body);
    if (payload.status !== 'ok') throw new Error(`${method} ${route}: ${payload.error.message}`);
    return payload.data;
  }

  /** The first-run admin passcode the agent printed. */
  passcode(): string {
    const match = /passcode[^:]*: ([a-z0-9]+)/.exec(this.output);
    if (!match?.[1]) throw new Error(`no passcode in the agent output:\n${this.output}`);
    return match[1];
  }

  /** A call to the simulator's control API. */
  async sim<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.simUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Asks the in-process simulator for a scripted phone (see packages/core/src/sim). */
  async phone(body: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`${this.simUrl}/phones`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`simulator refused the phone: ${response.status} ${await response.text()}`);
    return response.json();
  }
}
