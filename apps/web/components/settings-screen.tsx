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

  type Key = keyof typeof draft;
  const text = (key: Key, label: string, props: { numeric?: boolean; mono?: boolean } = {}) => (
    <TextField label={label} value={draft[key]} onChange={set(key)} {...props} />
  );
  const select = (key: Key, label: string, options: Record<string, string>) => (
    <SelectField label={label} value={draft[key]} onChange={set(key)} options={options} />
  );
  return (
    <Card title="Settings">
      <form onSubmit={save} className="grid gap-3 md:grid-cols-2" noValidate>
        {select('mode', 'Mode', {
          dynamic: 'Dynamic: whitelist by push button, others by PIN or approval',
          'static-pbc': 'Push button for everyone',
          'static-pin': 'PIN for everyone',
        })}
        {select('unknownPbc', 'Unknown push-button requests', {
          approve: 'Ask the operator',
          pin: 'Require the PIN',
        })}
        {text('fixedPin', 'Fixed PIN (empty: a new PIN every session)', { numeric: true, mono: true })}
        {text('approvalTimeoutS', 'Approval timeout (seconds)', { numeric: true })}
        {text('maxClients', 'Maximum connected devices', { numeric: true })}
        {text('discoveryIntervalS', 'Discovery interval (seconds)', { numeric: true })}
        {text('deviceName', 'Device name')}
        {select('groupMode', 'Group', {
          negotiated: 'A group per connection (negotiated)',
          autonomous: 'A standing group (autonomous)',
        })}
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

const FIELD_CLASS = 'min-h-12 rounded-lg bg-slate-950 px-3 text-lg ring-1 ring-slate-700';

function TextField({
  label,
  value,
  onChange,
  numeric = false,
  mono = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  numeric?: boolean;
  mono?: boolean;
}) {
  return (
    <label className="flex flex-col gap-1">
      {label}
      <input
        className={mono ? `${FIELD_CLASS} font-mono` : FIELD_CLASS}
        inputMode={numeric ? 'numeric' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function SelectField({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Record<string, string>;
}) {
  return (
    <label className="flex flex-col gap-1">
      {label}
      <select className={FIELD_CLASS} value={value} onChange={(e) => onChange(e.target.value)}>
        {Object.entries(options).map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
