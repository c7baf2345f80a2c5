import type { Database } from '../db/prisma.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SessionRecord {
  id: number;
  peerAddress: string;
  peerName: string | null;
  method: string;
  groupIfname: string | null;
  ip: string | null;
  startedAt: string;
  connectedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface EventRecord {
  id: number;
  at: string;
  type: string;
  peerAddress: string | null;
  summary: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string | null;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Connection sessions, the event log (bounded) and the operator audit log. */
export class HistoryStore {
  constructor(
    private readonly db: Database,
    private readonly retention = { maxAgeMs: 30 * 24 * 3600 * 1000, maxRows: 100_000 },
  ) {}

  async openSession(input: {
    peerAddress: string;
    peerName: string | null;
    method: string;
  }): Promise<number> {
    const row = await this.db.connectionSession.create({ data: input });
    return row.id;
  }

  async markConnected(id: number, data: { groupIfname: string | null; at: Date }): Promise<void> {
    await this.db.connectionSession.update({
      where: { id },
      data: { connectedAt: data.at, groupIfname: data.groupIfname },
    });
  }

  async setSessionIp(id: number, ip: string): Promise<void> {
    await this.db.connectionSession.update({ where: { id }, data: { ip } });
  }

  async closeSession(id: number, reason: string, at: Date): Promise<void> {
    await this.db.connectionSession.updateMany({
      where: { id, endedAt: null },
      data: { endedAt: at, endReason: reason },
    });
  }

  /** Sessions left open by a crash or a daemon restart are closed with the given reason. */
  async closeOpenSessions(reason: string, at: Date): Promise<number> {
    const result = await this.db.connectionSession.updateMany({
      where: { endedAt: null },
      data: { endedAt: at, endReason: reason },
    });
    return result.count;
  }

  async listSessions(
    query: PageQuery & { peer?: string | undefined; open?: boolean | undefined },
  ): Promise<Page<SessionRecord>> {
    const where = {
      ...(query.peer ? { OR: [{ peerAddress: query.peer }, { peerName: { contains: query.peer } }] } : {}),
      ...(query.open === undefined ? {} : query.open ? { endedAt: null } : { endedAt: { not: null } }),
    };
    const [rows, total] = await Promise.all([
      this.db.connectionSession.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.db.connectionSession.count({ where }),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        peerAddress: r.peerAddress,
        peerName: r.peerName,
        method: r.method,
        groupIfname: r.groupIfname,
        ip: r.ip,
        startedAt: r.startedAt.toISOString(),
        connectedAt: iso(r.connectedAt),
        endedAt: iso(r.endedAt),
        endReason: r.endReason,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async appendEvent(input: {
    type: string;
    peerAddress: string | null;
    summary: string;
    at: Date;
  }): Promise<EventRecord> {
    const row = await this.db.eventLogEntry.create({ data: input });
    return {
      id: row.id,
      at: row.at.toISOString(),
      type: row.type,
      peerAddress: row.peerAddress,
      summary: row.summary,
    };
  }

  async listEvents(
    query: PageQuery & { type?: string | undefined; peer?: string | undefined },
  ): Promise<Page<EventRecord>> {
    const where = {
      ...(query.type ? { type: query.type } : {}),
      ...(query.peer ? { peerAddress: query.peer } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.eventLogEntry.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.db.eventLogEntry.count({ where }),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        type: r.type,
        peerAddress: r.peerAddress,
        summary: r.summary,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Bounded retention: older than maxAge or beyond maxRows newest rows. */
  async pruneEvents(now: Date): Promise<number> {
    const old = await this.db.eventLogEntry.deleteMany({
      where: { at: { lt: new Date(now.getTime() - this.retention.maxAgeMs) } },
    });
    const cutoff = await this.db.eventLogEntry.findFirst({
      orderBy: { id: 'desc' },
      skip: this.retention.maxRows,
      select: { id: true },
    });
    const excess = cutoff
      ? await this.db.eventLogEntry.deleteMany({ where: { id: { lte: cutoff.id } } })
      : { count: 0 };
    return old.count + excess.count;
  }

  async audit(actor: string, action: string, detail: unknown): Promise<void> {
    await this.db.auditEntry.create({
      data: { actor, action, detail: detail === undefined ? null : JSON.stringify(detail) },
    });
  }

  async listAudit(query: PageQuery): Promise<Page<AuditRecord>> {
    const [rows, total] = await Promise.all([
      this.db.auditEntry.findMany({
        orderBy: { id: 'desc' },
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.db.auditEntry.count(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        detail: r.detail,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
