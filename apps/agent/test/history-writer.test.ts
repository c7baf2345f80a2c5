/**
 * The history writer (one transaction per turn of the event loop, the WAL fsynced off the loop): what it
 * writes reads back through the agent's Prisma stores (dates included), sessions are opened and closed per
 * peer, flush() waits for the commit, the WAL is checkpointed once the writes pause, and a locked database
 * delays the writes without blocking the event loop or losing any.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPendingMigrations } from '../src/db/migrate.js';
import { openDatabase, type Database } from '../src/db/prisma.js';
import { HistoryStore } from '../src/store/history-store.js';
import { HistoryWriter, type HistoryOp, type HistoryWriteError } from '../src/store/history-writer.js';

const migrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations');
let dir: string;
let url: string;
let db: Database;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wdk-history-writer-'));
  url = `file:${path.join(dir, 'kiosk.db')}`;
  await applyPendingMigrations({ databaseUrl: url, migrationsDir, logger: pino({ level: 'silent' }) });
  db = openDatabase(url);
  await db.$queryRawUnsafe('PRAGMA journal_mode=WAL');
});

afterEach(async () => {
  await db.$disconnect();
  await rm(dir, { recursive: true, force: true });
});

const PHONE = '42:00:00:00:01:00';
const OTHER = '42:00:00:00:02:00';
const session = (
  address: string,
  extra: { method?: string; reason?: string; groupIfname?: string } = {},
) => ({
  address,
  name: 'Pixel 8',
  method: extra.method ?? 'unknown',
  reason: extra.reason ?? null,
  groupIfname: extra.groupIfname ?? null,
});

/** A write of the simplest kind: one event-log row, no session. */
const peerSeen = (peerAddress: string, summary = 'seen'): HistoryOp => ({
  kind: 'event',
  type: 'peer-seen',
  at: Date.now(),
  peerAddress,
  summary,
});

describe('HistoryWriter', () => {
  it('opens, connects and closes sessions per peer; the rows read back through HistoryStore', async () => {
    const errors: HistoryWriteError[] = [];
    const writer = HistoryWriter.open(url, (error) => errors.push(error));
    const t0 = Date.parse('2026-11-23T10:00:00.000Z');
    const event = (type: string, at: number, extra: object = {}) => ({
      kind: 'event' as const,
      type,
      at,
      peerAddress: PHONE,
      summary: `${type} summary`,
      ...extra,
    });
    writer.write(event('connecting', t0, { session: session(PHONE, { method: 'pbc' }) }));
    writer.write(event('connected', t0 + 1000, { session: session(PHONE, { groupIfname: 'p2p-wlan0-0' }) }));
    writer.write({ kind: 'client-ip', address: PHONE, ip: '192.168.49.10' });
    writer.write(event('disconnected', t0 + 5000, { session: session(PHONE, { reason: 'left' }) }));
    writer.write(event('connecting', t0 + 6000, { session: session(OTHER, { method: 'display' }) }));
    writer.write(event('daemon-lost', t0 + 7000, { peerAddress: null }));
    await writer.flush();

    const history = new HistoryStore(db);
    const sessions = await history.listSessions({ page: 1, pageSize: 10 });
    expect(sessions.items).toEqual([
      expect.objectContaining({
        peerAddress: OTHER,
        method: 'display',
        startedAt: '2026-11-23T10:00:06.000Z',
        endedAt: '2026-11-23T10:00:07.000Z',
        endReason: 'daemon-restart',
      }),
      expect.objectContaining({
        peerAddress: PHONE,
        peerName: 'Pixel 8',
        method: 'pbc',
        groupIfname: 'p2p-wlan0-0',
        ip: '192.168.49.10',
        startedAt: '2026-11-23T10:00:00.000Z',
        connectedAt: '2026-11-23T10:00:01.000Z',
        endedAt: '2026-11-23T10:00:05.000Z',
        endReason: 'left',
      }),
    ]);
    const events = await history.listEvents({ page: 1, pageSize: 10 });
    expect(events.items.map((row) => [row.type, row.at])).toEqual([
      ['daemon-lost', '2026-11-23T10:00:07.000Z'],
      ['connecting', '2026-11-23T10:00:06.000Z'],
      ['disconnected', '2026-11-23T10:00:05.000Z'],
      ['connected', '2026-11-23T10:00:01.000Z'],
      ['connecting', '2026-11-23T10:00:00.000Z'],
    ]);
    await writer.close();
    expect(errors).toEqual([]);
  });

  it("reports a write that fails (the table is gone) to the kiosk's error callback; flush() does not hang", async () => {
    const errors: HistoryWriteError[] = [];
    const writer = HistoryWriter.open(url, (error) => errors.push(error));
    writer.write(peerSeen(PHONE));
    await writer.flush();
    await db.$executeRawUnsafe('ALTER TABLE "EventLogEntry" RENAME TO "Elsewhere"');
    writer.write(peerSeen(OTHER));
    await writer.flush();
    await writer.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.op).toMatchObject({ kind: 'event', peerAddress: OTHER });
    const rows = await db.$queryRawUnsafe<{ n: number }[]>('SELECT COUNT(*) AS n FROM "Elsewhere"');
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('checkpoints the WAL into the database file once the writes pause', async () => {
    const writer = HistoryWriter.open(url, () => undefined, { checkpointWhenIdleMs: 50 });
    const file = path.join(dir, 'kiosk.db');
    // A copy of the database file alone, without its WAL, holds only what was checkpointed.
    const rowsInDatabaseFile = (): number => {
      const copy = path.join(dir, 'copy.db');
      copyFileSync(file, copy);
      const reader = new Sqlite(copy, { readonly: true });
      try {
        return (reader.prepare('SELECT COUNT(*) AS n FROM "EventLogEntry"').get() as { n: number }).n;
      } finally {
        reader.close();
        rmSync(copy);
      }
    };
    for (let i = 0; i < 5; i++) writer.write(peerSeen(PHONE, `seen ${i}`));
    await writer.flush();
    expect(rowsInDatabaseFile()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rowsInDatabaseFile()).toBe(5);
    await writer.close();
  });

  it('does not wait on a locked database: the writes are kept and committed once the lock is gone', async () => {
    const errors: HistoryWriteError[] = [];
    const writer = HistoryWriter.open(url, (error) => errors.push(error));
    const locker = new Sqlite(path.join(dir, 'kiosk.db'));
    locker.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 3; i++) writer.write(peerSeen(PHONE, `seen ${i}`));
    let flushed = false;
    const flushing = writer.flush().then(() => (flushed = true));
    // Several retries come and go while the lock is held; the event loop keeps turning (this timer fires).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(flushed).toBe(false);
    locker.exec('COMMIT');
    locker.close();
    await flushing;
    const rows = await db.$queryRawUnsafe<{ n: number }[]>('SELECT COUNT(*) AS n FROM "EventLogEntry"');
    expect(Number(rows[0]!.n)).toBe(3);
    await writer.close();
    expect(errors).toEqual([]);
  });
});
