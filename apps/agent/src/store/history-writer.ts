/**
 * The connection history's writes (sessions, event log), batched per turn of the event loop and made durable
 * without ever blocking it.
 *
 * better-sqlite3 is synchronous, and a commit with `synchronous=FULL` waits for an fsync (about 1 ms here, 7 ms
 * at p99, tens of ms now and then; more on a Pi's SD card): on the event loop that would hold the control
 * socket's next datagram (a phone's request) behind it. So this connection commits with `synchronous=NORMAL`
 * (in WAL mode: the commit only writes the WAL, in the page cache), and then the WAL file is fsynced on libuv's
 * thread pool. `flush()` resolves once everything written so far is committed *and* that fsync is done: the
 * same durability as FULL, nothing the agent acknowledges is lost, and the event loop never waits for a disk.
 *
 * Checkpoints (copying the WAL into the database, with fsyncs of their own) would run inside a commit once the
 * WAL reaches 1000 pages; this connection turns that off and checkpoints when the writes have paused for a
 * second, or, under a never-ending stream of writes, after CHECKPOINT_EVERY_COMMITS commits.
 *
 * (Until 2026-11 these writes ran on a worker thread with FULL: the same effect, but a second V8 isolate and
 * Node environment cost about 12 MB of the agent's 80 MB budget.)
 */
import { open, type FileHandle } from 'node:fs/promises';
import Sqlite from 'better-sqlite3';
import { databasePathFromUrl } from '../db/migrate.js';

/** One history write. Times are epoch milliseconds. */
export type HistoryOp =
  | {
      readonly kind: 'event';
      readonly type: string;
      readonly at: number;
      /** The peer the event is about (event-log column), or null. */
      readonly peerAddress: string | null;
      readonly summary: string;
      /** Session bookkeeping for connecting / connected / disconnected / failed / daemon-lost. */
      readonly session?: {
        readonly address: string;
        readonly name: string | null;
        readonly method: string;
        readonly reason: string | null;
        readonly groupIfname: string | null;
      };
    }
  | { readonly kind: 'client-ip'; readonly address: string; readonly ip: string };

/**
 * A write that failed: the SQLite or file-system code (SQLITE_FULL, EIO, …) and message; `op` is null when the
 * fsync or a checkpoint failed rather than one write.
 */
export interface HistoryWriteError extends Error {
  readonly code?: string;
  readonly op: HistoryOp | null;
}

/** Commits between checkpoints while the writes never pause (each commit adds a few WAL pages). */
const CHECKPOINT_EVERY_COMMITS = 500;
/** A checkpoint runs once no write came for this long. */
const CHECKPOINT_WHEN_IDLE_MS = 1000;

/** DateTime as Prisma's SQLite adapter stores it: ISO 8601 with "+00:00". */
const stamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

export interface HistoryWriterOptions {
  /** Checkpoint once no write came for this long. Default CHECKPOINT_WHEN_IDLE_MS. */
  checkpointWhenIdleMs?: number;
}

interface QueuedWrite {
  readonly seq: number;
  readonly op: HistoryOp;
}

export class HistoryWriter {
  readonly #db: Sqlite.Database;
  readonly #walPath: string;
  readonly #onError: (error: HistoryWriteError) => void;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #waiters: { seq: number; resolve: () => void }[] = [];
  /** The open session of each peer (address → row id). */
  #openSessions = new Map<string, number>();
  #batch: QueuedWrite[] = [];
  #commitScheduled: NodeJS.Immediate | undefined;
  #seq = 0;
  /** Committed (in the WAL), not yet known to be on disk. */
  #committed = 0;
  /** Committed and fsynced. */
  #durable = 0;
  #wal: FileHandle | undefined;
  #syncing = false;
  #commitsSinceCheckpoint = 0;
  #checkpointTimer: NodeJS.Timeout | undefined;
  #closed = false;

  readonly #checkpointWhenIdleMs: number;

  private constructor(
    file: string,
    onError: (error: HistoryWriteError) => void,
    options: HistoryWriterOptions,
  ) {
    this.#onError = onError;
    this.#checkpointWhenIdleMs = options.checkpointWhenIdleMs ?? CHECKPOINT_WHEN_IDLE_MS;
    this.#db = new Sqlite(file);
    // WAL and a lock wait as the agent's own connection (agent.ts); NORMAL and no automatic checkpoint: see above.
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('wal_autocheckpoint = 0');
    this.#db.pragma('busy_timeout = 5000');
    this.#walPath = `${file}-wal`;
    this.#statements = prepareStatements(this.#db);
  }

  /** Opens the writer's own connection to the agent's database (`file:…` URL, as DATABASE_URL). */
  static open(
    databaseUrl: string,
    onError: (error: HistoryWriteError) => void,
    options: HistoryWriterOptions = {},
  ): HistoryWriter {
    return new HistoryWriter(databasePathFromUrl(databaseUrl), onError, options);
  }

  /** Queues one write; never blocks. Writes are applied in the order they were made, one transaction per turn. */
  write(op: HistoryOp): void {
    if (this.#closed) {
      this.#onError(Object.assign(new Error('the history writer is closed'), { op }));
      return;
    }
    this.#seq += 1;
    this.#batch.push({ seq: this.#seq, op });
    if (this.#commitScheduled === undefined) this.#commitScheduled = setImmediate(() => this.#commit());
  }

  /** Resolves once every write made so far is committed and on disk (or has failed and was reported). */
  flush(): Promise<void> {
    if (this.#durable >= this.#seq) return Promise.resolve();
    const seq = this.#seq;
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  /** Flushes, checkpoints and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    clearTimeout(this.#checkpointTimer);
    this.#checkpoint();
    this.#db.close();
    await this.#wal?.close().catch(() => undefined);
  }

  #commit(): void {
    this.#commitScheduled = undefined;
    const writes = this.#batch;
    this.#batch = [];
    if (writes.length === 0) return;
    const before = new Map(this.#openSessions);
    try {
      this.#db.transaction(() => {
        for (const write of writes) this.#apply(write.op);
      })();
    } catch {
      // One write failed and took the batch with it: apply them one by one, so that only what fails is lost.
      this.#openSessions = before;
      for (const write of writes) {
        const single = new Map(this.#openSessions);
        try {
          this.#db.transaction(() => this.#apply(write.op))();
        } catch (error) {
          this.#openSessions = single;
          this.#report(write.op, error);
        }
      }
    }
    this.#committed = writes[writes.length - 1]!.seq;
    this.#commitsSinceCheckpoint += 1;
    void this.#syncWal();
    if (this.#commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS) this.#checkpoint();
    else this.#checkpointWhenIdle();
  }

  /** fsync of the WAL on the thread pool; one at a time, each covering every commit made before it started. */
  async #syncWal(): Promise<void> {
    if (this.#syncing) return;
    this.#syncing = true;
    try {
      while (this.#durable < this.#committed) {
        const target = this.#committed;
        try {
          this.#wal ??= await open(this.#walPath, 'r');
          await this.#wal.sync();
        } catch (error) {
          // The commit stands (a later fsync may still succeed); what the disk refused is reported.
          this.#report(null, error);
        }
        this.#durable = target;
        this.#settleWaiters();
      }
    } finally {
      this.#syncing = false;
    }
  }

  #settleWaiters(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i]!;
      if (waiter.seq > this.#durable) continue;
      this.#waiters.splice(i, 1);
      waiter.resolve();
    }
  }

  #checkpointWhenIdle(): void {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = setTimeout(() => this.#checkpoint(), this.#checkpointWhenIdleMs);
    this.#checkpointTimer.unref();
  }

  #checkpoint(): void {
    clearTimeout(this.#checkpointTimer);
    if (this.#commitsSinceCheckpoint === 0) return;
    try {
      // PASSIVE: copies what no reader still needs and never waits for one; the rest goes next time.
      this.#db.pragma('wal_checkpoint(PASSIVE)');
      this.#commitsSinceCheckpoint = 0;
    } catch (error) {
      this.#report(null, error);
    }
  }

  #report(op: HistoryOp | null, error: unknown): void {
    const failure = error as { code?: unknown; message?: unknown };
    this.#onError(
      Object.assign(new Error(typeof failure.message === 'string' ? failure.message : String(error)), {
        op,
        ...(typeof failure.code === 'string' ? { code: failure.code } : {}),
      }),
    );
  }

  #apply(op: HistoryOp): void {
    const statements = this.#statements;
    const openSessions = this.#openSessions;
    if (op.kind === 'client-ip') {
      const id = openSessions.get(op.address);
      if (id !== undefined) statements.ip.run(op.ip, id);
      return;
    }
    const at = stamp(op.at);
    const session = op.session;
    const openFor = (method: string): number => {
      const known = openSessions.get(session!.address);
      if (known !== undefined) return known;
      const id = Number(statements.open.run(session!.address, session!.name, method, at).lastInsertRowid);
      openSessions.set(session!.address, id);
      return id;
    };
    switch (op.type) {
      case 'connecting':
        if (session) openFor(session.method);
        break;
      case 'connected':
        if (session) statements.connected.run(at, session.groupIfname, openFor('unknown'));
        break;
      case 'disconnected':
      case 'failed': {
        const id = session ? openSessions.get(session.address) : undefined;
        if (id !== undefined) {
          statements.close.run(at, session!.reason, id);
          openSessions.delete(session!.address);
        }
        break;
      }
      case 'daemon-lost':
        statements.closeAll.run(at, 'daemon-restart');
        openSessions.clear();
        break;
    }
    statements.event.run(at, op.type, op.peerAddress, op.summary);
  }
}

function prepareStatements(db: Sqlite.Database) {
  return {
    open: db.prepare(
      'INSERT INTO "ConnectionSession" ("peerAddress", "peerName", "method", "startedAt") VALUES (?, ?, ?, ?)',
    ),
    connected: db.prepare(
      'UPDATE "ConnectionSession" SET "connectedAt" = ?, "groupIfname" = ? WHERE "id" = ?',
    ),
    close: db.prepare(
      'UPDATE "ConnectionSession" SET "endedAt" = ?, "endReason" = ? WHERE "id" = ? AND "endedAt" IS NULL',
    ),
    closeAll: db.prepare(
      'UPDATE "ConnectionSession" SET "endedAt" = ?, "endReason" = ? WHERE "endedAt" IS NULL',
    ),
    ip: db.prepare('UPDATE "ConnectionSession" SET "ip" = ? WHERE "id" = ?'),
    event: db.prepare(
      'INSERT INTO "EventLogEntry" ("at", "type", "peerAddress", "summary") VALUES (?, ?, ?, ?)',
    ),
  };
}
