'use client';

import { useEffect, useState } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { KioskState } from '@/lib/types';
import { PinDisplay } from './pin-display';
import { Button, Card, PeerName, formatSince } from './ui';

const modeNames: Record<KioskState['mode'], string> = {
  'static-pbc': 'Push button for everyone',
  'static-pin': 'PIN for everyone',
  dynamic: 'Whitelist by push button, others by PIN or approval',
};

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function HomeScreen({ state, agent }: { state: KioskState; agent: AgentConnection }) {
  const now = useNow(1000);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function kick(address: string) {
    setBusy(address);
    const result = await agent.command('clients.kick', { address });
    setBusy(null);
    setMessage(result.status === 'ok' ? null : result.error.message);
  }

  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card className="flex flex-col gap-2">
        <p className="text-base text-slate-400">On your phone, open Wi-Fi Direct and pick</p>
        <p className="text-3xl font-bold break-all" data-testid="device-name">
          {state.deviceName}
        </p>
        <p className="flex items-center gap-2 text-lg" role="status" aria-label="Discoverable">
          <span
            aria-hidden="true"
            className={`inline-block size-3 rounded-full ${state.discoverable ? 'bg-emerald-400' : 'bg-slate-500'}`}
          />
          {state.discoverable ? 'Discoverable' : 'Not discoverable'}
        </p>
        <p className="text-base text-slate-400">Mode: {modeNames[state.mode]}</p>
        {state.group && (
          <p className="text-base text-slate-400">
            Group {state.group.ssid}
            {state.group.freq ? ` · ${state.group.freq} MHz` : ''}
          </p>
        )}
        {state.lastError && (
          <p
            role="alert"
            className="rounded-lg bg-rose-950 px-3 py-2 text-base text-rose-200"
            data-testid="last-error"
          >
            {state.lastError.message}
          </p>
        )}
      </Card>

      {state.pin && state.mode !== 'static-pbc' ? (
        <Card className="flex items-center justify-center">
          <PinDisplay pin={state.pin} deviceName={state.deviceName} />
        </Card>
      ) : (
        <Card className="flex items-center justify-center text-center text-xl text-slate-300">
          Tap the kiosk&apos;s name on your phone and confirm to connect.
        </Card>
      )}

      <Card title={`Connected devices (${state.clients.length})`} className="md:col-span-2">
        {state.clients.length === 0 ? (
          <p className="text-lg text-slate-400">No device connected.</p>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Connected devices">
            {state.clients.map((client) => (
              <li key={client.address} className="flex items-center gap-3 rounded-xl bg-slate-800 px-3 py-2">
                <PeerName name={client.name} address={client.address} />
                <span className="ml-auto shrink-0 text-base text-slate-400">
                  {client.ip ? `${client.ip} · ` : ''}for {formatSince(client.since, now)}
                </span>
                <Button
                  tone="danger"
                  disabled={busy === client.address}
                  onClick={() => void kick(client.address)}
                  aria-label={`Kick ${client.name ?? client.address}`}
                >
                  Kick
                </Button>
              </li>
            ))}
          </ul>
        )}
        {message && (
          <p role="alert" className="mt-2 text-rose-300">
            {message}
          </p>
        )}
      </Card>
    </div>
  );
}
