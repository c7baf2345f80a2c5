'use client';

import { useState, type FormEvent } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { KioskState, WhitelistEntry } from '@/lib/types';
import { Button, Card, PeerName } from './ui';

const strengthNote: Record<WhitelistEntry['strength'], string> = {
  address: 'by address',
  'address+name': 'by address and name',
  'name-only': 'by name only — weaker: any phone can take this name',
};

export function WhitelistScreen({
  entries,
  peers,
  agent,
}: {
  entries: WhitelistEntry[];
  peers: KioskState['peers'];
  agent: AgentConnection;
}) {
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [undo, setUndo] = useState<WhitelistEntry | null>(null);
  const [renaming, setRenaming] = useState<{ id: number; label: string } | null>(null);

  async function add(input: { address?: string; name?: string; label?: string }) {
    const result = await agent.command<WhitelistEntry>('whitelist.add', input);
    if (result.status === 'ok') {
      setAddress('');
      setName('');
      setLabel('');
      setError(null);
    } else setError(result.error);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void add({
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(label.trim() ? { label: label.trim() } : {}),
    });
  }

  async function remove(entry: WhitelistEntry) {
    const result = await agent.command('whitelist.remove', { id: entry.id });
    if (result.status === 'ok') setUndo(entry);
    else setError(result.error);
  }

  async function restore() {
    if (!undo) return;
    await add({
      ...(undo.address ? { address: undo.address } : {}),
      ...(undo.name ? { name: undo.name } : {}),
      label: undo.label,
    });
    setUndo(null);
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (!renaming) return;
    const result = await agent.command('whitelist.update', { id: renaming.id, label: renaming.label });
    if (result.status === 'ok') setRenaming(null);
    else setError(result.error);
  }

  const known = new Set(entries.map((e) => e.address));
  const nearby = peers.filter((p) => !known.has(p.address));

  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card title="Whitelist">
        {undo && (
          <div role="status" className="mb-3 flex items-center gap-3 rounded-xl bg-slate-800 px-3 py-2">
            <span>Removed {undo.label}.</span>
            <Button className="ml-auto" onClick={() => void restore()}>
              Undo
            </Button>
          </div>
        )}
        {entries.length === 0 ? (
          <p className="text-lg text-slate-400">
            Nobody yet. Whitelisted devices connect by push button without asking.
          </p>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Whitelisted devices">
            {entries.map((entry) => (
              <li
                key={entry.id}
                className="flex flex-wrap items-center gap-2 rounded-xl bg-slate-800 px-3 py-2"
              >
                {renaming?.id === entry.id ? (
                  <form onSubmit={rename} className="flex w-full gap-2">
                    <input
                      aria-label="New label"
                      className="min-h-12 flex-1 rounded-lg bg-slate-950 px-3 text-lg"
                      value={renaming.label}
                      onChange={(e) => setRenaming({ id: entry.id, label: e.target.value })}
                      autoFocus
                    />
                    <Button type="submit" tone="primary">
                      Save
                    </Button>
                  </form>
                ) : (
                  <>
                    <span className="block w-full min-w-0">
                      <span className="block truncate text-lg font-medium">{entry.label}</span>
                      <span className="block truncate font-mono text-base text-slate-400">
                        {[entry.address, entry.name].filter(Boolean).join(' · ')}
                      </span>
                      <span
                        className={`block text-base ${entry.strength === 'name-only' ? 'text-amber-300' : 'text-slate-400'}`}
                      >
                        {strengthNote[entry.strength]}
                      </span>
                    </span>
                    <span className="ml-auto flex gap-2">
                      <Button
                        onClick={() => setRenaming({ id: entry.id, label: entry.label })}
                        aria-label={`Rename ${entry.label}`}
                      >
                        Rename
                      </Button>
                      <Button
                        tone="danger"
                        onClick={() => void remove(entry)}
                        aria-label={`Remove ${entry.label}`}
                      >
                        Remove
                      </Button>
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <div className="flex flex-col gap-4">
        <Card title="Devices nearby">
          {nearby.length === 0 ? (
            <p className="text-lg text-slate-400">No other device seen yet.</p>
          ) : (
            <ul className="flex flex-col gap-2" aria-label="Devices nearby">
              {nearby.slice(0, 8).map((peer) => (
                <li key={peer.address} className="flex items-center gap-2 rounded-xl bg-slate-800 px-3 py-2">
                  <PeerName name={peer.name} address={peer.address} />
                  <Button
                    tone="primary"
                    className="ml-auto shrink-0"
                    aria-label={`Add ${peer.name ?? peer.address} to the whitelist`}
                    onClick={() =>
                      void add({
                        address: peer.address,
                        ...(peer.name ? { name: peer.name.slice(0, 32), label: peer.name.slice(0, 64) } : {}),
                      })
                    }
                  >
                    Add
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Add by hand">
          <form onSubmit={submit} className="flex flex-col gap-2" noValidate>
            <label className="flex flex-col gap-1 text-base">
              Device address
              <input
                name="address"
                className="min-h-12 rounded-lg bg-slate-950 px-3 font-mono text-lg"
                placeholder="42:00:00:00:01:00"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                value={address}
                onChange={(e) => setAddress(e.target.value)}
              />
            </label>
            <label className="flex flex-col gap-1 text-base">
              Device name
              <input
                name="name"
                className="min-h-12 rounded-lg bg-slate-950 px-3 text-lg"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label className="flex flex-col gap-1 text-base">
              Label
              <input
                name="label"
                className="min-h-12 rounded-lg bg-slate-950 px-3 text-lg"
                value={label}
                onChange={(e) => setLabel(e.target.value)}
              />
            </label>
            {error && (
              <p role="alert" className="text-base text-rose-300">
                {error.message}
              </p>
            )}
            <Button type="submit" tone="primary">
              Add to whitelist
            </Button>
          </form>
        </Card>
      </div>
    </div>
  );
}
