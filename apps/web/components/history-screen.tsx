'use client';

import { useCallback, useEffect, useState } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { EventRecord, Page, SessionRecord } from '@/lib/types';
import { Button, Card } from './ui';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '—');

export function HistoryScreen({ agent }: { agent: AgentConnection }) {
  const [sessions, setSessions] = useState<Page<SessionRecord> | null>(null);
  const [events, setEvents] = useState<Page<EventRecord> | null>(null);
  const [filter, setFilter] = useState('');
  const { command, liveEvents, syncs } = agent;
  const latestEvent = liveEvents[0];

  const load = useCallback(async () => {
    const [s, e] = await Promise.all([
      command<Page<SessionRecord>>('sessions.list', { pageSize: 20, ...(filter ? { peer: filter } : {}) }),
      command<Page<EventRecord>>('events.list', { pageSize: 50 }),
    ]);
    if (s.status === 'ok') setSessions(s.data);
    if (e.status === 'ok') setEvents(e.data);
  }, [command, filter]);

  // Reload when something happens, so the log is live, and after a reconnection, since events that happened
  // while the link was down were never pushed. (The newest event, not the count: the count stops at 100.)
  useEffect(() => {
    void load();
  }, [load, latestEvent, syncs]);

  const shownEvents = (events?.items ?? []).filter(
    (e) =>
      !filter ||
      e.type.includes(filter) ||
      e.summary.toLowerCase().includes(filter.toLowerCase()) ||
      e.peerAddress?.includes(filter.toLowerCase()),
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex gap-2">
        <input
          aria-label="Filter history"
          placeholder="Filter by device or event"
          className="min-h-12 flex-1 rounded-lg bg-slate-900 px-3 text-lg ring-1 ring-slate-700"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <Button onClick={() => void load()}>Refresh</Button>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Sessions">
          <ul className="flex flex-col gap-1" aria-label="Sessions">
            {(sessions?.items ?? []).map((s) => (
              <li key={s.id} className="rounded-lg bg-slate-800 px-3 py-2 text-base">
                <span className="font-medium">{s.peerName ?? s.peerAddress}</span>{' '}
                <span className="text-slate-400">
                  {s.method} · {time(s.startedAt)} →{' '}
                  {s.endedAt ? `${time(s.endedAt)} (${s.endReason})` : 'now'}
                </span>
              </li>
            ))}
            {sessions?.items.length === 0 && <li className="text-slate-400">No sessions yet.</li>}
          </ul>
        </Card>
        <Card title="Event log">
          <ol className="flex max-h-[60vh] flex-col gap-1 overflow-y-auto" aria-label="Event log">
            {shownEvents.map((e) => (
              <li key={e.id} className="text-base">
                <span className="font-mono text-slate-400">{time(e.at)}</span>{' '}
                <span className="text-sky-300">{e.type}</span> {e.summary}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}
