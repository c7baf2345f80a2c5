'use client';

import { useState, type FormEvent } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { Settings } from '@/lib/types';
import { Button, Card } from './ui';

export function SettingsScreen({ settings, agent }: { settings: Settings; agent: AgentConnection }) {
  const [draft, setDraft] = useState(() => ({
    mode: settings.mode,
    unknownPbc: settings.unknownPbc,
    fixedPin: settings.fixedPin ?? '',
    approvalTimeoutS: String(Math.round(settings.approvalTimeoutMs / 1000)),
    maxClients: String(settings.maxClients),
    discoveryIntervalS: String(Math.round(settings.discoveryIntervalMs / 1000)),
    deviceName: settings.deviceName,
    groupMode: settings.groupMode,
  }));
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const set = (key: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  async function save(event: FormEvent) {
    event.preventDefault();
    const response = await agent.command('settings.update', {
      mode: draft.mode,
      unknownPbc: draft.unknownPbc,
      fixedPin: draft.fixedPin.trim() === '' ? null : draft.fixedPin.trim(),
      approvalTimeoutMs: Number(draft.approvalTimeoutS) * 1000,
      maxClients: Number(draft.maxClients),
      discoveryIntervalMs: Number(draft.discoveryIntervalS) * 1000,
      deviceName: draft.deviceName,
      groupMode: draft.groupMode,
    });
    setResult(
      response.status === 'ok'
        ? { ok: true, message: 'Saved.' }
        : { ok: false, message: response.error.message },
    );
  }

  const field = 'min-h-12 rounded-lg bg-slate-950 px-3 text-lg ring-1 ring-slate-700';
  return (
    <Card title="Settings">
      <form onSubmit={save} className="grid gap-3 md:grid-cols-2" noValidate>
        <label className="flex flex-col gap-1">
          Mode
          <select className={field} value={draft.mode} onChange={(e) => set('mode')(e.target.value)}>
            <option value="dynamic">Dynamic: whitelist by push button, others by PIN or approval</option>
            <option value="static-pbc">Push button for everyone</option>
            <option value="static-pin">PIN for everyone</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Unknown push-button requests
          <select
            className={field}
            value={draft.unknownPbc}
            onChange={(e) => set('unknownPbc')(e.target.value)}
          >
            <option value="approve">Ask the operator</option>
            <option value="pin">Require the PIN</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Fixed PIN (empty: a new PIN every session)
          <input
            className={`${field} font-mono`}
            inputMode="numeric"
            value={draft.fixedPin}
            onChange={(e) => set('fixedPin')(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Approval timeout (seconds)
          <input
            className={field}
            inputMode="numeric"
            value={draft.approvalTimeoutS}
            onChange={(e) => set('approvalTimeoutS')(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Maximum connected devices
          <input
            className={field}
            inputMode="numeric"
            value={draft.maxClients}
            onChange={(e) => set('maxClients')(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Discovery interval (seconds)
          <input
            className={field}
            inputMode="numeric"
            value={draft.discoveryIntervalS}
            onChange={(e) => set('discoveryIntervalS')(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Device name
          <input
            className={field}
            value={draft.deviceName}
            onChange={(e) => set('deviceName')(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Group
          <select
            className={field}
            value={draft.groupMode}
            onChange={(e) => set('groupMode')(e.target.value)}
          >
            <option value="negotiated">A group per connection (negotiated)</option>
            <option value="autonomous">A standing group (autonomous)</option>
          </select>
        </label>
        <div className="flex items-center gap-3 md:col-span-2">
          <Button type="submit" tone="primary">
            Save settings
          </Button>
          {result && (
            <p
              role={result.ok ? 'status' : 'alert'}
              className={result.ok ? 'text-emerald-300' : 'text-rose-300'}
            >
              {result.message}
            </p>
          )}
        </div>
      </form>
    </Card>
  );
}
