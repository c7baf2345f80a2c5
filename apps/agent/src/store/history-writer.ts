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

/** A commit that found the database locked is tried again after this long … */
const BUSY_RETRY_MS = 20;
/** … and reported once the lock has lasted this long (the agent's own connection waits 5 s, then fails). */
const BUSY_REPORT_AFTER_MS = 5000;

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
  /** Since when commits find the database locked (undefined: they do not). */
  #busySince: number | undefined;
  #busyReported = false;
  #busyRetry: NodeJS.Timeout | undefined;

  readonly #checkpointWhenIdleMs: number;

  private constructor(
    file: string,
    onError: (error: HistoryWriteError) => void,
    options: HistoryWriterOptions,
  ) {
    this.#onError = onError;
    this.#checkpointWhenIdleMs = options.checkpointWhenIdleMs ?? CHECKPOINT_WHEN_IDLE_MS;
    this.#db = new Sqlite(file);
    // WAL as the agent's own connection (agent.ts); NORMAL, no automatic checkpoint and no lock wait: see above
    // and #retryWhenFree.
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('wal_autocheckpoint = 0');
    this.#db.pragma('busy_timeout = 0');
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
    this.#checkpoint();
    this.#db.close();
    await this.#wal?.close().catch(() => undefined);
  }

  #commit(): void {
    this.#commitScheduled = undefined;
    clearTimeout(this.#busyRetry);
    this.#busyRetry = undefined;
    const writes = this.#batch;
    this.#batch = [];
    if (writes.length === 0) return;
    const before = new Map(this.#openSessions);
    try {
      this.#db.transaction(() => {
        for (const write of writes) this.#apply(write.op);
      })();
    } catch (error) {
      this.#openSessions = before;
      if (isBusy(error)) {
        this.#retryWhenFree(writes, error);
        return;
      }
      // One write failed and took the batch with it: apply them one by one, so that only what fails is lost.
      for (const [index, write] of writes.entries()) {
        const single = new Map(this.#openSessions);
        try {
          this.#db.transaction(() => this.#apply(write.op))();
        } catch (error) {
          this.#openSessions = single;
          if (isBusy(error)) {
            this.#retryWhenFree(writes.slice(index), error);
            return;
          }
          this.#report(write.op, error);
        }
      }
    }
    this.#busySince = undefined;
    this.#busyReported = false;
    this.#committed = writes[writes.length - 1]!.seq;
    this.#commitsSinceCheckpoint += 1;
    void this.#syncWal();
    if (this.#commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS) this.#checkpoint();
    else this.#checkpointWhenIdle();
  }

  /**
   * Another connection holds the write lock (the agent's own Prisma connection inside a transaction, or another
   * process such as `wdk passcode set`). This connection does not wait for it (busy_timeout 0: waiting would
   * hold the event loop, and with it a Prisma transaction of this very thread that must finish to free the
   * lock): the writes go back to the front of the queue and are tried again shortly, nothing lost. A lock held
   * longer than BUSY_REPORT_AFTER_MS is reported once, as the kiosk's other storage errors are.
   */
  #retryWhenFree(writes: QueuedWrite[], error: unknown): void {
    this.#batch = [...writes, ...this.#batch];
    const now = Date.now();
    this.#busySince ??= now;
    if (now - this.#busySince >= BUSY_REPORT_AFTER_MS && !this.#busyReported) {
      this.#busyReported = true;
      this.#report(null, error);
    }
    this.#busyRetry ??= setTimeout(() => {
      this.#busyRetry = undefined;
      this.#commit();
    }, BUSY_RETRY_MS);
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

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}
