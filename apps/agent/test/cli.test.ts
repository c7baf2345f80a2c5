import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestAgent, type TestAgent } from './helpers.js';

const exec = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', 'src', 'cli.ts');

/** Runs `wdk …` as a user would (through tsx, so no build is needed). */
async function wdk(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = exec(process.execPath, ['--import', 'tsx', cli, ...args], { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let t: TestAgent;
let agentUrl: string;
beforeAll(async () => {
  t = await startTestAgent();
  agentUrl = `http://127.0.0.1:${t.agent.port}`;
});
afterAll(async () => {
  await t.stop();
  removeDir(t.dir);
});

describe('wdk CLI', () => {
  it('status prints the running agent state, and JSON with --json', async () => {
    const text = await wdk(['status', '--agent', agentUrl]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/device\s+DIRECT-kiosk/);
    const json = await wdk(['status', '--json', '--agent', agentUrl]);
    expect(JSON.parse(json.stdout)).toMatchObject({ deviceName: 'DIRECT-kiosk', daemon: 'connected' });
  });

  it('whitelist add, list and remove go through the agent, with its validation', async () => {
    const added = await wdk([
      'whitelist',
      'add',
      '--address',
      '42:00:00:00:31:00',
      '--label',
      'CLI phone',
      '--agent',
      agentUrl,
    ]);
    expect(added.stdout).toMatch(/^added \d+/);
    const list = await wdk(['whitelist', 'list', '--agent', agentUrl]);
    expect(list.stdout).toContain('42:00:00:00:31:00');
    const bad = await wdk(['whitelist', 'add', '--address', 'nope', '--agent', agentUrl]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MAC address');
    const id = /^added (\d+)/.exec(added.stdout)?.[1] ?? '';
    expect((await wdk(['whitelist', 'remove', id, '--agent', agentUrl])).stdout).toContain(`removed ${id}`);
    expect((await wdk(['whitelist', 'list', '--agent', agentUrl])).stdout).not.toContain('42:00:00:00:31:00');
  });

  it('says clearly when no agent is running', async () => {
    const result = await wdk(['status', '--agent', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not reachable');
  });

  it('refuses invalid agent flags before starting anything', async () => {
    const port = await wdk(['agent', '--port', 'eighty']);
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/port/);
    const iface = await wdk(['agent', '--iface', 'bad/name', '--simulate', '--port', '0']);
    expect(iface.code).toBe(2);
    expect(iface.stderr).toMatch(/iface.*interface name/);
  });

  it('passcode set stores a new hash that logs in', async () => {
    const result = await wdk(['passcode', 'set', '--db', t.dbUrl], 'correct horse\n');
    expect(result.code).toBe(0);
    const { AuthService } = await import('../src/auth/auth-service.js');
    const { SettingsStore } = await import('../src/store/settings-store.js');
    const { openDatabase } = await import('../src/db/prisma.js');
    const db = openDatabase(t.dbUrl);
    try {
      const auth = new AuthService(new SettingsStore(db));
      await expect(auth.login('10.0.0.9', 'correct horse')).resolves.toMatchObject({ user: 'admin' });
    } finally {
      await db.$disconnect();
    }
    const short = await wdk(['passcode', 'set', '--db', t.dbUrl], 'abc\n');
    expect(short.code).not.toBe(0);
  });
});
