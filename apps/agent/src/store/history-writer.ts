/**
 * The connection history's writes (sessions, event log) on a worker thread of their own.
 *
 * The database runs with `synchronous=FULL`: every commit waits for an fsync (about 1 ms here, 7 ms at p99, tens
 * of ms now and then). better-sqlite3 is synchronous, so on the main thread each domain event's writes held the
 * event loop — and the control socket's next datagram (a phone's request) waited behind them. Here the main
 * thread only posts a message; the worker commits everything that arrived meanwhile in one transaction (one
 * fsync per batch), with the same durability. `flush()` resolves once everything posted so far is committed,
 * so nothing the agent acknowledges is lost.
 *
 * The worker's code is the self-contained function below, run with `eval` (it works from dist/ and from the
 * TypeScript sources under vitest alike); it loads better-sqlite3 by the path the main thread resolved.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { databasePathFromUrl } from '../db/migrate.js';

/** One history write, as the worker applies it. Times are epoch milliseconds. */
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

/** What the worker reports when a write failed: the SQLite code (SQLITE_FULL, …) and message. */
export interface HistoryWriteError extends Error {
  readonly code?: string;
  readonly op: HistoryOp;
}

type WorkerMessage =
  | { readonly done: number }
  | {
      readonly failed: number;
      readonly code: string | null;
      readonly message: string;
      readonly op: HistoryOp;
    };

export class HistoryWriter {
  readonly #worker: Worker;
  readonly #onError: (error: HistoryWriteError) => void;
  readonly #waiters: { seq: number; resolve: () => void }[] = [];
  #seq = 0;
  #committed = 0;
  #exited = false;

  private constructor(file: string, onError: (error: HistoryWriteError) => void) {
    this.#onError = onError;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(`(${historyWorker.toString()})(require('node:worker_threads'), require);`, {
      eval: true,
      workerData: { file, driver },
      // The worker holds little: its prepared statements, each open session's row id, and the writes of one
      // turn of its loop (a few hundred bytes each); its heap is about 5 MB used, nearly all Node's own
      // bootstrap. A 2 MB young generation (V8's default would grow to 16 MB semi-spaces) and an old
      // generation capped at 32 MB (six times that, for a burst of writes queued behind a slow fsync) keep its
      // committed heap at about 7 MB instead of 9 (measured at idle after 10 000 writes); the cap also keeps a
      // runaway worker from taking the Pi's memory (it would end with ERR_WORKER_OUT_OF_MEMORY, reported by
      // the 'error' handler below, and later writes fail loudly).
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    // Never what keeps the process alive: close() (agent.close) flushes and ends it.
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => this.#onMessage(message));
    this.#worker.on('error', (error: Error) =>
      this.#onError(Object.assign(error, { op: { kind: 'client-ip', address: '', ip: '' } as const })),
    );
    this.#worker.on('exit', () => {
      this.#exited = true;
      this.#settle(Number.POSITIVE_INFINITY);
    });
  }

  /** Starts the writer on the agent's database (`file:…` URL, as DATABASE_URL). */
  static open(databaseUrl: string, onError: (error: HistoryWriteError) => void): HistoryWriter {
    return new HistoryWriter(databasePathFromUrl(databaseUrl), onError);
  }

  /** Queues one write; never blocks. Writes are applied in the order they were posted. */
  write(op: HistoryOp): void {
    if (this.#exited) {
      this.#onError(Object.assign(new Error('the history writer has stopped'), { op }));
      return;
    }
    this.#seq += 1;
    this.#worker.postMessage({ seq: this.#seq, op });
  }

  /** Resolves once every write posted so far is committed (or has failed and was reported). */
  flush(): Promise<void> {
    if (this.#committed >= this.#seq || this.#exited) return Promise.resolve();
    const seq = this.#seq;
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  /** Flushes, then closes the worker's database connection. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage({ close: true });
    await exited;
  }

  #onMessage(message: WorkerMessage): void {
    if ('failed' in message) {
      const error = Object.assign(new Error(message.message), {
        op: message.op,
        ...(message.code === null ? {} : { code: message.code }),
      });
      this.#onError(error);
      return;
    }
    this.#settle(message.done);
  }

  #settle(seq: number): void {
    this.#committed = Math.max(this.#committed, Math.min(seq, this.#seq));
    if (seq === Number.POSITIVE_INFINITY) this.#committed = this.#seq;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i]!;
      if (waiter.seq > this.#committed) continue;
      this.#waiters.splice(i, 1);
      waiter.resolve();
    }
  }
}

/**
 * The worker thread. Self-contained (it is serialised with toString()): no imports, no closure.
 * Keeps the open session of each peer (address → row id), as KioskService did on the main thread.
 */
function historyWorker(threads: typeof import('node:worker_threads'), load: (id: string) => unknown): void {
  type Sqlite = typeof import('better-sqlite3');
  const { parentPort, workerData } = threads as {
    parentPort: import('node:worker_threads').MessagePort;
    workerData: { file: string; driver: string };
  };
  const Database = load(workerData.driver) as Sqlite;
  const db = new Database(workerData.file);
  // The same settings as the agent's own connection (agent.ts): WAL, an fsync per commit, wait for a lock.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  /** DateTime as Prisma's SQLite adapter stores it: ISO 8601 with "+00:00". */
  const stamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');
  const statements = {
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
  let openSessions = new Map<string, number>();

  function apply(op: HistoryOp): void {
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

  const report = (seq: number, op: HistoryOp, error: unknown): void => {
    const failure = error as { code?: unknown; message?: unknown };
    parentPort.postMessage({
      failed: seq,
      code: typeof failure.code === 'string' ? failure.code : null,
      message: typeof failure.message === 'string' ? failure.message : String(error),
      op,
    });
  };

  let batch: { seq: number; op: HistoryOp }[] = [];
  let scheduled = false;
  const commit = (): void => {
    scheduled = false;
    const writes = batch;
    batch = [];
    if (writes.length === 0) return;
    const before = new Map(openSessions);
    try {
      db.transaction(() => {
        for (const write of writes) apply(write.op);
      })();
    } catch {
      // One write failed and took the batch with it: apply them one by one, so that only what fails is lost.
      openSessions = before;
      for (const write of writes) {
        const single = new Map(openSessions);
        try {
          db.transaction(() => apply(write.op))();
        } catch (error) {
          openSessions = single;
          report(write.seq, write.op, error);
        }
      }
    }
    parentPort.postMessage({ done: writes[writes.length - 1]!.seq });
  };

  parentPort.on('message', (message: { seq: number; op: HistoryOp } | { close: true }) => {
    if ('close' in message) {
      commit();
      db.close();
      parentPort.close();
      return;
    }
    batch.push(message);
    // Everything that arrives in this turn of the worker's loop goes into one transaction (one fsync).
    if (!scheduled) {
      scheduled = true;
      setImmediate(commit);
    }
  });
}
