/**
 * The database locked by another process, and the disk full. The API must answer a clear 503 (not 500
 * 'internal error'), the kiosk's state must show the problem (lastError), nothing acknowledged may be lost,
 * and writes must work again once the problem is gone.
 * - Locked: another better-sqlite3 connection holds BEGIN EXCLUSIVE longer than the agent's busy_timeout (5 s).
 * - Disk full: the database lives on a 4 MiB tmpfs mounted for the test (root only), filled up with a file.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, request, startTestAgent, type TestAgent } from './helpers.js';
import { reportFigures } from '@wdk/testing/reliability';

const figures: Record<string, unknown> = {};
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  reportFigures('db-faults', figures);
});

interface Entry {
  id: number;
  address: string | null;
  name: string | null;
}

async function whitelist(t: TestAgent): Promise<Entry[]> {
  const reply = await request(t.agent.port, 'GET', '/api/whitelist');
  if (reply.body.status !== 'ok') throw new Error(reply.body.error.message);
  return reply.body.data as Entry[];
}

function lastError(t: TestAgent) {
  return t.agent.kiosk.state().lastError;
}

describe('database faults', () => {
  it('locked longer than busy_timeout: 503 naming the lock, shown on the kiosk, nothing lost, resumes', async () => {
    const t = await startTestAgent();
    cleanups.push(async () => {
      await t.stop();
      removeDir(t.dir);
    });
    const port = t.agent.port;
    const before = await request(port, 'POST', '/api/whitelist', { body: { name: 'Before the lock' } });
    expect(before.status).toBe(200);

    const other = new Database(path.join(t.dir, 'kiosk.db'));
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    const started = performance.now();
    const pending = request(port, 'POST', '/api/whitelist', { body: { name: 'During the lock' } });
    // The kiosk stays responsive meanwhile: its state is in memory, reads go through (WAL).
    const state = await request(port, 'GET', '/api/state');
    expect(state.status).toBe(200);
    const locked = await pending;
    const waitedMs = Math.round(performance.now() - started);
    other.exec('ROLLBACK');

    expect(locked.status).toBe(503);
    expect(locked.body).toMatchObject({ status: 'error', error: { code: 'unavailable' } });
    const message = locked.body.status === 'error' ? locked.body.error.message : '';
    expect(message).toMatch(/locked/);
    expect(lastError(t)).toMatchObject({ code: 'storage', message });

    const after = await request(port, 'POST', '/api/whitelist', { body: { name: 'After the lock' } });
    expect(after.status).toBe(200);
    expect(lastError(t)?.code).not.toBe('storage');
    expect((await whitelist(t)).map((e) => e.name)).toEqual(['Before the lock', 'After the lock']);
    figures.locked = { status: locked.status, message, waitedMs, busyTimeoutMs: 5000 };
  }, 30_000);

  it.skipIf(process.getuid?.() !== 0)(
    'disk full (4 MiB tmpfs): 503 naming the full disk, shown on the kiosk, nothing acknowledged lost, resumes',
    async (context) => {
      const mount = mkdtempSync(path.join(os.tmpdir(), 'wdk-disk-full-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount], { stdio: 'pipe' });
      } catch (error) {
        // Root without CAP_SYS_ADMIN (some containers): say so loudly rather than fail.
        rmSync(mount, { recursive: true, force: true });
        console.warn(`!!! SKIPPING the disk-full case: cannot mount a tmpfs (${String(error)})`);
        context.skip();
      }
      cleanups.push(() => {
        execFileSync('umount', ['-l', mount]);
        rmSync(mount, { recursive: true, force: true });
      });
      let t = await startTestAgent({ dir: mount });
      cleanups.push(() => t.stop());
      const port = t.agent.port;
      expect((await request(port, 'POST', '/api/whitelist', { body: { name: 'Before' } })).status).toBe(200);

      // Fill the file system to the last block.
      const filler = path.join(mount, 'filler');
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      try {
        for (;;) writeSync(fd, block, 0, 512);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      closeSync(fd);

      // The WAL may still have room for a few pages: write until the disk says no (bounded).
      const acked: string[] = ['Before'];
      let refused: Awaited<ReturnType<typeof request>> | undefined;
      for (let i = 0; i < 200 && !refused; i++) {
        const reply = await request(port, 'POST', '/api/whitelist', {
          body: { name: `Full ${i}`, label: 'x'.repeat(64) },
        });
        if (reply.status === 200) acked.push(`Full ${i}`);
        else refused = reply;
      }
      expect(refused?.status).toBe(503);
      const message = refused?.body.status === 'error' ? refused.body.error.message : '';
      expect(refused?.body).toMatchObject({ status: 'error', error: { code: 'unavailable' } });
      expect(message).toMatch(/disk is full/);
      expect(lastError(t)).toMatchObject({ code: 'storage', message });
      // Reads still work while the disk is full.
      expect((await whitelist(t)).map((e) => e.name)).toEqual(acked);

      rmSync(filler);
      const after = await request(port, 'POST', '/api/whitelist', { body: { name: 'After' } });
      expect(after.status).toBe(200);
      acked.push('After');
      expect(lastError(t)?.code).not.toBe('storage');

      // Everything acknowledged survives a restart, and the file is sound.
      await t.stop();
      const db = new Database(path.join(mount, 'kiosk.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      t = await startTestAgent({ dir: mount });
      expect((await whitelist(t)).map((e) => e.name)).toEqual(acked);
      figures.diskFull = {
        method: 'tmpfs of 4 MiB mounted for the test, filled with a file',
        writesAcceptedAfterFilling: acked.length - 2,
        status: refused?.status,
        message,
        acknowledgedAfterRestart: acked.length,
      };
    },
    60_000,
  );
});
